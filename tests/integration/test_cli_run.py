"""A real deliberation through the CLI as a subprocess, checked against the documented schema."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from noetic_cli import SHORT_REPLIES, noetic

from noetic.agents.concepts import occurs
from noetic.runs.result import DeliberationResult

pytestmark = pytest.mark.integration
TASK = "Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence"


def test_two_round_run_json_matches_schema(tmp_path: Path, isolated_home: Path) -> None:
    proc = noetic(
        "run", TASK, "--rounds", "2", "--candidates", "3", "--mode", "safe", "--seed", "7",
        "--run-id", "cli-run", "--json",
        cwd=tmp_path, timeout=600, **SHORT_REPLIES,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)

    assert {"run_id", "task", "answer", "stop_reason", "rounds", "usage", "timings"} <= set(data)
    assert (data["run_id"], data["task"]) == ("cli-run", TASK)
    # the meta-thinker may stop early once the best score clears the threshold
    assert data["stop_reason"] in ("max_rounds", "stopped_by_meta_thinker", "converged")
    assert data["answer"].strip()
    selected = [r["candidates"][r["selected"]] for r in data["rounds"] if r["selected"] is not None]
    if data["answer_from"] != "synthesis":  # the best thought won over the synthesis
        best = max(selected, key=lambda c: c["scores"]["overall"])
        assert (data["answer_from"], data["answer"]) == (best["id"], best["text"])
    assert (
        len(data["rounds"]) == 2
        if data["stop_reason"] == "max_rounds"
        else 1 <= len(data["rounds"]) <= 2
    )
    assert any(record["selected"] is not None for record in data["rounds"])
    for record in data["rounds"]:
        assert record["mode"] == "safe"
        # 3 asked for; a sample invalid twice is dropped while one remains
        assert 1 <= len(record["candidates"]) <= 3
        for candidate in record["candidates"]:
            assert candidate["text"].strip() and candidate["concepts"]
            assert all(occurs(c, candidate["text"]) for c in candidate["concepts"])
            assert all(isinstance(v, float) for v in candidate["scores"].values())
            assert {"fluency", "pmi", "integrity", "overall"} <= set(candidate["scores"])
        if len(record["candidates"]) > 1:  # the judge tells real candidates apart
            assert len({c["scores"]["overall"] for c in record["candidates"]}) > 1
        # None only when the safe policy's filters rejected every candidate
        assert record["selected"] in (None, *range(len(record["candidates"])))
        assert record["reflection"]["decision"] in ("continue", "refocus", "stop")
    usage = data["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    assert data["timings"]["total"] > 0
    DeliberationResult.model_validate(data)

    # logs went to stderr, one event per stage, and the run is in the checkpointer
    assert "diverge" in proc.stderr and "critique" in proc.stderr and "run_finished" in proc.stderr
    with sqlite3.connect(isolated_home / "checkpoints.sqlite") as db:
        assert (
            db.execute("select count(*) from checkpoints where thread_id='cli-run'").fetchone()[0]
            > 0
        )


def test_log_json_emits_json_lines(tmp_path: Path) -> None:
    proc = noetic(
        "run", TASK, "--rounds", "1", "--candidates", "1", "--mode", "safe", "--log-json",
        cwd=tmp_path, timeout=600, **SHORT_REPLIES,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    events = [json.loads(line) for line in proc.stderr.splitlines() if line.startswith("{")]
    stages = [e["event"] for e in events if "seconds" in e and "round" in e]
    assert stages[:7] == [
        "recall",
        "diverge",
        "critique",
        "select",
        "reflect",
        "reinforce",
        "close_round",
    ]
    assert all("tokens" in e for e in events if e["event"] in ("diverge", "critique"))
    assert proc.stdout.strip()  # the answer


def test_a_run_reads_its_checks_from_the_task_and_shows_them(
    tmp_path: Path, isolated_home: Path
) -> None:
    task = "Write a haiku about rain without the letter e, in all lowercase."

    proc = noetic("run", task, "--rounds", "1", "--candidates", "3", "--run-id", "haiku",
                  "--seed", "3", "--json", cwd=tmp_path, timeout=600, **SHORT_REPLIES)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    data = DeliberationResult.model_validate_json(proc.stdout)
    read = {v.name: v.source for v in data.answer_checks}
    assert read == {"letter": "without the letter e", "lowercase": "in all lowercase"}
    for verdict in data.answer_checks:
        assert (
            verdict.passed
            == {
                "letter": "e" not in data.answer.lower(),
                "lowercase": data.answer == data.answer.lower(),
            }[verdict.name]
        )
    assert all({c.name for c in cand.checks} == {"letter", "lowercase"}
               for r in data.rounds for cand in r.candidates)  # fmt: skip

    shown = noetic("show", "haiku", cwd=tmp_path, timeout=600)
    assert shown.returncode == 0, shown.stderr
    assert '← "without the letter e"' in shown.stdout and '← "in all lowercase"' in shown.stdout

    unread = noetic(
        "run", task, "--rounds", "1", "--candidates", "1", "--no-auto-checks", "--json",
        cwd=tmp_path, timeout=600, **SHORT_REPLIES,
    )  # fmt: skip
    assert unread.returncode == 0, unread.stderr
    assert DeliberationResult.model_validate_json(unread.stdout).answer_checks == []
