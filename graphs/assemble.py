"""From a graph spec to a LangGraph `StateGraph`: each occupant name is looked up among the
registered roles (`noetic.roles`) and plain stages (`noetic.stages`), each branch's condition
among `noetic.conditions`, and a whole spec by name among `noetic.graphs`.

Built-ins register in the same groups as plugins, so a plugin's stage or graph is named in a spec
exactly like ours. A plain stage is `async def stage(state, runtime) -> dict`, like a role's
`__call__`; a condition is `def condition(state) -> str`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from langgraph.graph import END, START, StateGraph

from noetic.agents.base import Role
from noetic.agents.registry import ROLES, load_role
from noetic.agents.runtime import DeliberationContext
from noetic.agents.state import DeliberationState
from noetic.errors import GraphSpecError
from noetic.graphs.instrument import Node, instrument
from noetic.graphs.spec import END as SPEC_END
from noetic.graphs.spec import START as SPEC_START
from noetic.graphs.spec import GraphSpec, load_spec
from noetic.plugins import CONDITIONS_GROUP, GRAPHS_GROUP, STAGES_GROUP, PluginGroup

DeliberationGraph = StateGraph[
    DeliberationState, DeliberationContext, DeliberationState, DeliberationState
]
STAGES = PluginGroup(STAGES_GROUP, "stage", Callable, GraphSpecError, instances=True)  # type: ignore[arg-type]
CONDITIONS = PluginGroup(CONDITIONS_GROUP, "condition", Callable, GraphSpecError, instances=True)  # type: ignore[arg-type]
GRAPHS = PluginGroup(GRAPHS_GROUP, "graph", GraphSpec, GraphSpecError, instances=True)
BOUNDS = {SPEC_START: START, SPEC_END: END}


def graph_spec(reference: str) -> GraphSpec:
    """A registered graph by name, or the spec in a TOML file (a path ending in .toml)."""
    if reference.endswith(".toml") or Path(reference).is_file():
        return load_spec(Path(reference))
    spec: GraphSpec = GRAPHS.load(reference)
    return spec


def occupant_kind(name: str) -> str:
    """ "role" or "stage": which registry seats `name` (a role wins a clash)."""
    if name in ROLES.names():
        return "role"
    if name in STAGES.names():
        return "stage"
    raise GraphSpecError(
        f"no installed package registers a role or stage named {name!r}",
        f"use a role ({', '.join(ROLES.names())}) or a stage ({', '.join(STAGES.names())}), "
        "or install the plugin that provides it",
    )


def missing_packages(spec: GraphSpec, packages: Mapping[str, str]) -> None:
    """Refuse a stored spec whose roles, stages or conditions are no longer installed, naming
    the package each came from when the run began."""
    needed = [*spec.nodes.values(), *(b.condition for b in spec.branches)]
    installed = {*ROLES.names(), *STAGES.names(), *CONDITIONS.names()}
    for name in needed:
        if name not in installed:
            package = packages.get(name, "the plugin that provided it")
            raise GraphSpecError(
                f"the run's graph '{spec.name}' uses {name!r}, which is no longer installed",
                f"install {package} (pip install {package}) and try again",
            )


def providers(spec: GraphSpec) -> dict[str, str]:
    """The package behind each role, stage and condition the spec uses, kept with a run."""
    found: dict[str, str] = {}
    for name in spec.nodes.values():
        found[name] = (ROLES if occupant_kind(name) == "role" else STAGES).package(name)
    for branch in spec.branches:
        CONDITIONS.check_names([branch.condition])
        found[branch.condition] = CONDITIONS.package(branch.condition)
    return found


def build_graph(
    spec: GraphSpec, seated: Mapping[str, Role | Node] | None = None
) -> DeliberationGraph:
    """The spec as an uncompiled `StateGraph`; `seated` puts given role instances (or stage
    functions) at named nodes instead of what the spec names there."""
    given = dict(seated or {})
    unknown = sorted(set(given) - set(spec.nodes))
    if unknown:
        raise GraphSpecError(
            f"graph '{spec.name}' has no node {unknown[0]!r}",
            f"seat a role at one of its nodes: {', '.join(spec.nodes)}",
        )
    graph: DeliberationGraph = StateGraph(DeliberationState, context_schema=DeliberationContext)
    for node, occupant in spec.nodes.items():
        stage = instrument(node, given.get(node) or _occupant(occupant))
        graph.add_node(node, stage, input_schema=DeliberationState)  # not inferred: 1 ms a node
    for source, target in spec.edges:
        graph.add_edge(BOUNDS.get(source, source), BOUNDS.get(target, target))
    for branch in spec.branches:
        route: Callable[..., Any] = CONDITIONS.load(branch.condition)
        targets: dict[Hashable, str] = {k: BOUNDS.get(to, to) for k, to in branch.routes.items()}
        # A partial hides the condition's annotations, which LangGraph would otherwise evaluate
        # to infer what state it reads (0.4 ms a branch): it reads the whole state either way.
        graph.add_conditional_edges(branch.source, partial(route), targets)
    return graph


def _occupant(name: str) -> Node:
    if occupant_kind(name) == "role":
        role: Node = load_role(name)()
        return role
    stage: Node = STAGES.load(name)
    return stage
