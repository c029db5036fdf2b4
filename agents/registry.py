"""The role registry: every role, built-in or third-party, comes from the `noetic.roles` entry
point group, so a plugin package adds roles without touching Noetic.

A plugin declares, in its pyproject.toml:

    [project.entry-points."noetic.roles"]
    devils_advocate = "my_pkg.roles:DevilsAdvocate"
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib.metadata import EntryPoint, entry_points

from pydantic import BaseModel

from noetic.agents.base import Role
from noetic.errors import UnknownRoleError

ENTRY_POINT_GROUP = "noetic.roles"


class RoleInfo(BaseModel):
    """A registered role as `noetic roles` lists it."""

    name: str
    description: str
    package: str
    target: str


def _entry_points() -> dict[str, EntryPoint]:
    return {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}


def role_names() -> list[str]:
    """Every registered role name, without importing the roles."""
    return sorted(_entry_points())


def check_role_names(names: Iterable[str]) -> None:
    """Raise `UnknownRoleError` for the first name no installed package registers."""
    known = role_names()
    for name in names:
        if name not in known:
            raise UnknownRoleError(
                f"unknown role '{name}'",
                f"use one of: {', '.join(known) or 'none'} "
                "(or install the plugin that provides it)",
            )


def load_role(name: str) -> type[Role]:
    """The role class registered under `name`."""
    check_role_names([name])
    found = _entry_points()[name]
    role = found.load()
    if not (isinstance(role, type) and issubclass(role, Role)):
        raise UnknownRoleError(
            f"entry point '{name}' ({found.value}) is not a noetic Role subclass",
            'fix the plugin\'s [project.entry-points."noetic.roles"] table',
        )
    return role


def available_roles() -> list[RoleInfo]:
    """Every registered role with the distribution that provides it, sorted by name."""
    infos = []
    for name, ep in sorted(_entry_points().items()):
        role = load_role(name)
        infos.append(
            RoleInfo(
                name=name,
                description=role.description,
                package=ep.dist.name if ep.dist else "unknown",
                target=ep.value,
            )
        )
    return infos
