"""`noetic eval` on the real default model, as a subprocess: every configuration answers,
the rows match the documented schema, and the files are written. Kept small (1 or 2 items, one
short round) so it finishes in about a minute on 2 cores; it checks wiring, not quality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from noetic_cli import noetic

from noetic.evaluation import EvalRow

pytestmark = pytest.mark.integration
SMALL = ["--rounds", "1", "--candidates", "2", "--samples", "3", "--json"]


def eval_json(*args: str, cwd: Path, limit: int = 2) -> dict:
    proc = noetic(
        "eval", *args, *SMALL, "--limit", str(limit), "--out", str(cwd / "out"), cwd=cwd,
        timeout=600,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_arithmetic_single_vote_deliberate(tmp_path: Path) -> None:
    report = eval_json(
        "--suite", "arithmetic", "--configs", "single,vote,deliberate", cwd=tmp_path, limit=1
    )
    rows = report["rows"]
    assert [p["config"] for p in report["paired"]] == ["single", "vote"]
    assert [r["config"] for r in rows] == ["single", "vote", "deliberate"]
    for row in rows:
        EvalRow.model_validate(row)
        assert row["n"] == 1 and row["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
        assert 0.0 <= row["accuracy"] <= 1.0 and row["correct"] == round(row["accuracy"])
        assert 0.0 <= row["ci_low"] <= row["accuracy"] <= row["ci_high"] <= 1.0
        assert row["total_tokens"] > 0 and row["seconds"] > 0
    tokens = {r["config"]: r["total_tokens"] for r in rows}
    assert tokens["single"] < tokens["vote"] < tokens["deliberate"]
    records = (tmp_path / "out" / "records.jsonl").read_text().splitlines()
    assert len(records) == 3
    assert (tmp_path / "out" / "quality_tokens.png").read_bytes()[:4] == b"\x89PNG"


def test_open_is_measured_by_rule_on_the_real_model(tmp_path: Path) -> None:
    (row,) = eval_json("--suite", "open", "--configs", "single", cwd=tmp_path)["rows"]
    assert row["accuracy"] is None and row["judge"] is None  # no LLM judge unless asked
    # The plain model answers on topic: it names some of each task's parts, and words of
    # the reference, without looping or echoing every time.
    assert 0.0 < row["coverage"] <= 1.0 and 0.0 < row["reference_f1"] < 1.0
    assert row["hollow"] < 1.0 and row["words"] > 10


def test_constraints_with_best_of_n_at_deliberates_spend(tmp_path: Path) -> None:
    report = eval_json(
        "--suite", "constraints", "--split", "test", "--configs", "single,best_of_n,deliberate",
        "--match-tokens", cwd=tmp_path, limit=1,
    )  # fmt: skip
    rows = {r["config"]: r for r in report["rows"]}
    assert list(rows) == ["single", "best_of_n", "deliberate"] and report["match_tokens"]
    for row in rows.values():
        assert row["n"] == 1 and 0.0 <= row["accuracy"] <= 1.0
        assert 0.0 < row["quality"] <= 1.0  # the judgment signals, a second measure
    records = [json.loads(line) for line in (tmp_path / "out" / "records.jsonl").open()]
    spent = {(r["config"], r["item_id"]): r["tokens"] for r in records}
    drawn = {(r["config"], r["item_id"]): len(r["candidates"]) for r in records}
    for item in {r["item_id"] for r in records}:
        target = spent["deliberate", item]
        # best_of_n draws two samples to price one, so it cannot spend less than that; beyond
        # them it stops at the count nearest the target, so within about one sample's cost.
        cost = spent["best_of_n", item]
        close = abs(cost - target) <= max(0.35 * target, 1.5 * cost / drawn["best_of_n", item])
        assert close or (drawn["best_of_n", item] == 2 and cost > target)
        assert spent["single", item] < target
    assert {p["config"] for p in report["paired"]} == {"single", "best_of_n"}
