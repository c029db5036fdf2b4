"""Seeing a run: `noetic show` (a terminal tree), `noetic report` (one HTML file) and `noetic
graph` (a run's graph, or any graph spec, as mermaid, SVG or PNG).

Reading a run loads no model: the record comes from the run store, the concept weights from the
accumulator (its file, or its rows beside the runs in PostgreSQL).
"""

from __future__ import annotations

import asyncio
import sys
from contextlib import closing
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from noetic.cli.app import ConfigOption, app, cli_settings, output_file
from noetic.errors import NoeticError
from noetic.runs.ids import check_run_id
from noetic.runs.result import DeliberationResult

if TYPE_CHECKING:
    from noetic.memory import RoundConcepts

RunIdArgument = Annotated[str, typer.Argument(help="The run's id (see `noetic runs`).")]


class GraphFormat(StrEnum):
    mermaid = "mermaid"
    svg = "svg"
    png = "png"


def _load(config: Path | None, run_id: str) -> tuple[DeliberationResult, list[RoundConcepts]]:
    from noetic.runs.stored import load_result
    from noetic.stores.shared import load_accumulator

    settings = cli_settings(config, writes=False)
    result = asyncio.run(load_result(settings, run_id))
    with closing(load_accumulator(settings)) as accumulator:
        return result, accumulator.run_view(run_id)


@app.command()
def show(
    run_id: RunIdArgument,
    full: Annotated[bool, typer.Option("--full", help="Print every text whole.")] = False,
    config: ConfigOption = None,
) -> None:
    """Print a run as a tree: rounds, candidates and scores, reflections, mode switches."""
    from rich.console import Console

    from noetic.report.tree import run_tree

    result, _ = _load(config, run_id)
    Console(highlight=False).print(run_tree(result, full=full))


@app.command()
def report(
    run_id: RunIdArgument,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="HTML file to write (default: RUN_ID.html).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Write a run's report: one self-contained HTML file with plots and the graph."""
    from noetic.report.html import render_report

    path = output_file(out or Path(f"{check_run_id(run_id)}.html"))
    result, concepts = _load(config, run_id)
    path.write_text(render_report(result, concepts), encoding="utf-8")
    typer.echo(f"wrote {path}", err=True)


@app.command()
def graph(
    run_id: Annotated[
        str | None, typer.Argument(help="Draw the graph this run was made with.")
    ] = None,
    spec: Annotated[
        str | None,
        typer.Option("--graph", help="Draw a registered graph (`noetic graphs`) or a TOML spec."),
    ] = None,
    fmt: Annotated[GraphFormat, typer.Option("--format", "-f", help="Drawing format.")] = (
        GraphFormat.mermaid
    ),
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="File to write (default: stdout).")
    ] = None,
    config: ConfigOption = None,
) -> None:
    """Draw a deliberation graph (default: the one `noetic run` would run): mermaid text, or an
    SVG or PNG picture."""
    from noetic.graphs import GraphSpec, graph_spec
    from noetic.report.graph import draw_graph, graph_mermaid, graph_svg

    if out is not None:
        output_file(out)
    if run_id is not None:
        stored = _load(config, run_id)[0].graph
        if stored is None:
            raise NoeticError(
                f"run '{run_id}' was made with a graph built in Python, which was not stored",
                "draw it from Python with noetic.report.graph",
            )
        drawn = GraphSpec.model_validate(stored)
    else:
        settings = cli_settings(config, writes=False, log_level="warning")
        drawn = graph_spec(spec or settings.graph).seat(settings.stages)
    if fmt is GraphFormat.png:
        from noetic.report.png import graph_png

        if out is None:
            raise NoeticError(
                "--format png cannot go to stdout (a PNG is binary)",
                "name a file with --out, e.g. --out graph.png",
            )
        graph_png(draw_graph(drawn), out)
        return
    text = graph_mermaid(drawn) if fmt is GraphFormat.mermaid else graph_svg(draw_graph(drawn))
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
