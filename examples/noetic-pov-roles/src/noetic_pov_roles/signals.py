"""A text signal a plugin adds to the judge: `concreteness`.

Registered in this package's pyproject.toml under `noetic.signals`; from then on every
candidate's `scores` carries it, `noetic judge` prints it, and a policy weighs it by name
(`[weights] concreteness = 0.2`).
"""

from __future__ import annotations

import re

from noetic.agents.signals.task_parts import TaskReading
from noetic.agents.signals.text import Reading, TextSignal

_CONCRETE = re.compile(r"\d|\bfor (?:example|instance)\b|\bsuch as\b|\be\.g\.", re.I)
_NAME = re.compile(r"(?<=[a-z,;] )[A-Z][a-z]+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


class Concreteness(TextSignal):
    """The share of sentences that give a number, an example or a name: a point of view is
    persuasive when it points at something."""

    name = "concreteness"
    description = "Share of sentences with a number, an example or a proper name."
    label = "concrete"

    def read(self, task: TaskReading, text: str) -> Reading:
        sentences = [s for s in _SENTENCE.split(text.strip()) if s]
        if not sentences:
            return Reading(score=0.0)
        concrete = sum(bool(_CONCRETE.search(s) or _NAME.search(s)) for s in sentences)
        score = concrete / len(sentences)
        return Reading(
            score=score,
            defect="points at nothing: give a number, an example or a name" if score == 0 else None,
        )
