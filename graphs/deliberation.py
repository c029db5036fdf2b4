"""The prebuilt deliberation graph: recall, diverge, critique, select, reflect, reinforce, close
the round, then switch mode and loop, or converge to a final synthesis. A pick that passes every
check goes straight to reinforce and ends the run.

`build_deliberation_graph` returns the uncompiled `StateGraph`, so a caller can swap roles, add
nodes, or compile it with their own checkpointer.
"""

from __future__ import annotations

from collections.abc import Mapping

from langgraph.graph import END, START, StateGraph

from noetic.agents import AssociativeGenerator, Critic, MetaThinker, ModeSwitcher, Synthesizer
from noetic.agents.base import Role
from noetic.graphs.context import DeliberationContext
from noetic.graphs.instrument import instrument
from noetic.graphs.stages import (
    after_round,
    after_select,
    close_round,
    recall,
    reinforce,
    select,
)
from noetic.graphs.state import DeliberationState
from noetic.graphs.steering import after_critique, steer

STAGES = (
    "recall",
    "diverge",
    "critique",
    "steer",
    "select",
    "reflect",
    "reinforce",
    "close_round",
    "switch",
    "converge",
)
DeliberationGraph = StateGraph[
    DeliberationState, DeliberationContext, DeliberationState, DeliberationState
]
ROLE_STAGES: dict[str, type[Role]] = {
    "diverge": AssociativeGenerator,
    "critique": Critic,
    "reflect": MetaThinker,
    "switch": ModeSwitcher,
    "converge": Synthesizer,
}


def build_deliberation_graph(
    roles: Mapping[str, Role] | None = None,
) -> DeliberationGraph:
    """The staged deliberation graph, uncompiled.

    `roles` seats another role at a role stage, e.g. `{"critique": MyCritic()}`.
    """
    seated = {stage: cls() for stage, cls in ROLE_STAGES.items()}
    unknown = set(roles or {}) - set(ROLE_STAGES)
    if unknown:
        raise ValueError(
            f"no role stage named {sorted(unknown)}; role stages: {sorted(ROLE_STAGES)}"
        )
    seated.update(roles or {})

    graph = StateGraph(DeliberationState, context_schema=DeliberationContext)
    for stage, role in seated.items():
        graph.add_node(stage, instrument(stage, role))
    for stage, node in (
        ("recall", recall),
        ("steer", steer),
        ("select", select),
        ("reinforce", reinforce),
        ("close_round", close_round),
    ):
        graph.add_node(stage, instrument(stage, node))

    graph.add_edge(START, "recall")
    graph.add_edge("recall", "diverge")
    graph.add_edge("diverge", "critique")
    graph.add_conditional_edges("critique", after_critique, ["steer", "select"])
    graph.add_edge("steer", "select")
    graph.add_conditional_edges("select", after_select, ["reflect", "reinforce"])
    graph.add_edge("reflect", "reinforce")
    graph.add_edge("reinforce", "close_round")
    graph.add_conditional_edges("close_round", after_round, ["switch", "converge"])
    graph.add_edge("switch", "recall")
    graph.add_edge("converge", END)
    return graph
