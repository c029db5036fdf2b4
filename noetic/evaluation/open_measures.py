"""Judge-independent measures of an answer to an open task, from the item's hand-written parts
and reference: what the `open` suite reports, so a change to the judge cannot grade itself.

- `coverage`: the share of the item's annotated parts the answer addresses (each part is
  alternative word starts, `ferment|yeast`, matched case-insensitively at a word's start);
- `reference_f1`: content-word F1 against the reference answer (stems, function words left
  out): how much of what a good answer says this one says too;
- `hollow`: a loop (a quarter of its word 4-grams repeat) or an echo (fewer than `MIN_NEW`
  content words that the task does not already have), or nothing at all;
- `words`: the answer's length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from noetic.agents.signals.task_parts import content_stems

LOOP_SHARE = 0.25
MIN_NEW = 4
_WORD = re.compile(r"[\w']+")


def part_coverage(parts: Sequence[str], answer: str) -> float | None:
    """Share of `parts` found in `answer`; None for an item without parts."""
    if not parts:
        return None
    found = sum(bool(re.search(rf"\b(?:{part})", answer, re.I)) for part in parts)
    return found / len(parts)


def reference_f1(reference: str, answer: str) -> float:
    """Content-word F1 of `answer` against `reference` (0 when either has none)."""
    ours, theirs = content_stems(answer), content_stems(reference)
    common = len(ours & theirs)
    if not common:
        return 0.0
    precision, recall = common / len(ours), common / len(theirs)
    return 2 * precision * recall / (precision + recall)


def _loops(answer: str) -> bool:
    tokens = _WORD.findall(answer.lower())
    grams = [tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3)]
    return bool(grams) and 1 - len(set(grams)) / len(grams) > LOOP_SHARE


def hollow(task: str, answer: str) -> bool:
    """Whether the answer loops, only echoes the task, or is empty."""
    return _loops(answer) or len(content_stems(answer) - content_stems(task)) < MIN_NEW


def word_count(answer: str) -> int:
    return len(_WORD.findall(answer))
