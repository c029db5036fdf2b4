"""What an evaluation records: one `ItemRecord` per configuration and task, and one `EvalRow`
per configuration summarizing them (the table, the CSV, `--json` and the plot)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ItemRecord(BaseModel):
    """One configuration's answer to one task, with its cost and its scores."""

    config: str
    model: str
    item_id: str
    kind: str
    answer: str
    candidates: list[str]
    tokens: int
    seconds: float
    error: str | None = Field(None, description="Why the model gave no answer (scored wrong).")
    expected: int | None = None
    extracted: int | None = None
    correct: bool | None = None
    judge: float | None = None
    checks_passed: bool | None = Field(None, description="The item's checks all pass.")
    quality: float | None = Field(
        None, description="The judgment signals' weighted score (0..1), checks left out."
    )
    distinct_2: float | None = None
    dispersion: float | None = None
    novelty: float | None = None


class EvalRow(BaseModel):
    """One configuration's totals. `accuracy` is the share answered right (arithmetic) or with
    every check passed (constraints); null for creative suites, whose quality is the judge's
    mean score (0-10); `ci_low`/`ci_high` bound whichever of the two applies (95%). `quality`
    is the judgment signals' mean score where the suite has checks."""

    config: str
    strategy: str
    model: str
    n: int = Field(description="Items attempted.")
    failed: int = Field(0, description="Items the model failed to answer at all (scored wrong).")
    accuracy: float | None = None
    correct: int | None = None
    unreadable: int | None = Field(None, description="Answers with no number in them.")
    judge: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    quality: float | None = None
    quality_ci_low: float | None = None
    quality_ci_high: float | None = None
    distinct_2: float | None = None
    dispersion: float | None = None
    novelty: float | None = None
    total_tokens: int
    median_tokens: float = Field(0, description="Tokens per item, median.")
    seconds: float

    @property
    def score(self) -> float | None:
        """What the plot puts on its y axis: accuracy, or the judge's mean score."""
        return self.accuracy if self.accuracy is not None else self.judge


class PairedRow(BaseModel):
    """`config` against the reference on the same items: the mean per-item difference of the
    score (reference minus config) with its 95% interval, and both configs' tokens."""

    reference: str
    config: str
    n: int
    difference: float
    ci_low: float | None
    ci_high: float | None
    reference_tokens: float = Field(description="Median tokens per item of the reference.")
    config_tokens: float = Field(description="Median tokens per item of the config.")


class EvalReport(BaseModel):
    suite: str
    items: int
    rows: list[EvalRow]
    paired: list[PairedRow] = []
    records: list[ItemRecord]
    seconds: float
    match_tokens: bool = False
