"""What an evaluation records: one `ItemRecord` per configuration and task, and one `EvalRow`
per configuration summarizing them (the table, the CSV, `--json` and the plot)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from noetic.record import Mode


class ItemRecord(BaseModel):
    """One configuration's answer to one task, with its cost and its scores."""

    config: str
    model: str
    item_id: str
    kind: str
    task: str = ""
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
    coverage: float | None = Field(None, description="Share of the item's parts addressed.")
    reference_f1: float | None = Field(None, description="Content-word F1 to the reference.")
    hollow: bool | None = Field(None, description="A loop, an echo of the task, or empty.")
    words: int | None = None
    modes: list[Mode] | None = Field(
        None, description="Each round's mode (deliberating configurations): where auto switched."
    )


class EvalRow(BaseModel):
    """One configuration's totals. `accuracy` is the share answered right (arithmetic) or with
    every check passed (constraints); null for open suites, measured by `coverage` and
    `reference_f1` (and an LLM judge's mean score 0-10 where one was asked for, which
    `ci_low`/`ci_high` bound like accuracy, at 95%). `quality` is the judgment signals' mean
    score where the suite has checks."""

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
    coverage: float | None = None
    coverage_ci_low: float | None = None
    coverage_ci_high: float | None = None
    reference_f1: float | None = None
    reference_f1_ci_low: float | None = None
    reference_f1_ci_high: float | None = None
    hollow: float | None = Field(None, description="Share of answers that loop or echo.")
    words: float | None = Field(None, description="Answer length in words, mean.")
    total_tokens: int
    median_tokens: float = Field(0, description="Tokens per item, median.")
    seconds: float

    @property
    def score(self) -> float | None:
        """What the plot puts on its y axis: accuracy, the judge's mean score, or coverage."""
        if self.accuracy is not None:
            return self.accuracy
        return self.judge if self.judge is not None else self.coverage


class PairedRow(BaseModel):
    """`config` against the reference on the same items: the mean per-item difference of a
    measure (reference minus config) with its 95% interval, and both configs' tokens."""

    reference: str
    config: str
    measure: str = Field("score", description="score (right, or the judge's), or an open one.")
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
