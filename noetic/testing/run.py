"""A run for a test in one call: filler model, deterministic embedder, a home of the test's own.

A test of a role needs the whole deliberation around it (state, context, policies, memory,
checkpoints); this wires them up the way the project's own tests do, so the role is all the
test has to name.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from os import PathLike
from pathlib import Path
from typing import Any

from noetic.agents.base import Role
from noetic.graphs import DeliberationGraph, GraphSpec, build_deliberation_graph
from noetic.models.base import ChatModel, Embedder
from noetic.runs.api import adeliberate
from noetic.runs.result import DeliberationResult
from noetic.settings import NoeticSettings
from noetic.testing.embedders import HashingEmbedder
from noetic.testing.filler import FillerModel

Graph = DeliberationGraph | GraphSpec | str | Mapping[str, Role[Any]] | None
"""What `adeliberate` runs (a graph, a spec, a registered graph's name), or roles to seat."""


async def arun_graph(
    graph: Graph = None,
    *,
    task: str,
    home: str | PathLike[str],
    model: ChatModel | None = None,
    embedder: Embedder | None = None,
    rounds: int = 1,
    **kwargs: Any,
) -> DeliberationResult:
    """Deliberate on `task` with every store under `home` (pytest's `tmp_path`).

    `graph` is any graph `adeliberate` runs, or roles to seat in the prebuilt one
    (`{"critique": MyCritic()}`); `model` defaults to a `FillerModel`, `embedder` to a
    `HashingEmbedder`. Settings start from the defaults, not from `noetic.toml`, so a test means
    the same on every machine; `kwargs` are `adeliberate`'s (settings such as `candidates=2`,
    `run_id`, `role_models`, ...).
    """
    if isinstance(graph, Mapping):
        graph = build_deliberation_graph(graph)
    return await adeliberate(
        task,
        settings=NoeticSettings(home=Path(home), rounds=rounds),
        model=model or FillerModel(),
        embedder=embedder or HashingEmbedder(),
        graph=graph,
        **kwargs,
    )


def run_graph(graph: Graph = None, **kwargs: Any) -> DeliberationResult:
    """Synchronous `arun_graph` (same arguments), for tests without an event loop."""
    return asyncio.run(arun_graph(graph, **kwargs))
