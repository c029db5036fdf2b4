"""Many deliberations at once from one process (`noetic batch`).

Every task is its own run (its own run id and checkpoint thread) on one shared model, at most
`concurrency` at a time. Each result is handed on as soon as its run finishes, so a long batch
can be followed and an interrupted one keeps what it wrote; a failed task becomes a record with
its error, and the others go on. In-process llama.cpp runs share one model whose lock serialises
their calls; against a model server (`model.base_url`) they truly overlap.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from noetic.agents.checks import bind_checks
from noetic.errors import NoeticError, first_problem
from noetic.models.base import ChatModel, Embedder
from noetic.models.concurrent import gather_or_cancel
from noetic.runs.driver import arun_deliberation
from noetic.runs.ids import RunId, new_run_id
from noetic.runs.result import DeliberationResult
from noetic.runs.session import Session, open_session
from noetic.settings import MAX_CANDIDATES, MAX_ROUNDS, CheckSpec, ModeChoice, NoeticSettings
from noetic.tasks import check_task

log = structlog.get_logger("noetic.runs.batch")

TASK_KEYS = "task, run_id, rounds, candidates, mode, seed, checks"


class BatchTask(BaseModel):
    """One input line: the task, and settings that differ from the batch's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    task: str
    run_id: RunId | None = None
    rounds: int | None = Field(None, ge=1, le=MAX_ROUNDS)
    candidates: int | None = Field(None, ge=1, le=MAX_CANDIDATES)
    mode: ModeChoice | None = None
    seed: int | None = Field(None, ge=0)
    checks: list[CheckSpec] | None = None

    def overrides(self) -> dict[str, Any]:
        fields = ("rounds", "candidates", "mode", "seed", "checks")
        return {k: getattr(self, k) for k in fields if getattr(self, k) is not None}


class PlannedRun(BaseModel):
    """A task with the line it came from and the run id it will checkpoint under."""

    line: int
    run_id: str
    task: BatchTask


class TaskError(BaseModel):
    """Why a task failed: the error class, what went wrong, and the fix when one is known."""

    type: str
    problem: str
    fix: str | None = None


class BatchRecord(BaseModel):
    """One output line. `result` is exactly what `noetic run --json` prints."""

    line: int
    run_id: str
    ok: bool
    seconds: float
    result: DeliberationResult | None = None
    error: TaskError | None = None


class BatchSummary(BaseModel):
    tasks: int
    succeeded: int
    failed: int
    concurrency: int
    seconds: float

    @property
    def tasks_per_minute(self) -> float:
        return 60.0 * self.tasks / self.seconds if self.seconds > 0 else 0.0


def read_tasks(path: Path) -> list[PlannedRun]:
    """Parse and check the whole file before anything runs: a bad line is one error naming it."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise NoeticError(
            f"cannot read the task file {path} ({reason})",
            'pass a UTF-8 JSON-lines file with one {"task": "..."} object per line',
        ) from None
    planned: list[PlannedRun] = []
    for number, text in enumerate(lines, start=1):
        if text.strip():
            task = _parse_line(path, number, text)
            planned.append(PlannedRun(line=number, run_id=task.run_id or "", task=task))
    if not planned:
        raise NoeticError(
            f"the task file {path} holds no tasks", 'write one {"task": "..."} object per line'
        )
    return _with_run_ids(path, planned)


async def arun_batch(
    runs: list[PlannedRun],
    settings: NoeticSettings,
    *,
    concurrency: int,
    on_record: Callable[[BatchRecord], None],
    model: ChatModel | None = None,
    embedder: Embedder | None = None,
) -> BatchSummary:
    """Run every planned task, at most `concurrency` at once, calling `on_record` as each ends.

    The models (`model`, each `roles.NAME`), the memory and the accumulator load once, before
    any run, and every run shares them: a model that cannot load or a server that stays
    unreachable fails the whole batch with one error.
    """
    started = time.perf_counter()
    limit = asyncio.Semaphore(concurrency)
    outcomes: list[bool] = []

    async def run_one(planned: PlannedRun, session: Session) -> None:
        async with limit:
            record = await _deliberate(planned, settings, session)
        outcomes.append(record.ok)
        on_record(record)
        log.info(
            "batch_task_finished",
            line=planned.line,
            run_id=planned.run_id,
            ok=record.ok,
            seconds=record.seconds,
            done=len(outcomes),
            of=len(runs),
        )

    async with open_session(settings, model=model, embedder=embedder) as session:
        await gather_or_cancel(run_one(planned, session) for planned in runs)
    return BatchSummary(
        tasks=len(runs),
        succeeded=sum(outcomes),
        failed=len(outcomes) - sum(outcomes),
        concurrency=concurrency,
        seconds=round(time.perf_counter() - started, 3),
    )


async def _deliberate(
    planned: PlannedRun, settings: NoeticSettings, session: Session
) -> BatchRecord:
    started = time.perf_counter()
    try:
        result = await arun_deliberation(
            planned.task.task,
            settings.model_copy(update=planned.task.overrides()),
            run_id=planned.run_id,
            session=session,
        )
    except NoeticError as exc:
        error = TaskError(type=type(exc).__name__, problem=exc.problem, fix=exc.fix)
    except Exception as exc:  # a bug met by one task must not end the others
        log.exception("batch_task_crashed", line=planned.line, run_id=planned.run_id)
        error = TaskError(type=type(exc).__name__, problem=str(exc) or repr(exc))
    else:
        return BatchRecord(
            line=planned.line,
            run_id=planned.run_id,
            ok=True,
            seconds=round(time.perf_counter() - started, 3),
            result=result,
        )
    return BatchRecord(
        line=planned.line,
        run_id=planned.run_id,
        ok=False,
        seconds=round(time.perf_counter() - started, 3),
        error=error,
    )


def _parse_line(path: Path, number: int, text: str) -> BatchTask:
    where = f"{path} line {number}"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NoeticError(
            f"{where} is not valid JSON ({exc.msg} at column {exc.colno})",
            'write one JSON object per line, e.g. {"task": "...", "rounds": 2}',
        ) from None
    if not isinstance(data, dict):
        raise NoeticError(
            f"{where} is a JSON {type(data).__name__}, not an object",
            'write one JSON object per line, e.g. {"task": "...", "rounds": 2}',
        )
    try:
        task = BatchTask.model_validate(data)
    except ValidationError as exc:
        key, problem = first_problem(exc, "line")
        raise NoeticError(
            f"{where}: {key}: {problem.lower()}", f"known keys: {TASK_KEYS}; task is required"
        ) from None
    try:
        check_task(task.task)
        bind_checks(task.checks or [], task.task)  # a bad check fails the file, not one run
    except NoeticError as exc:
        raise NoeticError(f"{where}: {exc.problem}", exc.fix) from None
    return task


def _with_run_ids(path: Path, planned: list[PlannedRun]) -> list[PlannedRun]:
    """Given run ids must be distinct; the others get fresh ones, distinct from all."""
    taken: dict[str, int] = {}
    for run in planned:
        if run.run_id in taken:
            raise NoeticError(
                f"{path} line {run.line} repeats the run_id {run.run_id!r} of line "
                f"{taken[run.run_id]}",
                "give every task its own run_id, or omit it to get a fresh one",
            )
        if run.run_id:
            taken[run.run_id] = run.line
    named: list[PlannedRun] = []
    for run in planned:
        if not run.run_id:
            run_id = new_run_id()
            while run_id in taken:
                run_id = new_run_id()
            taken[run_id] = run.line
            run = run.model_copy(update={"run_id": run_id})
        named.append(run)
    return named
