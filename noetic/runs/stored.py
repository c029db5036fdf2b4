"""The runs stored in the checkpointer: list them, read one back as a result, and check that a
run can be resumed.

A run is a LangGraph thread. Its latest checkpoint holds the whole state, so a finished, paused
or crashed run reads back the same way, without loading a model.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from langgraph.checkpoint.base import BaseCheckpointSaver, CheckpointTuple
from pydantic import BaseModel

from noetic import __version__
from noetic.errors import RunStateError
from noetic.models.base import Usage
from noetic.runs.result import DeliberationResult, UsageReport
from noetic.settings import NoeticSettings
from noetic.stores.checkpoints import has_run_store, open_checkpointer, run_store_name

RunStatus = Literal["finished", "paused", "incomplete"]


class RunSummary(BaseModel):
    """One line of `noetic runs`."""

    run_id: str
    task: str
    status: RunStatus
    rounds: int
    max_rounds: int
    mode: str
    stop_reason: str | None
    version: str
    updated_at: datetime


def thread_config(run_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": run_id}}


def pending_steering(checkpoint: CheckpointTuple) -> dict[str, Any] | None:
    """The request a paused run is waiting on a person for, if any."""
    for _, channel, value in checkpoint.pending_writes or []:
        if channel == "__interrupt__":
            interrupts = value if isinstance(value, list | tuple) else [value]
            return interrupts[0].value if interrupts else None
    return None


def run_status(checkpoint: CheckpointTuple) -> RunStatus:
    values = checkpoint.checkpoint["channel_values"]
    if values.get("stop_reason") and "answer" in values:
        return "finished"
    if pending_steering(checkpoint) is not None:
        return "paused"
    return "incomplete"


def compatible(stored: str, current: str) -> bool:
    """Runs resume across patch releases only: state shapes may change between minor ones."""
    return stored.split(".")[:2] == current.split(".")[:2]


async def latest(saver: BaseCheckpointSaver[Any], run_id: str, store: str) -> CheckpointTuple:
    """Run `run_id`'s latest checkpoint; `store` names the run store in the error."""
    found = await saver.aget_tuple(thread_config(run_id))  # type: ignore[arg-type]
    if found is None or "run_id" not in found.checkpoint["channel_values"]:
        raise RunStateError(
            f"no run '{run_id}' in {store}", "list the stored runs with `noetic runs`"
        )
    return found


async def is_stored(settings: NoeticSettings, run_id: str) -> bool:
    """Whether run `run_id` has been stored, so that `resume` can find it."""
    async with open_checkpointer(settings) as saver:
        try:
            await latest(saver, run_id, run_store_name(settings))
        except RunStateError:
            return False
    return True


def resumable(checkpoint: CheckpointTuple) -> dict[str, Any]:
    """The stored state of a run that may be resumed, or a RunStateError saying why not."""
    values = checkpoint.checkpoint["channel_values"]
    run_id, stored = values["run_id"], values.get("version", "unknown")
    if not compatible(stored, __version__):
        raise RunStateError(
            f"run '{run_id}' was written by noetic {stored}, incompatible with {__version__}",
            f"resume it with noetic {stored}, or start it again with `noetic run`",
        )
    if run_status(checkpoint) == "finished":
        raise RunStateError(
            f"run '{run_id}' already finished ({values['stop_reason']})",
            f"read it with `noetic show {run_id}`, or start a new run with `noetic run`",
        )
    return values


def result_from_state(
    values: dict[str, Any], status: RunStatus, steering: dict[str, Any] | None = None
) -> DeliberationResult:
    usage: Usage = values.get("usage", Usage())
    timings: dict[str, float] = values.get("timings", {})
    return DeliberationResult(
        run_id=values["run_id"],
        task=values["task"],
        answer=values.get("answer") or "",
        answer_from=values.get("answer_from"),
        answer_scores=values.get("answer_scores"),
        answer_checks=values.get("answer_checks") or [],
        stop_reason=values.get("stop_reason") if status == "finished" else status,
        rounds=values.get("history", []),
        sources=values.get("sources", []),
        mode_switches=values.get("mode_switches", []),
        usage=UsageReport(**usage.as_dict()),
        timings={**timings, "total": round(sum(timings.values()), 3)},
        model=values.get("model", ""),
        version=values.get("version", ""),
        policies=values.get("policies", {}),
        graph=_graph_spec(values),
        steering=steering,
    )


def _graph_spec(values: dict[str, Any]) -> dict[str, Any] | None:
    """The spec a run drove: stored with it, or (stored before runs kept one) the prebuilt."""
    if "graph" not in values:
        from noetic.graphs import DELIBERATION  # only old runs need it: langgraph.graph is slow

        return DELIBERATION.model_dump(mode="json")
    stored: dict[str, Any] | None = values["graph"]
    return stored["spec"] if stored is not None else None


async def load_result(settings: NoeticSettings, run_id: str) -> DeliberationResult:
    """A stored run as a result, whether finished, paused or interrupted."""
    async with open_checkpointer(settings) as saver:
        checkpoint = await latest(saver, run_id, run_store_name(settings))
    return result_from_state(
        checkpoint.checkpoint["channel_values"],
        run_status(checkpoint),
        pending_steering(checkpoint),
    )


async def list_runs(settings: NoeticSettings) -> list[RunSummary]:
    """Every stored run, most recently updated first."""
    if not has_run_store(settings):
        return []
    summaries = []
    async with open_checkpointer(settings) as saver:
        for run_id in await saver.run_ids():
            checkpoint = await latest(saver, run_id, run_store_name(settings))
            values = checkpoint.checkpoint["channel_values"]
            summaries.append(
                RunSummary(
                    run_id=run_id,
                    task=values["task"],
                    status=run_status(checkpoint),
                    rounds=len(values.get("history", [])),
                    max_rounds=values.get("max_rounds", 0),
                    mode=values.get("mode", ""),
                    stop_reason=values.get("stop_reason"),
                    version=values.get("version", ""),
                    updated_at=datetime.fromisoformat(checkpoint.checkpoint["ts"]),
                )
            )
    return sorted(summaries, key=lambda s: s.updated_at, reverse=True)
