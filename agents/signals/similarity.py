"""Embedding signals: relevance of a candidate to the task, and novelty against the round's
other candidates and against recalled memories.

Mean-pooled embeddings of a small model sit in a narrow cone (unrelated texts still have cosine
0.5 or more), so relevance is read relative to that baseline rather than as a raw cosine.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from noetic.models.base import Embedder

RELEVANCE_FLOOR = 0.5
"""Cosine at or below which a text counts as unrelated to the task (relevance 0)."""

RELEVANCE_CEILING = 0.95
"""Cosine at or above which it counts as fully on the task (relevance 1)."""


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0


def _scaled(cos: float) -> float:
    span = RELEVANCE_CEILING - RELEVANCE_FLOOR
    return round(min(1.0, max(0.0, (cos - RELEVANCE_FLOOR) / span)), 4)


async def similarity(
    embedder: Embedder, task: str, texts: Sequence[str], memories: Sequence[str] = ()
) -> list[dict[str, float]]:
    """Per text: `embed_relevance` to the task; `round_novelty` (how far it is from the nearest
    other text, on the same scale) when there are several; `memory_novelty` likewise against
    the memories, when there are any."""
    vectors = await embedder.embed([task, *texts, *memories])
    task_vector = vectors[0]
    text_vectors = vectors[1 : 1 + len(texts)]
    memory_vectors = vectors[1 + len(texts) :]
    signals = []
    for i, vector in enumerate(text_vectors):
        signal = {"embed_relevance": _scaled(cosine(task_vector, vector))}
        others = [cosine(vector, v) for j, v in enumerate(text_vectors) if j != i]
        if others:
            signal["round_novelty"] = round(1 - _scaled(max(others)), 4)
        if memory_vectors:
            nearest = max(cosine(vector, m) for m in memory_vectors)
            signal["memory_novelty"] = round(1 - _scaled(nearest), 4)
        signals.append(signal)
    return signals


async def task_relevance(embedder: Embedder, task: str, texts: Sequence[str]) -> list[float]:
    """Each text's `embed_relevance` to the task alone (recall uses it to drop memories of
    unrelated runs)."""
    vectors = await embedder.embed([task, *texts])
    return [_scaled(cosine(vectors[0], v)) for v in vectors[1:]]
