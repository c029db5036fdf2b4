"""When a deliberation ends, and why: the rules `close_round` applies after every round.

In order: a spent budget (tokens, seconds); a pick that passes every check and clears the
policy's threshold (`checks_passed`); the meta-thinker's stop once the best score clears
the policy's threshold; a plateau of the best score above that threshold (converged) — these two
only while the best pick is sound (passes its hard checks, no echo of the task); the planned
rounds, unless "think longer" may add one because scores are still low or unstable, or the
best pick is not sound.
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import BaseModel

from noetic.record import Reflection, RoundRecord, StopReason
from noetic.settings import BudgetSettings

PLATEAU_EPSILON = 0.01
UNSTABLE_SPREAD = 0.15


class RoundVerdict(BaseModel):
    """What happens after a round: stop (with the rule), extend by one round, or go on."""

    stop_reason: StopReason | None = None
    extend: bool = False


def running_best(history: Sequence[RoundRecord]) -> list[float]:
    """The best selected score so far, after each round."""
    best, out = 0.0, []
    for record in history:
        if record.selected is not None:
            best = max(best, record.candidates[record.selected].scores.get("overall", 0.0))
        out.append(best)
    return out


def budget_spent(budget: BudgetSettings, tokens: int, seconds: float) -> StopReason | None:
    if budget.max_tokens is not None and tokens >= budget.max_tokens:
        return "max_tokens"
    if budget.max_seconds is not None and seconds >= budget.max_seconds:
        return "max_seconds"
    return None


def _plateaued(best: list[float], rounds: int) -> bool:
    return len(best) > rounds and best[-1] - best[-1 - rounds] < PLATEAU_EPSILON


def _unsettled(history: Sequence[RoundRecord], best: list[float], threshold: float) -> bool:
    """Low best score, or selected scores swinging between the last rounds."""
    chosen = [
        r.candidates[r.selected].scores.get("overall", 0.0)
        for r in history[-2:]
        if r.selected is not None
    ]
    swinging = len(chosen) == 2 and abs(chosen[1] - chosen[0]) > UNSTABLE_SPREAD
    return best[-1] < threshold or swinging


def judge_round(
    history: Sequence[RoundRecord],
    reflection: Reflection | None,
    *,
    round_: int,
    max_rounds: int,
    extensions: int,
    threshold: float,
    budget: BudgetSettings,
    tokens: int,
    seconds: float,
    verified: bool = False,
    sound: bool = True,
) -> RoundVerdict:
    """Apply the stop rules to the history including the round just finished; `verified` says
    its pick passed every check and cleared the threshold; `sound` that the best pick so far
    passes its hard checks and is no echo of the task: without it, neither the meta-thinker's
    stop nor a plateau ends a run while rounds remain."""
    spent = budget_spent(budget, tokens, seconds)
    if spent:
        return RoundVerdict(stop_reason=spent)
    if verified:
        return RoundVerdict(stop_reason="checks_passed")
    best = running_best(history)
    decision = reflection.decision if reflection else "continue"
    if sound and decision == "stop" and best[-1] >= threshold:
        return RoundVerdict(stop_reason="stopped_by_meta_thinker")
    if sound and best[-1] >= threshold and _plateaued(best, budget.plateau_rounds):
        return RoundVerdict(stop_reason="converged")
    if round_ < max_rounds:
        return RoundVerdict()
    if (
        extensions < budget.extra_rounds
        and decision != "stop"
        and (not sound or _unsettled(history, best, threshold))
    ):
        return RoundVerdict(extend=True)
    return RoundVerdict(stop_reason="max_rounds")
