"""`noetic run`: deliberate on a task with a live progress display."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Annotated

import typer

from noetic.cli.app import ConfigOption, JsonOption, app, cli_settings, print_json
from noetic.settings import MAX_CANDIDATES


@app.command()
def run(
    task: Annotated[str, typer.Argument(help="The question or task to deliberate on.")],
    rounds: Annotated[int | None, typer.Option(help="Rounds to run (default 2).")] = None,
    candidates: Annotated[
        int | None, typer.Option(help=f"Candidates per round, 1 to {MAX_CANDIDATES} (default 3).")
    ] = None,
    mode: Annotated[
        str | None, typer.Option(help="auto (switch as needed), safe or experimental.")
    ] = None,
    model: Annotated[
        Path | None, typer.Option(help="A GGUF model file (default: bundled SmolLM2-135M).")
    ] = None,
    gpu_layers: Annotated[
        int | None, typer.Option("--gpu-layers", help="Layers to offload to the GPU; -1 = all.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed for reproducible sampling.")] = None,
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
    run_id: Annotated[str | None, typer.Option("--run-id", help="Name this run.")] = None,
    json_out: JsonOption = False,
    log_json: Annotated[bool, typer.Option("--log-json", help="Log JSON lines on stderr.")] = False,
    config: ConfigOption = None,
) -> None:
    """Deliberate on TASK and print the final answer."""
    from noetic.progress import ProgressDisplay
    from noetic.runner import arun_deliberation, check_task

    check_task(task)
    model_overrides = {"path": model, "n_gpu_layers": gpu_layers}
    budget_overrides = {
        "max_tokens": max_tokens,
        "max_seconds": max_seconds,
        "extra_rounds": think_longer,
    }
    settings = cli_settings(
        config,
        rounds=rounds,
        candidates=candidates,
        mode=mode,
        seed=seed,
        log_json=log_json or None,
        model={k: v for k, v in model_overrides.items() if v is not None} or None,
        budget={k: v for k, v in budget_overrides.items() if v is not None} or None,
    )
    show_progress = sys.stderr.isatty() and not settings.log_json
    if show_progress:
        with ProgressDisplay() as display:
            result = asyncio.run(
                arun_deliberation(task, settings, run_id=run_id, on_event=display.on_event)
            )
    else:
        result = asyncio.run(arun_deliberation(task, settings, run_id=run_id))
    if json_out:
        print_json(result.model_dump(mode="json"))
    else:
        typer.echo(result.answer)
        typer.echo(
            f"\n[run {result.run_id} · {len(result.rounds)} rounds · {result.stop_reason} · "
            f"{result.usage.total_tokens} tokens · {result.timings['total']:.1f}s]",
            err=True,
        )
