"""The `noetic` Typer app and what every command shares: settings loading and JSON output.

Each command group lives in its own module under `noetic.cli` and registers itself on `app`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from noetic import __version__
from noetic.errors import NoeticError
from noetic.home import usable_home
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

ConfigOption = Annotated[
    Path | None, typer.Option("--config", help="A noetic.toml to read (default: ./noetic.toml).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
RoundsOption = Annotated[int | None, typer.Option(help="Rounds per deliberation (default 2).")]
CandidatesOption = Annotated[
    int | None, typer.Option(help=f"Candidates per round, 1 to {MAX_CANDIDATES} (default 3).")
]
ModeOption = Annotated[
    str | None, typer.Option(help="auto (switch as needed), safe or experimental.")
]
SeedOption = Annotated[int | None, typer.Option(help="Seed for reproducible sampling.")]
CheckOption = Annotated[
    list[str] | None,
    typer.Option(
        "--check",
        help="A check to run on every candidate, besides those the task states (repeatable; "
        "`noetic checks` lists them): NAME, NAME=VALUE, NAME<=N, NAME>=N, NAME=A..B or "
        "NAME:KEY>=N, e.g. --check 'words<=50' --check forbidden=rain,snow --check 'letter:e=0'.",
    ),
]
AutoChecksOption = Annotated[
    bool,
    typer.Option(
        "--auto-checks/--no-auto-checks",
        help='Read the checks the task states ("in at most 50 words", "no commas").',
    ),
]
ModelOption = Annotated[
    Path | None, typer.Option(help="A GGUF model file (default: bundled SmolLM2-135M).")
]
GpuLayersOption = Annotated[
    int | None, typer.Option("--gpu-layers", help="Layers to offload to the GPU; -1 = all.")
]


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def cli_settings(config: Path | None, *, writes: bool = True, **overrides: Any) -> NoeticSettings:
    """Settings from file, environment and flags, with logging configured from them, and the
    home checked for what the command does (`writes`: it stores something there)."""
    settings = load_settings(config, **overrides)
    configure_logging(json=settings.log_json, level=settings.log_level)
    usable_home(settings.home, write=writes)
    return settings


def output_file(path: Path) -> Path:
    """`path` when a file can be written there: its folder must exist (a typo should not grow a
    tree of new folders), and it must not be a folder itself."""
    if path.is_dir():
        raise NoeticError(f"--out {path} is a folder", "name a file, e.g. --out report.html")
    if not path.parent.is_dir():
        raise NoeticError(
            f"--out {path}: the folder {path.parent} does not exist",
            "create it first, or name a file in a folder that exists",
        )
    return path


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
