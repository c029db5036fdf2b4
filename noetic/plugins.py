"""Entry-point plugins: roles (`noetic.roles`), checks (`noetic.checks`) and text signals
(`noetic.signals`) register the same way, so a plugin package adds any of them without touching
Noetic, and all are listed by name without being imported. This sits on the ground floor:
settings validate role names, and policies signal names, against it."""

from __future__ import annotations

from functools import cache
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from pydantic import BaseModel

from noetic.errors import NoeticError

ROLES_GROUP = "noetic.roles"
CHECKS_GROUP = "noetic.checks"
SIGNALS_GROUP = "noetic.signals"
STAGES_GROUP = "noetic.stages"
CONDITIONS_GROUP = "noetic.conditions"
GRAPHS_GROUP = "noetic.graphs"


@cache
def _registered(group: str) -> dict[str, EntryPoint]:
    """A group's entry points, read once per process: scanning every installed distribution
    takes tens of milliseconds, and reading a task's checks asks each check in turn."""
    return {ep.name: ep for ep in entry_points(group=group)}


@cache
def _package(group: str, name: str) -> str:
    """The distribution registering `name` in `group`, read once per process: `EntryPoint.dist`
    parses that distribution's METADATA on every access (~10 ms), and every run's graph
    assembly asks for each role's package."""
    found = _registered(group).get(name)
    return found.dist.name if found is not None and found.dist else "unknown"


def registered_names(group: str) -> list[str]:
    """The names registered in an entry point group, without importing any of them: settings
    check `[roles.NAME]` with this, below the layer the roles live in."""
    return sorted(_registered(group))


class PluginInfo(BaseModel):
    """A registered plugin as `noetic roles` / `noetic checks` list it."""

    name: str
    description: str
    package: str
    target: str


class PluginGroup:
    """One entry point group: names, loading by name (checked against `base`), and listing.

    Roles and checks register classes (`base` subclasses); stages, conditions and graphs
    register objects (`instances=True`: instances of `base`, e.g. a callable or a graph spec).
    """

    def __init__(
        self,
        group: str,
        kind: str,
        base: type,
        error: type[NoeticError],
        *,
        instances: bool = False,
    ) -> None:
        self.group = group
        self.kind = kind
        self.base = base
        self.error = error
        self.instances = instances

    def entry_points(self) -> dict[str, EntryPoint]:
        return _registered(self.group)

    def names(self) -> list[str]:
        """Every registered name, without importing anything."""
        return registered_names(self.group)

    def check_names(self, names: list[str] | tuple[str, ...] | set[str]) -> None:
        """Raise `error` for the first name no installed package registers."""
        known = self.names()
        for name in names:
            if name not in known:
                raise self.error(
                    f"unknown {self.kind} '{name}'",
                    f"use one of: {', '.join(known) or 'none'} "
                    "(or install the plugin that provides it)",
                )

    def load(self, name: str) -> Any:
        """The class (or object) registered under `name`."""
        self.check_names([name])
        found = self.entry_points()[name]
        loaded = found.load()
        fits = (
            isinstance(loaded, self.base)
            if self.instances
            else isinstance(loaded, type) and issubclass(loaded, self.base)
        )
        if not fits:
            what = "instance" if self.instances else "subclass"
            raise self.error(
                f"entry point '{name}' ({found.value}) is not a noetic {self.base.__name__} {what}",
                f'fix the plugin\'s [project.entry-points."{self.group}"] table',
            )
        return loaded

    def package(self, name: str) -> str:
        """The distribution that registers `name` (which a user would reinstall)."""
        return _package(self.group, name)

    def available(self) -> list[PluginInfo]:
        """Every registered plugin with the distribution that provides it, sorted by name."""
        return [
            PluginInfo(
                name=name,
                description=_described(self.load(name)),
                package=self.package(name),
                target=ep.value,
            )
            for name, ep in sorted(self.entry_points().items())
        ]


def _described(plugin: Any) -> str:
    """A plugin's `description`, or the first line of its docstring (a stage function's)."""
    described = getattr(plugin, "description", "")
    if described:
        return str(described)
    return (getattr(plugin, "__doc__", None) or "").strip().split("\n")[0]
