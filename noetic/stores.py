"""Opening the shared structures a run reads and writes: the vector memory (with its embedder)
and the global weight accumulator, both under `NOETIC_HOME`.

The runner and the `memory` / `concepts` commands open them the same way, so a store a run wrote
is the store the commands read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from noetic.memory import ACCUMULATOR_FILE, VectorMemory, WeightAccumulator
from noetic.models.base import Embedder
from noetic.settings import NoeticSettings


def default_embedder(settings: NoeticSettings) -> Embedder:
    """llama.cpp embeddings from `memory.embedding_model`, else from the chat model's GGUF."""
    from noetic.models.default_model import default_model_path
    from noetic.models.llama_embedder import LlamaCppEmbedder

    path = settings.memory.embedding_model or settings.model.path or default_model_path()
    return LlamaCppEmbedder(
        path, n_threads=settings.model.n_threads, n_gpu_layers=settings.model.n_gpu_layers
    )


def load_accumulator(settings: NoeticSettings) -> WeightAccumulator:
    settings.home.mkdir(parents=True, exist_ok=True)
    return WeightAccumulator.load(settings.home / ACCUMULATOR_FILE)


@dataclass
class SharedStores:
    memory: VectorMemory | None
    accumulator: WeightAccumulator | None


@contextmanager
def open_stores(
    settings: NoeticSettings, embedder: Embedder | None = None
) -> Iterator[SharedStores]:
    """Memory and accumulator for the block (`memory.enabled = false`: neither), then closed."""
    if not settings.memory.enabled:
        yield SharedStores(memory=None, accumulator=None)
        return
    accumulator = load_accumulator(settings)
    memory = VectorMemory.open(
        settings.home, settings.memory, embedder or default_embedder(settings)
    )
    try:
        yield SharedStores(memory=memory, accumulator=accumulator)
    finally:
        memory.close()
