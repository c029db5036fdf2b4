"""The deliberation graph as a picture: LangGraph's own mermaid text, or an SVG laid out here.

The SVG needs no graphviz and no network; given a run's timings, each stage shows the seconds it
took and its share of the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from langgraph.graph import END, START, StateGraph

from noetic.graphs import build_deliberation_graph
from noetic.graphs.deliberation import ROLE_STAGES
from noetic.report.layout import Layout, layout
from noetic.report.templates import render

CHAR_WIDTH = 7.4
LABELS = {START: "start", END: "end"}


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


def _drawable(graph: StateGraph[Any, Any, Any, Any] | None) -> Any:
    return (graph or build_deliberation_graph()).compile().get_graph()


def graph_mermaid(graph: StateGraph[Any, Any, Any, Any] | None = None) -> str:
    """Mermaid flowchart text, drawn by LangGraph itself (offline)."""
    return str(_drawable(graph).draw_mermaid())


def _stage(node: str, timings: Mapping[str, float], total: float) -> Stage:
    kind = "terminal" if node in LABELS else "role" if node in ROLE_STAGES else "logic"
    seconds = timings.get(node)
    if seconds is None:
        return Stage(LABELS.get(node, node), kind)
    return Stage(node, kind, f"{seconds:.2f} s", seconds / total if total > 0 else 0.0)


def draw_graph(
    graph: StateGraph[Any, Any, Any, Any] | None = None,
    timings: Mapping[str, float] | None = None,
) -> GraphDrawing:
    """Lay out `graph` (the default deliberation graph if None), annotated with `timings`."""
    drawable = _drawable(graph)
    timings = {k: v for k, v in (timings or {}).items() if k != "total"}
    total = sum(timings.values())
    stages = {node: _stage(node, timings, total) for node in drawable.nodes}
    widths = {n: max(len(s.label), len(s.note)) * CHAR_WIDTH + 32 for n, s in stages.items()}
    edges = [(e.source, e.target, bool(e.conditional)) for e in drawable.edges]
    return GraphDrawing(layout(list(drawable.nodes), edges, widths), stages)


def graph_svg(drawing: GraphDrawing) -> str:
    """A standalone SVG document of `drawing`."""
    return render("graph.svg.j2", g=drawing)
