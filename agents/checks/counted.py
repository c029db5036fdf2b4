"""A check on how many times something occurs in the answer, within bounds the task states.

Subclasses say what they count (`count`), in which unit messages speak, and which words of a
task name that unit (`unit_pattern`); `infer` then reads "at most 50 words", "less than 5
sentences" and "between 2 and 4 paragraphs" alike.
"""

from __future__ import annotations

from typing import Any, ClassVar, Self

from pydantic import Field, model_validator

from noetic.agents.checks.base import Check
from noetic.agents.checks.phrases import counts
from noetic.errors import CheckError
from noetic.record import CheckResult
from noetic.settings import CheckSpec


class Counted(Check):
    """Passes when `at_least <= count(text) <= at_most` (either may be open)."""

    unit: ClassVar[str]
    unit_pattern: ClassVar[str | None] = None
    bare_counts: ClassVar[bool] = True  # "in 3 sentences" means exactly 3

    at_least: int | None = Field(None, ge=0)
    at_most: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _bounded(self) -> Self:
        if self.at_least == 0:
            object.__setattr__(self, "at_least", None)  # "at least 0" bounds nothing
        if self.at_least is None and self.at_most is None:
            raise ValueError("give at_least, at_most or both")
        if self.at_least is not None and self.at_most is not None and self.at_least > self.at_most:
            raise ValueError("at_least is above at_most")
        return self

    @classmethod
    def value_params(cls, op: str, value: str, spec: CheckSpec) -> dict[str, Any]:
        """`<=N`, `>=N`, `<N`, `>N`, `=N` or `=A..B` as `at_least` / `at_most`."""
        low, _, high = value.partition("..")
        try:
            a, b = (int(low) if low else None), (int(high) if high else None)
        except ValueError:
            raise CheckError(
                f"check '{spec}' needs a whole number, not '{value}'",
                f"write {cls.name}<=N, {cls.name}>=N, {cls.name}=N or {cls.name}=A..B",
            ) from None
        bounds = {
            "=": (a, b) if ".." in value else (a, a),
            "<=": (None, a), "<": (None, None if a is None else a - 1),
            ">=": (a, None), ">": (None if a is None else a + 1, None),
        }[op]  # fmt: skip
        return {"at_least": bounds[0], "at_most": bounds[1]}

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        if cls.unit_pattern is None:
            return []
        return [
            cls(at_least=low, at_most=high).read_from(phrase)
            for (low, high), phrase in counts(cls.unit_pattern, task, bare=cls.bare_counts)
            if (low, high) != (None, None) and (high is None or high >= 0)
        ]

    def count(self, text: str) -> int:
        raise NotImplementedError

    def wanted(self) -> str:
        low, high = self.at_least, self.at_most
        if low is not None and low == high:
            return f"exactly {low} {self.unit}"
        if low is not None and high is not None:
            return f"{low} to {high} {self.unit}"
        return f"at least {low} {self.unit}" if high is None else f"at most {high} {self.unit}"

    def run(self, task: str, text: str) -> CheckResult:
        n = self.count(text)
        if self.at_least is not None and n < self.at_least:
            return self.result(False, n / max(1, self.at_least), f"{self.wanted()}, not {n}")
        if self.at_most is not None and n > self.at_most:
            return self.result(False, self.at_most / n, f"{self.wanted()}, not {n}")
        return self.result(True, 1.0, f"{self.wanted()}: {n}")
