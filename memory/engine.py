"""What the vector memory asks of an engine, in neither engine's types.

Two adapters implement it: Qdrant Edge embedded in the process (the default) and qdrant-client
for a Qdrant server. The memory's own logic (embedding, keywords, filters, oversampling,
near-duplicate removal) lives once in `VectorMemory`; an adapter only translates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from noetic.errors import MemoryStoreError
from noetic.memory.hybrid import Sparse

DENSE = "dense"
SPARSE = "sparse"
COLLECTION_FORMAT = 1
FILTER_FIELDS = ("run_id", "role", "mode", "kind", "task_kind")
"""Payload keys a search may filter on; a server indexes them all as keywords in a collection it
creates (one made before a key was added filters on it unindexed, by scanning)."""
RECALL_FIELDS = ("run_id", "kind", "task_kind")
"""The keys a run's recall, `memory search` and forgetting a run filter on: the only ones the
embedded engine indexes, since each index adds ~10 ms to every run's open and close, and
filtering on the others scans."""


@dataclass(frozen=True)
class Filters:
    """Exact keyword matches: every `must` pair holds and no `must_not` pair does."""

    must: dict[str, str] = field(default_factory=dict)
    must_not: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.must or self.must_not)


@dataclass(frozen=True)
class StoredPoint:
    id: str
    dense: list[float]
    sparse: Sparse
    payload: dict[str, Any]


@dataclass(frozen=True)
class Hit:
    """A fused search result: the payload, the RRF score and the dense vector (for dedup)."""

    payload: dict[str, Any]
    score: float
    dense: list[float]


@dataclass(frozen=True)
class Identity:
    """The embedding model a collection was made with: vectors of another never mix in."""

    embedding_model: str
    dimension: int


class VectorStore(Protocol):
    """One collection in one engine. Calls come one at a time (VectorMemory holds a lock)."""

    location: str

    def upsert(self, points: list[StoredPoint]) -> None: ...

    def hybrid(
        self, dense: list[float], sparse: Sparse | None, limit: int, filters: Filters
    ) -> list[Hit]:
        """Dense and (when given) sparse candidates, `limit` of each, fused by RRF (`RRF_K`)."""
        ...

    def count(self, filters: Filters) -> int: ...

    def delete(self, filters: Filters) -> None:
        """Delete the points `filters` matches (every point, when it is empty)."""
        ...

    def close(self) -> None:
        """Release the engine (and, embedded, its lock). Safe to call twice."""
        ...


def check_identity(stored: Identity, wanted: Identity, *, collection: str, location: str) -> None:
    """Refuse a collection made by another embedding model, naming both and the ways out."""
    if stored == wanted:
        return
    raise MemoryStoreError(
        f"memory collection '{collection}' at {location} holds {stored.dimension}-dimensional "
        f"vectors from {stored.embedding_model}, but the embedder is {wanted.embedding_model} "
        f"({wanted.dimension} dimensions)",
        f"embed with {stored.embedding_model} again (memory.embedding_model), or set "
        "memory.collection (NOETIC_MEMORY__COLLECTION) to another name to start a new "
        f"collection, or delete it at {location} to start over",
    )
