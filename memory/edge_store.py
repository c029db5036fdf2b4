"""The embedded engine: Qdrant Edge (Qdrant's Rust engine in process) under `NOETIC_HOME`.

Layout: `qdrant-edge/<collection>/` holds `collection.json` (which embedding model made it) and
`shard/` (Edge's own files). Edge keeps one collection per shard and no collection metadata,
hence the folder per collection and the file beside the shard. One process at a time holds the
store, through the lock file `qdrant-edge/.lock`, so a second one gets a clear line instead of
Edge's own lock error.

Edge builds its HNSW index only when asked: every write ends with `optimize`, which returns at
once until the unindexed part passes Edge's indexing threshold, then indexes it (seconds, once
every few thousand points), so search stays on the index as the store grows.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import qdrant_edge as edge
import structlog

from noetic.errors import ConfigError, MemoryStoreError
from noetic.memory.engine import (
    COLLECTION_FORMAT,
    DENSE,
    RECALL_FIELDS,
    SPARSE,
    Filters,
    Hit,
    Identity,
    StoredPoint,
    check_identity,
)
from noetic.memory.hybrid import RRF_K, Sparse

log = structlog.get_logger(__name__)

STORE_DIR = "qdrant-edge"
LOCK_FILE = ".lock"
IDENTITY_FILE = "collection.json"
SHARD_DIR = "shard"
_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")
DAMAGED_FIX = (
    "restore the folder from a backup, or move it away to start an empty memory (stored runs "
    "are kept; only recall from their memories is lost)"
)


class EdgeStore:
    """One collection in the embedded Edge store. Use `open`."""

    def __init__(self, shard: edge.EdgeShard, lock: IO[str], folder: Path) -> None:
        self._shard = shard
        self._lock = lock
        self.folder = folder
        self.location = str(folder.parent)

    @classmethod
    def open(cls, home: Path, collection: str, identity: Identity) -> EdgeStore:
        """Lock the store, open the collection (creating it if new), then check its model."""
        if not _NAME.fullmatch(collection):
            raise ConfigError(
                f"memory.collection '{collection}' cannot name a folder of the embedded store",
                "use letters, digits, '_', '-' and '.' (NOETIC_MEMORY__COLLECTION)",
            )
        root = home.expanduser() / STORE_DIR
        lock = lock_store(root)
        folder = root / collection
        try:
            stored = _identity(folder, identity)
            store = cls(_shard(folder / SHARD_DIR, stored.dimension), lock, folder)
        except BaseException:
            lock.close()
            raise
        try:  # after loading: a damaged store says so whichever model opens it
            check_identity(stored, identity, collection=collection, location=str(folder))
        except BaseException:
            store.close()
            raise
        return store

    def upsert(self, points: list[StoredPoint]) -> None:
        operation = edge.UpdateOperation.upsert_points([_point(point) for point in points])
        with self._engine():
            self._shard.update(operation)
            self._index()

    def hybrid(
        self, dense: list[float], sparse: Sparse | None, limit: int, filters: Filters
    ) -> list[Hit]:
        prefetches = [edge.Prefetch(limit=limit, query=edge.Query.Nearest(dense, using=DENSE))]
        if sparse is not None:
            keywords = edge.SparseVector(sparse.indices, sparse.values)
            prefetches.append(
                edge.Prefetch(limit=limit, query=edge.Query.Nearest(keywords, using=SPARSE))
            )
        request = edge.QueryRequest(
            limit=limit,
            prefetches=prefetches,
            query=edge.Fusion.Rrf(k=RRF_K),  # type: ignore[arg-type]  # 0.9.0's stubs omit Rrf
            filter=_filter(filters),  # Edge applies it to every prefetch too
            with_payload=True,
            with_vector=[DENSE],
        )
        with self._engine():
            points = self._shard.query(request)
        return [
            Hit(payload=point.payload or {}, score=point.score, dense=_dense(point.vector))
            for point in points
        ]

    def count(self, filters: Filters) -> int:
        with self._engine():
            return self._shard.count(edge.CountRequest(exact=True, filter=_filter(filters)))

    def delete(self, filters: Filters) -> None:
        selector = _filter(filters) or edge.Filter()
        with self._engine():
            self._shard.update(edge.UpdateOperation.delete_points_by_filter(selector))
            self._index()

    def present(self, ids: list[str]) -> int:
        """How many of `ids` the shard holds: a migration reads back what it wrote."""
        with self._engine():
            return len(self._shard.retrieve(list(ids), False, False))

    def close(self) -> None:
        if self._lock.closed:
            return
        try:
            with self._engine():
                self._shard.flush()  # into the segments, so the next open replays no log
        finally:
            self._shard.close()
            self._lock.close()  # closing the file releases the lock

    def _index(self) -> None:
        started = time.perf_counter()
        if self._shard.optimize():
            seconds = round(time.perf_counter() - started, 3)
            log.info("memory_indexed", location=str(self.folder), seconds=seconds)

    @contextmanager
    def _engine(self) -> Iterator[None]:
        """Edge's failures (a damaged file met late, a full disk) as one line naming the folder."""
        try:
            yield
        except Exception as exc:
            if type(exc) is not Exception:  # Edge raises plain Exception; anything else is ours
                raise
            raise MemoryStoreError(
                f"the embedded memory store {self.folder} failed ({_detail(exc)})",
                f"if it fails again the folder is damaged: {DAMAGED_FIX}",
            ) from None


def lock_store(root: Path) -> IO[str]:
    """The open lock file of the store at `root`, locked for this process until it is closed."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / LOCK_FILE
    lock = path.open("a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise MemoryStoreError(
            f"the embedded memory store {root} is in use by another process (it holds the lock "
            f"{path})",
            "wait for that process to finish, or run a Qdrant server and point every process "
            "at it with memory.url (NOETIC_MEMORY__URL)",
        ) from None
    return lock


def _identity(folder: Path, wanted: Identity) -> Identity:
    """The collection's recorded model; a new collection records `wanted` first."""
    path = folder / IDENTITY_FILE
    if not path.exists():
        if (folder / SHARD_DIR).exists():
            raise _damaged(folder, f"{IDENTITY_FILE} is missing")
        folder.mkdir(parents=True, exist_ok=True)
        record = {"format": COLLECTION_FORMAT, **vars(wanted)}
        staging = path.with_suffix(".tmp")
        staging.write_text(json.dumps(record), encoding="utf-8")
        os.replace(staging, path)
        return wanted
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Identity(str(data["embedding_model"]), int(data["dimension"]))
    except (OSError, ValueError, TypeError, KeyError) as exc:
        raise _damaged(folder, f"{IDENTITY_FILE}: {type(exc).__name__}: {exc}") from None


def _shard(path: Path, dimension: int) -> edge.EdgeShard:
    """Load the shard, or create it whole: built aside, then renamed into place."""
    try:
        if not path.exists():
            staging = path.with_name(f"{path.name}.new")
            shutil.rmtree(staging, ignore_errors=True)
            shard = edge.EdgeShard.create(str(staging), _config(dimension))
            for field in RECALL_FIELDS:
                schema = edge.PayloadSchemaType.Keyword
                shard.update(edge.UpdateOperation.create_field_index(field, schema))
            shard.close()
            staging.rename(path)
        return edge.EdgeShard.load(str(path))
    except Exception as exc:
        if type(exc) is not Exception:
            raise
        raise _damaged(path.parent, _detail(exc)) from None


def _config(dimension: int) -> edge.EdgeConfig:
    return edge.EdgeConfig(
        vectors={DENSE: edge.EdgeVectorParams(size=dimension, distance=edge.Distance.Cosine)},
        sparse_vectors={SPARSE: edge.EdgeSparseVectorParams(modifier=edge.Modifier.Idf)},
    )


def _damaged(folder: Path, detail: str) -> MemoryStoreError:
    return MemoryStoreError(
        f"the embedded memory store {folder} is damaged ({detail})", DAMAGED_FIX
    )


def _detail(exc: Exception) -> str:
    return " ".join(str(exc).replace("Service runtime error: ", "").split())


def _point(point: StoredPoint) -> edge.Point:
    sparse = edge.SparseVector(point.sparse.indices, point.sparse.values)
    return edge.Point(point.id, {DENSE: point.dense, SPARSE: sparse}, point.payload)


def _filter(filters: Filters) -> edge.Filter | None:
    if not filters:
        return None
    must: list[edge.ConditionType] = [_match(k, v) for k, v in filters.must.items()]
    must_not: list[edge.ConditionType] = [_match(k, v) for k, v in filters.must_not.items()]
    return edge.Filter(must=must or None, must_not=must_not or None)


def _match(key: str, value: str) -> edge.FieldCondition:
    return edge.FieldCondition(key, match=edge.MatchValue(value))


def _dense(vector: Any) -> list[float]:
    return list(vector[DENSE])  # with_vector=[DENSE]: named vectors
