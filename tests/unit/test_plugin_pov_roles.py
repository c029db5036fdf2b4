"""The example plugin (examples/noetic-pov-roles) on the scripted model: it registers through the
entry point group, its experts debate in turn, and its devil's advocate takes the critic's seat."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from example_plugin import require_example_plugin
from fake_embedders import HashingEmbedder
from langgraph.graph import END, START, StateGraph
from role_scripts import RoleScript

from noetic import adeliberate, load_settings
from noetic.agents import available_roles, load_role
from noetic.graphs import DeliberationContext, DeliberationState, build_deliberation_graph
from noetic.models.scripted import ScriptedModel

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PLUGIN_ROLES = {"devils_advocate", "acoustics_expert", "politics_expert", "biology_expert"}
EXPERTS = ["acoustics_expert", "politics_expert", "biology_expert"]

require_example_plugin()


def load_example(name: str) -> ModuleType:
    """An example script as a module, without running its `main`."""
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def run_turns(model: ScriptedModel, state: DeliberationState) -> dict[str, Any]:
    """The three experts as a chain of nodes, one pass."""
    graph = StateGraph(DeliberationState, context_schema=DeliberationContext)
    previous = START
    for name in EXPERTS:
        graph.add_node(name, load_role(name)())
        graph.add_edge(previous, name)
        previous = name
    graph.add_edge(previous, END)
    context = DeliberationContext(settings=load_settings(), model=model)
    return await graph.compile().ainvoke(state, context=context)


def test_plugin_roles_are_registered_with_their_package() -> None:
    packages = {info.name: info.package for info in available_roles()}
    assert {packages[name] for name in PLUGIN_ROLES} == {"noetic-pov-roles"}


@pytest.mark.parametrize("name", sorted(PLUGIN_ROLES))
def test_plugin_prompts_render_completely(name: str) -> None:
    values = {"task": "T", "focus": "F", "candidate": "C", "floor": "- x", "question": "Q"}
    values |= {"discipline": "D", "lens": "L"}
    messages = load_role(name).prompt.render(**values)
    assert all(m.content and "$" not in m.content for m in messages)


async def test_experts_take_turns_and_hear_each_other() -> None:
    model = RoleScript().model()
    final = await run_turns(model, {"task": "T", "round": 1, "mode": "safe", "focus": "F"})

    candidates = final["candidates"]
    assert [c.id for c in candidates] == ["r1c0", "r1c1", "r1c2"]
    assert [c.concepts[0] for c in candidates] == ["acoustics", "politics", "biology"]
    first, second, third = (request.messages[-1].content for request in model.requests)
    assert "nobody has spoken yet" in first
    assert f"(acoustics) {candidates[0].text}" in second
    assert f"(politics) {candidates[1].text}" in third


async def test_a_new_round_opens_an_empty_floor() -> None:
    model = RoleScript().model()
    first = await run_turns(model, {"task": "T", "round": 1, "mode": "safe", "focus": "F"})
    state: DeliberationState = {"task": "T", "round": 2, "mode": "safe", "focus": "F"}
    second = await run_turns(model, {**state, "candidates": first["candidates"]})
    assert [c.id for c in second["candidates"]] == ["r2c0", "r2c1", "r2c2"]


async def test_devils_advocate_takes_the_critics_seat() -> None:
    model = RoleScript().model()
    graph = build_deliberation_graph({"critique": load_role("devils_advocate")()})
    result = await adeliberate(
        "T", graph=graph, model=model, embedder=HashingEmbedder(), rounds=1, candidates=2
    )
    ratings = [r for r in model.score_requests if r.options]
    critique, synthesis = ratings[: 2 * 3], ratings[2 * 3 :]  # two candidates, three questions
    assert all("devil's advocate" in r.messages[0].content for r in critique)
    assert not any("devil's advocate" in r.messages[0].content for r in synthesis)
    assert all(c.critique is not None for c in result.rounds[0].candidates)


async def test_debate_example_graph_runs_rounds_of_turns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load_example("custom_graph_debate")
    result = await adeliberate(
        "T",
        graph=example.build_debate_graph(),
        model=RoleScript().model(),
        embedder=HashingEmbedder(),
        rounds=2,
    )
    assert result.stop_reason == "max_rounds"
    assert [len(r.candidates) for r in result.rounds] == [3, 3]
    assert all(r.selected is not None for r in result.rounds)
    assert result.answer and result.sources
    assert capsys.readouterr().out.count(" wins: ") == 2
