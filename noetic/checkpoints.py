"""The durable store of runs: LangGraph's SQLite checkpointer under `NOETIC_HOME`.

Checkpoints hold our pydantic state types; LangGraph only deserializes types it was told about,
so they are registered here, in one place.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from pydantic import BaseModel

from noetic.agents import schemas
from noetic.models.base import Usage

CHECKPOINTS_FILE = "checkpoints.sqlite"
STATE_TYPES: tuple[type[BaseModel], ...] = (
    schemas.Candidate,
    schemas.Critique,
    schemas.HumanDecision,
    schemas.ModeSwitch,
    schemas.Recollection,
    schemas.Reflection,
    schemas.RoundRecord,
    schemas.Source,
    Usage,
)


def checkpoints_path(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    return home / CHECKPOINTS_FILE


def serializer() -> JsonPlusSerializer:
    return JsonPlusSerializer(
        allowed_msgpack_modules=[(t.__module__, t.__name__) for t in STATE_TYPES]
    )


@asynccontextmanager
async def open_checkpointer(home: Path) -> AsyncIterator[AsyncSqliteSaver]:
    """The run store, open for the duration of the block."""
    async with aiosqlite.connect(str(checkpoints_path(home))) as conn:
        yield AsyncSqliteSaver(conn, serde=serializer())
