"""`noetic eval` on the real default model, as a subprocess: every configuration answers,
the rows match the documented schema, and the files are written. Kept small (2 items, one
short round) so it finishes in about a minute on 2 cores; it checks wiring, not quality."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from noetic.evaluation import EvalRow

pytestmark = pytest.mark.integration
NOETIC = str(Path(sys.executable).with_name("noetic"))
SMALL = ["--limit", "2", "--rounds", "1", "--candidates", "2", "--samples", "3", "--json"]


def eval_json(*args: str, cwd: Path) -> list[dict]:
    proc = subprocess.run(
        [NOETIC, "eval", *args, *SMALL, "--out", str(cwd / "out")],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=os.environ.copy(),
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_arithmetic_single_vote_deliberate(tmp_path: Path) -> None:
    rows = eval_json("--suite", "arithmetic", "--configs", "single,vote,deliberate", cwd=tmp_path)
    assert [r["config"] for r in rows] == ["single", "vote", "deliberate"]
    for row in rows:
        EvalRow.model_validate(row)
        assert row["n"] == 2 and row["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
        assert 0.0 <= row["accuracy"] <= 1.0 and row["correct"] == round(row["accuracy"] * 2)
        assert 0.0 <= row["ci_low"] <= row["accuracy"] <= row["ci_high"] <= 1.0
        assert row["total_tokens"] > 0 and row["seconds"] > 0
    tokens = {r["config"]: r["total_tokens"] for r in rows}
    assert tokens["single"] < tokens["vote"] < tokens["deliberate"]
    records = (tmp_path / "out" / "records.jsonl").read_text().splitlines()
    assert len(records) == 6
    assert (tmp_path / "out" / "quality_tokens.png").read_bytes()[:4] == b"\x89PNG"


def test_creative_is_judged_and_measured_by_the_real_model(tmp_path: Path) -> None:
    (row,) = eval_json("--suite", "creative", "--configs", "single", cwd=tmp_path)
    assert row["accuracy"] is None
    assert 0 <= row["judge"] <= 10
    assert row["distinct_2"] is not None and 0.0 <= row["novelty"] <= 2.0
