"""Checks with the real model: the judge's overall (signals + checks) ranks an answer that
does what the task asks above ones that do not, and a real deliberation run from the CLI
keeps to the checks (every round picks a passing candidate when there is one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from noetic_cli import noetic

from noetic.agents.checks import bind_checks, passes_hard, run_checks
from noetic.agents.signals import Judge
from noetic.models.llama_cpp import LlamaCppModel
from noetic.policies import load_preset
from noetic.settings import CheckSpec

pytestmark = pytest.mark.integration
TASK = "Write one or two sentences that use all of these words: dog, frisbee, park."


async def test_overall_with_checks_ranks_the_answer_that_uses_every_word_first(
    real_model: LlamaCppModel,
) -> None:
    checks = bind_checks([CheckSpec(name="required_terms")], TASK)
    good = "The dog leapt to catch the red frisbee in the park."
    bad = [
        "The dog ran across the park and barked at the birds.",  # no frisbee
        "dog, frisbee, park.",  # a list, not a sentence
        "Interest rates rose again as the central bank met on Tuesday.",  # off the task
    ]
    judgments, _ = await Judge(real_model, ratings=False, checks=checks).judge(TASK, [good, *bad])
    weights = load_preset("safe").weights
    overall = [weights.combine(j.scores) for j in judgments]
    assert [passes_hard(j.checks) for j in judgments] == [True, False, False, False]
    assert overall[0] > max(overall[1:]), overall
    assert judgments[1].checks[0].message == "missing: frisbee"


def test_a_deliberation_with_a_check_keeps_to_it(tmp_path: Path) -> None:
    proc = noetic(
        "run", TASK, "--check", "required_terms", "--rounds", "2", "--json",
        home=tmp_path, timeout=600, OMP_WAIT_POLICY="PASSIVE",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    # the named check, and what the run reads from the task ("one or two sentences")
    checks = bind_checks([CheckSpec(name="required_terms")], TASK, infer=True)
    assert [c.name for c in checks] == ["required_terms", "sentences"]
    for record in result["rounds"]:
        verdicts = [passes_hard(run_checks(checks, TASK, c["text"])) for c in record["candidates"]]
        stored = [all(k["passed"] for k in c["checks"]) for c in record["candidates"]]
        assert verdicts == stored  # what the run recorded is what the check says
        if any(verdicts) and record["selected"] is not None:
            assert verdicts[record["selected"]]
    if result["stop_reason"] == "checks_passed":
        assert result["answer_from"] != "synthesis"
        assert passes_hard(run_checks(checks, TASK, result["answer"]))
