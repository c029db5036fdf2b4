"""Running a deliberation: load the models, open the run's checkpoint, stream the graph, and
turn the final state into a `DeliberationResult`.

Every run is a LangGraph thread in the SQLite checkpointer under `NOETIC_HOME`, keyed by run id.
"""

from __future__ import annotations

import asyncio
import secrets
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from importlib.metadata import version
from typing import Any

import structlog
from langgraph.graph import StateGraph

from noetic.checkpoints import open_checkpointer
from noetic.errors import NoeticError, RunStateError
from noetic.graphs import DeliberationContext, build_deliberation_graph
from noetic.graphs.state import DeliberationState
from noetic.models.base import ChatModel, Embedder, Usage
from noetic.models.factory import load_chat_model
from noetic.policies import load_policies
from noetic.result import DeliberationResult, UsageReport
from noetic.settings import NoeticSettings
from noetic.stores import open_stores

log = structlog.get_logger("noetic.run")

EventHandler = Callable[[dict[str, Any]], None]
MAX_TASK_CHARS = 4000


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def check_task(task: str) -> str:
    task = task.strip()
    if not task:
        raise NoeticError(
            "the task is empty", 'pass the question to deliberate on: noetic run "..."'
        )
    if len(task) > MAX_TASK_CHARS:
        raise NoeticError(
            f"the task is {len(task)} characters long (limit {MAX_TASK_CHARS})",
            "shorten it, or put background material in memory instead",
        )
    return task


def _result(state: dict[str, Any], model: ChatModel, seconds: float) -> DeliberationResult:
    usage: Usage = state.get("usage", Usage())
    return DeliberationResult(
        run_id=state["run_id"],
        task=state["task"],
        answer=state.get("answer") or "",
        stop_reason=state.get("stop_reason") or "unknown",
        rounds=state.get("history", []),
        sources=state.get("sources", []),
        mode_switches=state.get("mode_switches", []),
        usage=UsageReport(**usage.as_dict()),
        timings={**state.get("timings", {}), "total": round(seconds, 3)},
        model=model.name,
        version=version("noetic"),
    )


async def arun_deliberation(
    task: str,
    settings: NoeticSettings,
    *,
    model: ChatModel | None = None,
    role_models: Mapping[str, ChatModel] | None = None,
    graph: StateGraph | None = None,
    run_id: str | None = None,
    on_event: EventHandler | None = None,
    embedder: Embedder | None = None,
) -> DeliberationResult:
    """Deliberate on `task` and return the result; `on_event` receives stage progress events."""
    task = check_task(task)
    run_id = run_id or new_run_id()
    policies = load_policies(settings.policies)
    model = model or await asyncio.to_thread(load_chat_model, settings.model, seed=settings.seed)
    with open_stores(settings, embedder) as stores:
        context = DeliberationContext(
            settings=settings,
            model=model,
            role_models=role_models or {},
            policies=policies,
            memory=stores.memory,
            accumulator=stores.accumulator,
        )
        return await _run_graph(task, run_id, settings, context, graph, on_event)


async def _run_graph(
    task: str,
    run_id: str,
    settings: NoeticSettings,
    context: DeliberationContext,
    graph: StateGraph | None,
    on_event: EventHandler | None,
) -> DeliberationResult:
    model = context.model
    initial: DeliberationState = {
        "run_id": run_id,
        "task": task,
        "max_rounds": settings.rounds,
        "extensions": 0,
        "round": 1,
        "mode": "safe" if settings.mode == "auto" else settings.mode,
        "focus": task,
    }
    config: Any = {
        "configurable": {"thread_id": run_id},
        "recursion_limit": 12 * (settings.rounds + settings.budget.extra_rounds) + 20,
    }
    structlog.contextvars.bind_contextvars(run_id=run_id)
    started = time.perf_counter()
    try:
        async with open_checkpointer(settings.home) as saver:
            if await saver.aget_tuple(config) is not None:
                raise RunStateError(
                    f"run id {run_id} already exists in {settings.home}",
                    "pick another --run-id, or omit it to get a fresh one",
                )
            app = (graph or build_deliberation_graph()).compile(checkpointer=saver)
            log.info(
                "run_started",
                task=task,
                rounds=settings.rounds,
                mode=settings.mode,
                model=model.name,
            )
            if on_event:
                on_event(
                    {
                        "event": "run_start",
                        "run_id": run_id,
                        "task": task,
                        "max_rounds": settings.rounds,
                    }
                )
            async for event in app.astream(initial, config, context=context, stream_mode="custom"):
                if on_event:
                    on_event(event)
            final = (await app.aget_state(config)).values
        result = _result(final, model, time.perf_counter() - started)
        log.info(
            "run_finished",
            stop_reason=result.stop_reason,
            rounds=len(result.rounds),
            tokens=result.usage.total_tokens,
            seconds=result.timings["total"],
        )
        return result
    finally:
        structlog.contextvars.unbind_contextvars("run_id")
