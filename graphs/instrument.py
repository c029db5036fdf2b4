"""One wrapper gives every stage its timing, its structured log event and its progress events,
so roles stay free of bookkeeping and a plugged-in role is observed like a built-in one."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from langgraph.runtime import Runtime

from noetic.agents.runtime import DeliberationContext
from noetic.agents.state import DeliberationState
from noetic.models.base import Usage

Node = Callable[..., Awaitable[dict[str, Any]]]
log = structlog.get_logger("noetic.stage")


def _summary(update: dict[str, Any]) -> dict[str, Any]:
    """The numbers worth a log line and a progress refresh."""
    summary: dict[str, Any] = {}
    if "candidates" in update:
        summary["candidates"] = len(update["candidates"])
        overall = [c.scores.get("overall") for c in update["candidates"]]
        if any(v is not None for v in overall):
            summary["scores"] = [v for v in overall if v is not None]
    for key in ("selected", "mode", "stop_reason"):
        if update.get(key) is not None:
            summary[key] = update[key]
    if update.get("reflection") is not None:
        summary["decision"] = update["reflection"].decision
    return summary


class Stage:
    """Stage `name` running `node`: timed, logged, streamed as start/end events.

    A callable object rather than a closure: LangGraph walks a node function's bytecode for
    subgraphs it might call (about 2 ms a node, every run); an object it takes as it is.
    """

    def __init__(self, name: str, node: Node) -> None:
        self.name = name
        self.node = node

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        round_ = state.get("round")
        runtime.stream_writer({"event": "stage_start", "stage": self.name, "round": round_})
        started = time.perf_counter()
        update = dict(await self.node(state, runtime))
        seconds = time.perf_counter() - started
        usage: Usage = update.get("usage", Usage())
        summary = _summary(update)
        log.info(
            self.name,
            round=round_,
            seconds=round(seconds, 3),
            tokens=usage.total_tokens,
            **summary,
        )
        runtime.stream_writer(
            {
                "event": "stage_end",
                "stage": self.name,
                "round": round_,
                "seconds": seconds,
                **summary,
            }
        )
        update["timings"] = {self.name: seconds}
        return update


def instrument(stage: str, node: Node) -> Stage:
    """Wrap `node` as stage `stage`: time it, log it, stream start/end events."""
    return Stage(stage, node)
