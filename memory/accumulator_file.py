"""The accumulator's file: a versioned JSON document, replaced atomically so a crash never leaves
half of it behind."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, FiniteFloat, ValidationError, model_validator

from noetic.errors import MemoryStoreError

FORMAT_VERSION = 1


class AccumulatorFile(BaseModel):
    """Lazily decayed weights as stored: a weight is valid at the epoch stored beside it."""

    format: int = FORMAT_VERSION
    epoch: int = 0
    nodes: dict[str, tuple[FiniteFloat, int, int]] = {}
    """concept -> (weight, epoch of that weight, times rewarded)"""
    edges: list[tuple[str, str, FiniteFloat, int, int]] = []
    """(concept, concept, weight, epoch of that weight, times rewarded together)"""
    history: dict[str, dict[int, list[tuple[str, FiniteFloat]]]] = {}
    """run id -> round -> top concepts and their weights after that round"""
    strategies: dict[str, dict[str, tuple[FiniteFloat, FiniteFloat]]] = {}
    """kind of task -> strategy -> (decayed wins, decayed trials)"""

    @model_validator(mode="after")
    def _edges_join_stored_concepts(self) -> AccumulatorFile:
        for a, b, *_ in self.edges:
            missing = a if a not in self.nodes else b if b not in self.nodes else None
            if missing is not None:
                raise ValueError(f"an edge names the concept {missing!r}, which has no weight")
        return self


def read(path: Path) -> AccumulatorFile | None:
    """The stored accumulator, or None if there is none yet."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise _unreadable(path, reason) from None
    try:
        version = json.loads(raw).get("format")
    except (json.JSONDecodeError, AttributeError) as exc:
        raise _unreadable(path, str(exc)) from None
    if version != FORMAT_VERSION:
        raise MemoryStoreError(
            f"{path} has accumulator format {version!r}; this noetic reads format {FORMAT_VERSION}",
            "upgrade noetic, or move the file away to start a fresh accumulator",
        )
    try:
        return AccumulatorFile.model_validate_json(raw)
    except ValidationError as exc:
        raise _unreadable(path, str(exc.errors()[0]["msg"])) from None


def write(path: Path, data: AccumulatorFile) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data.model_dump_json())
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _unreadable(path: Path, detail: str) -> MemoryStoreError:
    return MemoryStoreError(
        f"{path} is not a readable accumulator file ({detail})",
        "restore it from a backup, or move it away to start a fresh accumulator",
    )
