"""The `noetic` command line.

Expected failures (`NoeticError`) print one line on stderr and exit 2; `--json` keeps stdout to
exactly one JSON document, with progress and logs on stderr.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from noetic import __version__
from noetic.errors import NoeticError
from noetic.logging import configure_logging
from noetic.settings import MAX_CANDIDATES, NoeticSettings, load_settings

app = typer.Typer(
    name="noetic",
    help="Staged multi-agent deliberation on local models.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
config_app = typer.Typer(help="Inspect the effective settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="A noetic.toml to read (default: ./noetic.toml).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _settings(config: Path | None, **overrides: Any) -> NoeticSettings:
    settings = load_settings(config, **overrides)
    configure_logging(json=settings.log_json, level=settings.log_level)
    return settings


def _version(value: bool) -> None:
    if value:
        typer.echo(f"noetic {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Staged multi-agent deliberation on local models."""


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
    run_id: Annotated[str | None, typer.Option("--run-id", help="Name this run.")] = None,
    json_out: JsonOption = False,
    log_json: Annotated[bool, typer.Option("--log-json", help="Log JSON lines on stderr.")] = False,
    config: ConfigOption = None,
) -> None:
    """Deliberate on TASK and print the final answer."""
    from noetic.progress import ProgressDisplay
    from noetic.runner import arun_deliberation, check_task

    check_task(task)
    model_overrides = {
        k: v for k, v in {"path": model, "n_gpu_layers": gpu_layers}.items() if v is not None
    }
    settings = _settings(
        config,
        rounds=rounds,
        candidates=candidates,
        mode=mode,
        seed=seed,
        log_json=log_json or None,
    )
    if model_overrides:
        settings = load_settings(
            config,
            rounds=rounds,
            candidates=candidates,
            mode=mode,
            seed=seed,
            log_json=log_json or None,
            model=settings.model.model_copy(update=model_overrides).model_dump(),
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
        _print_json(result.model_dump(mode="json"))
    else:
        typer.echo(result.answer)
        typer.echo(
            f"\n[run {result.run_id} · {len(result.rounds)} rounds · {result.stop_reason} · "
            f"{result.usage.total_tokens} tokens · {result.timings['total']:.1f}s]",
            err=True,
        )


@app.command()
def roles(json_out: JsonOption = False) -> None:
    """List every registered role and the package it comes from."""
    from noetic.agents.registry import available_roles

    infos = available_roles()
    if json_out:
        _print_json([info.model_dump() for info in infos])
        return
    for info in infos:
        typer.echo(f"{info.name:<16} {info.package:<14} {info.description}")


@config_app.command("show")
def config_show(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """Print the effective settings (defaults < noetic.toml < NOETIC_* variables)."""
    settings = load_settings(config)
    data = settings.model_dump(mode="json")
    if json_out:
        _print_json(data)
        return
    for key, value in data.items():
        typer.echo(f"{key} = {json.dumps(value)}")


def main() -> None:
    """Console entry point: one clear line and exit 2 for every expected error.

    Usage errors (an unknown flag, a missing argument) are typer's own, also exit 2.
    """
    try:
        app()
    except NoeticError as exc:
        sys.stderr.write(f"noetic: error: {exc}\n")
        sys.exit(exc.exit_code)


if __name__ == "__main__":
    main()
