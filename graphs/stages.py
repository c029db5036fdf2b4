"""The stages that are plain logic rather than a model's judgment: selection and the end of a
round (record it, apply the stop rules, set the next focus)."""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime

from noetic.agents.context_text import best_so_far
from noetic.agents.schemas import RoundRecord
from noetic.graphs.context import DeliberationContext
from noetic.graphs.state import DeliberationState


async def select(state: DeliberationState, runtime: Runtime[DeliberationContext]) -> dict[str, Any]:
    """Score each candidate by the active policy's weights and pick the best unfiltered one."""
    policy = runtime.context.policy(state["mode"])
    scored = [
        c.model_copy(
            update={"scores": {**c.scores, "overall": round(policy.weights.combine(c.scores), 4)}}
        )
        for c in state["candidates"]
    ]
    eligible = [i for i, c in enumerate(scored) if c.filtered is None]
    selected = max(eligible, key=lambda i: scored[i].scores["overall"], default=None)
    return {"candidates": scored, "selected": selected}


async def close_round(
    state: DeliberationState, runtime: Runtime[DeliberationContext]
) -> dict[str, Any]:
    """Record the round, then stop (with the rule that stopped it) or advance to the next."""
    round_ = state["round"]
    reflection = state.get("reflection")
    record = RoundRecord(
        round=round_,
        mode=state["mode"],
        focus=state.get("focus") or state["task"],
        candidates=state["candidates"],
        selected=state.get("selected"),
        reflection=reflection,
    )
    best = best_so_far([*state.get("history", []), record])
    best_score = best.scores.get("overall", 0.0) if best else 0.0
    threshold = runtime.context.policy(state["mode"]).accept_threshold
    update: dict[str, Any] = {"history": [record]}
    if round_ >= state["max_rounds"]:
        update["stop_reason"] = "max_rounds"
    elif reflection is not None and reflection.decision == "stop" and best_score >= threshold:
        update["stop_reason"] = "stopped_by_meta_thinker"
    else:
        update["round"] = round_ + 1
        if reflection is not None and reflection.next_focus.strip():
            update["focus"] = reflection.next_focus.strip()
    return update


def after_round(state: DeliberationState) -> Literal["converge", "switch"]:
    return "converge" if state.get("stop_reason") else "switch"
