"""Seeing a run: a terminal tree, a self-contained HTML report, and drawings of the graph."""

from noetic.report.graph import draw_graph, graph_mermaid, graph_svg
from noetic.report.html import render_report
from noetic.report.tree import run_tree

__all__ = ["draw_graph", "graph_mermaid", "graph_svg", "render_report", "run_tree"]
