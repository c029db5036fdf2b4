"""Batches on the scripted model: reading the task file, run ids, concurrency, failures that stay
one task's, and the CLI's errors for a bad task file."""

from __future__ import annotations

import asyncio
import json
import socket
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from noetic_cli import noetic

from noetic.errors import NoeticError
from noetic.memory import VectorMemory
from noetic.models.base import Completion, Message, Sampling
from noetic.models.http_errors import ModelServerError
from noetic.runs.batch import BatchRecord, arun_batch, read_tasks
from noetic.settings import CheckSpec, ModelSettings, load_settings
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel, ScriptedRequest


def task_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def tasks(tmp_path: Path, count: int, **extra: Any) -> Path:
    return task_file(
        tmp_path, *(json.dumps({"task": f"question {i}", **extra}) for i in range(count))
    )


class SlowModel:
    """The scripted model with a pause per call, counting calls in flight."""

    def __init__(self, script: Any) -> None:
        self.name = "slow-scripted"
        self._model = ScriptedModel(script)
        self.in_flight = self.peak = 0

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        try:
            await asyncio.sleep(0.005)
            return await self._model.complete(messages, sampling, n=n, json_schema=json_schema)
        finally:
            self.in_flight -= 1


async def batch(path: Path, model: Any, concurrency: int, **settings: Any) -> list[BatchRecord]:
    records: list[BatchRecord] = []
    summary = await arun_batch(
        read_tasks(path),
        load_settings(**{"rounds": 1, "candidates": 2, "mode": "safe", **settings}),
        concurrency=concurrency,
        on_record=records.append,
        model=model,
        embedder=HashingEmbedder(),
    )
    assert (summary.tasks, summary.succeeded + summary.failed) == (len(records), len(records))
    return records


def test_tasks_get_their_line_and_a_distinct_run_id(tmp_path: Path) -> None:
    path = task_file(
        tmp_path,
        json.dumps({"task": "one", "rounds": 3, "mode": "experimental", "seed": 4}),
        "",
        json.dumps({"task": "two", "run_id": "mine"}),
        json.dumps({"task": "three"}),
    )
    runs = read_tasks(path)
    assert [r.line for r in runs] == [1, 3, 4]
    assert runs[1].run_id == "mine"
    assert len({r.run_id for r in runs}) == 3
    assert runs[0].task.overrides() == {"rounds": 3, "mode": "experimental", "seed": 4}


def test_a_line_names_its_checks(tmp_path: Path) -> None:
    line = '{"task": "Use these words: sun, rain.", "checks": ["required_terms", "form"]}'
    (run,) = read_tasks(
        task_file(tmp_path, line.replace('"form"', '{"name": "form", "max_words": 9}'))
    )
    assert run.task.overrides()["checks"] == [
        CheckSpec(name="required_terms"),
        CheckSpec(name="form", params={"max_words": 9}),
    ]


@pytest.mark.parametrize(
    ("lines", "needles"),
    [
        (['{"task": "ok"}', '{"task": "bad"'], ["line 2 is not valid JSON"]),
        (['["a list"]'], ["line 1 is a JSON list"]),
        (['{"task": "x", "colour": "red"}'], ["line 1", "colour", "known keys"]),
        (['{"rounds": 2}'], ["line 1", "task"]),
        (['{"task": "x", "rounds": 0}'], ["line 1", "rounds"]),
        (['{"task": "x", "candidates": 9}'], ["line 1", "candidates"]),
        (['{"task": "   "}'], ["line 1", "task is empty"]),
        (['{"task": "a", "run_id": "r"}', '{"task": "b", "run_id": "r"}'], ["line 2 repeats"]),
        (["", "  "], ["holds no tasks"]),
        (['{"task": "x", "checks": ["nonesuch"]}'], ["line 1", "unknown check 'nonesuch'"]),
        (['{"task": "Write about rain.", "checks": ["required_terms"]}'], ["line 1", "no list"]),
        (['{"task": "x", "checks": [{"name": "form", "sentences": 0}]}'], ["line 1", "sentences"]),
    ],
)
def test_a_bad_task_file_is_one_error_naming_the_line(
    tmp_path: Path, lines: list[str], needles: list[str]
) -> None:
    with pytest.raises(NoeticError) as caught:
        read_tasks(task_file(tmp_path, *lines))
    for needle in needles:
        assert needle in str(caught.value)


def test_a_missing_task_file_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(NoeticError, match="cannot read the task file"):
        read_tasks(tmp_path / "nope.jsonl")


async def test_every_task_gets_a_result_and_its_own_checkpoint(isolated_home: Path) -> None:
    path = task_file(
        isolated_home.parent,
        *(json.dumps({"task": f"question {i}"}) for i in range(5)),
        json.dumps({"task": "longer one", "rounds": 2, "run_id": "two-rounds"}),
    )
    model = SlowModel(RoleScript())
    records = await batch(path, model, concurrency=3, memory={"enabled": False})

    assert all(r.ok and r.result is not None for r in records)
    assert sorted(r.line for r in records) == [1, 2, 3, 4, 5, 6]
    assert len({r.run_id for r in records}) == 6
    by_id = {r.run_id: r.result for r in records if r.result}
    assert len(by_id["two-rounds"].rounds) == 2
    assert all(r.result.run_id == r.run_id for r in records if r.result)
    assert 2 <= model.peak <= 3
    with sqlite3.connect(isolated_home / "checkpoints.sqlite") as db:
        threads = {row[0] for row in db.execute("select distinct thread_id from checkpoints")}
    assert threads == set(by_id)


async def test_a_failing_task_is_a_record_and_the_others_go_on(tmp_path: Path) -> None:
    script = RoleScript()

    def failing(request: ScriptedRequest) -> str:
        prompt = request.messages[-1].content
        if "doomed" in prompt:
            raise ModelServerError("the model server at http://x/v1 failed", "start it")
        if "buggy" in prompt:
            raise RuntimeError("a bug")
        return script(request)

    path = task_file(
        tmp_path,
        *(json.dumps({"task": t}) for t in ["fine one", "doomed", "fine two", "buggy"]),
    )
    records = await batch(path, ScriptedModel(failing), concurrency=2, memory={"enabled": False})

    outcome = {r.line: (r.ok, r.error.type if r.error else None) for r in records}
    assert outcome == {
        1: (True, None),
        2: (False, "ModelServerError"),
        3: (True, None),
        4: (False, "RuntimeError"),
    }
    doomed = next(r for r in records if r.line == 2)
    assert doomed.error is not None and doomed.error.fix == "start it"
    assert doomed.run_id and doomed.result is None


async def test_concurrency_one_shares_the_embedded_memory(tmp_path: Path) -> None:
    records = await batch(tasks(tmp_path, 2), RoleScript().model(), concurrency=1)
    assert [r.ok for r in records] == [True, True]


async def test_concurrent_runs_share_one_embedded_memory(tmp_path: Path) -> None:
    # the embedded store admits one client: the batch opens it once for every run
    records = await batch(
        tasks(tmp_path, 3), RoleScript().model(), concurrency=3, memory={"enabled": True}
    )
    assert [r.ok for r in records] == [True, True, True]
    settings = load_settings(memory={"enabled": True})
    with VectorMemory.open(settings.home, settings.memory, HashingEmbedder()) as memory:
        assert {memory.count(r.run_id) for r in records} == {3}


def test_the_result_line_is_the_run_json_plus_line_and_run_id(tmp_path: Path) -> None:
    records: list[BatchRecord] = []
    asyncio.run(
        arun_batch(
            read_tasks(tasks(tmp_path, 1)),
            load_settings(rounds=1, candidates=1, memory={"enabled": False}),
            concurrency=1,
            on_record=records.append,
            model=RoleScript().model(),
        )
    )
    line = json.loads(json.dumps(records[0].model_dump(mode="json")))
    assert set(line) == {"line", "run_id", "ok", "seconds", "result", "error"}
    assert {"run_id", "answer", "rounds", "usage", "timings"} <= set(line["result"])


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        (None, ["cannot read the task file"]),
        ('{"task": "fine"}\n{"task": oops}\n', ["line 2 is not valid JSON"]),
    ],
)
def test_the_cli_reports_a_bad_task_file_in_one_line(
    tmp_path: Path, content: str | None, needles: list[str]
) -> None:
    path = tmp_path / "tasks.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    proc = noetic("batch", str(path), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    [line] = proc.stderr.strip().splitlines()
    assert line.startswith("noetic: error: ")
    assert all(needle in line for needle in needles)
    assert proc.stdout == ""


def test_an_unreachable_server_fails_the_batch_before_any_run(tmp_path: Path) -> None:
    path = tasks(tmp_path, 2)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # free once closed: nothing listens there
    url = f"http://127.0.0.1:{port}/v1"
    out = tmp_path / "out.jsonl"
    proc = noetic(
        "batch", str(path), "--base-url", url, "--no-memory", "--out", str(out),
        cwd=tmp_path, NOETIC_MODEL__MAX_RETRIES="1", NOETIC_MODEL__RETRY_BACKOFF_S="0",
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("noetic: error: ") and url in last and "--base-url" in last
    assert "Traceback" not in proc.stderr
    assert out.read_text() == ""


async def test_role_models_load_once_per_setting_and_serve_every_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, always_synthesize: dict[str, Path]
) -> None:
    loads: list[ModelSettings] = []
    role_model = RoleScript().model("role-model")

    def load(settings: ModelSettings, *, seed: int = 0) -> ScriptedModel:
        loads.append(settings)
        return role_model

    monkeypatch.setattr("noetic.models.factory.load_chat_model", load)
    served = {"base_url": "http://127.0.0.1:9/v1"}
    records = await batch(
        tasks(tmp_path, 3),
        RoleScript().model(),
        concurrency=3,
        memory={"enabled": False},
        roles={"critic": served, "synthesizer": served},
        policies=always_synthesize,
    )
    assert all(r.ok for r in records)
    assert loads == [ModelSettings(base_url="http://127.0.0.1:9/v1")]
    titles = {request.schema_title for request in role_model.requests}
    assert titles == {"Synthesis"} and role_model.score_requests  # the critic only scores
