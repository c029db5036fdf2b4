"""`required_terms`: the answer uses every word the task asks for (CommonGen-style tasks)."""

from __future__ import annotations

from typing import Self

from pydantic import Field

from noetic.agents.checks.base import Check
from noetic.agents.checks.words import listed_terms, uses, words
from noetic.errors import CheckError
from noetic.record import CheckResult


class RequiredTerms(Check):
    """Each term counts if the text uses it or an inflection of it (dogs, baking). The terms
    must be used, not listed: a text with fewer other words than terms fails."""

    name = "required_terms"
    description = "Uses every required word (listed in the task, or given as `terms`)."

    terms: list[str] = Field(default_factory=list)

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        terms = listed_terms(task)
        return [cls(terms=terms).read_from(", ".join(terms))] if terms else []

    def for_task(self, task: str) -> Self:
        if self.terms:
            return self
        terms = listed_terms(task)
        if not terms:
            raise CheckError(
                "check 'required_terms' found no list of words in the task",
                'list them in the task ("use these words: a, b, c") or pass terms',
            )
        return self.model_copy(update={"terms": terms})

    def run(self, task: str, text: str) -> CheckResult:
        missing = [term for term in self.terms if not uses(term, text)]
        if missing:
            return self.result(
                False, 1 - len(missing) / len(self.terms), f"missing: {', '.join(missing)}"
            )
        others = [w for w in words(text) if not any(uses(t, w) for t in self.terms)]
        if len(others) < len(self.terms):
            return self.result(False, 0.5, "use the words in a full sentence, not a list")
        return self.result(True, 1.0, "uses every required word")
