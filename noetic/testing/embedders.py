"""A deterministic embedder: real vectors for a real Qdrant, no model to load."""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence


class HashingEmbedder:
    """Bag of hashed words: texts sharing words are close, the same text always embeds the
    same, so memory recall in a test is predictable."""

    def __init__(self, dimension: int = 64, name: str = "hashing-bow") -> None:
        self.name = name
        self.dimension = dimension

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> list[float]:
        vector = [0.0] * self.dimension
        vector[0] = 0.01  # never the zero vector
        for word in text.lower().split():
            vector[zlib.crc32(word.strip(".,").encode()) % self.dimension] += 1.0
        norm = math.sqrt(sum(x * x for x in vector))
        return [x / norm for x in vector]
