"""The deliberation graph as a picture: LangGraph's own mermaid text, or an SVG laid out here.

The SVG needs no graphviz and no network; given a run's timings, each stage shows the seconds it
took and its share of the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langgraph.graph import END, START

from noetic.graphs import DELIBERATION, GraphSpec, build_graph
from noetic.graphs.assemble import occupant_kind
from noetic.report.layout import Layout, layout
from noetic.report.templates import render

CHAR_WIDTH = 7.4
LABELS = {START: "start", END: "end"}
KINDS = {"role": "role", "stage": "logic"}


@dataclass(frozen=True)
class Stage:
    """How one node is shown: its label, its kind (role, logic, terminal) and its timing."""

    label: str
    kind: str
    note: str = ""
    share: float = 0.0


@dataclass(frozen=True)
class GraphDrawing:
    layout: Layout
    stages: dict[str, Stage]


def _drawable(spec: GraphSpec) -> Any:
    return build_graph(spec).compile().get_graph()


def graph_mermaid(spec: GraphSpec = DELIBERATION) -> str:
    """Mermaid flowchart text, drawn by LangGraph itself (offline)."""
    return str(_drawable(spec).draw_mermaid())


def _stage(node: str, kind: str, timings: Mapping[str, float], total: float) -> Stage:
    seconds = timings.get(node)
    if seconds is None:
        return Stage(LABELS.get(node, node), kind)
    return Stage(node, kind, f"{seconds:.2f} s", seconds / total if total > 0 else 0.0)


def draw_graph(
    spec: GraphSpec = DELIBERATION, timings: Mapping[str, float] | None = None
) -> GraphDrawing:
    """Lay out the graph of `spec`, annotated with `timings`; role nodes are told apart from
    plain stages (logic)."""
    drawable = _drawable(spec)
    timings = {k: v for k, v in (timings or {}).items() if k != "total"}
    total = sum(timings.values())
    kinds = {node: KINDS[occupant_kind(occupant)] for node, occupant in spec.nodes.items()}
    kinds.update(dict.fromkeys(LABELS, "terminal"))
    stages = {node: _stage(node, kinds[node], timings, total) for node in drawable.nodes}
    widths = {n: max(len(s.label), len(s.note)) * CHAR_WIDTH + 32 for n, s in stages.items()}
    edges = [(e.source, e.target, bool(e.conditional)) for e in drawable.edges]
    return GraphDrawing(layout(list(drawable.nodes), edges, widths), stages)


def graph_svg(drawing: GraphDrawing) -> str:
    """A standalone SVG document of `drawing`."""
    return render("graph.svg.j2", g=drawing)
