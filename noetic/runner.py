"""Running a deliberation: start one, resume one, or answer one paused for steering.

All three drive the same graph over the same SQLite checkpointer under `NOETIC_HOME`, durable at
every step: whatever stops a run (Ctrl-C, kill -9, a server going away), `resume` continues from
the last completed step with the settings the run began with.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from contextlib import aclosing, nullcontext
from importlib.metadata import version
from typing import Any

import structlog
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import StateGraph
from langgraph.types import Command

from noetic.agents.checks import Check, bind_checks
from noetic.agents.schemas import HumanDecision, Mode
from noetic.checkpoints import open_checkpointer
from noetic.errors import NoeticError, RunStateError
from noetic.graphs import DeliberationContext, DeliberationGraph, build_deliberation_graph
from noetic.graphs.state import DeliberationState
from noetic.graphs.steering import answer_problem
from noetic.home import usable_home
from noetic.models.base import ChatModel, Embedder
from noetic.models.factory import load_models
from noetic.policies import Policy, load_policies
from noetic.result import DeliberationResult
from noetic.run_ids import check_run_id, new_run_id
from noetic.runs import (
    latest,
    pending_steering,
    result_from_state,
    resumable,
    run_status,
    thread_config,
)
from noetic.settings import NoeticSettings
from noetic.stores import SharedStores, open_stores

log = structlog.get_logger("noetic.run")

EventHandler = Callable[[dict[str, Any]], None]
MAX_TASK_CHARS = 4000
STAGES_PER_ROUND = 14


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


def stored_settings(settings: NoeticSettings) -> dict[str, Any]:
    """The settings a run keeps in its state; secrets stay out of the checkpoint."""
    return settings.model_dump(mode="json", exclude={"home": True, "memory": {"api_key"}})


def restored_settings(stored: dict[str, Any], current: NoeticSettings) -> NoeticSettings:
    """A resumed run's settings: its own, with today's home and secrets."""
    memory = {**stored.get("memory", {}), "api_key": current.memory.api_key}
    return NoeticSettings.model_validate({**stored, "memory": memory, "home": current.home})


class Backends:
    """What a run may be given instead of what its settings would load.

    Concurrent runs in one process share `stores` and `checkpointer`: the embedded Qdrant admits
    one client, and SQLite connections writing side by side can fail as "database is locked".
    """

    def __init__(
        self,
        model: ChatModel | None = None,
        role_models: Mapping[str, ChatModel] | None = None,
        embedder: Embedder | None = None,
        graph: DeliberationGraph | None = None,
        stores: SharedStores | None = None,
        checkpointer: AsyncSqliteSaver | None = None,
    ) -> None:
        self.model = model
        self.role_models = dict(role_models or {})
        self.embedder = embedder
        if graph is not None and not isinstance(graph, StateGraph):
            raise NoeticError(
                f"graph= takes a graph builder, not a {type(graph).__name__}",
                "pass the StateGraph uncompiled (e.g. build_deliberation_graph(...)); noetic "
                "compiles it with the run's checkpointer",
            )
        self.graph = graph
        self.stores = stores
        self.checkpointer = checkpointer


async def arun_deliberation(
    task: str,
    settings: NoeticSettings,
    *,
    run_id: str | None = None,
    backends: Backends | None = None,
    on_event: EventHandler | None = None,
    stop: asyncio.Event | None = None,
) -> DeliberationResult:
    """Start a deliberation on `task`; `on_event` receives stage progress events.

    Setting `stop` ends the run after the step in progress, every finished step saved: the
    result is "incomplete" and `aresume_deliberation` continues it.
    """
    policies = load_policies(settings.policies)
    checks = bind_checks(settings.checks, check_task(task))
    initial: DeliberationState = {
        "run_id": new_run_id() if run_id is None else check_run_id(run_id),
        "task": check_task(task),
        "settings": stored_settings(settings),
        "policies": {mode: policy.model_dump(mode="json") for mode, policy in policies.items()},
        "version": version("noetic"),
        "steer": settings.steer,
        "note": "",
        "max_rounds": settings.rounds,
        "extensions": 0,
        "round": 1,
        "mode": "safe" if settings.mode == "auto" else settings.mode,
        "focus": task.strip(),
    }
    return await _drive(
        settings,
        policies,
        checks,
        initial["run_id"],
        initial,
        backends or Backends(),
        on_event,
        stop,
    )


async def aresume_deliberation(
    run_id: str,
    current: NoeticSettings,
    *,
    answer: HumanDecision | None = None,
    base_url: str | None = None,
    backends: Backends | None = None,
    on_event: EventHandler | None = None,
    stop: asyncio.Event | None = None,
) -> DeliberationResult:
    """Continue a stored run from its last completed step, or answer its steering pause.

    `base_url` points a run that used a model server at the server's new address; `stop` is as
    for `arun_deliberation`.
    """
    async with open_checkpointer(current.home) as saver:
        checkpoint = await latest(saver, run_id, current.home)
    values = resumable(checkpoint, current.home)
    paused = run_status(checkpoint) == "paused"
    if paused and answer is None:
        raise RunStateError(
            f"run '{run_id}' is paused for a person to steer it",
            f"answer with `noetic steer {run_id} --pick N` (or --veto N, --note TEXT)",
        )
    if answer is not None and not paused:
        raise RunStateError(
            f"run '{run_id}' is not paused for steering", f"resume it with `noetic resume {run_id}`"
        )
    if answer is not None:
        _check_answer(run_id, answer, pending_steering(checkpoint) or {})
    settings = restored_settings(values["settings"], current)
    if base_url is not None:
        model = settings.model.model_copy(update={"base_url": base_url})
        settings = settings.model_copy(update={"model": model})
    policies = {mode: Policy.model_validate(p) for mode, p in values["policies"].items()}
    graph_input: Command[Any] | None = (
        Command(resume=answer.model_dump()) if answer is not None else None
    )
    checks = bind_checks(settings.checks, values["task"])
    return await _drive(
        settings, policies, checks, run_id, graph_input, backends or Backends(), on_event, stop
    )


def _check_answer(run_id: str, answer: HumanDecision, request: dict[str, Any]) -> None:
    """Refuse an answer that does not fit the paused round before it reaches the graph, where
    it would be stored with the pause and the run could no longer be answered."""
    count = len(request.get("candidates", []))
    problem = answer_problem(answer, count)
    if problem is not None:
        raise RunStateError(
            f"run '{run_id}' cannot take that answer: {problem}",
            f"name a candidate from 0 to {count - 1}: noetic steer {run_id} --pick N "
            "(the run stays paused)",
        )


async def _drive(
    settings: NoeticSettings,
    policies: Mapping[Mode, Policy],
    checks: Sequence[Check],
    run_id: str,
    graph_input: DeliberationState | Command[Any] | None,
    backends: Backends,
    on_event: EventHandler | None,
    stop: asyncio.Event | None,
) -> DeliberationResult:
    usable_home(settings.home)
    fresh = isinstance(graph_input, dict)
    rounds_ceiling = settings.rounds + settings.budget.extra_rounds
    config: Any = {
        **thread_config(run_id),
        "recursion_limit": STAGES_PER_ROUND * rounds_ceiling + 20,
    }
    emit = on_event or (lambda event: None)
    saver_in_use = (
        nullcontext(backends.checkpointer)
        if backends.checkpointer is not None
        else open_checkpointer(settings.home)
    )
    async with saver_in_use as saver:
        # Before any model loads: a taken run id is a one-line refusal, not a minute's wait.
        if fresh and await saver.aget_tuple(config) is not None:
            raise RunStateError(
                f"run id {run_id} already exists in {settings.home}",
                f"pick another --run-id, or continue it with `noetic resume {run_id}`",
            )
        models = await load_models(settings, backends.model, backends.role_models)
        structlog.contextvars.bind_contextvars(run_id=run_id)
        try:
            model = models.model
            if isinstance(graph_input, dict):
                graph_input["model"] = model.name
            stores_in_use = (
                nullcontext(backends.stores)
                if backends.stores is not None
                else open_stores(settings, backends.embedder)
            )
            with stores_in_use as stores:
                context = DeliberationContext(
                    settings=settings,
                    model=model,
                    role_models=models.role_models,
                    policies=policies,
                    memory=stores.memory,
                    accumulator=stores.accumulator,
                    embedder=stores.embedder,
                    checks=checks,
                )
                app = (backends.graph or build_deliberation_graph()).compile(checkpointer=saver)
                log.info(
                    "run_started" if fresh else "run_resumed",
                    rounds=settings.rounds,
                    mode=settings.mode,
                    model=model.name,
                )
                emit({"event": "run_start", "run_id": run_id, "max_rounds": settings.rounds})
                stream: AsyncGenerator[Any, None] = app.astream(  # type: ignore[assignment]
                    graph_input,
                    config,
                    context=context,
                    stream_mode=["custom", "updates"],
                    durability="sync",
                    subgraphs=True,
                )
                async with aclosing(stream):
                    async for _namespace, kind, event in stream:
                        # stage events; a plugin may stream others
                        if kind == "custom" and isinstance(event, dict):
                            emit(event)
                        elif kind == "updates" and stop is not None and stop.is_set():
                            log.info("run_stopped", reason="stop requested")
                            break
                snapshot = await app.aget_state(config)
                checkpoint = await latest(saver, run_id, settings.home)
            status = run_status(checkpoint)
            result = result_from_state(snapshot.values, status, pending_steering(checkpoint))
            log.info(
                "run_finished" if status == "finished" else "run_paused",
                stop_reason=result.stop_reason,
                rounds=len(result.rounds),
                tokens=result.usage.total_tokens,
                seconds=result.timings["total"],
            )
            return result
        finally:
            await models.aclose()
            structlog.contextvars.unbind_contextvars("run_id")
