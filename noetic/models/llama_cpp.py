"""In-process llama.cpp backend: a GGUF file, CPU or GPU offload, grammar-constrained JSON.

llama.cpp calls block and a `Llama` context is not thread-safe, so each call runs in a worker
thread under the model's lock; the event loop stays free for progress, logging and other runs.
The chat template comes from the GGUF's own metadata.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import structlog
from llama_cpp import Llama, LlamaGrammar

from noetic.errors import ContextOverflowError, ModelLoadError
from noetic.models.base import Completion, Message, Sampling, Usage
from noetic.models.default_model import default_model_path
from noetic.models.gguf import check_gguf
from noetic.models.llama_logs import quiet_llama_logs
from noetic.settings import ModelSettings

log = structlog.get_logger(__name__)
quiet_llama_logs()


class LlamaCppModel:
    """A `ChatModel` running a GGUF file through llama-cpp-python."""

    def __init__(self, settings: ModelSettings | None = None, *, seed: int = 0) -> None:
        settings = settings or ModelSettings()
        self.path: Path = check_gguf(settings.path or default_model_path())
        self.name = self.path.name
        self.settings = settings
        self._seed = seed
        self._lock = threading.Lock()
        self._grammars: dict[str, LlamaGrammar] = {}
        threads = settings.n_threads or os.cpu_count() or 1
        started = time.perf_counter()
        try:
            self._llama = Llama(
                model_path=str(self.path),
                n_ctx=settings.n_ctx,
                n_batch=settings.n_batch,
                n_gpu_layers=settings.n_gpu_layers,
                n_threads=threads,
                n_threads_batch=threads,
                seed=seed,
                verbose=False,
            )
        except ValueError as exc:
            raise ModelLoadError(
                f"llama.cpp could not load {self.path} ({exc})",
                "check that the file is a complete GGUF model for an architecture this "
                "llama-cpp-python supports, or pass another with --model",
            ) from None
        log.info(
            "model_loaded",
            model=self.name,
            n_ctx=settings.n_ctx,
            n_gpu_layers=settings.n_gpu_layers,
            threads=threads,
            seconds=round(time.perf_counter() - started, 3),
        )

    @property
    def n_ctx(self) -> int:
        return int(self._llama.n_ctx())

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode(), add_bos=False, special=True))

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        return await asyncio.to_thread(self._complete, list(messages), sampling, n, json_schema)

    def _complete(
        self,
        messages: list[Message],
        sampling: Sampling,
        n: int,
        json_schema: dict[str, Any] | None,
    ) -> Completion:
        grammar = self._grammar(json_schema) if json_schema else None
        chat = [{"role": m.role, "content": m.content} for m in messages]
        base_seed = sampling.seed if sampling.seed is not None else random.randrange(2**31)
        texts: list[str] = []
        usage = Usage()
        started = time.perf_counter()
        with self._lock:
            for sample in range(n):
                try:
                    reply: Any = self._llama.create_chat_completion(
                        messages=chat,  # type: ignore[arg-type]
                        temperature=sampling.temperature,
                        top_p=sampling.top_p,
                        repeat_penalty=sampling.repeat_penalty,
                        max_tokens=sampling.max_tokens,
                        seed=base_seed + sample,
                        grammar=grammar,
                    )
                except ValueError as exc:
                    if "context window" in str(exc):
                        raise ContextOverflowError(
                            f"the prompt does not fit in {self.name}'s context window ({exc})",
                            "raise model.n_ctx (NOETIC_MODEL__N_CTX) or use fewer rounds, "
                            "candidates or recalled memories",
                        ) from None
                    raise
                texts.append(reply["choices"][0]["message"]["content"] or "")
                usage = usage + Usage(
                    prompt_tokens=reply["usage"]["prompt_tokens"],
                    completion_tokens=reply["usage"]["completion_tokens"],
                )
        return Completion(texts=texts, usage=usage, seconds=time.perf_counter() - started)

    def _grammar(self, json_schema: dict[str, Any]) -> LlamaGrammar:
        key = json.dumps(json_schema, sort_keys=True)
        grammar = self._grammars.get(key)
        if grammar is None:
            grammar = LlamaGrammar.from_json_schema(key, verbose=False)
            self._grammars[key] = grammar
        return grammar
