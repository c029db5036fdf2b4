"""Many workers, one PostgreSQL: two `noetic batch` processes, each with a home of its own (as on
two machines), the same `checkpoints.url` and the same llama-server serving the default model,
share one record of runs and one accumulator; and `noetic resume` finishes a run another process
began."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from collections import Counter
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
import pytest
from noetic_cli import NOETIC, SHORT_REPLIES

from noetic import adeliberate
from noetic.agents.concepts import is_label, occurs
from noetic.memory import WeightAccumulator
from noetic.memory.accumulator_postgres import PostgresAccumulator
from noetic.memory.text import normalize_concept
from noetic.models.default_model import default_model_path
from noetic.testing import HashingEmbedder, LlamaServer, RoleScript

pytestmark = pytest.mark.integration
WORKERS = {
    "a": ["Name one use of a paperclip.", "Join rivers and cities in one idea."],
    "b": ["Say what a bridge is for.", "Join music and memory in one idea."],
}


def worker_env(postgres_url: str, home: Path) -> dict[str, str]:
    return {
        **os.environ,
        "NOETIC_CHECKPOINTS__URL": postgres_url,
        "NOETIC_HOME": str(home),
        "NOETIC_LOG_LEVEL": "warning",
        "OMP_WAIT_POLICY": "PASSIVE",  # two llama.cpp processes on the same cores
        **SHORT_REPLIES,
    }


def rewarded_rounds(
    records: list[dict[str, Any]],
) -> dict[tuple[str, int], tuple[list[str], float]]:
    """What each selected round rewarded, worked out from the results as the reinforce stage
    does: the selected candidate's concepts that occur in its text, and its overall score."""
    rounds = {}
    for record in records:
        for r in record["result"]["rounds"]:
            if r["selected"] is not None:
                chosen = r["candidates"][r["selected"]]
                concepts = [
                    c for c in chosen["concepts"] if occurs(c, chosen["text"]) and not is_label(c)
                ]
                rounds[record["run_id"], r["round"]] = (concepts, chosen["scores"]["overall"])
    return rounds


def test_two_batch_processes_share_one_database_and_one_model_server(
    postgres_url: str, tmp_path: Path
) -> None:
    server = LlamaServer(default_model_path(), tmp_path / "server.log", parallel=4).start()
    shared = {
        "NOETIC_MODEL__BASE_URL": server.url,
        "NOETIC_MEMORY__EMBEDDING_MODEL": str(default_model_path()),  # it serves no embeddings
    }
    procs = {}
    for name, tasks in WORKERS.items():
        lines = [json.dumps({"task": t, "run_id": f"{name}{i}"}) for i, t in enumerate(tasks)]
        (tmp_path / f"{name}.jsonl").write_text("\n".join(lines) + "\n")
        procs[name] = subprocess.Popen(
            [NOETIC, "batch", f"{name}.jsonl", "--rounds", "1", "--candidates", "1", "--mode",
             "safe", "--concurrency", "2", "--out", f"{name}.out.jsonl"],
            cwd=tmp_path, env={**worker_env(postgres_url, tmp_path / f"home-{name}"), **shared},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
    try:
        errors = {name: proc.communicate(timeout=900)[1] for name, proc in procs.items()}
    finally:
        server.stop()
    for name, proc in procs.items():
        assert proc.returncode == 0, f"worker {name}: {errors[name]}"
    records = [
        json.loads(line)
        for name in WORKERS
        for line in (tmp_path / f"{name}.out.jsonl").read_text().splitlines()
    ]
    assert sorted(r["run_id"] for r in records) == ["a0", "a1", "b0", "b1"]
    assert all(r["ok"] for r in records), records

    listed = subprocess.run(
        [NOETIC, "runs", "--json"], capture_output=True, text=True, timeout=120,
        env=worker_env(postgres_url, tmp_path / "home-reader"),
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert {r["run_id"]: r["status"] for r in json.loads(listed.stdout)} == dict.fromkeys(
        ["a0", "a1", "b0", "b1"], "finished"
    )

    # The accumulator holds every selected round once, and nothing else.
    rewarded = rewarded_rounds(records)
    assert rewarded, "no round selected a candidate"
    with psycopg.connect(postgres_url) as conn:
        ledger = conn.execute(
            "select run_id, round, reward from noetic_accumulator_rounds order by epoch"
        ).fetchall()
        times: dict[str, int] = dict(
            conn.execute("select concept, times from noetic_concepts").fetchall()
        )
        (epoch,) = conn.execute("select epoch from noetic_accumulator").fetchone()  # type: ignore[misc]
    assert epoch == len(ledger) == len(rewarded)
    assert {(run, round_): reward for run, round_, reward in ledger} == {
        key: min(1.0, max(0.0, reward)) for key, (_, reward) in rewarded.items()
    }
    expected_times = Counter(
        name
        for concepts, _ in rewarded.values()
        for name in dict.fromkeys(filter(None, map(normalize_concept, concepts)))
    )
    assert times == dict(expected_times)
    # Both processes' rewards in the order they were committed: the same weights as one process.
    replay = WeightAccumulator()
    for run, round_, reward in ledger:
        replay.reinforce(rewarded[run, round_][0], reward, run_id=run, round=round_)
    with closing(PostgresAccumulator(postgres_url)) as shared:
        assert shared.top(100) == replay.top(100)
        assert shared.dominance() == replay.dominance()


def test_resume_finishes_a_run_that_another_process_began(
    postgres_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NOETIC_CHECKPOINTS__URL", postgres_url)
    stop = asyncio.Event()
    stop.set()  # stopped after its first step, as by a first Ctrl-C
    began = asyncio.run(
        adeliberate(
            "Name one use of a paperclip.",
            model=RoleScript().model(),
            embedder=HashingEmbedder(),
            run_id="began",
            rounds=1,
            candidates=1,
            mode="safe",
            stop=stop,
        )
    )
    assert began.stop_reason == "incomplete" and began.rounds == []

    resumed = subprocess.run(
        [NOETIC, "resume", "began", "--json"], capture_output=True, text=True, timeout=600,
        env=worker_env(postgres_url, tmp_path / "other-machine"),
    )  # fmt: skip
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["run_id"] == "began" and result["stop_reason"] != "incomplete"
    assert [r["round"] for r in result["rounds"]] == [1] and result["answer"].strip()
    selected = result["rounds"][0]["selected"] is not None
    with closing(PostgresAccumulator(postgres_url)) as accumulator:
        assert [r.round for r in accumulator.run_view("began")] == ([1] if selected else [])
