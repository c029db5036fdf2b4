"""What the vector memory stores and returns, as validated models."""

from __future__ import annotations

import time
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

MemoryKind = Literal["thought", "critique", "reflection", "lesson"]
"""A lesson is what a run learned on its kind of task (`noetic.agents.lessons`)."""

_POINT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://noetic/memory")


class MemoryRecord(BaseModel):
    """One stored memory with its provenance.

    Its point id derives from (run_id, round, kind, index) only, so storing a round again after a
    crash or a resume replaces the same points instead of adding duplicates. `index` tells apart
    several records of one kind in one round (e.g. one critique per candidate).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    run_id: str = Field(min_length=1)
    task: str
    round: int = Field(ge=0)
    role: str
    mode: str
    kind: MemoryKind
    text: str
    index: int = Field(0, ge=0)
    scores: dict[str, float] = Field(default_factory=dict)
    concepts: list[str] = Field(default_factory=list)
    task_kind: str = ""
    """What the run's hard checks verify (`sentences+required_terms`, `open`); lessons are
    recalled by it. Empty in memories stored before it was kept."""
    created_at: float = Field(default_factory=lambda: round(time.time(), 6))
    """Seconds since the epoch, to the microsecond: Qdrant Edge keeps a float's 16 significant
    digits, and a record must read back equal to the one stored."""

    @property
    def point_id(self) -> str:
        key = f"{self.run_id}/{self.round}/{self.kind}/{self.index}"
        return str(uuid.uuid5(_POINT_NAMESPACE, key))


class Recalled(BaseModel):
    """A memory returned by search, with its fused (reciprocal rank) score."""

    model_config = ConfigDict(frozen=True)

    record: MemoryRecord
    score: float


class MemoryStats(BaseModel):
    """What `noetic memory stats` shows: `points` is the number of stored memories, `kinds` how
    many of each kind."""

    points: int
    kinds: dict[str, int] = Field(default_factory=dict)
    collection: str
    embedding_model: str
    dimension: int
    location: str
