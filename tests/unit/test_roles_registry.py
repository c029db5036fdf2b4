"""Roles come from the `noetic.roles` entry points; their prompts render."""

from __future__ import annotations

import pytest

from noetic.agents import available_roles, load_role
from noetic.agents.base import Role
from noetic.errors import UnknownRoleError
from noetic.graphs import DELIBERATION

BUILT_IN = {"critic", "generator", "meta_thinker", "mode_switcher", "synthesizer"}


def test_built_in_roles_register_like_plugins() -> None:
    infos = {info.name: info for info in available_roles()}
    assert BUILT_IN <= set(infos)
    assert all(infos[name].package == "noetic" for name in BUILT_IN)
    assert BUILT_IN <= set(DELIBERATION.nodes.values())


def test_unknown_role_lists_the_known_ones() -> None:
    with pytest.raises(UnknownRoleError, match="unknown role 'oracle'") as caught:
        load_role("oracle")
    assert "critic" in str(caught.value)


@pytest.mark.parametrize("name", sorted(BUILT_IN))
def test_prompt_renders_with_no_placeholder_left(name: str) -> None:
    role: type[Role] = load_role(name)
    placeholders = {
        "task": "T",
        "focus": "F",
        "previous": "P",
        "fix": "Missing: x.",
        "candidate": "C",
        "trajectory": "R",
        "current": "X",
        "score": "0.5",
        "round": 1,
        "max_rounds": 2,
        "mode": "safe",
        "signals": "s",
        "thoughts": "- t",
        "memories": "- m",
        "anchors": "a, b",
        "note": "n",
        "question": "q",
    }
    messages = role.prompt.render(**placeholders)
    assert [m.role for m in messages][-1] == "user"  # the generator's refinement has no system
    assert all("$" not in m.content for m in messages)


def test_a_plugins_package_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Graph assembly asks every run for each role's package; `EntryPoint.dist` parses the
    distribution's METADATA each time, so the name is kept after the first read."""
    from noetic import plugins

    group = plugins.PluginGroup(plugins.ROLES_GROUP, "role", Role, UnknownRoleError)
    assert group.package("generator") == "noetic"
    monkeypatch.setattr(plugins.EntryPoint, "dist", property(lambda ep: 1 / 0))
    assert group.package("generator") == "noetic"
    assert group.package("no_such_role") == "unknown"
