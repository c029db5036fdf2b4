"""The roles' output schemas: what each role's reply is constrained to.

Each is a pydantic model that doubles as the JSON schema the reply is sampled under, so the field
limits here are what keeps a small model's output bounded. What the run keeps of them is the
record (`noetic.record`); the critic and the meta-thinker reply in record types directly.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from noetic.record import Concept, Mode, Prose


class Thought(BaseModel):
    """The associative generator's output: one candidate thought and the concepts it uses."""

    text: Prose = Field(min_length=12, max_length=1200)
    concepts: list[Concept] = Field(min_length=1, max_length=5)


class ModeDecision(BaseModel):
    """The mode switcher's choice for the next round."""

    mode: Mode
    reason: Prose = Field(max_length=200)


class Synthesis(BaseModel):
    """The final answer drawn from the best thoughts."""

    answer: Prose = Field(min_length=12, max_length=3000)
