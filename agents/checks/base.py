"""A check: verifiable logic about a candidate, where a small model's own judgment is weakest.

A check is a pydantic model whose fields are its parameters (given in settings, on the command
line or in a suite line, else read from the task by `for_task`). `run` returns pass/fail, a
score in 0..1 for partial credit, and a message short enough for the generator to act on in the
next round ("missing: yeast, lighthouse"). `infer` reads the instruction from a task that states
it ("in at most 50 words"), so a run binds it without being told; the phrase it came from rides
along to the verdicts. Plugins subclass `Check` and register under the `noetic.checks` entry
point group, as the built-ins do.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, PrivateAttr

from noetic.errors import CheckError
from noetic.record import CheckResult
from noetic.settings import CHECK_SPEC_SYNTAX, CheckSpec

__all__ = ["Check", "CheckSpec"]


class Check(BaseModel, ABC):
    """Subclasses set `name`, `description`, optionally `hard` (a failing candidate is not
    selected while one that passes exists), and implement `run`.

    `key_field` and `value_field` name the parameters a spec line's `:KEY` and `=VALUE` set
    (`letter:e=0`); a list field takes a comma-separated value."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    description: ClassVar[str] = ""
    hard: ClassVar[bool] = True
    key_field: ClassVar[str | None] = None
    value_field: ClassVar[str | None] = None

    _source: str = PrivateAttr("")

    @classmethod
    def spec_params(cls, spec: CheckSpec) -> dict[str, Any]:
        """The parameters a spec line gives (its table parameters included)."""
        params = dict(spec.params)
        if spec.key is not None:
            params[cls._field(spec, cls.key_field, "KEY")] = spec.key
        if spec.op is not None and spec.value is not None:
            params |= cls.value_params(spec.op, spec.value, spec)
        return params

    @classmethod
    def value_params(cls, op: str, value: str, spec: CheckSpec) -> dict[str, Any]:
        """The parameters a line's `OP VALUE` sets: `=VALUE` sets `value_field`."""
        if op != "=":
            raise CheckError(
                f"check '{spec}' compares with '{op}', but '{cls.name}' takes no count",
                f"write {cls.name}=VALUE",
            )
        field = cls._field(spec, cls.value_field, "VALUE")
        listed = "list" in str(cls.model_fields[field].annotation)
        return {field: [v.strip() for v in value.split(",")] if listed else value}

    @classmethod
    def _field(cls, spec: CheckSpec, field: str | None, part: str) -> str:
        if field is None:
            raise CheckError(
                f"check '{spec}' gives a {part}, but '{cls.name}' takes none",
                f"write checks as {CHECK_SPEC_SYNTAX}; `noetic checks` lists what each takes",
            )
        return field

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        """This check for each instruction of its kind that `task` states, each `read_from` the
        phrase; none when the task states none or a phrase cannot be read exactly."""
        return []

    def for_task(self, task: str) -> Self:
        """This check with whatever it needs read from `task`; raise `CheckError` when there is
        nothing to check (say what the task or the parameters must give)."""
        return self

    def read_from(self, phrase: str) -> Self:
        """This check, marked as read from `phrase` of the task."""
        self._source = phrase.strip()
        return self

    @property
    def source(self) -> str:
        return self._source

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
            source=self._source,
        )
