"""Automatic measures of open-ended answers: lexical diversity, embedding dispersion, novelty.

They need no reference answer, so they work on tasks that have none; they say how varied and
how new the output is, not whether it is good (that is the judge's job).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence

_WORD = re.compile(r"\w+")


def distinct_n(texts: Sequence[str], n: int = 2) -> float | None:
    """Distinct n-grams over all n-grams of `texts` (distinct-n): 1.0 when nothing repeats,
    near 0 when the candidates say the same thing; None when there is no n-gram at all."""
    grams: list[tuple[str, ...]] = []
    for text in texts:
        words = _WORD.findall(text.lower())
        grams.extend(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
    return len(set(grams)) / len(grams) if grams else None


def jaccard(a: str, b: str) -> float:
    """Word-set overlap of two texts, 0..1 (1 for two texts with no words)."""
    left, right = set(_WORD.findall(a.lower())), set(_WORD.findall(b.lower()))
    return len(left & right) / len(left | right) if left | right else 1.0


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two L2-normalized vectors (what embedders return)."""
    return sum(x * y for x, y in zip(a, b, strict=True))


def dispersion(vectors: Sequence[Sequence[float]]) -> float | None:
    """Mean pairwise cosine distance of the candidates' embeddings; None below two."""
    pairs = list(itertools.combinations(vectors, 2))
    if not pairs:
        return None
    return sum(1.0 - cosine(a, b) for a, b in pairs) / len(pairs)


def novelty(vector: Sequence[float], earlier: Sequence[Sequence[float]]) -> float | None:
    """Cosine distance to the nearest earlier answer; None for the first answer."""
    if not earlier:
        return None
    return 1.0 - max(cosine(vector, other) for other in earlier)
