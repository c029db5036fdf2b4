"""Your own LangGraph graph: point-of-view experts debate, a devil's advocate judges.

Each round, the acoustics, politics and biology experts (from the example plugin) speak in turn,
each hearing the others; the devil's advocate scores every thought; Noetic's own `select` and
`close_round` stages pick the best and apply the stop rules; a plain function announces the
winner; the synthesizer answers at the end. `deliberate(graph=...)` runs it with memory,
checkpoints and the result object like the prebuilt graph.

    NOETIC_ROUNDS=2 python examples/custom_graph_debate.py
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from langgraph.graph import END, START, StateGraph

from noetic import deliberate
from noetic.agents import DeliberationContext, DeliberationState, Synthesizer, load_role
from noetic.graphs import instrument
from noetic.graphs.stages import after_round, close_round, select

TASK = "Join acoustics, politics and biology in one idea"
EXPERTS = ("acoustics_expert", "politics_expert", "biology_expert")


def announce(state: DeliberationState) -> dict[str, Any]:
    """A plain function as a node: print whose perspective won the round."""
    selected = state.get("selected")
    if selected is not None:
        winner = state["candidates"][selected]
        print(f"round {state['round']}: {winner.concepts[0]} wins: {winner.text}")
    return {}


def build_debate_graph() -> StateGraph[
    DeliberationState, DeliberationContext, DeliberationState, DeliberationState
]:
    graph = StateGraph(DeliberationState, context_schema=DeliberationContext)
    for name in EXPERTS:
        graph.add_node(name, instrument(name, load_role(name)()))
    graph.add_node("critique", instrument("critique", load_role("devils_advocate")()))
    graph.add_node("select", instrument("select", select))
    graph.add_node("announce", announce)
    graph.add_node("close_round", instrument("close_round", close_round))
    graph.add_node("converge", instrument("converge", Synthesizer()))

    turns = [START, *EXPERTS, "critique", "select", "announce", "close_round"]
    for speaker, listener in pairwise(turns):
        graph.add_edge(speaker, listener)
    # `after_round` says "switch" to go on, "converge" to stop; here going on is a new debate.
    graph.add_conditional_edges(
        "close_round", after_round, {"switch": EXPERTS[0], "converge": "converge"}
    )
    graph.add_edge("converge", END)
    return graph


def main() -> None:
    result = deliberate(TASK, graph=build_debate_graph())
    print("answer:", result.answer)
    print("drawn from:", ", ".join(source.id for source in result.sources))


if __name__ == "__main__":
    main()
