"""Embeddings from a GGUF model through llama.cpp (mean-pooled, L2-normalized).

The model loads on the first `embed` (or `load`, which a session calls beside the chat model's
load), so opening the memory (say, for `noetic memory stats`) only reads the file's header for
its dimension. Recent texts' vectors are kept, since a run embeds the same texts at several
stages. llama.cpp blocks and a context is not thread-safe: each batch runs in a worker thread
under the embedder's lock.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

import llama_cpp
import structlog
from llama_cpp import Llama

from noetic.errors import ModelLoadError
from noetic.models.gguf import check_gguf, read_metadata
from noetic.models.llama_logs import quiet_llama_logs

log = structlog.get_logger(__name__)
quiet_llama_logs()

CACHED_TEXTS = 1024
"""Vectors kept by text: a run embeds the same texts again and again (the task every round,
a recalled memory in recall and in judging, a candidate in judging and when it is stored)."""


class LlamaCppEmbedder:
    """An `Embedder` over any GGUF model (a dedicated embedding model or the chat model)."""

    def __init__(
        self,
        path: Path,
        n_ctx: int = 512,
        n_threads: int | None = None,
        n_gpu_layers: int = 0,
    ) -> None:
        self.path = check_gguf(path)
        self.name = self.path.name
        self._n_ctx = n_ctx
        self._n_threads = n_threads or os.cpu_count() or 1
        self._n_gpu_layers = n_gpu_layers
        self._lock = threading.Lock()
        self._llama: Llama | None = None
        self._cache: dict[str, list[float]] = {}
        self.dimension = self._read_dimension()

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, in order; texts longer than the context are truncated."""
        if not texts:
            return []
        # An empty text has no tokens, and llama.cpp fails (or corrupts memory) decoding none.
        return await asyncio.to_thread(
            self._embed, [text if text.strip() else " " for text in texts]
        )

    def _embed(self, texts: list[str]) -> list[list[float]]:
        """The call's vectors are gathered before the cache evicts anything: evicting the
        oldest entries to make room for this call's new texts must not drop one of its own
        cached texts (a 74-item evaluation died of that `KeyError`)."""
        with self._lock:
            vectors = {t: self._cache[t] for t in texts if t in self._cache}
            fresh = list(dict.fromkeys(t for t in texts if t not in vectors))
            if fresh:
                started = time.perf_counter()
                embedded = self._model().embed(fresh, normalize=True, truncate=True)
                log.debug(
                    "embedded", texts=len(fresh), seconds=round(time.perf_counter() - started, 3)
                )
                vectors.update(zip(fresh, embedded, strict=True))
            self._keep(vectors)
            return [vectors[t] for t in texts]

    def load(self) -> None:
        """Load the weights now (blocking) rather than on the first `embed`."""
        with self._lock:
            self._model()

    def remember(self, vectors: Mapping[str, Sequence[float]]) -> None:
        """Keep vectors computed before (the memory's stored ones) as if embedded here."""
        with self._lock:
            self._keep({text: list(vector) for text, vector in vectors.items() if text.strip()})

    def _keep(self, vectors: Mapping[str, list[float]]) -> None:
        for text, vector in vectors.items():  # most recently used last
            self._cache.pop(text, None)
            self._cache[text] = vector
        while len(self._cache) > CACHED_TEXTS:
            del self._cache[next(iter(self._cache))]

    def _model(self) -> Llama:
        if self._llama is None:
            started = time.perf_counter()
            self._llama = self._load(
                embedding=True,
                pooling_type=llama_cpp.LLAMA_POOLING_TYPE_MEAN,
                n_ctx=self._n_ctx,
                n_batch=self._n_ctx,
                n_threads=self._n_threads,
                n_threads_batch=self._n_threads,
                n_gpu_layers=self._n_gpu_layers,
            )
            seconds = round(time.perf_counter() - started, 3)
            log.info("embedder_loaded", model=self.name, seconds=seconds)
        return self._llama

    def _read_dimension(self) -> int:
        """The embedding width from the GGUF metadata, without loading the weights."""
        arch = read_metadata(self.path, {"general.architecture"}).get("general.architecture")
        key = f"{arch}.embedding_length"
        width = read_metadata(self.path, {key}).get(key) if arch else None
        return int(width) if width else int(self._model().n_embd())

    def _load(self, **params: object) -> Llama:
        try:
            return Llama(model_path=str(self.path), verbose=False, **params)  # type: ignore[arg-type]
        except ValueError as exc:
            raise ModelLoadError(
                f"llama.cpp could not load {self.path} for embeddings ({exc})",
                "check that the file is a complete GGUF model, or set memory.embedding_model "
                "to another one",
            ) from None
