"""The plugin's roles on Noetic's test kit (`noetic.testing`): no model to load, no config to
write, a deliberation per test in pytest's `tmp_path`.

`FillerModel` answers every role with valid filler, so a test sees what the roles do with any
reply; `RoleScript` scripts the judgments, so a test sees what the graph does with them.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from langgraph.graph import END, START, StateGraph
from noetic_pov_roles import AcousticsExpert, BiologyExpert, DevilsAdvocate, PoliticsExpert

from noetic.agents import DeliberationContext, DeliberationState, Synthesizer
from noetic.graphs import DeliberationGraph
from noetic.graphs.stages import after_round, close_round, select
from noetic.testing import FillerModel, RoleScript, run_graph

TASK = "Should cities be designed for silence?"
DISCIPLINES = ["acoustics", "politics", "biology"]
QUESTIONS = 3  # the critic asks relevance, coherence and novelty of every thought


def debate() -> DeliberationGraph:
    """A small debate: the experts speak in turn, the devil's advocate judges, Noetic's stages
    select and close the round, the synthesizer answers."""
    graph = StateGraph(DeliberationState, context_schema=DeliberationContext)
    graph.add_node("acoustics", AcousticsExpert())
    graph.add_node("politics", PoliticsExpert())
    graph.add_node("biology", BiologyExpert())
    graph.add_node("critique", DevilsAdvocate())
    graph.add_node("select", select)
    graph.add_node("close_round", close_round)
    graph.add_node("converge", Synthesizer())
    for speaker, listener in pairwise([START, *DISCIPLINES, "critique", "select", "close_round"]):
        graph.add_edge(speaker, listener)
    graph.add_conditional_edges(
        "close_round", after_round, {"switch": "acoustics", "converge": "converge"}
    )
    graph.add_edge("converge", END)
    return graph


def test_each_round_the_experts_speak_once_each_from_their_discipline(tmp_path: Path) -> None:
    result = run_graph(debate(), task=TASK, home=tmp_path, rounds=2)
    assert len(result.rounds) == 2
    for record in result.rounds:  # a new round opens an empty floor
        assert [c.id for c in record.candidates] == [f"r{record.round}c{i}" for i in range(3)]
        assert [c.concepts[0] for c in record.candidates] == DISCIPLINES


def test_each_expert_hears_the_ones_before_it(tmp_path: Path) -> None:
    model = FillerModel()
    result = run_graph(debate(), task=TASK, home=tmp_path, model=model)
    first, second, third = (r.messages[-1].content for r in model.requests[:3])
    spoken = result.rounds[0].candidates
    assert "nobody has spoken yet" in first
    assert f"(acoustics) {spoken[0].text}" in second
    assert f"(politics) {spoken[1].text}" in third


def test_the_devils_advocate_rates_every_thought(tmp_path: Path) -> None:
    model = FillerModel()
    result = run_graph(debate(), task=TASK, home=tmp_path, model=model)
    for candidate in result.rounds[0].candidates:
        critique = candidate.critique
        assert critique is not None
        assert None not in (critique.relevance, critique.coherence, critique.novelty)
    ratings = [r for r in model.score_requests if r.options]
    asked = [r for r in ratings if "devil's advocate" in r.messages[0].content]
    assert len(asked) == len(DISCIPLINES) * QUESTIONS


def test_the_devils_advocate_decides_the_pick_in_the_prebuilt_graph(tmp_path: Path) -> None:
    script = RoleScript(critique=lambda text: (9, 9, 9) if "number 2:" in text else (2, 2, 2))
    result = run_graph(
        {"critique": DevilsAdvocate()}, task=TASK, home=tmp_path, model=script.model()
    )
    record = result.rounds[0]
    assert record.selected == 1 and record.candidates[1].text.startswith("thought number 2:")
