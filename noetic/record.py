"""The run's record: what a deliberation keeps of each round, as checkpoints, the JSON result and
the reports hold it.

It sits on the ground floor, below the models, stores and roles that write it, so every layer
reads one definition. The roles' output schemas (`noetic.agents.schemas`) build on its types.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    NonNegativeInt,
    StringConstraints,
)

_LEADING_JUNK = re.compile(r"^[\s\W_]+(?=\w)|^[\s\W_]+$")


def _clean_prose(text: str) -> str:
    """Small models under a JSON grammar often open a string with stray `}`, `,` or a newline;
    strip that so a string of nothing but junk fails `min_length` and is resampled."""
    return _LEADING_JUNK.sub("", text).strip()


Prose = Annotated[str, AfterValidator(_clean_prose)]
Mode = Literal["safe", "experimental"]
Concept = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=40)]
Rating = Annotated[float, Field(ge=0, le=10)]

StopReason = Literal[
    "max_tokens",
    "max_seconds",
    "checks_passed",
    "stopped_by_meta_thinker",
    "converged",
    "max_rounds",
]
BUDGET_REASONS: frozenset[str] = frozenset({"max_tokens", "max_seconds"})
SETTLED_REASONS: frozenset[str] = BUDGET_REASONS | {"checks_passed"}
"""Stops after which the best thought is the answer, with no synthesis: the budget is spent, or
a thought verifiably does what the task asks (a synthesis would have to be checked again)."""


class CheckResult(BaseModel):
    """One check's verdict on one candidate."""

    model_config = ConfigDict(frozen=True)

    name: str
    passed: bool
    score: float = Field(ge=0, le=1)
    message: str = Field(max_length=240)
    hard: bool = True
    source: str = Field(
        "", description="The task's words the check was read from; empty when the user named it."
    )


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
    strategy: str | None = None
    """How it was drawn (`greedy`, `refine`, or a policy's strategy); None for a role's own."""

    @classmethod
    def proposed(cls, round_: int, index: int, text: str, concepts: list[str]) -> Candidate:
        """The `index`-th thought proposed in round `round_`: its id (`r2c0`) is what sources,
        reports and steering name it by."""
        return cls(id=f"r{round_}c{index}", round=round_, text=text, concepts=concepts)


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
    """A memory recalled into a round's prompt, with where it came from: `task` is the earlier
    run's, which states the facts its answer was written from."""

    run_id: str
    round: int
    kind: str
    role: str
    text: str
    score: float
    task: str = ""


class Lesson(BaseModel):
    """What an earlier run learned on a kind of task (`task_kind`, what its hard checks verify:
    `sentences+required_terms`, or `open`): what failed there and what fixed it, one line made by
    rule from the judge's verdicts, never by a model. Experience, not an answer to copy: it is
    recalled for tasks of the same kind, whatever their subject. `score` is its recall score."""

    text: str
    task_kind: str
    run_id: str
    task: str = ""
    round: int = 0
    score: float = 0.0


class RoundRecord(BaseModel):
    """Everything one round produced, as the JSON result and the reports show it."""

    round: int
    mode: Mode
    focus: str
    candidates: list[Candidate]
    selected: int | None
    reflection: Reflection | None = None
    recalled: list[Recollection] = Field(default_factory=list)
    lessons: list[Lesson] = Field(default_factory=list)
    anchors: list[str] = Field(default_factory=list)
    human: HumanDecision | None = None
