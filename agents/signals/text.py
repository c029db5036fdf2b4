"""Signals read from the text alone, registered like checks (`noetic.signals`).

A text signal scores one candidate against the task with no model call: the four built-in ones
read substance (what the answer adds beyond the task). A plugin adds its own by subclassing
`TextSignal` and declaring it:

    [project.entry-points."noetic.signals"]
    rhyme_density = "my_pkg.signals:RhymeDensity"

Every registered signal lands in each candidate's `scores` under its name; a policy gives it
weight by that name (`[weights] rhyme_density = 0.2`), checked against the registry.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from functools import lru_cache
from typing import ClassVar

from pydantic import BaseModel, Field

from noetic.agents.signals.task_parts import TaskReading
from noetic.errors import ConfigError
from noetic.plugins import SIGNALS_GROUP, PluginGroup


class Reading(BaseModel):
    """A signal's verdict on one text: a score 0..1 (higher is better) and, when the score is
    low enough to act on, the defect in words the next round can fix."""

    score: float = Field(ge=0, le=1)
    defect: str | None = None


class TextSignal(ABC):
    """A signal computed from the task and the text: cheap, deterministic, no model."""

    name: ClassVar[str]
    description: ClassVar[str]
    label: ClassVar[str]
    """How a rationale names this signal when it stands out ("specific", "covers the task")."""
    short: ClassVar[str] = ""
    """Its name on a candidate's line in `noetic show` (empty: the name itself)."""
    charted: ClassVar[bool] = False
    """Whether the report charts its mean per round."""

    @abstractmethod
    def read(self, task: TaskReading, text: str) -> Reading | None:
        """The reading of `text` as an answer to `task`; None where the signal does not apply
        (a task that names no parts has no coverage): an absent signal weighs nothing."""


SIGNALS = PluginGroup(SIGNALS_GROUP, "signal", TextSignal, ConfigError)


@lru_cache(maxsize=1)
def text_signals() -> tuple[TextSignal, ...]:
    """One instance of every registered text signal, in name order."""
    return tuple(SIGNALS.load(name)() for name in SIGNALS.names())


def read_all(
    signals: Sequence[TextSignal], task: TaskReading, text: str
) -> tuple[dict[str, float], list[str]]:
    """Every signal's score on `text`, by name, and the defects they found."""
    scores: dict[str, float] = {}
    defects: list[str] = []
    for signal in signals:
        reading = signal.read(task, text)
        if reading is None:
            continue
        scores[signal.name] = round(reading.score, 4)
        if reading.defect:
            defects.append(reading.defect)
    return scores, defects
