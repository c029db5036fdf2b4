"""A collection on a Qdrant server (or cluster) through qdrant-client.

The same adapter runs on qdrant-client's local mode (the old embedded engine), which the
benchmark and the tests hold Edge against. Every failure a user can meet on a server becomes a
`MemoryStoreError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from typing import Any, cast

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import (
    ApiException,
    ResponseHandlingException,
    UnexpectedResponse,
)

from noetic.errors import MemoryStoreError
from noetic.memory.engine import (
    COLLECTION_FORMAT,
    DENSE,
    FILTER_FIELDS,
    SPARSE,
    Filters,
    Hit,
    Identity,
    StoredPoint,
    check_identity,
)
from noetic.memory.hybrid import Sparse
from noetic.memory.legacy_store import open_local
from noetic.settings import MemorySettings


class ClientStore:
    """One collection through a `QdrantClient`. Use `open` (or `server`)."""

    def __init__(self, client: QdrantClient, collection: str, location: str) -> None:
        self._client = client
        self.collection = collection
        self.location = location

    @classmethod
    def server(cls, url: str, settings: MemorySettings, identity: Identity) -> ClientStore:
        """The collection `settings.collection` on the server at `url`."""
        api_key = settings.api_key.get_secret_value() if settings.api_key else None
        client = QdrantClient(url=url, api_key=api_key, check_compatibility=False)
        return cls.open(client, settings.collection, identity, location=url, remote=True)

    @classmethod
    def local(cls, path: Path, collection: str, identity: Identity) -> ClientStore:
        """The collection in qdrant-client's local mode at `path`: the old embedded engine, kept
        for the benchmark's side-by-side figures."""
        return cls.open(open_local(path), collection, identity, location=str(path), remote=False)

    @classmethod
    def open(
        cls,
        client: QdrantClient,
        collection: str,
        identity: Identity,
        *,
        location: str,
        remote: bool,
    ) -> ClientStore:
        """Create the collection, or check that an existing one was made by this model.

        The model name and dimension live in the collection's metadata (and the dimension in its
        vector config), so vectors from another model can never be mixed into it.
        """
        try:
            with server_errors(location):
                if client.collection_exists(collection) or not _create(
                    client, collection, identity, remote=remote
                ):
                    stored = stored_identity(
                        client, collection, location=location, unrecorded=identity.embedding_model
                    )
                    check_identity(stored, identity, collection=collection, location=location)
        except BaseException:
            client.close()
            raise
        return cls(client, collection, location)

    def upsert(self, points: list[StoredPoint]) -> None:
        structs = [
            models.PointStruct(
                id=point.id,
                vector={DENSE: point.dense, SPARSE: _sparse(point.sparse)},
                payload=point.payload,
            )
            for point in points
        ]
        with server_errors(self.location):
            self._client.upsert(self.collection, structs, wait=True)

    def hybrid(
        self, dense: list[float], sparse: Sparse | None, limit: int, filters: Filters
    ) -> list[Hit]:
        prefetch = [models.Prefetch(query=dense, using=DENSE, limit=limit)]
        if sparse is not None:
            prefetch.append(models.Prefetch(query=_sparse(sparse), using=SPARSE, limit=limit))
        with server_errors(self.location):
            response = self._client.query_points(
                self.collection,
                prefetch=prefetch,
                # Qdrant's default k is RRF_K; asking for it by name would shut out older servers.
                query=models.FusionQuery(fusion=models.Fusion.RRF),
                query_filter=_filter(filters),
                limit=limit,
                with_payload=True,
                with_vectors=[DENSE],
            )
        return [
            Hit(payload=point.payload or {}, score=point.score, dense=_dense(point.vector))
            for point in response.points
        ]

    def count(self, filters: Filters) -> int:
        with server_errors(self.location):
            result = self._client.count(self.collection, count_filter=_filter(filters), exact=True)
        return int(result.count)

    def delete(self, filters: Filters) -> None:
        selector = models.FilterSelector(filter=_filter(filters) or models.Filter())
        with server_errors(self.location):
            self._client.delete(self.collection, points_selector=selector, wait=True)

    def close(self) -> None:
        self._client.close()


@contextmanager
def server_errors(location: str) -> Iterator[None]:
    """Turn a Qdrant server's failures (unreachable, refused, rejected) into one clear line."""
    try:
        yield
    except ResponseHandlingException as exc:
        raise MemoryStoreError(
            f"cannot reach the Qdrant server at {location} ({exc.source})",
            "start the server, fix memory.url (NOETIC_MEMORY__URL), or unset it to use the "
            "embedded store",
        ) from None
    except ApiException as exc:
        detail = " ".join(str(exc).split())
        raise MemoryStoreError(
            f"the Qdrant server at {location} rejected a request ({detail})",
            "check memory.api_key (NOETIC_MEMORY__API_KEY) and that the server is recent enough "
            "for collection metadata and the query API",
        ) from None


def stored_identity(
    client: QdrantClient, collection: str, *, location: str, unrecorded: str
) -> Identity:
    """The model a collection was made with: its metadata (`unrecorded` where a server older than
    collection metadata kept none, so only the width is checked), its dense vectors' width."""
    config = client.get_collection(collection).config
    vectors = config.params.vectors
    dense = vectors.get(DENSE) if isinstance(vectors, dict) else None
    if dense is None:
        raise MemoryStoreError(
            f"collection '{collection}' at {location} was not created by noetic (it has no "
            f"'{DENSE}' vector)",
            "set memory.collection (NOETIC_MEMORY__COLLECTION) to another name",
        )
    model = (config.metadata or {}).get("embedding_model", unrecorded)
    return Identity(str(model), dense.size)


def _create(client: QdrantClient, collection: str, identity: Identity, *, remote: bool) -> bool:
    """Create the collection; False if another process on the same server just did."""
    try:
        client.create_collection(
            collection,
            vectors_config={
                DENSE: models.VectorParams(size=identity.dimension, distance=models.Distance.COSINE)
            },
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            metadata={
                "embedding_model": identity.embedding_model,
                "dimension": identity.dimension,
                "format": COLLECTION_FORMAT,
            },
        )
    except UnexpectedResponse as exc:
        if exc.status_code != HTTPStatus.CONFLICT:
            raise
        return False
    if remote:  # local mode filters by scanning; indexes only help a server
        for field in FILTER_FIELDS:
            client.create_payload_index(collection, field, models.PayloadSchemaType.KEYWORD)
    return True


def _sparse(sparse: Sparse) -> models.SparseVector:
    return models.SparseVector(indices=sparse.indices, values=sparse.values)


def _filter(filters: Filters) -> models.Filter | None:
    if not filters:
        return None
    must: list[models.Condition] = [_match(k, v) for k, v in filters.must.items()]
    must_not: list[models.Condition] = [_match(k, v) for k, v in filters.must_not.items()]
    return models.Filter(must=must or None, must_not=must_not or None)


def _match(key: str, value: str) -> models.FieldCondition:
    return models.FieldCondition(key=key, match=models.MatchValue(value=value))


def _dense(vector: Any) -> list[float]:
    return list(cast(dict[str, Any], vector)[DENSE])  # with_vectors=[DENSE]: named vectors
