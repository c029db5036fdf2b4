"""The shared vector memory: thoughts, critiques, reflections and lessons, recalled by hybrid
search.

The engine is Qdrant Edge embedded in the process, or a Qdrant server with `memory.url`; both
sit behind `VectorStore`, and everything else (embedding, keywords, filters, dedup) is here.
Engine calls block, so each runs in a worker thread under one lock: the event loop stays free
and the engine sees one call at a time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, get_args

import structlog

from noetic.memory.engine import Filters, Identity, StoredPoint, VectorStore
from noetic.memory.hybrid import distinct, sparse_vector
from noetic.memory.records import MemoryKind, MemoryRecord, MemoryStats, Recalled
from noetic.models.base import Embedder, KnownVectors
from noetic.settings import MemorySettings

log = structlog.get_logger(__name__)

T = TypeVar("T")

OVERSAMPLE = 3
"""Fetch this many times `k` candidates, so `k` remain after near-duplicates are dropped."""


class VectorMemory:
    """Memories in one collection of one engine. Use `open`."""

    def __init__(
        self, store: VectorStore, *, collection: str, embedder: Embedder, recall_k: int
    ) -> None:
        self._store = store
        self._embedder = embedder
        self._lock = threading.Lock()
        self.collection = collection
        self.location = store.location
        self.recall_k = recall_k

    @classmethod
    def open(cls, home: Path, settings: MemorySettings, embedder: Embedder) -> VectorMemory:
        """Open (creating if needed) the collection embedded under `home`, or on `settings.url`.

        Each engine's client is imported here, when chosen: both are heavy imports, and the
        commands that only read runs (`runs`, `show`) never open memory.
        """
        started = time.perf_counter()
        identity = Identity(embedder.name, embedder.dimension)
        store: VectorStore
        if settings.url:
            from noetic.memory.client_store import ClientStore

            store = ClientStore.server(settings.url, settings, identity)
        else:
            from noetic.memory.edge_store import EdgeStore
            from noetic.memory.legacy_store import refuse_unmigrated

            refuse_unmigrated(home)
            store = EdgeStore.open(home, settings.collection, identity)
        memory = cls(
            store, collection=settings.collection, embedder=embedder, recall_k=settings.recall_k
        )
        log.info(
            "memory_opened",
            location=memory.location,
            collection=settings.collection,
            points=memory.count(),
            embedding_model=embedder.name,
            seconds=round(time.perf_counter() - started, 3),
        )
        return memory

    async def add(self, records: Sequence[MemoryRecord]) -> None:
        """Store records; a record with an already stored (run, round, kind, index) replaces it."""
        if not records:
            return
        ids = [record.point_id for record in records]
        if len(set(ids)) != len(ids):
            raise ValueError("records share (run_id, round, kind, index); give each its own index")
        started = time.perf_counter()
        vectors = await self._embedder.embed([record.text for record in records])
        points = [
            StoredPoint(
                id=point_id,
                dense=vector,
                sparse=sparse_vector(record.text),
                payload=record.model_dump(mode="json"),
            )
            for point_id, record, vector in zip(ids, records, vectors, strict=True)
        ]
        await self._run(self._store.upsert, points)
        log.info(
            "memory_stored",
            points=len(points),
            runs=sorted({record.run_id for record in records}),
            seconds=round(time.perf_counter() - started, 3),
        )

    async def search(
        self,
        query: str,
        k: int | None = None,
        *,
        run_id: str | None = None,
        exclude_run_id: str | None = None,
        role: str | None = None,
        mode: str | None = None,
        kind: MemoryKind | None = None,
        task_kind: str | None = None,
    ) -> list[Recalled]:
        """The `k` (default `memory.recall_k`) best distinct memories for `query`, best first.

        Dense and keyword candidates are fused by reciprocal rank; filters narrow both.
        """
        k = self.recall_k if k is None else k
        if k <= 0 or not query.strip():
            return []
        started = time.perf_counter()
        [dense] = await self._embedder.embed([query])
        sparse = sparse_vector(query, query=True)
        wanted = {
            "run_id": run_id,
            "role": role,
            "mode": mode,
            "kind": kind,
            "task_kind": task_kind,
        }
        filters = Filters(
            must={key: value for key, value in wanted.items() if value is not None},
            must_not={"run_id": exclude_run_id} if exclude_run_id is not None else {},
        )
        hits = await self._run(
            self._store.hybrid, dense, sparse if sparse.indices else None, OVERSAMPLE * k, filters
        )
        texts = [str(hit.payload.get("text", "")) for hit in hits]
        keep = distinct([(text, hit.dense) for text, hit in zip(texts, hits, strict=True)], k)
        if isinstance(self._embedder, KnownVectors):  # what the run embeds next: recalled texts
            known = {texts[i]: hits[i].dense for i in keep if hits[i].dense}
            # In a thread: the embedder's lock may be held by another run's embedding.
            await asyncio.to_thread(self._embedder.remember, known)
        recalled = [
            Recalled(record=MemoryRecord.model_validate(hits[i].payload), score=hits[i].score)
            for i in keep
        ]
        log.info(
            "memory_recalled",
            k=k,
            hits=len(recalled),
            candidates=len(hits),
            runs=sorted({hit.record.run_id for hit in recalled}),
            seconds=round(time.perf_counter() - started, 3),
        )
        return recalled

    def count(self, run_id: str | None = None, kind: MemoryKind | None = None) -> int:
        """Stored memories, all or one run's, of every kind or of one."""
        filters = _of_run(run_id)
        if kind is not None:
            filters = Filters(must={**filters.must, "kind": kind})
        return self._call(self._store.count, filters)

    def stats(self) -> MemoryStats:
        return MemoryStats(
            points=self.count(),
            kinds={kind: self.count(kind=kind) for kind in get_args(MemoryKind)},
            collection=self.collection,
            embedding_model=self._embedder.name,
            dimension=self._embedder.dimension,
            location=self.location,
        )

    def forget_run(self, run_id: str) -> int:
        """Delete one run's memories; returns how many there were."""
        forgotten = self.count(run_id)
        if forgotten:
            self._call(self._store.delete, _of_run(run_id))
        log.info("memory_forgotten", run_id=run_id, points=forgotten)
        return forgotten

    def close(self) -> None:
        """Release the engine (and, embedded, its lock). Safe to call twice."""
        with self._lock:
            self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, fn: Callable[..., T], *args: Any) -> T:
        with self._lock:
            return fn(*args)

    async def _run(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.to_thread(self._call, fn, *args)


def _of_run(run_id: str | None) -> Filters:
    return Filters(must={"run_id": run_id} if run_id is not None else {})
