"""Commands that inspect the installation: registered roles, checks, graphs and stages, and the
effective settings."""

from __future__ import annotations

import json

import typer

from noetic.cli.app import ConfigOption, JsonOption, app, print_json
from noetic.plugins import PluginInfo
from noetic.settings import load_settings

config_app = typer.Typer(help="Inspect the effective settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@app.command()
def roles(json_out: JsonOption = False) -> None:
    """List every registered role and the package it comes from."""
    from noetic.agents.registry import available_roles

    _print_plugins(available_roles(), json_out)


@app.command()
def checks(json_out: JsonOption = False) -> None:
    """List every registered check (name one with `noetic run TASK --check NAME`)."""
    from noetic.agents.checks import available_checks

    _print_plugins(available_checks(), json_out)


@app.command()
def graphs(json_out: JsonOption = False) -> None:
    """List every registered graph (run one with `noetic run TASK --graph NAME`)."""
    from noetic.graphs.assemble import GRAPHS

    _print_plugins(GRAPHS.available(), json_out)


@app.command()
def stages(json_out: JsonOption = False) -> None:
    """List every registered plain stage a graph spec can seat (roles: `noetic roles`)."""
    from noetic.graphs.assemble import STAGES

    _print_plugins(STAGES.available(), json_out)


def _print_plugins(infos: list[PluginInfo], json_out: bool) -> None:
    if json_out:
        print_json([info.model_dump() for info in infos])
        return
    name_width = max((len(i.name) for i in infos), default=0) + 2
    package_width = max((len(i.package) for i in infos), default=0) + 2
    for info in infos:
        typer.echo(f"{info.name:<{name_width}}{info.package:<{package_width}}{info.description}")


@config_app.command("show")
def config_show(config: ConfigOption = None, json_out: JsonOption = False) -> None:
    """Print the effective settings (defaults < noetic.toml < NOETIC_* variables)."""
    data = load_settings(config).model_dump(mode="json")
    if json_out:
        print_json(data)
        return
    for key, value in data.items():
        typer.echo(f"{key} = {json.dumps(value)}")
