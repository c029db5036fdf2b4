"""The deliberation graph: stages, graph specs and builders. The state and runtime context its
nodes are called with belong to the roles (`noetic.agents`)."""

from noetic.graphs.assemble import DeliberationGraph, build_graph, graph_spec
from noetic.graphs.deliberation import DELIBERATION, build_deliberation_graph
from noetic.graphs.instrument import instrument
from noetic.graphs.spec import Branch, GraphSpec, load_spec

__all__ = [
    "DELIBERATION",
    "Branch",
    "DeliberationGraph",
    "GraphSpec",
    "build_deliberation_graph",
    "build_graph",
    "graph_spec",
    "instrument",
    "load_spec",
]
