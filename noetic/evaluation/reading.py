"""How well checks are read from tasks: each `instructions` item's annotated check lines
against what `infer_checks` reads from its task, counted per check (precision and recall)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel

from noetic.agents.checks import Check, bind_checks, infer_checks
from noetic.evaluation.suites import SuiteItem


class ReadingRow(BaseModel):
    family: str
    right: int
    read: int
    annotated: int

    @property
    def precision(self) -> float:
        return self.right / self.read if self.read else 1.0

    @property
    def recall(self) -> float:
        return self.right / self.annotated if self.annotated else 1.0


def _key(check: Check) -> str:
    params = {k: sorted(v) if isinstance(v, list) else v for k, v in check.model_dump().items()}
    return f"{check.name}{json.dumps(params, sort_keys=True)}"


def reading_rows(items: Iterable[SuiteItem]) -> list[ReadingRow]:
    """One row per check name, then `all`; a read check is right when the annotation binds the
    same check with the same parameters."""
    right: Counter[str] = Counter()
    read: Counter[str] = Counter()
    annotated: Counter[str] = Counter()
    for item in items:
        gold = Counter(_key(c) for c in bind_checks(item.checks, item.task))
        found = Counter(_key(c) for c in infer_checks(item.task))
        for key, n in gold.items():
            annotated[key.split("{")[0]] += n
        for key, n in found.items():
            read[key.split("{")[0]] += n
        for key, n in (gold & found).items():
            right[key.split("{")[0]] += n
    families = sorted(set(read) | set(annotated))
    rows = [
        ReadingRow(family=f, right=right[f], read=read[f], annotated=annotated[f]) for f in families
    ]
    total = ReadingRow(
        family="all",
        right=sum(right.values()),
        read=sum(read.values()),
        annotated=sum(annotated.values()),
    )
    return [*rows, total]
