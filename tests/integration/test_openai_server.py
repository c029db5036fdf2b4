"""Noetic against real OpenAI-compatible servers on loopback, serving the default GGUF:
llama.cpp's `llama-server` (the scale-out path) for a run through the CLI and a server killed
mid-run (the runs fail clearly, keep their checkpoints, and `resume` finishes them once it is
back); llama-cpp-python's `python -m llama_cpp.server` for served embeddings against the
in-process ones. Batches through llama-server, two processes at once, are in
test_postgres_workers.py.

The two-round run has memory on: llama-server's default flags serve no embeddings, so the
packaged model embeds in process. Memory is off in the other runs (its path is the same whatever
serves the chat model).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import noetic_cli
import pytest

from noetic.models.default_model import default_model_path
from noetic.models.llama_embedder import LlamaCppEmbedder
from noetic.models.openai_compat import OpenAICompatEmbedder
from noetic.runs.api import aresume
from noetic.runs.batch import BatchRecord, arun_batch, read_tasks
from noetic.runs.result import DeliberationResult
from noetic.settings import ModelSettings, load_settings
from noetic.stores.checkpoints import open_checkpointer
from noetic.testing.llama_server import LlamaServer

pytestmark = pytest.mark.integration
TASKS = [
    "Join acoustics, politics and biology in one idea",
    "Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence",
    "How could cities store summer heat for winter?",
    "What would a library for smells look like?",
    "Design a game that teaches patience",
    "Invent a musical instrument made from kitchen tools",
    "How might bees inspire voting systems?",
    "Explain tides to a child using a bathtub",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    running = LlamaServer(default_model_path(), log).start()
    yield running
    running.stop()


noetic = partial(
    noetic_cli.noetic, timeout=600, NOETIC_MEMORY__ENABLED="false", **noetic_cli.SHORT_REPLIES
)


def write_tasks(path: Path, tasks: list[str], **extra: Any) -> Path:
    lines = (json.dumps({"task": task, "seed": i, **extra}) for i, task in enumerate(tasks))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_two_round_run_through_the_server_has_the_in_process_shape(
    server: LlamaServer, tmp_path: Path
) -> None:
    proc = noetic(
        "run",
        TASKS[0],
        "--rounds",
        "2",
        "--candidates",
        "2",
        "--mode",
        "safe",
        "--seed",
        "7",
        "--json",
        cwd=tmp_path,
        NOETIC_MODEL__BASE_URL=server.url,
        NOETIC_MEMORY__ENABLED="true",
        NOETIC_LOG_LEVEL="info",
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("embedding_in_process") == 1
    result = DeliberationResult.model_validate_json(proc.stdout)
    assert result.model == default_model_path().name  # named as the in-process backend names it
    assert len(result.rounds) == 2 and result.answer.strip()
    # 2 asked for; a sample invalid twice is dropped while one remains
    assert all(1 <= len(record.candidates) <= 2 for record in result.rounds)
    assert result.usage.total_tokens > 0 and result.timings["diverge"] > 0
    assert "model_server_ignores_n" not in proc.stderr  # llama-server honours n
    stats = noetic(
        "memory",
        "stats",
        "--json",
        cwd=tmp_path,
        NOETIC_MODEL__BASE_URL=server.url,
        NOETIC_MEMORY__ENABLED="true",
    )
    assert stats.returncode == 0, stats.stderr
    stored = json.loads(stats.stdout)
    assert stored["points"] > 0 and stored["embedding_model"] == default_model_path().name


async def test_a_server_killed_mid_run_fails_its_runs_clearly_and_resume_finishes_them(
    tmp_path: Path, isolated_home: Path
) -> None:
    doomed = LlamaServer(default_model_path(), tmp_path / "server.log").start()
    settings = load_settings(
        rounds=1,
        candidates=1,
        mode="safe",
        memory={"enabled": False},
        budget={"stage_tokens": noetic_cli.REPLY_CAPS},
        model={"base_url": doomed.url, "max_retries": 1, "retry_backoff_s": 0.2},
    )
    runs = read_tasks(write_tasks(tmp_path / "tasks.jsonl", TASKS[:2]))
    records: list[BatchRecord] = []
    try:
        batch = asyncio.create_task(
            arun_batch(runs, settings, concurrency=2, on_record=records.append)
        )
        await _until_every_run_checkpointed(isolated_home, {r.run_id for r in runs}, batch)
        doomed.kill()
        summary = await asyncio.wait_for(batch, timeout=120)
    finally:
        doomed.stop()

    assert summary.failed == 2 and len(records) == 2
    for record in records:
        assert record.error is not None and record.error.type == "ModelServerError"
        assert doomed.url in record.error.problem and "--base-url" in (record.error.fix or "")
    with sqlite3.connect(isolated_home / "checkpoints.sqlite") as db:
        assert db.execute("pragma integrity_check").fetchone() == ("ok",)
    async with open_checkpointer(settings) as saver:
        for record in records:
            saved = await saver.aget_tuple({"configurable": {"thread_id": record.run_id}})
            assert saved is not None
            values = saved.checkpoint["channel_values"]
            assert values["task"] in TASKS and "diverge" in values["timings"]

    # The server comes back where the runs' stored settings say it is, and both runs finish.
    revived = LlamaServer(default_model_path(), tmp_path / "server.log", port=doomed.port).start()
    try:
        results = await asyncio.gather(*(aresume(r.run_id, settings=settings) for r in records))
    finally:
        revived.stop()
    assert sorted(r.run_id for r in results) == sorted(r.run_id for r in records)
    assert all(len(r.rounds) == 1 and r.answer.strip() for r in results)


async def test_server_embeddings_match_the_in_process_embedder(tmp_path: Path) -> None:
    texts = ["the tide comes in", "", "bees vote with a dance"]
    server = LlamaServer(
        default_model_path(), tmp_path / "server.log", embedding=True, parallel=None
    ).start()
    try:
        remote = OpenAICompatEmbedder(ModelSettings(base_url=server.url))
        served = await remote.embed(texts)
        await remote.aclose()
    finally:
        server.stop()
    local = LlamaCppEmbedder(default_model_path())
    assert remote.dimension == local.dimension
    for mine, theirs in zip(served, await local.embed(texts), strict=True):
        assert sum(a * b for a, b in zip(mine, theirs, strict=True)) > 0.99


async def _until_every_run_checkpointed(
    home: Path, run_ids: set[str], batch: asyncio.Task[Any]
) -> None:
    """Wait until each run has finished its first model stage (diverge) and saved it."""
    for _ in range(600):
        assert not batch.done(), "the runs ended before the server could be killed"
        if (home / "checkpoints.sqlite").exists():
            async with open_checkpointer(load_settings(home=home)) as saver:
                saved = [
                    await saver.aget_tuple({"configurable": {"thread_id": run_id}})
                    for run_id in run_ids
                ]
            if all(
                s is not None and "diverge" in s.checkpoint["channel_values"].get("timings", {})
                for s in saved
            ):
                return
        await asyncio.sleep(0.2)
    raise AssertionError("the runs did not checkpoint their first model stage in 120s")
