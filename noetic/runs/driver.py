"""Running a deliberation: start one, resume one, or answer one paused for steering.

The runner only drives a graph: the graph comes from the run's stored spec (or the caller), the
models, stores and run store from a session (`noetic.runs.session`), lent or opened here. Every step
is durable: whatever stops a run (Ctrl-C, kill -9, a server going away), `resume` continues from
the last completed step with the settings, policies and graph the run began with.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Callable, Mapping, Sequence
from contextlib import AbstractAsyncContextManager, aclosing, nullcontext
from typing import Any

import structlog
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import StateGraph
from langgraph.types import Command

from noetic import __version__
from noetic.agents import DeliberationContext
from noetic.agents.checks import Check, bind_checks, unread_instructions
from noetic.agents.state import DeliberationState
from noetic.errors import NoeticError, RunStateError
from noetic.graphs import DELIBERATION, DeliberationGraph, GraphSpec, build_graph, graph_spec
from noetic.graphs.assemble import missing_packages, providers
from noetic.graphs.spec import parse_spec
from noetic.graphs.steering import answer_problem
from noetic.policies import Policy, load_policies
from noetic.record import HumanDecision, Mode
from noetic.runs.ids import check_run_id, new_run_id
from noetic.runs.result import DeliberationResult
from noetic.runs.session import Session, open_session
from noetic.runs.stored import (
    latest,
    pending_steering,
    result_from_state,
    resumable,
    run_status,
    thread_config,
)
from noetic.settings import NoeticSettings
from noetic.stores.checkpoints import open_checkpointer, run_store_name
from noetic.tasks import check_task

log = structlog.get_logger("noetic.run")

EventHandler = Callable[[dict[str, Any]], None]


def stored_settings(settings: NoeticSettings) -> dict[str, Any]:
    """The settings a run keeps in its state; secrets and where things are stored stay out of
    the checkpoint."""
    return settings.model_dump(
        mode="json", exclude={"home": True, "checkpoints": True, "memory": {"api_key"}}
    )


def restored_settings(stored: dict[str, Any], current: NoeticSettings) -> NoeticSettings:
    """A resumed run's settings: its own, with today's home, run store and secrets."""
    memory = {**stored.get("memory", {}), "api_key": current.memory.api_key}
    return NoeticSettings.model_validate(
        {**stored, "memory": memory, "home": current.home, "checkpoints": current.checkpoints}
    )


GivenGraph = DeliberationGraph | GraphSpec | str


def _log_checks(task: str, checks: Sequence[Check], inferred: bool) -> None:
    """Each bound check with the words it was read from, and, where checks are read from the
    task, each sentence that sounds like an instruction but bound none."""
    for check in checks:
        log.info("check_bound", check=check.name, source=check.source or "named")
    for sentence in unread_instructions(task, checks) if inferred else []:
        log.info("instruction_unread", sentence=sentence)


def _checked_graph(graph: object) -> GivenGraph | None:
    """`graph` when it is something a run can drive; a compiled graph is one clear line."""
    if graph is None or isinstance(graph, StateGraph | GraphSpec | str):
        return graph
    raise NoeticError(
        f"graph= takes a graph's name, spec or builder, not a {type(graph).__name__}",
        "pass a registered name or TOML path, a GraphSpec, or the StateGraph uncompiled "
        "(e.g. build_deliberation_graph()); noetic compiles it with the run's checkpointer",
    )


async def arun_deliberation(
    task: str,
    settings: NoeticSettings,
    *,
    run_id: str | None = None,
    graph: GivenGraph | None = None,
    session: Session | None = None,
    on_event: EventHandler | None = None,
    stop: asyncio.Event | None = None,
) -> DeliberationResult:
    """Start a deliberation on `task`; `on_event` receives stage progress events.

    `graph` replaces `settings.graph`; `session` lends the run its models and stores (a batch
    shares one), else the run opens its own from `settings`. Setting `stop` ends the run after
    the step in progress, every finished step saved: the result is "incomplete" and
    `aresume_deliberation` continues it.
    """
    policies = load_policies(settings.policies)
    checks = bind_checks(settings.checks, check_task(task), infer=settings.auto_checks)
    _log_checks(task, checks, settings.auto_checks)
    built, stored = _starting_graph(settings, _checked_graph(graph))
    initial: DeliberationState = {
        "run_id": new_run_id() if run_id is None else check_run_id(run_id),
        "task": check_task(task),
        "settings": stored_settings(settings),
        "policies": {mode: policy.model_dump(mode="json") for mode, policy in policies.items()},
        "version": __version__,
        "steer": settings.steer,
        "note": "",
        "max_rounds": settings.rounds,
        "extensions": 0,
        "round": 1,
        "mode": "safe" if settings.mode == "auto" else settings.mode,
        "focus": task.strip(),
        "graph": stored,
    }
    async with _run_store(session, settings) as saver:
        # Before any model loads: a taken run id is a one-line refusal, not a minute's wait.
        if await saver.aget_tuple(thread_config(initial["run_id"])) is not None:  # type: ignore[arg-type]
            raise RunStateError(
                f"run id {initial['run_id']} already exists in {run_store_name(settings)}",
                f"pick another --run-id, or continue it with `noetic resume {initial['run_id']}`",
            )
    async with _session_for(settings, session) as opened:
        return await _drive(
            opened, settings, policies, checks, built, initial["run_id"], initial, on_event, stop
        )


async def aresume_deliberation(
    run_id: str,
    current: NoeticSettings,
    *,
    answer: HumanDecision | None = None,
    base_url: str | None = None,
    graph: GivenGraph | None = None,
    session: Session | None = None,
    on_event: EventHandler | None = None,
    stop: asyncio.Event | None = None,
) -> DeliberationResult:
    """Continue a stored run from its last completed step, or answer its steering pause.

    `base_url` points a run that used a model server at the server's new address. Without a
    `session`, the run opens one from the settings it began with (see `run_settings`); `graph`
    and `stop` are as for `arun_deliberation`.
    """
    async with _run_store(session, current) as saver:
        checkpoint = await latest(saver, run_id, run_store_name(current))
    values = resumable(checkpoint)
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
    settings = _with_base_url(restored_settings(values["settings"], current), base_url)
    policies = {mode: Policy.model_validate(p) for mode, p in values["policies"].items()}
    graph_input: Command[Any] | None = (
        Command(resume=answer.model_dump()) if answer is not None else None
    )
    checks = bind_checks(settings.checks, values["task"], infer=settings.auto_checks)
    built = _stored_graph(run_id, values, _checked_graph(graph))
    async with _session_for(settings, session) as opened:
        return await _drive(
            opened, settings, policies, checks, built, run_id, graph_input, on_event, stop
        )


async def run_settings(
    run_id: str,
    current: NoeticSettings,
    *,
    base_url: str | None = None,
    checkpointer: BaseCheckpointSaver[Any] | None = None,
) -> NoeticSettings:
    """The settings stored run `run_id` began with (today's home, run store and secrets), to
    open a session for resuming it with: its models, memory and accumulator, not today's."""
    async with nullcontext(checkpointer) if checkpointer else open_checkpointer(current) as saver:
        checkpoint = await latest(saver, run_id, run_store_name(current))
    stored = checkpoint.checkpoint["channel_values"]["settings"]
    return _with_base_url(restored_settings(stored, current), base_url)


def _with_base_url(settings: NoeticSettings, base_url: str | None) -> NoeticSettings:
    if base_url is None:
        return settings
    return settings.model_copy(
        update={"model": settings.model.model_copy(update={"base_url": base_url})}
    )


def _run_store(
    session: Session | None, settings: NoeticSettings
) -> AbstractAsyncContextManager[BaseCheckpointSaver[Any]]:
    """The session's run store (left open for it), else the one `settings` name, for the block."""
    return nullcontext(session.checkpointer) if session else open_checkpointer(settings)


def _session_for(
    settings: NoeticSettings, session: Session | None
) -> AbstractAsyncContextManager[Session]:
    """The session lent (left open for its owner), else one opened from `settings`."""
    return nullcontext(session) if session else open_session(settings)


def _starting_graph(
    settings: NoeticSettings, given: DeliberationGraph | GraphSpec | str | None
) -> tuple[DeliberationGraph, dict[str, Any] | None]:
    """The graph a new run drives, and what its state keeps of it: the spec with the package
    behind each part, or None for a graph built in Python (which only Python can hand back)."""
    if isinstance(given, StateGraph):
        return given, None
    spec = given if isinstance(given, GraphSpec) else graph_spec(given or settings.graph)
    spec = spec.seat(settings.stages)
    stored = {"spec": spec.model_dump(mode="json"), "packages": providers(spec)}
    return build_graph(spec), stored


def _stored_graph(
    run_id: str, values: dict[str, Any], given: DeliberationGraph | GraphSpec | str | None
) -> DeliberationGraph:
    """The graph a run was made with, rebuilt from its state (a graph given wins)."""
    if isinstance(given, StateGraph):
        return given
    if given is not None:
        return build_graph(given if isinstance(given, GraphSpec) else graph_spec(given))
    if "graph" not in values:  # stored before runs kept their graph: the prebuilt one
        return build_graph(DELIBERATION)
    if values["graph"] is None:
        raise RunStateError(
            f"run '{run_id}' was made with a graph built in Python, which a run cannot store",
            f"continue it from Python with the same graph: aresume({run_id!r}, graph=...)",
        )
    spec = parse_spec(values["graph"]["spec"], f"the graph stored with run '{run_id}'")
    missing_packages(spec, values["graph"]["packages"])
    return build_graph(spec)


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
    session: Session,
    settings: NoeticSettings,
    policies: Mapping[Mode, Policy],
    checks: Sequence[Check],
    graph: DeliberationGraph,
    run_id: str,
    graph_input: DeliberationState | Command[Any] | None,
    on_event: EventHandler | None,
    stop: asyncio.Event | None,
) -> DeliberationResult:
    """Drive `graph` on the session's resources until it ends, pauses or is stopped."""
    fresh = isinstance(graph_input, dict)
    model = session.models.model
    if isinstance(graph_input, dict):
        graph_input["model"] = model.name
    rounds_ceiling = settings.rounds + settings.budget.extra_rounds
    config: Any = {
        **thread_config(run_id),
        # every node once a round, with room for a plugin's detours
        "recursion_limit": (len(graph.nodes) + 4) * rounds_ceiling + 20,
    }
    emit = on_event or (lambda event: None)
    context = DeliberationContext(
        settings=settings,
        model=model,
        role_models=session.models.role_models,
        policies=policies,
        memory=session.stores.memory,
        accumulator=session.stores.accumulator,
        embedder=session.stores.embedder,
        checks=checks,
    )
    app = graph.compile(checkpointer=session.checkpointer)
    structlog.contextvars.bind_contextvars(run_id=run_id)
    try:
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
        checkpoint = await latest(session.checkpointer, run_id, run_store_name(settings))
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
        structlog.contextvars.unbind_contextvars("run_id")
