"""The meta-thinker: reads the trajectory and decides to continue, refocus or stop.

Its decision is advice; the graph's stop rules decide (a stop is honoured only once the best
score clears the policy's acceptance threshold, so a small model cannot quit on a whim).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import structlog

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.history import round_line, trajectory
from noetic.agents.signals.task_parts import zipf
from noetic.record import Reflection

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState


log = structlog.get_logger("noetic.meta_thinker")
_SENTENCES = re.compile(r"(?<=[.!?])\s+")
_CODE = re.compile(r"[{}\[\]<>|=#*`\\]")
_WORDS = re.compile(r"[A-Za-z]+")
_PROMPT_LINES = re.compile(
    r"\bround \d+ \((?:safe|experimental)|\brounds(?: so far)?, (?:of|last)\b", re.IGNORECASE
)
"""The trajectory's own line format and heading ("Round 2 (safe, score 0.83): ...", "Rounds so
far, of 3 planned; the last one ..."): copied back, they are the prompt, not a decision."""


def readable(sentence: str) -> bool:
    """Plain words a person can read: no code or markup, and most words known to a word list
    ("[DISCUSBED]", "next: 10,236,587-499" and a JSON fence are not)."""
    words = _WORDS.findall(sentence)
    if not words or _CODE.search(sentence):
        return False
    known = sum(zipf(w.lower()) > 0 for w in words)
    return known / len(words) >= 0.8


COPIED_WORDS = 6
"""A sentence that repeats this many consecutive words of the trajectory copies a candidate."""


def _runs(text: str) -> set[tuple[str, ...]]:
    words = [w.lower() for w in _WORDS.findall(text)]
    return {tuple(words[i : i + COPIED_WORDS]) for i in range(len(words) - COPIED_WORDS + 1)}


def readable_prefix(text: str, shown: str = "", task: str = "") -> str:
    """The leading sentences of `text` that read as prose of the model's own; nothing from the
    first that does not, that copies the prompt's lines, or that repeats a run of the words it
    was `shown` other than the `task`'s own, on (a small model's reason often turns into code
    halfway, or into the trajectory it was shown: the prompt's lines, or the best candidate's
    own sentences; quoting the task is a reason's right)."""
    copied = _runs(shown) - _runs(task)
    kept = []
    for sentence in _SENTENCES.split(text.strip()):
        if not readable(sentence) or _PROMPT_LINES.search(sentence) or _runs(sentence) & copied:
            break
        kept.append(sentence)
    return " ".join(kept)


class MetaThinker(Role[Reflection]):
    name = "meta_thinker"
    description = "Reads the trajectory; decides continue / refocus / stop, why, and what next."
    output_schema = Reflection
    prompt = PromptTemplate.from_package(__package__, "meta_thinker")
    max_tokens = 140

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        selected = state.get("selected")
        current = state["candidates"][selected] if selected is not None else None
        shown = trajectory(
            state.get("history", []), round_line(state["round"], state["mode"], current)
        )
        (reflection,), usage = await self.ask(
            context,
            self.sampling(context, state),
            task=state["task"],
            trajectory=shown,
            max_rounds=state["max_rounds"],
        )
        return {"reflection": self._readable(reflection, state, shown), "usage": usage}

    @staticmethod
    def _readable(reflection: Reflection, state: DeliberationState, shown: str) -> Reflection:
        """The reflection with only its readable prose of its own: what is not is dropped and
        logged, never stored as the round's reason or followed as its focus."""
        reason = readable_prefix(reflection.reason, shown, state["task"])
        focus = readable_prefix(reflection.next_focus, shown, state["task"])
        if (reason, focus) == (reflection.reason, reflection.next_focus):
            return reflection
        log.info(
            "reflection_unreadable",
            round=state["round"],
            reason=reflection.reason[:120],
            next_focus=reflection.next_focus[:120],
        )
        return reflection.model_copy(update={"reason": reason, "next_focus": focus})
