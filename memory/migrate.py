"""`noetic memory migrate`: an old-format store (qdrant-client local mode) into Qdrant Edge.

Every collection's points are copied with their vectors and payloads as stored (no embedding
model is needed), each batch read back from Edge before the next. Only when all of them are in
is the old folder renamed aside, whole and still readable. Point ids are kept, so a migration
that was interrupted simply runs again: what was copied is written once more, nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qdrant_client import QdrantClient, models

from noetic.errors import MemoryStoreError
from noetic.memory.client_store import stored_identity
from noetic.memory.edge_store import STORE_DIR, EdgeStore
from noetic.memory.engine import DENSE, SPARSE, StoredPoint
from noetic.memory.hybrid import Sparse
from noetic.memory.legacy_store import LEGACY_DIR, open_local

BATCH = 256
ASIDE = "qdrant.migrated"


@dataclass(frozen=True)
class Migration:
    """Points copied per collection, where they went, and where the old folder now lies."""

    points: dict[str, int]
    store: Path
    kept_at: Path


def migrate(home: Path) -> Migration | None:
    """Migrate the old store under `home`; None when there is none (already migrated)."""
    home = home.expanduser()
    old = home / LEGACY_DIR
    if not old.exists():
        return None
    client = open_local(old)
    try:
        points = {
            description.name: _copy(client, description.name, home, old)
            for description in client.get_collections().collections
        }
    finally:
        client.close()
    kept_at = _aside(home)
    old.rename(kept_at)
    return Migration(points=points, store=home / STORE_DIR, kept_at=kept_at)


def _copy(client: QdrantClient, collection: str, home: Path, old: Path) -> int:
    identity = stored_identity(
        client, collection, location=str(old), unrecorded="an unrecorded embedding model"
    )
    store = EdgeStore.open(home, collection, identity)
    copied = 0
    offset: models.ExtendedPointId | None = None
    try:
        while True:
            records, offset = client.scroll(
                collection, limit=BATCH, offset=offset, with_payload=True, with_vectors=True
            )
            batch = [_point(record) for record in records]
            store.upsert(batch)
            if store.present([point.id for point in batch]) != len(batch):
                raise MemoryStoreError(
                    f"copying collection '{collection}' into {store.folder} lost points",
                    f"nothing was moved: {old} is untouched; run `noetic memory migrate` again",
                )
            copied += len(batch)
            if offset is None:
                return copied
    finally:
        store.close()


def _point(record: models.Record) -> StoredPoint:
    vectors: dict[str, Any] = record.vector if isinstance(record.vector, dict) else {}
    sparse = vectors.get(SPARSE)  # a text without keywords may have stored none
    return StoredPoint(
        id=str(record.id),
        dense=list(vectors[DENSE]),
        sparse=Sparse(list(sparse.indices), list(sparse.values)) if sparse else Sparse([], []),
        payload=record.payload or {},
    )


def _aside(home: Path) -> Path:
    """A free name beside the old folder: qdrant.migrated, then qdrant.migrated-2, ..."""
    candidate, n = home / ASIDE, 1
    while candidate.exists():
        n += 1
        candidate = home / f"{ASIDE}-{n}"
    return candidate
