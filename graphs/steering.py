"""Human in the loop: with steering on, the run pauses before selection (a LangGraph interrupt)
until a person picks a candidate, vetoes some, or leaves a note for the next round.

The decision is validated, applied (a veto filters with a reason, a pick overrides selection),
and kept in the round's record.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import interrupt

from noetic.agents.schemas import HumanDecision
from noetic.errors import NoeticError
from noetic.graphs.context import DeliberationContext
from noetic.graphs.state import DeliberationState


def steering_request(state: DeliberationState) -> dict[str, Any]:
    """What a person is shown at the pause."""
    return {
        "run_id": state["run_id"],
        "round": state["round"],
        "candidates": [
            {"index": i, "text": c.text, "scores": c.scores, "concepts": c.concepts}
            for i, c in enumerate(state["candidates"])
        ],
    }


async def steer(state: DeliberationState, runtime: Runtime[DeliberationContext]) -> dict[str, Any]:
    answer = interrupt(steering_request(state))
    decision = HumanDecision.model_validate(answer)
    count = len(state["candidates"])
    out_of_range = [i for i in [*decision.veto, decision.pick] if i is not None and i >= count]
    if out_of_range:
        raise NoeticError(
            f"candidate {out_of_range[0]} does not exist in round {state['round']} (0-{count - 1})",
            f"answer with an index from 0 to {count - 1}",
        )
    candidates = [
        c.model_copy(update={"filtered": "vetoed by a person"}) if i in decision.veto else c
        for i, c in enumerate(state["candidates"])
    ]
    return {"candidates": candidates, "human": decision, "note": decision.note}


def after_critique(state: DeliberationState) -> Literal["steer", "select"]:
    return "steer" if state.get("steer") else "select"
