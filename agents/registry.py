"""The role registry: every role, built-in or third-party, comes from the `noetic.roles` entry
point group, so a plugin package adds roles without touching Noetic.

A plugin declares, in its pyproject.toml:

    [project.entry-points."noetic.roles"]
    devils_advocate = "my_pkg.roles:DevilsAdvocate"
"""

from __future__ import annotations

from collections.abc import Iterable

from noetic.agents.base import Role
from noetic.errors import UnknownRoleError
from noetic.plugins import ROLES_GROUP, PluginGroup, PluginInfo

ROLES = PluginGroup(ROLES_GROUP, "role", Role, UnknownRoleError)
RoleInfo = PluginInfo


def role_names() -> list[str]:
    """Every registered role name, without importing the roles."""
    return ROLES.names()


def check_role_names(names: Iterable[str]) -> None:
    """Raise `UnknownRoleError` for the first name no installed package registers."""
    ROLES.check_names(list(names))


def load_role(name: str) -> type[Role]:
    """The role class registered under `name`."""
    role: type[Role] = ROLES.load(name)
    return role


def available_roles() -> list[RoleInfo]:
    """Every registered role with the distribution that provides it, sorted by name."""
    return ROLES.available()
