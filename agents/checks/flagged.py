"""A check with no parameters that a task states in a fixed set of phrasings ("in all lowercase
letters", "no commas"): `phrases` reads them; `holds` says whether the answer obeys."""

from __future__ import annotations

import re
from typing import ClassVar, Self

from noetic.agents.checks.base import Check
from noetic.record import CheckResult


class Flagged(Check):
    phrases: ClassVar[re.Pattern[str]]
    fix: ClassVar[str]

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        m = cls.phrases.search(task)
        return [cls().read_from(m.group(0))] if m else []

    def holds(self, text: str) -> bool:
        raise NotImplementedError

    def run(self, task: str, text: str) -> CheckResult:
        if self.holds(text):
            return self.result(True, 1.0, f"holds: {self.description.rstrip('.').lower()}")
        return self.result(False, 0.0, self.fix)
