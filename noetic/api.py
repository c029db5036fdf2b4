"""The Python entry points: `deliberate` (sync) and `adeliberate` (async).

Both return the same `DeliberationResult` the CLI prints with `--json`. Settings come from
`noetic.toml` and `NOETIC_*` like the CLI's, with keyword overrides on top.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from langgraph.graph import StateGraph

from noetic.models.base import ChatModel, Embedder
from noetic.result import DeliberationResult
from noetic.runner import EventHandler, arun_deliberation
from noetic.settings import NoeticSettings, load_settings


async def adeliberate(
    task: str,
    *,
    settings: NoeticSettings | None = None,
    model: ChatModel | None = None,
    role_models: Mapping[str, ChatModel] | None = None,
    graph: StateGraph | None = None,
    run_id: str | None = None,
    on_event: EventHandler | None = None,
    embedder: Embedder | None = None,
    **overrides: Any,
) -> DeliberationResult:
    """Deliberate on `task`. `overrides` are settings (rounds=3, mode="safe", ...).

    `embedder` replaces the memory's default llama.cpp embedder (any `Embedder`).
    """
    if settings is None:
        settings = load_settings(**overrides)
    elif overrides:
        settings = settings.model_copy(update=overrides)
    return await arun_deliberation(
        task,
        settings,
        model=model,
        role_models=role_models,
        graph=graph,
        run_id=run_id,
        on_event=on_event,
        embedder=embedder,
    )


def deliberate(task: str, **kwargs: Any) -> DeliberationResult:
    """Synchronous `adeliberate`, for scripts and notebooks without an event loop."""
    return asyncio.run(adeliberate(task, **kwargs))
