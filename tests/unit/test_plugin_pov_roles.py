"""The example plugin (examples/noetic-pov-roles) as Noetic sees it: its roles register through
the entry point group, and the debate example script runs them. What the roles do is tested by
the plugin itself, on noetic.testing (examples/noetic-pov-roles/tests)."""

from __future__ import annotations

import pytest
from checkout_scripts import load_script
from example_plugin import require_example_plugin

from noetic import adeliberate
from noetic.agents import available_roles, load_role
from noetic.testing import HashingEmbedder, RoleScript

PLUGIN_ROLES = {"devils_advocate", "acoustics_expert", "politics_expert", "biology_expert"}

require_example_plugin()


def test_plugin_roles_are_registered_with_their_package() -> None:
    packages = {info.name: info.package for info in available_roles()}
    assert {packages[name] for name in PLUGIN_ROLES} == {"noetic-pov-roles"}


@pytest.mark.parametrize("name", sorted(PLUGIN_ROLES))
def test_plugin_prompts_render_completely(name: str) -> None:
    values = {"task": "T", "focus": "F", "candidate": "C", "floor": "- x", "question": "Q"}
    values |= {"discipline": "D", "lens": "L"}
    messages = load_role(name).prompt.render(**values)
    assert all(m.content and "$" not in m.content for m in messages)


async def test_debate_example_graph_runs_rounds_of_turns(
    capsys: pytest.CaptureFixture[str],
) -> None:
    example = load_script("examples", "custom_graph_debate")
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
