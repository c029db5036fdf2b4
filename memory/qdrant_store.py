"""Opening Qdrant (embedded on disk or a server) and checking the collection it holds.

Both locations go through the same `QdrantClient` API, so moving from one machine to a server is
one setting (`memory.url`). Every failure a user can meet here becomes a `MemoryStoreError`.
"""

from __future__ import annotations

import pickle
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path

from qdrant_client import QdrantClient, models
from qdrant_client.http.exceptions import (
    ApiException,
    ResponseHandlingException,
    UnexpectedResponse,
)

from noetic.errors import MemoryStoreError
from noetic.settings import MemorySettings

DENSE = "dense"
SPARSE = "sparse"
STORE_DIR = "qdrant"
COLLECTION_FORMAT = 1
FILTER_FIELDS = ("run_id", "role", "mode", "kind")
DAMAGE = (OSError, ValueError, TypeError, KeyError, EOFError, pickle.UnpicklingError, sqlite3.Error)
"""What the embedded store's files raise when they are damaged (JSON, SQLite, pickle)."""


def connect(home: Path, settings: MemorySettings) -> tuple[QdrantClient, str]:
    """A client and a printable location: the server URL, or the embedded store's folder."""
    if settings.url:
        api_key = settings.api_key.get_secret_value() if settings.api_key else None
        client = QdrantClient(url=settings.url, api_key=api_key, check_compatibility=False)
        return client, settings.url
    path = home.expanduser() / STORE_DIR
    path.mkdir(parents=True, exist_ok=True)
    try:
        # Calls arrive from worker threads (one at a time, under VectorMemory's lock).
        client = QdrantClient(path=str(path), force_disable_check_same_thread=True)
    except RuntimeError as exc:
        if "already accessed" not in str(exc):
            raise
        raise MemoryStoreError(
            f"the embedded memory store {path} is in use by another process "
            f"(it holds the lock {path / '.lock'})",
            "wait for that process to finish, or run a Qdrant server and point every process "
            "at it with memory.url (NOETIC_MEMORY__URL)",
        ) from None
    except DAMAGE as exc:
        # The local store reads every file it has (meta.json, each collection's SQLite file of
        # pickled points) when it opens, so damage anywhere shows here, whatever its form.
        raise MemoryStoreError(
            f"the embedded memory store {path} is damaged ({type(exc).__name__}: {exc})",
            "restore the folder from a backup, or move it away to start an empty memory "
            "(stored runs are kept; only recall from their memories is lost)",
        ) from None
    return client, str(path)


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


def ensure_collection(
    client: QdrantClient,
    name: str,
    *,
    embedding_model: str,
    dimension: int,
    location: str,
    remote: bool,
) -> None:
    """Create the collection, or check that an existing one was made by this embedding model.

    The model name and dimension live in the collection's metadata (and the dimension in its vector
    config), so vectors from another model can never be mixed into it.
    """
    if client.collection_exists(name) or not _create(
        client, name, embedding_model=embedding_model, dimension=dimension, remote=remote
    ):
        _check(
            client,
            name,
            embedding_model=embedding_model,
            dimension=dimension,
            location=location,
            remote=remote,
        )


def _create(
    client: QdrantClient, name: str, *, embedding_model: str, dimension: int, remote: bool
) -> bool:
    """Create the collection; False if another process on the same server just did."""
    try:
        client.create_collection(
            name,
            vectors_config={
                DENSE: models.VectorParams(size=dimension, distance=models.Distance.COSINE)
            },
            sparse_vectors_config={SPARSE: models.SparseVectorParams(modifier=models.Modifier.IDF)},
            metadata={
                "embedding_model": embedding_model,
                "dimension": dimension,
                "format": COLLECTION_FORMAT,
            },
        )
    except UnexpectedResponse as exc:
        if exc.status_code != HTTPStatus.CONFLICT:
            raise
        return False
    if remote:  # the embedded store filters by scanning; indexes only help a server
        for field in FILTER_FIELDS:
            client.create_payload_index(name, field, models.PayloadSchemaType.KEYWORD)
    return True


def _check(
    client: QdrantClient,
    name: str,
    *,
    embedding_model: str,
    dimension: int,
    location: str,
    remote: bool,
) -> None:
    config = client.get_collection(name).config
    vectors = config.params.vectors
    dense = vectors.get(DENSE) if isinstance(vectors, dict) else None
    if dense is None:
        raise MemoryStoreError(
            f"collection '{name}' at {location} was not created by noetic (it has no "
            f"'{DENSE}' vector)",
            "set memory.collection (NOETIC_MEMORY__COLLECTION) to another name",
        )
    # A server that predates collection metadata keeps none: the dimension check still holds.
    stored_model = str((config.metadata or {}).get("embedding_model", embedding_model))
    if (stored_model, dense.size) != (embedding_model, dimension):
        where = f"delete the collection on {location}" if remote else f"delete {location}"
        raise MemoryStoreError(
            f"memory collection '{name}' at {location} holds {dense.size}-dimensional vectors "
            f"from {stored_model}, but the embedder is {embedding_model} ({dimension} dimensions)",
            f"embed with {stored_model} again (memory.embedding_model), or set memory.collection "
            f"(NOETIC_MEMORY__COLLECTION) to another name to start a new collection, or {where} "
            "to start over",
        )
