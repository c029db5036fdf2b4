"""The run store in PostgreSQL (`checkpoints.url`): LangGraph's Postgres checkpointer, so worker
processes on many machines share one record of runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import psycopg
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg.rows import dict_row

from noetic.postgres import conninfo, schema_lock, store_error


class PostgresRuns(AsyncPostgresSaver):
    """The checkpointer on one connection (its lock serialises a batch's runs on it), able to
    list the runs it holds."""

    async def run_ids(self) -> list[str]:
        async with self._cursor() as cur:
            await cur.execute("select distinct thread_id from checkpoints")
            return [row["thread_id"] for row in await cur.fetchall()]


@asynccontextmanager
async def open_postgres_checkpointer(
    url: str, serde: SerializerProtocol
) -> AsyncIterator[PostgresRuns]:
    """The run store at `url`, its tables created or migrated first, open for the block: a
    connection refused at opening or lost at any step of a run is one line naming the URL."""
    try:
        conn: psycopg.AsyncConnection[Any] = await psycopg.AsyncConnection.connect(
            conninfo(url), autocommit=True, prepare_threshold=0, row_factory=dict_row
        )
    except psycopg.Error as exc:
        raise store_error(url, exc) from None
    async with conn:
        try:
            saver = PostgresRuns(conn, serde=serde)
            async with schema_lock(conn):
                await saver.setup()
            yield saver
        except psycopg.OperationalError as exc:
            raise store_error(url, exc) from None
