"""Point-of-view experts: each speaks for one discipline in a debate.

A debate is a chain of turns, one expert per node: each expert reads what the others said this
round (the round's `candidates` so far), adds one thought from its discipline, and passes the
floor on. `candidates` has no reducer (one stage owns it per step), so experts take turns rather
than write it in parallel. Each thought names its discipline as its first concept, which tells
the accumulator which perspective the selection keeps rewarding.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from noetic.agents import PromptTemplate, Role
from noetic.agents.schemas import Thought
from noetic.record import Candidate

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents import DeliberationContext, DeliberationState

MAX_CONCEPTS = 5


def this_round(state: DeliberationState) -> list[Candidate]:
    """The floor: candidates already proposed in the current round (a new round starts empty)."""
    return [c for c in state.get("candidates", []) if c.round == state["round"]]


def floor_text(floor: list[Candidate]) -> str:
    return "\n".join(f"- ({c.concepts[0]}) {c.text}" for c in floor) or "nobody has spoken yet"


class PovExpert(Role[Thought]):
    """One discipline's voice; subclasses set `name`, `description`, `discipline` and `lens`."""

    discipline: ClassVar[str]
    lens: ClassVar[str]
    output_schema = Thought
    prompt = PromptTemplate.from_package(__package__, "pov_expert")

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        round_ = state["round"]
        floor = this_round(state)
        (thought,), usage = await self.ask(
            context,
            self.sampling(context, state),
            task=state["task"],
            focus=state.get("focus") or state["task"],
            discipline=self.discipline,
            lens=self.lens,
            floor=floor_text(floor),
        )
        concepts = list(dict.fromkeys([self.discipline, *thought.concepts]))[:MAX_CONCEPTS]
        spoken = Candidate.proposed(round_, len(floor), thought.text, concepts)
        return {"candidates": [*floor, spoken], "usage": usage}


class AcousticsExpert(PovExpert):
    name = "acoustics_expert"
    description = "Debates from acoustics: sound, vibration, resonance, listening."
    discipline = "acoustics"
    lens = "sound, vibration, resonance and how things are heard"


class PoliticsExpert(PovExpert):
    name = "politics_expert"
    description = "Debates from politics: power, institutions, conflict, consent."
    discipline = "politics"
    lens = "power, institutions, conflict and consent"


class BiologyExpert(PovExpert):
    name = "biology_expert"
    description = "Debates from biology: evolution, bodies, ecosystems, adaptation."
    discipline = "biology"
    lens = "evolution, living bodies, ecosystems and adaptation"
