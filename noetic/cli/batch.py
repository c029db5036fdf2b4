"""`noetic batch`: many deliberations at once, one JSON result per line as each finishes."""

from __future__ import annotations

import asyncio
import json
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated, TextIO

import typer

from noetic.cli.app import (
    BaseUrlOption,
    ConfigOption,
    LogJsonOption,
    ModelOption,
    ShapeOptions,
    app,
    cli_settings,
    int_option,
)
from noetic.errors import NoeticError

MAX_CONCURRENCY = 64


@app.command()
def batch(
    tasks: Annotated[
        Path,
        typer.Argument(
            help='A JSON-lines file: one {"task": ...} per line, with optional run_id, '
            "rounds, candidates, mode, seed and checks."
        ),
    ],
    concurrency: Annotated[int, int_option("Deliberations at once", 1, MAX_CONCURRENCY)] = 4,
    out: Annotated[
        Path | None, typer.Option(help="Write the results here (default: stdout).")
    ] = None,
    base_url: BaseUrlOption = None,
    model: ModelOption = None,
    *,
    shape: ShapeOptions,
    memory: Annotated[
        bool | None,
        typer.Option("--memory/--no-memory", help="Use the shared vector memory (default: on)."),
    ] = None,
    log_json: LogJsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Deliberate on every task in TASKS, CONCURRENCY at a time.

    TASKS holds one JSON object per line: {"task", "run_id", "rounds",
    "candidates", "mode", "seed", "checks"}, all but "task" optional. "checks" is a list of
    check lines as --check takes them, e.g. ["words<=50", "forbidden=rain,snow"]; they add to
    the checks read from the task.

    Each task is its own run with its own run id and checkpoint. A result line is
    {"line", "run_id", "ok", "seconds", "result" | "error"}, "result" being what
    `noetic run --json` prints. Exit code 0 when every task succeeded, 1 when some failed,
    2 for a bad task file or settings.
    """
    from noetic.runs.batch import BatchRecord, arun_batch, read_tasks

    runs = read_tasks(tasks)
    settings = cli_settings(
        config,
        shape,
        log_json=log_json or None,
        model={"path": model, "base_url": base_url},
        memory={"enabled": memory},
    )
    with ExitStack() as stack:
        sink: TextIO = stack.enter_context(_open_out(out)) if out else sys.stdout

        def write(record: BatchRecord) -> None:
            line = json.dumps(record.model_dump(mode="json"), ensure_ascii=False)
            sink.write(line + "\n")
            sink.flush()

        summary = asyncio.run(arun_batch(runs, settings, concurrency=concurrency, on_record=write))
    typer.echo(
        f"[batch · {summary.tasks} tasks · {summary.succeeded} ok · {summary.failed} failed · "
        f"concurrency {summary.concurrency} · {summary.seconds:.1f}s · "
        f"{summary.tasks_per_minute:.2f} tasks/min]",
        err=True,
    )
    if summary.failed:
        raise typer.Exit(1)


def _open_out(path: Path) -> TextIO:
    try:
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise NoeticError(
            f"cannot write results to {path} ({exc.strerror or exc})",
            "pass --out a file path in an existing, writable folder",
        ) from None
