"""The stop rules as pure functions over a history."""

from __future__ import annotations

from noetic.policies.stop_rules import judge_round, running_best
from noetic.record import Candidate, Reflection, RoundRecord
from noetic.settings import BudgetSettings


def history(*scores: float) -> list[RoundRecord]:
    return [
        RoundRecord(
            round=i + 1,
            mode="safe",
            focus="f",
            candidates=[
                Candidate(
                    id=f"r{i}c0", round=i + 1, text="t", concepts=["c"], scores={"overall": s}
                )
            ],
            selected=0,
        )
        for i, s in enumerate(scores)
    ]


def judge(scores: tuple[float, ...], decision: str = "continue", **kw):  # type: ignore[no-untyped-def]
    args = {
        "round_": len(scores),
        "max_rounds": 5,
        "extensions": 0,
        "threshold": 0.7,
        "budget": BudgetSettings(),
        "tokens": 0,
        "seconds": 0.0,
    }
    args.update(kw)
    reflection = Reflection(decision=decision, reason="r", next_focus="n")  # type: ignore[arg-type]
    return judge_round(history(*scores), reflection, **args)


def test_running_best_is_monotone() -> None:
    assert running_best(history(0.2, 0.5, 0.3)) == [0.2, 0.5, 0.5]


def test_budgets_come_first() -> None:
    assert (
        judge((0.9,), "stop", budget=BudgetSettings(max_tokens=300), tokens=300).stop_reason
        == "max_tokens"
    )
    assert (
        judge((0.9,), budget=BudgetSettings(max_seconds=1.0), seconds=1.5).stop_reason
        == "max_seconds"
    )
    assert judge((0.9,), budget=BudgetSettings(max_tokens=300), tokens=299).stop_reason is None


def test_meta_thinker_stop_needs_the_threshold() -> None:
    assert judge((0.8,), "stop").stop_reason == "stopped_by_meta_thinker"
    assert judge((0.5,), "stop").stop_reason is None


def test_plateau_above_threshold_converges() -> None:
    assert judge((0.75, 0.75, 0.755)).stop_reason == "converged"
    assert judge((0.5, 0.5, 0.5)).stop_reason is None  # low plateau: keep thinking
    assert judge((0.7, 0.75, 0.8)).stop_reason is None  # still improving


def test_max_rounds_without_extensions() -> None:
    assert judge((0.2, 0.3), max_rounds=2).stop_reason == "max_rounds"


def test_think_longer_extends_low_or_unstable_runs_up_to_the_ceiling() -> None:
    budget = BudgetSettings(extra_rounds=2)
    assert judge((0.2, 0.3), max_rounds=2, budget=budget).extend
    assert judge((0.9, 0.72), max_rounds=2, budget=budget).extend  # unstable swing
    assert not judge((0.8, 0.81), max_rounds=2, budget=budget, threshold=0.7).extend
    assert judge((0.2, 0.3), max_rounds=2, budget=budget, extensions=2).stop_reason == "max_rounds"
    assert judge((0.2, 0.3), "stop", max_rounds=2, budget=budget).stop_reason == "max_rounds"


def test_an_unsound_best_pick_neither_converges_nor_stops_while_rounds_remain() -> None:
    # A plateau above the threshold, and the meta-thinker says stop: with a best pick that
    # fails a hard check or only restates the task, the run goes on instead.
    assert judge((0.9, 0.9, 0.9)).stop_reason == "converged"
    assert judge((0.9, 0.9, 0.9), sound=False).stop_reason is None
    assert judge((0.9,), "stop").stop_reason == "stopped_by_meta_thinker"
    assert judge((0.9,), "stop", sound=False).stop_reason is None


def test_an_unsound_best_pick_at_the_last_round_asks_for_one_more() -> None:
    budget = BudgetSettings(extra_rounds=1, plateau_rounds=5)  # no plateau yet
    verdict = judge((0.9, 0.95), max_rounds=2, budget=budget, sound=False)
    assert verdict.extend and verdict.stop_reason is None
