"""Options declared once: a command takes an option group as one parameter, Typer shows its
fields as options in that place, and `cli_settings` reads the group as the flags it holds."""

from __future__ import annotations

from typing import Annotated

import pytest
import typer
from typer.testing import CliRunner

from noetic.cli.app import CheckOptions, ShapeOptions, cli_settings, option_groups
from noetic.cli.commands import app


def test_a_group_is_its_options_in_its_place_and_one_value_for_the_command() -> None:
    seen: list[object] = []
    toy = typer.Typer(rich_markup_mode=None)

    @toy.command()
    @option_groups
    def toy_command(
        first: Annotated[str, typer.Option()] = "a",
        *,
        shape: ShapeOptions,
        last: Annotated[int, typer.Option()] = 0,
    ) -> None:
        seen.append((first, shape, last))

    runner = CliRunner()
    result = runner.invoke(toy, ["--rounds", "3", "--mode", "safe", "--last", "1"])
    assert result.exit_code == 0, result.output
    assert seen == [("a", ShapeOptions(rounds=3, candidates=None, mode="safe"), 1)]
    shown = runner.invoke(toy, ["--help"]).stdout
    flags = ["--first", "--rounds", "--candidates", "--mode", "--last"]
    assert [shown.index(f) for f in flags] == sorted(shown.index(f) for f in flags)


def test_a_field_that_repeats_a_parameter_is_refused() -> None:
    def clash(*, shape: ShapeOptions, rounds: int = 0) -> None: ...

    with pytest.raises(TypeError, match="repeats a parameter"):
        option_groups(clash)


def test_the_commands_show_their_groups_where_they_stood() -> None:
    shown = CliRunner().invoke(app, ["run", "--help"]).stdout
    flags = ["--rounds", "--candidates", "--mode", "--model", "--run-id", "--check", "--graph"]
    assert [shown.index(f) for f in flags] == sorted(shown.index(f) for f in flags)
    assert "--auto-checks / --no-auto-checks" in shown


def test_groups_and_flags_reach_the_settings() -> None:
    settings = cli_settings(
        None,
        ShapeOptions(rounds=1, mode="safe"),
        CheckOptions(check=["words<=50"], auto_checks=False),
        model={"n_gpu_layers": None},  # a section's flags not given: the defaults stand
        mode="experimental",  # a flag beside a group wins
    )
    assert (settings.rounds, settings.candidates, settings.mode) == (1, 3, "experimental")
    assert [c.name for c in settings.checks] == ["words"] and settings.auto_checks is False
    assert settings.model.n_gpu_layers == cli_settings(None).model.n_gpu_layers
