"""Embedded stores in the old format: qdrant-client's local mode under `NOETIC_HOME/qdrant`.

The Edge engine cannot read them, so a run or a memory command that meets one stops with one line
saying to migrate it, and `noetic memory migrate` reads it here with qdrant-client.
"""

from __future__ import annotations

import pickle
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from noetic.errors import MemoryStoreError

if TYPE_CHECKING:
    from qdrant_client import QdrantClient

LEGACY_DIR = "qdrant"
DAMAGE = (OSError, ValueError, TypeError, KeyError, EOFError, pickle.UnpicklingError, sqlite3.Error)
"""What the local store's files raise when they are damaged (JSON, SQLite, pickle)."""


def refuse_unmigrated(home: Path) -> None:
    """Stop with one line if `home` still holds a store in the old format."""
    path = home.expanduser() / LEGACY_DIR
    if path.exists():
        raise MemoryStoreError(
            f"the embedded memory store {path} is in the old format (qdrant-client local mode)",
            "run `noetic memory migrate` once to move its memories into the Qdrant Edge store "
            "(the old folder is kept aside)",
        )


def open_local(path: Path) -> QdrantClient:
    """qdrant-client's local mode on `path`, its lock and damage as one line each."""
    # Imported here: it takes 2 s, and every run checks for an old store without needing it.
    from qdrant_client import QdrantClient

    try:
        # Calls may arrive from worker threads, one at a time (VectorMemory's lock).
        return QdrantClient(path=str(path), force_disable_check_same_thread=True)
    except RuntimeError as exc:
        if "already accessed" not in str(exc):
            raise
        raise MemoryStoreError(
            f"the old-format memory store {path} is in use by another process (it holds the lock "
            f"{path / '.lock'})",
            "wait for that process (an older noetic, perhaps) to finish, then migrate again",
        ) from None
    except DAMAGE as exc:
        # Local mode reads every file it has (meta.json, each collection's SQLite file of pickled
        # points) when it opens, so damage anywhere shows here, whatever its form.
        raise MemoryStoreError(
            f"the old-format memory store {path} is damaged ({type(exc).__name__}: {exc})",
            "restore the folder from a backup and migrate again, or move it away to start an "
            "empty memory (stored runs are kept; only recall from their memories is lost)",
        ) from None
