"""The meta-thinker's seat taken by a rule, to measure the model's decisions against.

Stop when the best score has plateaued; refocus on what the best pick leaves out of the task;
else continue. The reason is worded by template, so it is always readable. Seat it with
`stages = {reflect = "reflect_by_rule"}` (or `--stage reflect=reflect_by_rule`); `noetic eval`
runs it as `deliberate-rule-reflect`.
"""

from __future__ import annotations

from typing import Any

from langgraph.runtime import Runtime

from noetic.agents.runtime import DeliberationContext
from noetic.agents.state import DeliberationState
from noetic.policies.stop_rules import PLATEAU_EPSILON, running_best
from noetic.record import Reflection

LEAVES_OUT = "leaves out "
FOCUS_CHARS = 160
"""A reflection's focus holds at most this (`Reflection.next_focus`); the parts' names fit."""


async def reflect_by_rule(
    state: DeliberationState, runtime: Runtime[DeliberationContext]
) -> dict[str, Any]:
    """Continue, refocus or stop from the scores and the judge's defects; no model call."""
    selected = state.get("selected")
    if selected is None:
        reflection = Reflection(decision="continue", reason="Nothing was selected.", next_focus="")
        return {"reflection": reflection}
    chosen = state["candidates"][selected]
    current = chosen.scores.get("overall", 0.0)
    earlier = running_best(state.get("history", []))
    before = earlier[-1] if earlier else None
    missing = next(
        (
            d[len(LEAVES_OUT) :]
            for d in (chosen.critique.defects if chosen.critique else [])
            if d.startswith(LEAVES_OUT) and "earlier work" not in d
        ),
        None,
    )
    if before is not None and current - before < PLATEAU_EPSILON:
        reflection = Reflection(
            decision="stop",
            reason=f"The best score went from {before:.2f} to {current:.2f}: it has plateaued.",
            next_focus="",
        )
    elif missing:
        reflection = Reflection(
            decision="refocus",
            reason=f"The best answer leaves out {missing}."[:FOCUS_CHARS],
            next_focus=f"Say more about {missing}."[:FOCUS_CHARS],
        )
    else:
        reflection = Reflection(
            decision="continue", reason=f"The best score is {current:.2f}.", next_focus=""
        )
    return {"reflection": reflection}
