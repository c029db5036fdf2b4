"""The data every role produces or reads: role outputs and the per-round record.

Each role's output is a pydantic model that doubles as the JSON schema its replies are
constrained to, so the field limits here are what keeps a small model's output bounded.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field, NonNegativeInt, StringConstraints

from noetic.agents.checks.base import CheckResult

_LEADING_JUNK = re.compile(r"^[\s\W_]+(?=\w)|^[\s\W_]+$")


def _clean_prose(text: str) -> str:
    """Small models under a JSON grammar often open a string with stray `}`, `,` or a newline;
    strip that so a string of nothing but junk fails `min_length` and is resampled."""
    return _LEADING_JUNK.sub("", text).strip()


Prose = Annotated[str, AfterValidator(_clean_prose)]
Mode = Literal["safe", "experimental"]
Concept = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Rating = Annotated[float, Field(ge=0, le=10)]


class Thought(BaseModel):
    """The associative generator's output: one candidate thought and the concepts it uses."""

    text: Prose = Field(min_length=12, max_length=1200)
    concepts: list[Concept] = Field(min_length=1, max_length=5)


class Critique(BaseModel):
    """The critic's reading of one candidate: each dimension the expected rating 0-10 under the
    model's probabilities of the rating digits (None where the backend gives none), the defects
    seen in the text, and a rationale naming what to fix."""

    relevance: Rating | None = None
    coherence: Rating | None = None
    novelty: Rating | None = None
    risk_flags: list[Annotated[str, StringConstraints(max_length=40)]] = Field(
        default_factory=list, max_length=3
    )
    rationale: Prose = Field(max_length=240)
    defects: list[str] = Field(default_factory=list)


class Reflection(BaseModel):
    """The meta-thinker's reading of the trajectory so far."""

    decision: Literal["continue", "refocus", "stop"]
    reason: Prose = Field(max_length=240)
    next_focus: Prose = Field(max_length=160)


class ModeDecision(BaseModel):
    """The mode switcher's choice for the next round."""

    mode: Mode
    reason: Prose = Field(max_length=200)


class Synthesis(BaseModel):
    """The final answer drawn from the best thoughts."""

    answer: Prose = Field(min_length=12, max_length=3000)


class Candidate(BaseModel):
    """A thought in the record, with its critique, scores and fate (kept even when filtered)."""

    id: str
    round: int
    text: str
    concepts: list[str]
    scores: dict[str, float] = Field(default_factory=dict)
    critique: Critique | None = None
    checks: list[CheckResult] = Field(default_factory=list)
    filtered: str | None = None


class Source(BaseModel):
    """Provenance of the final answer: a selected thought it drew on."""

    round: int
    candidate: int
    id: str
    score: float


class ModeSwitch(BaseModel):
    """A change of mode between rounds, with who or what decided it."""

    after_round: int
    from_mode: Mode
    to_mode: Mode
    reason: str


class HumanDecision(BaseModel):
    """A person's answer at a steering pause: pick a candidate, veto some, leave a note."""

    pick: NonNegativeInt | None = None
    veto: list[NonNegativeInt] = Field(default_factory=list)
    note: str = Field("", max_length=1000)


class Recollection(BaseModel):
    """A memory recalled into a round's prompt, with where it came from."""

    run_id: str
    round: int
    kind: str
    role: str
    text: str
    score: float


class RoundRecord(BaseModel):
    """Everything one round produced, as the JSON result and the reports show it."""

    round: int
    mode: Mode
    focus: str
    candidates: list[Candidate]
    selected: int | None
    reflection: Reflection | None = None
    recalled: list[Recollection] = Field(default_factory=list)
    anchors: list[str] = Field(default_factory=list)
    human: HumanDecision | None = None
