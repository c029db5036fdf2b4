"""Reading an integer answer out of free text, and self-consistency voting over answers.

Every configuration answers in free text (a deliberation's synthesis is prose too), so all are
scored the same way: the last number in the text, the convention word-problem benchmarks use.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_NUMBER = re.compile(r"(?<![\w.])-?\d+(?:,\d{3})*(?:\.\d+)?")
"""A number not glued to a word or to a preceding digit (so "12-3" reads 12 and 3, not -3)."""


def extract_integer(text: str) -> int | None:
    """The last number in `text` if it is a whole number (12, 1,200, 12.0), else None."""
    matches = _NUMBER.findall(text)
    if not matches:
        return None
    value = float(matches[-1].replace(",", ""))
    return int(value) if value.is_integer() else None


def majority(answers: Sequence[int | None]) -> int | None:
    """The most frequent extracted answer, ignoring unreadable ones; a tie goes to the answer
    seen first, so the vote is deterministic."""
    counts = Counter(a for a in answers if a is not None)
    if not counts:
        return None
    best = max(counts.values())
    return next(a for a in answers if a is not None and counts[a] == best)
