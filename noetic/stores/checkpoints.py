"""The durable store of runs: LangGraph's SQLite checkpointer under `NOETIC_HOME`, or its
Postgres one when `checkpoints.url` names a database (`noetic.stores.checkpoints_postgres`).

Checkpoints hold our pydantic state types; LangGraph only deserializes types it was told about,
so they are registered here, in one place.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import aiosqlite
import ormsgpack
from langgraph.checkpoint.serde.jsonplus import EXT_PYDANTIC_V2, JsonPlusSerializer
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from pydantic import BaseModel

from noetic import record
from noetic.errors import RunStateError
from noetic.home import usable_home
from noetic.models.base import Usage
from noetic.settings import NoeticSettings, masked_url

if TYPE_CHECKING:
    from noetic.stores.checkpoints_postgres import PostgresRuns

CHECKPOINTS_FILE = "checkpoints.sqlite"
STATE_TYPES: tuple[type[BaseModel], ...] = (
    record.Candidate,
    record.CheckResult,
    record.Critique,
    record.HumanDecision,
    record.Lesson,
    record.ModeSwitch,
    record.Recollection,
    record.Reflection,
    record.RoundRecord,
    record.Source,
    Usage,
)
MOVED_MODULES = {"noetic.agents.schemas": record.__name__}
"""Where stored types lived before: runs checkpointed before the record moved to the ground floor
name its types by the old module."""

ExtHook = Callable[[int, bytes], Any]


class SqliteRuns(AsyncSqliteSaver):
    """The checkpointer on the home's SQLite file, able to list the runs it holds."""

    async def run_ids(self) -> list[str]:
        async with self.conn.execute("select distinct thread_id from checkpoints") as cursor:
            return [row[0] for row in await cursor.fetchall()]


RunStore: TypeAlias = "SqliteRuns | PostgresRuns"


def run_store_name(settings: NoeticSettings) -> str:
    """The run store as messages name it: the home folder, or the database URL (no password)."""
    url = settings.checkpoints.url
    return str(settings.home) if url is None else masked_url(url)


def has_run_store(settings: NoeticSettings) -> bool:
    """Whether runs may be stored: a reader of a fresh home finds none without creating a file."""
    return settings.checkpoints.url is not None or (settings.home / CHECKPOINTS_FILE).exists()


def checkpoints_path(home: Path) -> Path:
    """The run store's file, in a home checked (and made) first: SQLite writes even to read."""
    return usable_home(home) / CHECKPOINTS_FILE


def serializer() -> JsonPlusSerializer:
    allowed = [(t.__module__, t.__name__) for t in STATE_TYPES]
    plain = JsonPlusSerializer(allowed_msgpack_modules=allowed)
    return JsonPlusSerializer(
        allowed_msgpack_modules=allowed,
        __unpack_ext_hook__=_reading_moved_types(plain._unpack_ext_hook),
    )


def _reading_moved_types(hook: ExtHook) -> ExtHook:
    """`hook`, reading a pydantic object stored under a module in `MOVED_MODULES` as the type of
    the same name in its new module. LangGraph stores one as the msgpack array (module, class,
    fields, method): only the module, the array's first element, is rewritten."""
    renames = [(_array_head(old), _array_head(new)) for old, new in MOVED_MODULES.items()]

    def read(code: int, data: bytes) -> Any:
        if code == EXT_PYDANTIC_V2:
            for old, new in renames:
                if data.startswith(old):
                    data = new + data[len(old) :]
                    break
        return hook(code, data)

    return read


def _array_head(module: str) -> bytes:
    """The bytes a stored pydantic object starts with: a 4-array whose first element is `module`."""
    return b"\x94" + ormsgpack.packb(module)


@asynccontextmanager
async def open_checkpointer(settings: NoeticSettings) -> AsyncIterator[RunStore]:
    """The run store `settings` name, checked, then open for the block: its failures, at opening
    or at any step of a run, become one line naming the file or the database."""
    if settings.checkpoints.url is not None:
        from noetic.stores.checkpoints_postgres import open_postgres_checkpointer

        async with open_postgres_checkpointer(settings.checkpoints.url, serializer()) as runs:
            yield runs
        return
    path = checkpoints_path(settings.home)
    _check_size(path)
    async with aiosqlite.connect(str(path)) as conn:
        saver = SqliteRuns(conn, serde=serializer())
        try:
            await saver.setup()  # WAL journal
            # Each step commits; in WAL mode NORMAL skips the fsync per commit (0.4 ms here,
            # 35 a 2-round run). A crashed process loses nothing; a power cut may lose the
            # last steps, never the file's consistency, and the run resumes from before them.
            await conn.execute("PRAGMA synchronous=NORMAL")
            await conn.execute("select thread_id from checkpoints limit 1")
            yield saver
        except sqlite3.DatabaseError as exc:
            raise _store_error(path, exc) from None


def _check_size(path: Path) -> None:
    """A file cut short (a copy or a disk that filled up) reads fine until a lost page is needed,
    so compare its size with the page count its header records."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise _damaged(path, exc.strerror or str(exc)) from None
    if len(header) < 100 or not header.startswith(b"SQLite format 3\x00"):
        if header:
            raise _damaged(path, "not an SQLite database")
        return
    page_size = int.from_bytes(header[16:18], "big")
    pages = int.from_bytes(header[28:32], "big")
    expected = (65536 if page_size == 1 else page_size) * pages
    if path.stat().st_size < expected:
        raise _damaged(path, f"{path.stat().st_size} bytes where its header records {expected}")


def _store_error(path: Path, exc: sqlite3.DatabaseError) -> RunStateError:
    """SQLite's failures on the run store, met opening it or at any step of a run."""
    if "locked" in str(exc):
        return RunStateError(
            f"the run store {path} is locked by another process ({exc})",
            "wait for that process to finish writing, then try again",
        )
    return _damaged(path, str(exc))


def _damaged(path: Path, detail: str) -> RunStateError:
    return RunStateError(
        f"the run store {path} is damaged ({detail})",
        "restore it from a backup, or move it away to start an empty run store "
        "(the runs stored in it are then gone)",
    )
