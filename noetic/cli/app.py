"""The `noetic` Typer app and what every command shares: the options, declared once here (alone,
or in groups commands take together), settings loading, the range check on numbers, and JSON
output.

Each command group lives in its own module under `noetic.cli` and registers itself on `app`.
Every bad input is a `NoeticError`, printed by `noetic.cli.main` as one line with its fix.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Annotated, Any, get_type_hints

import typer

from noetic import __version__
from noetic.errors import NoeticError
from noetic.home import usable_home
from noetic.logging import configure_logging
from noetic.settings import MAX_CANDIDATES, NoeticSettings, load_settings


class _Typer(typer.Typer):
    """Typer, whose commands may take option groups (see `OptionGroup`)."""

    def command(self, *args: Any, **kwargs: Any) -> Callable[[Callable[..., Any]], Any]:
        register = super().command(*args, **kwargs)
        return lambda command: register(option_groups(command))


app = _Typer(
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
BaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--base-url", help="An OpenAI-compatible model server (e.g. http://gpu-host:8000/v1)."
    ),
]
LogJsonOption = Annotated[bool, typer.Option("--log-json", help="Log JSON lines on stderr.")]


@dataclass(frozen=True)
class OptionGroup:
    """Options commands take together, declared once as a subclass's fields (each an annotated
    option with its default). A command of `app` takes the group as one keyword-only parameter,
    with no default (every field has one), and Typer shows the fields, in order, as that many
    options in the parameter's place."""

    def overrides(self) -> dict[str, Any]:
        """The group's settings for `cli_settings`, None where a flag was not given."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class ShapeOptions(OptionGroup):
    """--rounds, --candidates and --mode: the shape of each deliberation."""

    rounds: RoundsOption = None
    candidates: CandidatesOption = None
    mode: ModeOption = None


@dataclass(frozen=True)
class CheckOptions(OptionGroup):
    """--check and --auto-checks/--no-auto-checks: what each candidate is checked against."""

    check: CheckOption = None
    auto_checks: AutoChecksOption = True

    def overrides(self) -> dict[str, Any]:
        return {"checks": self.check or None, "auto_checks": None if self.auto_checks else False}


def option_groups(command: Callable[..., Any]) -> Callable[..., Any]:
    """`command` as Typer should see it: each `OptionGroup` parameter replaced by the group's
    fields, and the group built from them again on the call (`command` itself if it takes
    none)."""
    signature = inspect.signature(command, eval_str=True)
    groups: dict[str, type[OptionGroup]] = {}
    parameters: list[inspect.Parameter] = []
    for parameter in signature.parameters.values():
        group = parameter.annotation
        if not (isinstance(group, type) and issubclass(group, OptionGroup)):
            parameters.append(parameter)
            continue
        groups[parameter.name] = group
        hints = get_type_hints(group, include_extras=True)
        parameters += [
            parameter.replace(name=f.name, annotation=hints[f.name], default=f.default)
            for f in fields(group)
        ]
    if not groups:
        return command
    names = [p.name for p in parameters]
    if len(set(names) | set(groups)) != len(names) + len(groups):
        raise TypeError(f"{command.__name__}: an option group's field repeats a parameter name")

    @functools.wraps(command)
    def typer_command(**values: Any) -> Any:
        for name, group in groups.items():
            values[name] = group(**{f.name: values.pop(f.name) for f in fields(group)})
        return command(**values)

    typer_command.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
    typer_command.__annotations__ = {p.name: p.annotation for p in parameters}
    return typer_command


def int_option(help: str, low: int, high: int | None = None) -> Any:
    """A whole-number option from `low` (to `high`, which its help then states: "HELP, LOW to
    HIGH."). A number outside is refused like any bad input, in one line with the fix; Typer's
    `min=` and `max=` would print its usage block instead."""
    span = f"{low} or more" if high is None else f"{low} to {high}"

    def check(param: typer.CallbackParam, value: int | None) -> int | None:
        if value is not None and not (low <= value and (high is None or value <= high)):
            flag = param.opts[0]
            raise NoeticError(f"{flag} {value} is out of range", f"pass {flag} {span}")
        return value

    return typer.Option(callback=check, help=f"{help}." if high is None else f"{help}, {span}.")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _given(flag: Any) -> Any:
    """A flag's value, None when not given; for a settings section (a dict), the flags given
    in it, None when none was."""
    if isinstance(flag, dict):
        return {k: v for k, v in flag.items() if v is not None} or None
    return flag


def cli_settings(
    config: Path | None, *groups: OptionGroup, writes: bool = True, **flags: Any
) -> NoeticSettings:
    """Settings from file, environment, option groups and flags (None: not given, also within
    a section such as `model={"path": ...}`), with logging configured from them, and the home
    checked for what the command does (`writes`: it stores something there)."""
    for group in groups:
        flags = group.overrides() | flags
    settings = load_settings(config, **{k: _given(v) for k, v in flags.items()})
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
