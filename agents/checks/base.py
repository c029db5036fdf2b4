"""A check: verifiable logic about a candidate, where a small model's own judgment is weakest.

A check is a pydantic model whose fields are its parameters (given in settings, on the command
line or in a suite line, else read from the task by `for_task`). `run` returns pass/fail, a
score in 0..1 for partial credit, and a message short enough for the generator to act on in the
next round ("missing: yeast, lighthouse"). Plugins subclass `Check` and register under the
`noetic.checks` entry point group, as the built-ins do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict

from noetic.record import CheckResult
from noetic.settings import CheckSpec

__all__ = ["Check", "CheckSpec"]


class Check(BaseModel, ABC):
    """Subclasses set `name`, `description`, optionally `hard` (a failing candidate is not
    selected while one that passes exists), and implement `run`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    description: ClassVar[str] = ""
    hard: ClassVar[bool] = True

    def for_task(self, task: str) -> Self:
        """This check with whatever it needs read from `task`; raise `CheckError` when there is
        nothing to check (say what the task or the parameters must give)."""
        return self

    @abstractmethod
    def run(self, task: str, text: str) -> CheckResult:
        """The verdict on `text` as an answer to `task`."""

    def result(self, passed: bool, score: float, message: str) -> CheckResult:
        return CheckResult(
            name=self.name,
            passed=passed,
            score=round(min(1.0, max(0.0, score)), 4),
            message=message[:240],
            hard=self.hard,
        )
