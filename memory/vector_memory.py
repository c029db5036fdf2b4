"""The shared vector memory: thoughts, critiques and reflections, recalled by hybrid search.

Qdrant calls block (the embedded store computes in-process, and its async client does too), so
every call runs in a worker thread under one lock: the event loop stays free and the embedded
store, which is not thread-safe, sees one call at a time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, cast

import structlog
from qdrant_client import QdrantClient, models

from noetic.memory.hybrid import distinct, sparse_vector
from noetic.memory.qdrant_store import DENSE, SPARSE, connect, ensure_collection, server_errors
from noetic.memory.records import MemoryKind, MemoryRecord, MemoryStats, Recalled
from noetic.models.base import Embedder
from noetic.settings import MemorySettings

log = structlog.get_logger(__name__)

T = TypeVar("T")

OVERSAMPLE = 3
"""Fetch this many times `k` candidates, so `k` remain after near-duplicates are dropped."""


class VectorMemory:
    """Memories in one Qdrant collection, embedded on disk or on a server. Use `open`."""

    def __init__(
        self,
        client: QdrantClient,
        *,
        collection: str,
        embedder: Embedder,
        location: str,
        recall_k: int,
    ) -> None:
        self._client = client
        self._embedder = embedder
        self._lock = threading.Lock()
        self.collection = collection
        self.location = location
        self.recall_k = recall_k

    @classmethod
    def open(cls, home: Path, settings: MemorySettings, embedder: Embedder) -> VectorMemory:
        """Open (creating if needed) the collection at `home`/qdrant, or on `settings.url`."""
        started = time.perf_counter()
        client, location = connect(home, settings)
        try:
            with server_errors(location):
                ensure_collection(
                    client,
                    settings.collection,
                    embedding_model=embedder.name,
                    dimension=embedder.dimension,
                    location=location,
                    remote=settings.url is not None,
                )
        except BaseException:
            client.close()
            raise
        memory = cls(
            client,
            collection=settings.collection,
            embedder=embedder,
            location=location,
            recall_k=settings.recall_k,
        )
        log.info(
            "memory_opened",
            location=location,
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
            models.PointStruct(
                id=point_id,
                vector={DENSE: vector, SPARSE: sparse_vector(record.text)},
                payload=record.model_dump(mode="json"),
            )
            for point_id, record, vector in zip(ids, records, vectors, strict=True)
        ]
        await self._run(self._client.upsert, self.collection, points, wait=True)
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
    ) -> list[Recalled]:
        """The `k` (default `memory.recall_k`) best distinct memories for `query`, best first.

        Dense and keyword candidates are fused by reciprocal rank; filters narrow both.
        """
        k = self.recall_k if k is None else k
        if k <= 0 or not query.strip():
            return []
        started = time.perf_counter()
        [dense] = await self._embedder.embed([query])
        limit = OVERSAMPLE * k
        prefetch = [models.Prefetch(query=dense, using=DENSE, limit=limit)]
        sparse = sparse_vector(query, query=True)
        if sparse.indices:
            prefetch.append(models.Prefetch(query=sparse, using=SPARSE, limit=limit))
        response = await self._run(
            self._client.query_points,
            self.collection,
            prefetch=prefetch,
            query=models.FusionQuery(fusion=models.Fusion.RRF),
            query_filter=_filter(
                run_id=run_id, exclude_run_id=exclude_run_id, role=role, mode=mode, kind=kind
            ),
            limit=limit,
            with_payload=True,
            with_vectors=[DENSE],
        )
        points = response.points
        keep = distinct([(_text(point), _dense(point)) for point in points], k)
        recalled = [
            Recalled(record=MemoryRecord.model_validate(points[i].payload), score=points[i].score)
            for i in keep
        ]
        log.info(
            "memory_recalled",
            k=k,
            hits=len(recalled),
            candidates=len(points),
            runs=sorted({hit.record.run_id for hit in recalled}),
            seconds=round(time.perf_counter() - started, 3),
        )
        return recalled

    def count(self, run_id: str | None = None) -> int:
        """Stored memories, all or one run's."""
        result = self._call(
            self._client.count,
            self.collection,
            count_filter=_filter(run_id=run_id),
            exact=True,
        )
        return int(result.count)

    def stats(self) -> MemoryStats:
        return MemoryStats(
            points=self.count(),
            collection=self.collection,
            embedding_model=self._embedder.name,
            dimension=self._embedder.dimension,
            location=self.location,
        )

    def forget_run(self, run_id: str) -> int:
        """Delete one run's memories; returns how many there were."""
        forgotten = self.count(run_id)
        if forgotten:
            selector = models.FilterSelector(filter=models.Filter(must=[_match("run_id", run_id)]))
            self._call(self._client.delete, self.collection, points_selector=selector, wait=True)
        log.info("memory_forgotten", run_id=run_id, points=forgotten)
        return forgotten

    def close(self) -> None:
        """Release the store (and, embedded, its lock). Safe to call twice."""
        with self._lock:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        with self._lock, server_errors(self.location):
            return fn(*args, **kwargs)

    async def _run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        return await asyncio.to_thread(self._call, fn, *args, **kwargs)


def _filter(
    *,
    run_id: str | None = None,
    exclude_run_id: str | None = None,
    role: str | None = None,
    mode: str | None = None,
    kind: str | None = None,
) -> models.Filter | None:
    wanted = {"run_id": run_id, "role": role, "mode": mode, "kind": kind}
    must = [_match(key, value) for key, value in wanted.items() if value is not None]
    must_not = [_match("run_id", exclude_run_id)] if exclude_run_id is not None else []
    if not must and not must_not:
        return None
    return models.Filter(must=must or None, must_not=must_not or None)


def _match(key: str, value: str) -> models.Condition:
    return models.FieldCondition(key=key, match=models.MatchValue(value=value))


def _text(point: models.ScoredPoint) -> str:
    return str((point.payload or {}).get("text", ""))


def _dense(point: models.ScoredPoint) -> Any:
    vectors = cast(dict[str, Any], point.vector)  # with_vectors=[DENSE]: named vectors
    return vectors[DENSE]
