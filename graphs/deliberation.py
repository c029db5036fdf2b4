"""The prebuilt deliberation graph: recall, diverge, critique, select, reflect, reinforce, close
the round, then switch mode and loop, or converge to a final synthesis. A pick that passes every
check goes straight to reinforce and ends the run.

It is a graph spec like any other (`deliberation.toml`, registered as "deliberation" in
`noetic.graphs`); `build_deliberation_graph` returns it uncompiled, so a caller can seat role
instances, add nodes, or compile it with their own checkpointer.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from importlib.resources import files

from noetic.agents.base import Role
from noetic.graphs.assemble import DeliberationGraph, build_graph
from noetic.graphs.spec import GraphSpec, parse_spec

DELIBERATION: GraphSpec = parse_spec(
    tomllib.loads(files(__package__).joinpath("deliberation.toml").read_text(encoding="utf-8")),
    "the prebuilt deliberation graph",
)


def build_deliberation_graph(roles: Mapping[str, Role] | None = None) -> DeliberationGraph:
    """The staged deliberation graph, uncompiled.

    `roles` seats another role at a node, e.g. `{"critique": MyCritic()}`.
    """
    return build_graph(DELIBERATION, roles)
