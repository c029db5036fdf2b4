"""Embedding signals: relevance of a candidate to the task, and novelty against the round's
other candidates and against recalled memories.

Mean-pooled embeddings of a small model sit in a narrow cone (unrelated texts still have cosine
0.5 or more), so relevance is read relative to that baseline rather than as a raw cosine.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from noetic.models.base import Embedder

RELEVANCE_FLOOR = 0.5
"""Cosine at or below which a text counts as unrelated to the task (relevance 0)."""

RELEVANCE_CEILING = 0.95
"""Cosine at or above which it counts as fully on the task (relevance 1)."""


def cosines(rows: Sequence[Sequence[float]], cols: Sequence[Sequence[float]]) -> np.ndarray:
    """The cosine of every row vector with every column vector, in one matrix product (0 for a
    zero vector): a round's pairs grow with candidates times candidates and memories."""
    a, b = np.asarray(rows, dtype=np.float64), np.asarray(cols, dtype=np.float64)
    norms = np.linalg.norm(a, axis=1)[:, None] * np.linalg.norm(b, axis=1)[None, :]
    dots = a @ b.T
    return np.divide(dots, norms, out=np.zeros_like(dots), where=norms > 0)


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
    n = len(texts)
    # Each text against the task, every text, then every memory.
    sims = cosines(vectors[1 : 1 + n], vectors)
    signals = []
    for i, row in enumerate(sims):
        signal = {"embed_relevance": _scaled(float(row[0]))}
        others = [float(row[1 + j]) for j in range(n) if j != i]
        if others:
            signal["round_novelty"] = round(1 - _scaled(max(others)), 4)
        if memories:
            signal["memory_novelty"] = round(1 - _scaled(float(row[1 + n :].max())), 4)
        signals.append(signal)
    return signals


async def task_relevance(embedder: Embedder, task: str, texts: Sequence[str]) -> list[float]:
    """Each text's `embed_relevance` to the task alone (recall uses it to drop memories of
    unrelated runs)."""
    if not texts:
        return []
    vectors = await embedder.embed([task, *texts])
    return [_scaled(float(c)) for c in cosines(vectors[1:], vectors[:1])[:, 0]]
