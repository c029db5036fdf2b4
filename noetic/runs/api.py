"""The Python entry points: `deliberate` / `adeliberate` start a run, `resume` / `aresume`
continue a stored one (or answer its steering pause).

They return the same `DeliberationResult` the CLI prints with `--json`. Settings come from
`noetic.toml` and `NOETIC_*` like the CLI's, with keyword overrides on top.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from contextlib import AbstractAsyncContextManager, nullcontext
from dataclasses import dataclass, fields
from typing import Any

import structlog
from langgraph.checkpoint.base import BaseCheckpointSaver

from noetic.graphs import DeliberationGraph, GraphSpec
from noetic.logging import configure_logging
from noetic.models.base import ChatModel, Embedder
from noetic.record import HumanDecision
from noetic.runs.driver import EventHandler, aresume_deliberation, arun_deliberation, run_settings
from noetic.runs.result import DeliberationResult
from noetic.runs.session import Session, open_session
from noetic.settings import NoeticSettings, load_settings, settings_with


def _settings(settings: NoeticSettings | None, overrides: dict[str, Any]) -> NoeticSettings:
    """Settings for a call; structlog gets Noetic's configuration unless the caller set one."""
    if settings is None:
        settings = load_settings(**overrides)
    elif overrides:
        # Validated, as from `load_settings`: `checks=["required_terms"]` becomes specs.
        settings = settings_with(settings, **overrides)
    if not structlog.is_configured():
        configure_logging(json=settings.log_json, level=settings.log_level)
    return settings


async def adeliberate(
    task: str,
    *,
    settings: NoeticSettings | None = None,
    model: ChatModel | None = None,
    role_models: Mapping[str, ChatModel] | None = None,
    graph: DeliberationGraph | GraphSpec | str | None = None,
    run_id: str | None = None,
    on_event: EventHandler | None = None,
    embedder: Embedder | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    session: Session | None = None,
    stop: asyncio.Event | None = None,
    **overrides: Any,
) -> DeliberationResult:
    """Deliberate on `task`. `overrides` are settings (rounds=3, mode="safe", ...).

    `model` / `role_models` replace the models the settings name, `embedder` the memory's
    embedder. `graph` is the graph to run instead of `settings.graph`: a registered name, a TOML
    spec's path, a `GraphSpec` (all three stored with the run, so `noetic resume` rebuilds it), or
    an uncompiled `StateGraph` built in Python (which only `aresume(graph=...)` can continue).
    `checkpointer` stores the run in any LangGraph checkpointer instead of `NOETIC_HOME`'s
    SQLite file (pass the same one to `aresume`). `session` (from `noetic.open_session`) lends
    models, stores and run store opened once for many runs. Setting `stop` ends the run after its
    current step, resumable with `aresume`.
    """
    settings = _settings(settings, overrides)
    given = Given(model, role_models, embedder, checkpointer)
    async with given.session(settings, session) as lent:
        return await arun_deliberation(
            task, settings, run_id=run_id, graph=graph, session=lent, on_event=on_event, stop=stop
        )


def deliberate(task: str, **kwargs: Any) -> DeliberationResult:
    """Synchronous `adeliberate`, for scripts and notebooks without an event loop."""
    return asyncio.run(adeliberate(task, **kwargs))


async def aresume(
    run_id: str,
    *,
    answer: HumanDecision | None = None,
    settings: NoeticSettings | None = None,
    model: ChatModel | None = None,
    role_models: Mapping[str, ChatModel] | None = None,
    graph: DeliberationGraph | GraphSpec | str | None = None,
    on_event: EventHandler | None = None,
    embedder: Embedder | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
    session: Session | None = None,
    stop: asyncio.Event | None = None,
    **overrides: Any,
) -> DeliberationResult:
    """Continue stored run `run_id` with the settings it began with; `answer` a steering pause;
    the rest as for `adeliberate`."""
    current = _settings(settings, overrides)
    given = Given(model, role_models, embedder, checkpointer)
    opening = await run_settings(run_id, current, checkpointer=checkpointer) if given else current
    async with given.session(opening, session) as lent:
        return await aresume_deliberation(
            run_id, current, answer=answer, graph=graph, session=lent, on_event=on_event, stop=stop
        )


@dataclass(frozen=True)
class Given:
    """What a caller hands a run instead of what its settings would open."""

    model: ChatModel | None
    role_models: Mapping[str, ChatModel] | None
    embedder: Embedder | None
    checkpointer: BaseCheckpointSaver[Any] | None

    def __bool__(self) -> bool:
        return any(getattr(self, part.name) for part in fields(self))

    def session(
        self, settings: NoeticSettings, lent: Session | None
    ) -> AbstractAsyncContextManager[Session | None]:
        """The session lent, else one opened around what was given, else None: the runner
        opens its own once it has checked the run id."""
        if lent is not None or not self:
            return nullcontext(lent)
        return open_session(
            settings,
            model=self.model,
            role_models=self.role_models,
            embedder=self.embedder,
            checkpointer=self.checkpointer,
        )


def resume(run_id: str, **kwargs: Any) -> DeliberationResult:
    """Synchronous `aresume`."""
    return asyncio.run(aresume(run_id, **kwargs))
