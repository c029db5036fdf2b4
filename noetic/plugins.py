"""Entry-point plugins: roles (`noetic.roles`) and checks (`noetic.checks`) register the same way,
so a plugin package adds either without touching Noetic, and both are listed by name without
being imported. This sits on the ground floor: settings validate role names against it."""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

from pydantic import BaseModel

from noetic.errors import NoeticError

ROLES_GROUP = "noetic.roles"
CHECKS_GROUP = "noetic.checks"


def registered_names(group: str) -> list[str]:
    """The names registered in an entry point group, without importing any of them: settings
    check `[roles.NAME]` with this, below the layer the roles live in."""
    return sorted(ep.name for ep in entry_points(group=group))


class PluginInfo(BaseModel):
    """A registered plugin as `noetic roles` / `noetic checks` list it."""

    name: str
    description: str
    package: str
    target: str


class PluginGroup:
    """One entry point group: names, loading by name (checked against `base`), and listing."""

    def __init__(self, group: str, kind: str, base: type, error: type[NoeticError]) -> None:
        self.group = group
        self.kind = kind
        self.base = base
        self.error = error

    def entry_points(self) -> dict[str, EntryPoint]:
        return {ep.name: ep for ep in entry_points(group=self.group)}

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

    def load(self, name: str) -> type:
        """The class registered under `name`."""
        self.check_names([name])
        found = self.entry_points()[name]
        loaded = found.load()
        if not (isinstance(loaded, type) and issubclass(loaded, self.base)):
            raise self.error(
                f"entry point '{name}' ({found.value}) is not a noetic {self.base.__name__} "
                "subclass",
                f'fix the plugin\'s [project.entry-points."{self.group}"] table',
            )
        return loaded

    def available(self) -> list[PluginInfo]:
        """Every registered plugin with the distribution that provides it, sorted by name."""
        return [
            PluginInfo(
                name=name,
                description=getattr(self.load(name), "description", ""),
                package=ep.dist.name if ep.dist else "unknown",
                target=ep.value,
            )
            for name, ep in sorted(self.entry_points().items())
        ]
