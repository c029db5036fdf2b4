"""Graphs as data: a spec names each node, what sits there (a registered role or stage), and the
edges between nodes, conditional ones by the registered condition that routes them.

A spec is what a run stores, so `resume`, `steer`, `show`, `report` and `graph RUN_ID` rebuild the
graph a run was made with; it round-trips through TOML, so a graph can be written, shared and
seated from config without Python:

    name = "debate"
    description = "Experts speak in turn; a devil's advocate judges."
    edges = [["START", "open"], ["open", "critique"], ["critique", "select"]]

    [nodes]
    open = "acoustics_expert"
    critique = "devils_advocate"
    select = "select"

    [[branches]]
    from = "select"
    condition = "after_select"
    routes = { reflect = "END", reinforce = "END" }
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from noetic.errors import GraphSpecError, first_problem

START, END = "START", "END"
Name = Annotated[str, StringConstraints(pattern=r"^[A-Za-z_][A-Za-z0-9_-]{0,63}$")]


class Branch(BaseModel):
    """A conditional edge: after `source`, `condition(state)` returns a key of `routes`, and the
    run goes on at that node (or `END`)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source: Name = Field(alias="from")
    condition: Name
    routes: dict[str, Name]


class GraphSpec(BaseModel):
    """A deliberation graph as data: node name -> occupant, plain edges, conditional branches."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Name
    description: str = ""
    nodes: dict[Name, Name]
    edges: list[tuple[Name, Name]] = []
    branches: list[Branch] = []

    @model_validator(mode="after")
    def _wired(self) -> GraphSpec:
        """Every edge joins known nodes, and the graph has exactly one way in."""
        for reserved in (START, END):
            if reserved in self.nodes:
                raise ValueError(f"{reserved} is the graph's own boundary, not a node name")
        ends = {*self.nodes, START, END}
        for source, target in [
            *self.edges,
            *((b.source, t) for b in self.branches for t in b.routes.values()),
        ]:
            for node in (source, target):
                if node not in ends:
                    raise ValueError(f"an edge names the node {node!r}, which is not in [nodes]")
        entries = [t for s, t in self.edges if s == START]
        if len(entries) != 1:
            raise ValueError(f"the graph needs exactly one edge from START (it has {len(entries)})")
        return self

    def seat(self, occupants: Mapping[str, str]) -> GraphSpec:
        """This spec with other roles or stages at the named nodes (`--stage critique=...`)."""
        unknown = sorted(set(occupants) - set(self.nodes))
        if unknown:
            raise GraphSpecError(
                f"graph '{self.name}' has no node {unknown[0]!r}",
                f"seat a role at one of its nodes: {', '.join(self.nodes)}",
            )
        return self.model_copy(update={"nodes": {**self.nodes, **occupants}})

    def to_toml(self) -> str:
        """The spec as the TOML `load_spec` reads."""
        lines = [f"name = {_quoted(self.name)}", f"description = {_quoted(self.description)}"]
        edges = ", ".join(f"[{_quoted(s)}, {_quoted(t)}]" for s, t in self.edges)
        lines += [f"edges = [{edges}]", "", "[nodes]"]
        lines += [f"{node} = {_quoted(occupant)}" for node, occupant in self.nodes.items()]
        for branch in self.branches:
            routes = ", ".join(f"{key} = {_quoted(to)}" for key, to in branch.routes.items())
            lines += [
                "",
                "[[branches]]",
                f"from = {_quoted(branch.source)}",
                f"condition = {_quoted(branch.condition)}",
                f"routes = {{ {routes} }}",
            ]
        return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_spec(data: object, origin: str) -> GraphSpec:
    """A spec from parsed TOML or stored JSON; what does not validate is one line."""
    try:
        return GraphSpec.model_validate(data)
    except ValidationError as exc:
        where, problem = first_problem(exc)
        raise GraphSpecError(
            f"{origin} is not a valid graph spec ({where + ': ' if where else ''}{problem})",
            "see the README's Graphs section for the format",
        ) from None


def load_spec(path: Path) -> GraphSpec:
    """The spec in a TOML file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise GraphSpecError(
            f"cannot read the graph file {path} ({reason})", "pass a TOML graph spec to --graph"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise GraphSpecError(
            f"the graph file {path} is not valid TOML ({exc})", "fix the TOML syntax"
        ) from None
    return parse_spec(data, str(path))
