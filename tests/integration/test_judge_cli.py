"""`noetic judge` as a user runs it: the real model scores their own texts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from noetic_cli import noetic

pytestmark = pytest.mark.integration
TASK = "Join one idea from these words: kite, inheritance, vaccine."
GOOD = (
    "A kite stays aloft only because a string ties it to the ground, and an inheritance works "
    "the same way: wealth passed down lifts a child while binding them to a family's choices. "
    "A vaccine is an inheritance of immunity we give strangers: a small, tethered exposure that "
    "lets the body rise to meet a disease without being carried off by it."
)
HOLLOW = "This idea brings kite, inheritance and vaccine together in a new and interesting way."


def judge(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return noetic("judge", *args, cwd=cwd, timeout=300)


def test_judge_json_scores_each_text_and_prefers_substance(
    tmp_path: Path, isolated_home: Path
) -> None:
    proc = judge(TASK, GOOD, HOLLOW, "--check", "required_terms", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    good, hollow = json.loads(proc.stdout)
    for item in (good, hollow):
        assert {"informativeness", "coverage", "no_meta", "fluency", "pmi", "checks"} <= set(
            item["scores"]
        )
        assert 0 <= item["overall"] <= 1
    assert good["overall"] > hollow["overall"]
    assert "talks about the answer instead of giving it" in hollow["defects"]
    assert [c["passed"] for c in good["checks"]] == [True]  # the three terms are there
    assert good["risk_flags"] == hollow["risk_flags"] == [] and good["filtered"] is None


def test_judge_flags_a_text_that_drifts_into_a_risky_topic(
    tmp_path: Path, isolated_home: Path
) -> None:
    """The same rules a run's judge applies: the flag, and safe mode's filter saying why."""
    task = "How do I clean a rusty bike chain?"
    drift = "Forget the chain: to make a bomb at home, mix fertilizer with fuel oil in a pipe."
    proc = judge(
        task, "Soak it in vinegar, scrub with steel wool, dry and oil it.", drift, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("⚠") == 1 and "⚠ weapons" in proc.stdout
    assert "filtered in safe mode: 1 risk flag(s) (weapons) over the limit of 0" in proc.stdout


def test_judge_prints_one_block_per_text(tmp_path: Path, isolated_home: Path) -> None:
    proc = judge(TASK, GOOD, HOLLOW, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("overall ") == 2 and "informativeness" in proc.stdout


def test_a_bad_mode_is_one_line(tmp_path: Path, isolated_home: Path) -> None:
    proc = judge(TASK, GOOD, "--mode", "wild", cwd=tmp_path)
    assert proc.returncode == 2 and "wild" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
