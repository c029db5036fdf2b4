"""What the PostgreSQL stores (runs, accumulator) share: connecting to `checkpoints.url`, one line
for a failure with the password never shown, and creating tables once when workers start together.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import tuple_row

from noetic.errors import NoeticError, RunStateError
from noetic.settings import masked_url

CONNECT_TIMEOUT_S = 10
"""Unless the URL sets `connect_timeout`: an unreachable host is one line in seconds, not after
the minutes of a TCP timeout."""
SCHEMA_LOCK = 0x6E6F65746963
"""The advisory lock key ("noetic") held while one process creates or migrates tables."""
LOCK_POLL_S = 0.05
WHERE = "checkpoints.url in noetic.toml or NOETIC_CHECKPOINTS__URL"


def conninfo(url: str) -> str:
    """libpq's connection string for `url`, with the default connect timeout."""
    timeout = conninfo_to_dict(url).get("connect_timeout", CONNECT_TIMEOUT_S)
    return make_conninfo(url, connect_timeout=timeout)


def store_error(
    url: str, exc: psycopg.Error, kind: type[NoeticError] = RunStateError
) -> NoeticError:
    """The one line for PostgreSQL refusing or losing a connection: what it said (its first line,
    any password in it masked) and the likely fix."""
    reason = " ".join(str(exc).strip().splitlines()[0].split()) if str(exc).strip() else repr(exc)
    reason = reason.removeprefix("connection failed: ")
    for secret in _passwords(url):
        reason = reason.replace(secret, "***")
    if "database" in reason and "does not exist" in reason:
        fix = f"create the database (createdb), or name an existing one in {WHERE}"
    elif "authentication" in reason or "password" in reason or "role" in reason:
        fix = f"check the user and password in {WHERE} (or PGPASSWORD, ~/.pgpass)"
    else:
        fix = f"start PostgreSQL there, or point {WHERE} at a reachable server"
    return kind(f"cannot use the PostgreSQL store {masked_url(url)} ({reason})", fix)


def _passwords(url: str) -> list[str]:
    """The password `url` carries, as written and decoded (libpq echoes it in some errors)."""
    try:
        parts = urlsplit(url)
        found = [parts.password or "", *parse_qs(parts.query).get("password", [])]
    except ValueError:
        return []
    return [s for p in found if p for s in {p, unquote(p)}]


@asynccontextmanager
async def schema_lock(conn: psycopg.AsyncConnection[Any]) -> AsyncIterator[None]:
    """Held for the block by one process of many opening the same database at once.

    Polled rather than waited on: a statement waiting for the lock holds a snapshot, and the
    checkpointer's migrations (CREATE INDEX CONCURRENTLY) wait for every older snapshot, which
    would deadlock the two.
    """
    while not await _scalar(conn, "select pg_try_advisory_lock(%s)", SCHEMA_LOCK):
        await asyncio.sleep(LOCK_POLL_S)
    try:
        yield
    finally:
        await _scalar(conn, "select pg_advisory_unlock(%s)", SCHEMA_LOCK)


async def _scalar(conn: psycopg.AsyncConnection[Any], query: str, arg: int) -> object:
    async with conn.cursor(row_factory=tuple_row) as cur:
        await cur.execute(query, (arg,))
        row = await cur.fetchone()
    return row[0] if row else None
