"""Checks in the loop, on the scripted model: hard-check selection, the `checks_passed` stop
(no reflection, no synthesis), refinement prompts that carry what to fix, and the synthesis
that loses to a thought passing the checks it fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from noetic import adeliberate
from noetic.agents.signals.substance import echoes
from noetic.policies.stop_rules import judge_round
from noetic.record import Candidate, RoundRecord
from noetic.settings import BudgetSettings, CheckSpec
from noetic.testing import HashingEmbedder, RoleScript
from noetic.testing.role_script import SYNTHESIS, thought

TASK = "What is a good question?"


def contains(*words: str) -> list[CheckSpec]:
    return [CheckSpec(name="form", params={"must_contain": list(words)})]


async def run(script: RoleScript, checks: list[CheckSpec], **overrides: Any):
    events: list[dict[str, Any]] = []
    model = script.model()
    result = await adeliberate(
        TASK,
        model=model,
        embedder=HashingEmbedder(),
        on_event=events.append,
        checks=checks,
        mode="safe",
        **overrides,
    )
    stages = [e["stage"] for e in events if e.get("event") == "stage_start"]
    return result, stages, model


async def test_a_candidate_failing_a_hard_check_is_not_selected_while_one_passes() -> None:
    # The critic likes thought 1 best; every thought says "thought" and "yeast", only thought 2
    # says "number 2".
    script = RoleScript(critique=lambda t: (9, 9, 9) if "number 1" in t else (1, 1, 1))
    result, _, _ = await run(
        script, contains("thought", "yeast", "number 2"), rounds=1, candidates=3
    )
    (record,) = result.rounds
    passed = [all(c.passed for c in cand.checks) for cand in record.candidates]
    assert passed == [False, True, False]
    overall = [c.scores["overall"] for c in record.candidates]
    assert overall[0] > overall[1]  # two thirds of the checks and strong signals outscore it
    assert record.selected == 1
    first = record.candidates[0]
    assert first.scores["checks"] == 0.6667 and first.checks[0].message == "use the word 'number 2'"
    assert first.critique is not None and first.critique.rationale.startswith("Use the word")


async def test_without_a_passing_candidate_the_best_scoring_one_is_selected() -> None:
    script = RoleScript(critique=lambda t: (9, 9, 9) if "number 1" in t else (3, 3, 3))
    result, _, _ = await run(script, contains("zebra"), rounds=1, candidates=3)
    assert result.rounds[0].selected == 0


async def test_a_verified_pick_stops_the_run_without_reflection_or_synthesis() -> None:
    script = RoleScript(critique=lambda t: (9, 9, 9))
    result, stages, _ = await run(script, contains("yeast"), rounds=3, candidates=2)
    assert result.stop_reason == "checks_passed" and len(result.rounds) == 1
    assert "reflect" not in stages and stages[-1] == "converge"
    assert "Synthesis" not in script.calls and "Reflection" not in script.calls
    best = result.rounds[0].candidates[result.rounds[0].selected or 0]
    assert result.answer == best.text and result.answer_from == best.id


async def test_passing_checks_below_the_threshold_does_not_stop_the_run() -> None:
    script = RoleScript(critique=lambda t: (1, 1, 1))
    result, stages, _ = await run(script, contains("yeast"), rounds=2, candidates=2)
    assert result.stop_reason == "max_rounds" and len(result.rounds) == 2
    assert stages.count("reflect") == 2


async def test_the_next_round_is_asked_to_fix_what_failed() -> None:
    script = RoleScript(critique=lambda t: (7, 7, 7))
    _, _, model = await run(script, contains("zebra"), rounds=2, candidates=2)
    prompts = [r.messages[-1].content for r in model.requests if r.schema_title is None]
    first, later = prompts[:2], prompts[2:]  # two candidates a round
    # Round 1's greedy answer is asked the task as the user wrote it; a drawn one may be guided.
    assert first[0] == TASK and first[1].startswith(TASK)
    (refine,) = [p for p in later if "A draft answer" in p]  # half refine, half sample afresh
    assert "Fix this: Use the word 'zebra'." in refine
    assert "A draft answer:\nthought number" in refine


async def test_a_synthesis_that_fails_a_check_loses_to_a_thought_that_passes() -> None:
    # The synthesis rates best on every signal, but only thoughts say "number".
    script = RoleScript(critique=lambda t: (1, 1, 1), synthesis=(9, 9, 9))
    result, _, _ = await run(script, contains("number"), rounds=1, candidates=2)
    assert result.stop_reason == "max_rounds"  # passing, but below the threshold
    assert result.answer != SYNTHESIS and result.answer_from.startswith("r1c")


async def test_without_checks_the_presets_answer_with_the_best_thought_and_no_synthesis() -> None:
    script = RoleScript(critique=lambda t: (5, 5, 5), synthesis=(9, 9, 9))
    result, stages, _ = await run(script, [], rounds=1, candidates=2)
    assert stages[-1] == "converge" and "Synthesis" not in script.calls
    best = result.rounds[0].candidates[result.rounds[0].selected or 0]
    assert (result.answer, result.answer_from) == (best.text, best.id)


async def test_without_checks_a_synthesis_asked_for_still_wins_on_its_scores(
    always_synthesize: dict[str, Path],
) -> None:
    script = RoleScript(critique=lambda t: (5, 5, 5), synthesis=(9, 9, 9))
    result, _, _ = await run(script, [], rounds=1, candidates=2, policies=always_synthesize)
    assert result.answer == SYNTHESIS and result.answer_from == "synthesis"


def test_a_verified_round_stops_after_a_spent_budget_but_before_anything_else() -> None:
    chosen = Candidate(id="r1c0", round=1, text="t", concepts=[], scores={"overall": 0.9})
    record = RoundRecord(round=1, mode="safe", focus="f", candidates=[chosen], selected=0)
    common: dict[str, Any] = {
        "history": [record],
        "reflection": None,
        "round_": 1,
        "max_rounds": 3,
        "extensions": 0,
        "threshold": 0.8,
        "seconds": 0.0,
    }
    budget = BudgetSettings(max_tokens=100)
    assert judge_round(**common, budget=budget, tokens=10, verified=True).stop_reason == (
        "checks_passed"
    )
    assert judge_round(**common, budget=budget, tokens=100, verified=True).stop_reason == (
        "max_tokens"
    )
    assert judge_round(**common, budget=budget, tokens=10).stop_reason is None  # 1 of 3 rounds


async def test_python_callers_name_checks_by_shorthand_over_given_settings() -> None:
    from noetic.settings import load_settings

    script = RoleScript(critique=lambda t: (9, 9, 9))
    result = await adeliberate(
        TASK,
        settings=load_settings(mode="safe", rounds=2),
        model=script.model(),
        embedder=HashingEmbedder(),
        checks=[{"name": "form", "must_contain": ["yeast"]}],
    )
    assert result.stop_reason == "checks_passed"
    assert result.rounds[0].candidates[0].checks[0].name == "form"


async def test_without_checks_the_next_round_fixes_what_the_judge_saw() -> None:
    # "thought number 1 about the task." says nothing beyond the task: the judge says so.
    script = RoleScript(
        critique=lambda t: (7, 7, 7), thoughts=lambda n: f"thought {n} on the task."
    )
    _, _, model = await run(script, [], rounds=2, candidates=2)
    prompts = [r.messages[-1].content for r in model.requests if r.schema_title is None]
    (refine,) = [p for p in prompts[2:] if "A draft answer" in p]
    assert "Fix this:" in refine and "It says little beyond the task" in refine


ECHO = "What is a good question? It is a good question."


async def test_an_echo_of_the_task_loses_to_an_answer_whatever_the_critic_says() -> None:
    script = RoleScript(
        critique=lambda t: (9, 9, 9) if t == ECHO else (6, 6, 6),
        thoughts=lambda n: ECHO if n == 1 else f"{thought(n)} A question.",
    )
    result, _, _ = await run(script, contains("question"), rounds=1, candidates=3)
    (record,) = result.rounds
    assert record.candidates[0].text == ECHO and echoes(record.candidates[0].scores)
    assert record.selected != 0


async def test_an_echo_that_passes_every_check_does_not_stop_the_run() -> None:
    script = RoleScript(critique=lambda t: (9, 9, 9), thoughts=lambda n: ECHO)
    result, _, _ = await run(script, contains("question"), rounds=2, candidates=1)
    assert result.stop_reason == "max_rounds" and len(result.rounds) == 2
