"""Human in the loop: with steering on, the run pauses before selection (a LangGraph interrupt)
until a person picks a candidate, vetoes some, or leaves a note for the next round.

The decision is validated, applied (a veto filters with a reason, a pick overrides selection),
and kept in the round's record.
"""

from __future__ import annotations

from typing import Any, Literal

from langgraph.runtime import Runtime
from langgraph.types import interrupt
from pydantic import ValidationError

from noetic.agents.runtime import DeliberationContext
from noetic.agents.state import DeliberationState
from noetic.record import HumanDecision


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


def answer_problem(decision: HumanDecision, count: int) -> str | None:
    """Why `decision` cannot answer a round of `count` candidates, or None when it can."""
    out_of_range = [i for i in [*decision.veto, decision.pick] if i is not None and i >= count]
    if not out_of_range:
        return None
    return f"candidate {out_of_range[0]} does not exist (this round has 0-{count - 1})"


async def steer(state: DeliberationState, runtime: Runtime[DeliberationContext]) -> dict[str, Any]:
    """Pause for a person; an answer that does not fit the round is asked again, never kept.

    The runner checks answers before they reach the graph; asking again here keeps a run
    answerable even when one arrives another way (a hand-made `Command(resume=...)`).
    """
    request = steering_request(state)
    count = len(state["candidates"])
    answer = interrupt(request)
    while True:
        try:
            decision = HumanDecision.model_validate(answer)
        except ValidationError as exc:
            problem: str | None = str(exc.errors()[0]["msg"])
        else:
            problem = answer_problem(decision, count)
        if problem is None:
            break
        answer = interrupt({**request, "problem": problem})
    candidates = [
        c.model_copy(update={"filtered": "vetoed by a person"}) if i in decision.veto else c
        for i, c in enumerate(state["candidates"])
    ]
    return {"candidates": candidates, "human": decision, "note": decision.note}


def after_critique(state: DeliberationState) -> Literal["steer", "select"]:
    return "steer" if state.get("steer") else "select"
