"""The deliberation's state: what flows between stages and what a checkpoint holds.

Keys with reducers accumulate across stages and rounds (history, usage, timings); the rest are
overwritten by the stage that owns them. It lives with the roles, below the graphs that carry
it: a role reads it and returns an update to it.
"""

from __future__ import annotations

import operator
from typing import Annotated, Any, TypedDict

from noetic.models.base import Usage
from noetic.record import (
    Candidate,
    CheckResult,
    HumanDecision,
    Lesson,
    Mode,
    ModeSwitch,
    Recollection,
    Reflection,
    RoundRecord,
    Source,
)


def add_timings(left: dict[str, float], right: dict[str, float]) -> dict[str, float]:
    """Seconds per stage, summed over rounds."""
    merged = dict(left)
    for stage, seconds in right.items():
        merged[stage] = merged.get(stage, 0.0) + seconds
    return merged


class DeliberationState(TypedDict, total=False):
    """State of one deliberation run.

    `settings`, `policies`, `graph`, `version` and `model` are written once at the start, so a
    resumed run continues with the settings, policies and graph it began with, and an
    incompatible version is refused. `graph` is the spec with the package behind each of its
    parts, or None for a graph built in Python.
    """

    run_id: str
    task: str
    settings: dict[str, Any]
    policies: dict[str, Any]
    version: str
    model: str
    steer: bool
    note: str
    max_rounds: int
    extensions: int
    round: int
    mode: Mode
    focus: str
    recalled: list[Recollection]
    lessons: list[Lesson]
    anchors: list[str]
    candidates: list[Candidate]
    selected: int | None
    verified: bool
    human: HumanDecision | None
    reflection: Reflection | None
    history: Annotated[list[RoundRecord], operator.add]
    mode_switches: Annotated[list[ModeSwitch], operator.add]
    usage: Annotated[Usage, operator.add]
    timings: Annotated[dict[str, float], add_timings]
    stop_reason: str | None
    answer: str | None
    answer_from: str | None
    answer_scores: dict[str, float] | None
    answer_checks: list[CheckResult]
    sources: list[Source]
    graph: dict[str, Any] | None
