"""The associative generator: proposes N candidate thoughts, each with the concepts it uses."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.concepts import grounded_concepts
from noetic.agents.context_text import (
    best_so_far,
    generator_ask,
    generator_context,
    recollections,
    to_fix,
)
from noetic.agents.schemas import Thought
from noetic.record import Candidate

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.context import DeliberationContext
    from noetic.agents.state import DeliberationState


class AssociativeGenerator(Role[Thought]):
    """Refines from round 2 on: the prompt carries the best thought so far with what to fix in
    it (failed checks, defects). Keeps only concepts written in a thought's text
    (`grounded_concepts`): the model's own proposals often are not, and they would become the
    accumulator's anchors."""

    name = "generator"
    description = "Proposes N candidate thoughts, each naming the concepts it uses."
    output_schema = Thought
    prompt = PromptTemplate.from_package(__package__, "generator")

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        round_ = state["round"]
        policy = context.policy(state["mode"])
        best = best_so_far(state.get("history", []))
        thoughts, usage = await self.ask(
            context,
            self.sampling(context, state),
            n=policy.candidates(context.settings.candidates),
            min_valid=1,
            task=state["task"],
            so_far=generator_context(
                best,
                state.get("anchors", []),
                state.get("recalled", []),
                state.get("note") or "",
                state.get("focus") or state["task"],
                state["task"],
            ),
            focus=state.get("focus") or state["task"],
            previous=best.text if best else "none yet",
            fix=to_fix(best),
            ask=generator_ask(best),
            memories=recollections(state.get("recalled", [])),
            anchors=", ".join(state.get("anchors", [])) or "none yet",
            note=state.get("note") or "none",
        )
        candidates = [
            Candidate.proposed(round_, i, t.text, grounded_concepts(t.text, t.concepts))
            for i, t in enumerate(thoughts)
        ]
        return {"candidates": candidates, "usage": usage}
