"""The run lifecycle: `noetic run`, `resume`, `steer` and `runs`.

A run shows a live progress display on a terminal; Ctrl-C stops it between steps and says how to
resume; with `--steer` a person answers each pause at the prompt (or later, with `noetic steer`).
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from pydantic import ValidationError

from noetic.cli import raise_pending_interrupt
from noetic.cli.app import (
    BaseUrlOption,
    CheckOptions,
    ConfigOption,
    GpuLayersOption,
    JsonOption,
    LogJsonOption,
    ModelOption,
    SeedOption,
    ShapeOptions,
    app,
    cli_settings,
    print_json,
)
from noetic.errors import NoeticError
from noetic.printable import printable
from noetic.record import HumanDecision
from noetic.runs.ids import check_run_id, new_run_id
from noetic.runs.result import DeliberationResult
from noetic.settings import NoeticSettings
from noetic.tasks import check_task

if TYPE_CHECKING:
    from noetic.runs.driver import EventHandler

    Step = Callable[[EventHandler | None, asyncio.Event], Coroutine[Any, Any, DeliberationResult]]


def _with_progress(step: Step, show: bool) -> DeliberationResult:
    if not show:
        return asyncio.run(_until_interrupted(step, None))
    from noetic.runs.progress import ProgressDisplay

    with ProgressDisplay() as display:
        return asyncio.run(_until_interrupted(step, display.on_event))


async def _until_interrupted(step: Step, handler: EventHandler | None) -> DeliberationResult:
    """Run `step`: a first Ctrl-C stops it after the step in progress, a second at once.

    Stopping through the runner rather than by cancelling the task leaves no step half-done,
    and no model call running in a worker thread behind an exiting process.
    """
    stop = asyncio.Event()

    def interrupt() -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()
        typer.echo("\nnoetic: stopping after the current step (Ctrl-C again: at once)", err=True)

    loop = asyncio.get_running_loop()
    outside = signal.getsignal(signal.SIGINT)
    loop.add_signal_handler(signal.SIGINT, interrupt)
    try:
        raise_pending_interrupt()  # a Ctrl-C before this loop took them, lost in a finalizer
        return await step(handler, stop)
    finally:
        loop.remove_signal_handler(signal.SIGINT)
        signal.signal(signal.SIGINT, outside)  # asyncio leaves Python's default behind


def _seating(pairs: list[str]) -> dict[str, str]:
    """`--stage NODE=NAME` flags as a node -> occupant mapping."""
    seating: dict[str, str] = {}
    for pair in pairs:
        node, _, name = pair.partition("=")
        if not node.strip() or not name.strip():
            raise NoeticError(
                f"--stage {pair!r} is not NODE=NAME", "e.g. --stage critique=devils_advocate"
            )
        seating[node.strip()] = name.strip()
    return seating


def _decision(pick: int | None, veto: list[int], note: str) -> HumanDecision:
    """A steering answer from flags or the prompt: what does not validate is one line."""
    try:
        return HumanDecision(pick=pick, veto=veto, note=note)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise NoeticError(
            f"--{error['loc'][0]} {error['input']} is not a valid answer ({error['msg']})",
            "name candidates by their index as `noetic show RUN_ID` lists them, from 0",
        ) from None


def _ask_person(request: dict) -> HumanDecision:
    """Show the paused round's candidates and ask for a decision until one fits the round."""
    typer.echo(f"\nRound {request['round']} is waiting for you:", err=True)
    for c in request["candidates"]:
        line = f"  [{c['index']}] ({c['scores'].get('overall', 0):.2f}) {c['text']}"
        typer.echo(printable(line), err=True)
    while True:
        pick = typer.prompt("pick a candidate (empty: let the critic decide)", default="", err=True)
        veto = typer.prompt("veto candidates (comma-separated, empty: none)", default="", err=True)
        note = typer.prompt("a note for the next round (empty: none)", default="", err=True)
        try:
            decision = _decision(
                int(pick) if pick.strip() else None,
                [int(v) for v in veto.split(",") if v.strip()],
                note.strip(),
            )
        except (ValueError, NoeticError) as exc:
            typer.echo(f"not an answer ({exc}); again:", err=True)
            continue
        from noetic.graphs.steering import answer_problem

        problem = answer_problem(decision, len(request["candidates"]))
        if problem is None:
            return decision
        typer.echo(f"{problem}; again:", err=True)


def _answering(run_id: str, settings: NoeticSettings, answer: HumanDecision) -> Step:
    def step(
        handler: EventHandler | None, stop: asyncio.Event
    ) -> Coroutine[Any, Any, DeliberationResult]:
        from noetic.runs.driver import aresume_deliberation

        return aresume_deliberation(run_id, settings, answer=answer, on_event=handler, stop=stop)

    return step


def _interrupted(run_id: str, settings: NoeticSettings) -> NoReturn:
    """Say how to go on, or, when Ctrl-C came before the run's first step was stored, that
    there is nothing to go on with."""
    from noetic.runs.stored import is_stored

    if asyncio.run(is_stored(settings, run_id)):
        typer.echo(
            "\nnoetic: interrupted; every finished step is saved. "
            f"Continue with: noetic resume {run_id}",
            err=True,
        )
    else:
        typer.echo("\nnoetic: interrupted before the run began; nothing was stored", err=True)
    raise typer.Exit(130)


def execute(first: Step, settings: NoeticSettings, run_id: str, json_out: bool) -> None:
    """Drive a run to its end or to a pause, asking a person at each pause on a terminal."""
    interactive = sys.stdin.isatty() and sys.stderr.isatty()
    show = sys.stderr.isatty() and not settings.log_json
    step = first
    try:
        while True:
            result = _with_progress(step, show)
            if result.steering is None or not interactive:
                break
            step = _answering(run_id, settings, _ask_person(result.steering))
    except KeyboardInterrupt:
        _interrupted(run_id, settings)
    if result.stop_reason == "incomplete":  # stopped by the first Ctrl-C
        _interrupted(run_id, settings)
    if json_out:
        print_json(result.model_dump(mode="json"))
    elif result.steering is not None:
        typer.echo(
            f"run {run_id} is paused for steering: noetic steer {run_id} "
            "--pick N | --veto N | --note TEXT",
            err=True,
        )
    else:
        typer.echo(printable(result.answer))
    if result.steering is None:
        typer.echo(
            f"\n[run {result.run_id} · {len(result.rounds)} rounds · {result.stop_reason} · "
            f"{result.usage.total_tokens} tokens · {result.timings['total']:.1f}s]",
            err=True,
        )
        for verdict in result.answer_checks:
            read = f' ← "{verdict.source}"' if verdict.source else " (named)"
            mark = "✓" if verdict.passed else "✗"
            typer.echo(printable(f"{mark} {verdict.name}: {verdict.message}{read}"), err=True)


@app.command()
def run(
    task: Annotated[str, typer.Argument(help="The question or task to deliberate on.")],
    *,
    shape: ShapeOptions,
    model: ModelOption = None,
    gpu_layers: GpuLayersOption = None,
    base_url: BaseUrlOption = None,
    seed: SeedOption = None,
    max_tokens: Annotated[
        int | None, typer.Option("--max-tokens", help="Stop once this many tokens are used.")
    ] = None,
    max_seconds: Annotated[
        float | None, typer.Option("--max-seconds", help="Stop once this many seconds are spent.")
    ] = None,
    think_longer: Annotated[
        int | None,
        typer.Option("--think-longer", help="Rounds the run may add while scores are low."),
    ] = None,
    steer: Annotated[
        bool, typer.Option("--steer", help="Pause before each selection for you to steer.")
    ] = False,
    run_id: Annotated[str | None, typer.Option("--run-id", help="Name this run.")] = None,
    checks: CheckOptions,
    graph: Annotated[
        str | None,
        typer.Option(
            "--graph", help="The graph to run: a registered name (`noetic graphs`) or a TOML spec."
        ),
    ] = None,
    stage: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            help="Seat a role or stage at a node: NODE=NAME, e.g. critique=devils_advocate "
            "(repeatable).",
        ),
    ] = None,
    json_out: JsonOption = False,
    log_json: LogJsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Deliberate on TASK and print the final answer."""
    check_task(task)
    settings = cli_settings(
        config,
        shape,
        checks,
        seed=seed,
        steer=steer or None,
        graph=graph,
        stages=_seating(stage or []) or None,
        log_json=log_json or None,
        model={"path": model, "n_gpu_layers": gpu_layers, "base_url": base_url},
        budget={"max_tokens": max_tokens, "max_seconds": max_seconds, "extra_rounds": think_longer},
    )
    run_id = new_run_id() if run_id is None else check_run_id(run_id)
    from noetic.runs.driver import arun_deliberation  # the graph stack: seconds to import

    execute(
        lambda handler, stop: arun_deliberation(
            task, settings, run_id=run_id, on_event=handler, stop=stop
        ),
        settings,
        run_id,
        json_out,
    )


@app.command()
def resume(
    run_id: Annotated[str, typer.Argument(help="The run to continue (see `noetic runs`).")],
    base_url: BaseUrlOption = None,
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Continue a stopped run from its last completed step, with its own settings."""
    settings = cli_settings(config)
    from noetic.runs.driver import aresume_deliberation

    execute(
        lambda handler, stop: aresume_deliberation(
            run_id, settings, base_url=base_url, on_event=handler, stop=stop
        ),
        settings,
        run_id,
        json_out,
    )


@app.command(name="steer")
def steer_run(
    run_id: Annotated[str, typer.Argument(help="A run paused for steering.")],
    pick: Annotated[int | None, typer.Option(help="Select this candidate.")] = None,
    veto: Annotated[
        list[int] | None, typer.Option(help="Veto this candidate (repeatable).")
    ] = None,
    note: Annotated[str, typer.Option(help="A note the next round sees.")] = "",
    json_out: JsonOption = False,
    config: ConfigOption = None,
) -> None:
    """Answer a run paused for steering, then let it go on."""
    settings = cli_settings(config)
    answer = _decision(pick, veto or [], note)
    if answer == HumanDecision() and sys.stdin.isatty():
        from noetic.runs.stored import load_result

        paused = asyncio.run(load_result(settings, run_id))
        if paused.steering is not None:
            answer = _ask_person(paused.steering)
    execute(_answering(run_id, settings, answer), settings, run_id, json_out)


@app.command()
def runs(json_out: JsonOption = False, config: ConfigOption = None) -> None:
    """List stored runs with their status, rounds, mode and stop reason."""
    from noetic.runs.stored import list_runs

    summaries = asyncio.run(list_runs(cli_settings(config, writes=False, log_level="warning")))
    if json_out:
        print_json([s.model_dump(mode="json") for s in summaries])
        return
    for s in summaries:
        typer.echo(
            printable(
                f"{s.run_id:<24} {s.status:<10} {s.rounds}/{s.max_rounds} rounds  {s.mode:<12} "
                f"{s.stop_reason or '-':<24} {s.task[:50]}"
            )
        )
