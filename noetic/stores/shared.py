"""Opening the shared structures a run reads and writes: the vector memory (with its embedder)
and the global weight accumulator, both under `NOETIC_HOME`; the accumulator lives in the run
store's PostgreSQL database instead when `checkpoints.url` names one.

The runner, `noetic batch` and the `memory` / `concepts` commands open them the same way, so a
store a run wrote is the store the commands read. A batch opens them once for all its runs: the
embedded Qdrant store admits one client at a time, even within one process.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from noetic.memory import ACCUMULATOR_FILE, Accumulator, VectorMemory, WeightAccumulator
from noetic.models.base import Embedder
from noetic.models.factory import load_embedder
from noetic.settings import NoeticSettings


def load_accumulator(settings: NoeticSettings) -> Accumulator:
    """The accumulator file under the home, or the rows in the run store's database."""
    if settings.checkpoints.url is not None:
        from noetic.memory.accumulator_postgres import PostgresAccumulator

        return PostgresAccumulator(settings.checkpoints.url)
    return WeightAccumulator.load(settings.home / ACCUMULATOR_FILE)


@dataclass
class SharedStores:
    """`embedder` serves the memory and the judge's embedding signals alike."""

    memory: VectorMemory | None
    accumulator: Accumulator | None
    embedder: Embedder | None


@contextmanager
def open_stores(settings: NoeticSettings, embedder: Embedder) -> Iterator[SharedStores]:
    """Memory and accumulator for the block (`memory.enabled = false`: neither), then closed.

    The embedder serves without memory too, for the judge's relevance and novelty.
    """
    if not settings.memory.enabled:
        yield SharedStores(memory=None, accumulator=None, embedder=embedder)
        return
    accumulator = load_accumulator(settings) if settings.memory.accumulator else None
    try:
        with open_memory(settings, embedder) as memory:
            yield SharedStores(memory=memory, accumulator=accumulator, embedder=embedder)
    finally:
        if accumulator is not None:
            accumulator.close()


@contextmanager
def open_memory(
    settings: NoeticSettings, embedder: Embedder | None = None
) -> Iterator[VectorMemory]:
    """The vector memory alone, for the `memory` commands: a damaged accumulator, which they do
    not read, does not stop them."""
    memory = VectorMemory.open(settings.home, settings.memory, embedder or load_embedder(settings))
    try:
        yield memory
    finally:
        memory.close()
