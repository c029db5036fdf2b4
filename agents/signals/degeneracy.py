"""Degeneracy: the failures a small model's text shows on its face, read without any model.

A repetition loop, the task echoed back, nothing said, or a reply cut off mid-sentence: each is
cheap to see in the text and common at 135M, and likelihood alone rewards the first two (a loop
and a copy are what a language model finds most probable). `integrity` is 1 for clean text and
falls with each defect; `defects` names them, so a rationale can say what to fix.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

WORD = re.compile(r"[\w']+")
ENDINGS = (".", "!", "?", '"', "'", ")", "…")
MIN_WORDS = 6


class Degeneracy(BaseModel):
    """What is wrong with a text on its face; `integrity` 1.0 means nothing."""

    integrity: float = Field(ge=0, le=1)
    defects: list[str] = Field(default_factory=list)


def words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text)]


def ngrams(tokens: list[str], n: int) -> list[tuple[str, ...]]:
    return [tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1)]


def repetition(tokens: list[str], n: int = 3) -> float:
    """Share of the text's word n-grams that repeat an earlier one (0: none, near 1: a loop)."""
    grams = ngrams(tokens, n)
    return 1 - len(set(grams)) / len(grams) if grams else 0.0


def echo(tokens: list[str], task: str, n: int = 4) -> float:
    """Share of the text's word n-grams copied from the task (1: the task said back)."""
    grams = ngrams(tokens, n)
    if not grams:
        return 1.0 if tokens and " ".join(tokens) in " ".join(words(task)) else 0.0
    source = set(ngrams(words(task), n))
    return sum(g in source for g in grams) / len(grams)


def degeneracy(text: str, task: str) -> Degeneracy:
    """Integrity of `text` as an answer to `task`, with the defects found."""
    tokens = words(text)
    if len(tokens) < MIN_WORDS:
        return Degeneracy(integrity=0.0, defects=["says almost nothing"])
    defects: list[str] = []
    penalty = 0.0
    repeated = repetition(tokens)
    if repeated > 0.1:
        defects.append("repeats itself")
        penalty += min(1.0, 2 * repeated)
    copied = echo(tokens, task)
    if copied > 0.2:
        defects.append("echoes the task")
        penalty += min(1.0, 1.5 * copied)
    if not text.rstrip().endswith(ENDINGS):
        defects.append("is cut off mid-sentence")
        penalty += 0.5
    return Degeneracy(integrity=round(max(0.0, 1.0 - penalty), 4), defects=defects)
