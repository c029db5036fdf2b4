"""The keyword half of hybrid search, and the near-duplicate filter applied to fused results.

Sparse vectors are hashed keyword counts computed here, so no tokenizer model is needed and the
embedded engine and a server score keywords the same way (the collection applies IDF).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from noetic.memory.text import duplicate_key, keywords

DUPLICATE_COSINE = 0.95
"""Results closer than this to a better kept result say nothing new and are dropped."""


RRF_K = 2
"""Reciprocal rank fusion's constant: Qdrant's default, named so that both engines fuse alike."""


class Sparse(NamedTuple):
    """A sparse vector in neither engine's type: each adapter converts it."""

    indices: list[int]
    values: list[float]


def sparse_vector(text: str, *, query: bool = False) -> Sparse:
    """Hashed keyword counts (a document) or keyword presence (a query); IDF is Qdrant's part."""
    counts = Counter(zlib.crc32(token.encode()) for token in keywords(text))
    indices = sorted(counts)
    values = [1.0 if query else float(counts[index]) for index in indices]
    return Sparse(indices, values)


def distinct(
    candidates: Sequence[tuple[str, Sequence[float]]],
    k: int,
    max_cosine: float = DUPLICATE_COSINE,
) -> list[int]:
    """Positions of the first `k` candidates (best first) that duplicate no better kept one.

    A duplicate has the same normalized text, or a dense vector with cosine above `max_cosine`.
    """
    kept: list[int] = []
    keys: set[str] = set()
    kept_vectors: list[np.ndarray] = []
    for position, (text, vector) in enumerate(candidates):
        if len(kept) == k:
            break
        key = duplicate_key(text)
        unit = np.asarray(vector, dtype=np.float32)
        norm = float(np.linalg.norm(unit))
        unit = unit / norm if norm > 0 else unit
        if key in keys or any(float(unit @ other) > max_cosine for other in kept_vectors):
            continue
        kept.append(position)
        keys.add(key)
        kept_vectors.append(unit)
    return kept
