"""In-process llama.cpp backend: a GGUF file, CPU or GPU offload, grammar-constrained JSON.

Built on llama.cpp's low-level API rather than the high-level `Llama` class, which decodes one
sequence at a time: here the `n` samples of a request decode together in one batch behind a
prompt evaluated once (different prompts, `complete_each`, behind their common prefix), and
recent prompts stay in the KV cache so the next stage or round evaluates only what it does not
share with them (`prefix_stats` counts both). Reading back a text the model just sampled after
the same prompt (the judge's read of a plain candidate after the task) costs nothing: the
log-probabilities of its tokens were kept while sampling (`llama_reads`). The same code runs on
the CPU and with layers offloaded to a GPU.

Sample `i` of a request is seeded with `seed + i` and is the text a single request with that
seed samples over the same cached prompt. `Usage.prompt_tokens` counts a request's prompt once,
however many samples share it; `prefix_stats` says how much of it was evaluated and how much
reused.

llama.cpp calls block and a context is not thread-safe, so each call runs in a worker thread
under the model's lock; the event loop stays free for progress, logging and other runs.
"""

from __future__ import annotations

import asyncio
import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import llama_cpp.llama_cpp as native
import structlog

from noetic.errors import ContextOverflowError, ModelLoadError
from noetic.models.base import (
    Completion,
    Message,
    Request,
    Sampling,
    ScoreRequest,
    TokenScores,
    Usage,
)
from noetic.models.chat_template import ChatTemplate
from noetic.models.default_model import default_model_path
from noetic.models.gguf import check_gguf
from noetic.models.llama_batch import BatchDecoder, ContextFullError
from noetic.models.llama_logs import quiet_llama_logs
from noetic.models.llama_prefix import PrefixStats
from noetic.models.llama_sampling import GrammarCache, SequenceSampler
from noetic.models.llama_vocab import Vocabulary
from noetic.settings import MAX_CANDIDATES, ModelSettings

log = structlog.get_logger(__name__)

PROMPT_SLOTS = 6
"""Prompts kept cached: one per built-in role's prompt family (generator, critic, meta-thinker,
mode switcher, synthesizer) and one more, for a plugged-in role or a retry."""

ALL_LAYERS = 0x7FFFFFFF
"""`n_gpu_layers=-1` as llama.cpp understands it (more layers than any model has)."""

OVERFLOW_FIX = (
    "raise model.n_ctx (NOETIC_MODEL__N_CTX) or use fewer rounds, candidates or recalled memories"
)


class LlamaCppModel:
    """A `ChatModel` running a GGUF file through llama.cpp's batch API."""

    def __init__(self, settings: ModelSettings | None = None, *, seed: int = 0) -> None:
        settings = settings or ModelSettings()
        self.path: Path = check_gguf(settings.path or default_model_path())
        self.name = self.path.name
        self.settings = settings
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self.threads = threads = settings.n_threads or os.cpu_count() or 1
        started = time.perf_counter()
        quiet_llama_logs()
        native.llama_backend_init()
        self._model = self._load_model(settings)
        self._ctx = self._new_context(settings, threads)
        self._vocab = Vocabulary(native.llama_model_get_vocab(self._model))
        template = native.llama_model_chat_template(self._model, None)
        self._template = ChatTemplate(
            template.decode() if template else None,
            bos_token=self._vocab.text(self._vocab.bos),
            eos_token=self._vocab.text(self._vocab.eos),
        )
        self._grammars = GrammarCache(self._vocab.vocab)
        self._decoder = BatchDecoder(
            self._ctx,
            self._vocab.vocab,
            n_ctx=self.n_ctx,
            n_batch=settings.n_batch,
            n_vocab=self._vocab.size,
            slots=PROMPT_SLOTS,
            parallel=MAX_CANDIDATES,
        )
        log.info(
            "model_loaded",
            model=self.name,
            n_ctx=self.n_ctx,
            n_gpu_layers=settings.n_gpu_layers,
            threads=threads,
            seconds=round(time.perf_counter() - started, 3),
        )

    def _load_model(self, settings: ModelSettings) -> Any:
        params = native.llama_model_default_params()
        params.n_gpu_layers = ALL_LAYERS if settings.n_gpu_layers == -1 else settings.n_gpu_layers
        model = native.llama_model_load_from_file(str(self.path).encode(), params)
        if not model:
            raise ModelLoadError(
                f"llama.cpp could not load {self.path}",
                "check that the file is a complete GGUF model for an architecture this "
                "llama-cpp-python supports, or pass another with --model",
            )
        return model

    def _new_context(self, settings: ModelSettings, threads: int) -> Any:
        params = native.llama_context_default_params()
        params.n_ctx = settings.n_ctx
        params.n_batch = params.n_ubatch = settings.n_batch
        params.n_seq_max = BatchDecoder.sequences_needed(PROMPT_SLOTS, MAX_CANDIDATES)
        params.kv_unified = True  # sequences share the prompt's cells instead of copies
        params.n_threads = params.n_threads_batch = threads
        params.no_perf = True
        ctx = native.llama_init_from_model(self._model, params)
        if not ctx:
            native.llama_model_free(self._model)
            raise ModelLoadError(
                f"llama.cpp could not create a context of {settings.n_ctx} tokens for {self.name}",
                "lower model.n_ctx (NOETIC_MODEL__N_CTX) or model.n_gpu_layers",
            )
        return ctx

    @property
    def n_ctx(self) -> int:
        return int(native.llama_n_ctx(self._ctx))

    @property
    def prefix_stats(self) -> PrefixStats:
        """Prompt tokens evaluated versus reused (from the KV cache, or read from what sampling
        recorded), since the model loaded."""
        return self._decoder.slots.stats

    def clear_cache(self) -> None:
        """Forget every cached prompt, so the next call evaluates its prompt in full (benchmarks
        time cold prompts this way)."""
        with self._lock:
            self._decoder.clear()

    def count_tokens(self, text: str) -> int:
        return len(self._vocab.tokenize(text, add_special=False))

    def count_prompt(self, messages: Sequence[Message]) -> int:
        """Tokens of `messages` rendered with the chat template, as a request's prompt."""
        return len(self._prompt(messages))

    def _prompt(self, messages: Sequence[Message]) -> list[int]:
        text, has_special = self._template.render(messages)
        return self._vocab.tokenize(text, add_special=not has_special)

    async def aclose(self) -> None:
        """In-process weights are freed when the model is dropped; nothing is held open."""

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        return await asyncio.to_thread(self._complete, list(messages), sampling, n, json_schema)

    async def complete_each(
        self, requests: Sequence[Request], *, json_schema: dict[str, Any] | None = None
    ) -> list[Completion]:
        """Different prompts decoded together, one sample each; every completion carries the
        whole batch's seconds."""
        return await asyncio.to_thread(self._complete_each, list(requests), json_schema)

    def _complete(
        self,
        messages: list[Message],
        sampling: Sampling,
        n: int,
        json_schema: dict[str, Any] | None,
    ) -> Completion:
        started = time.perf_counter()
        prompt = self._prompt(messages)
        seed = self._seed(sampling)
        outputs = self._generate(
            lambda samplers: self._decoder.generate(prompt, samplers, sampling.max_tokens),
            [(sampling, seed + i) for i in range(n)],
            [prompt],
            json_schema,
        )
        return Completion(
            texts=[self._vocab.detokenize(tokens) for tokens in outputs],
            usage=Usage(prompt_tokens=len(prompt), completion_tokens=sum(map(len, outputs))),
            seconds=time.perf_counter() - started,
        )

    def _complete_each(
        self, requests: list[Request], json_schema: dict[str, Any] | None
    ) -> list[Completion]:
        started = time.perf_counter()
        prompts = [self._prompt(r.messages) for r in requests]
        limits = [r.sampling.max_tokens for r in requests]
        outputs = self._generate(
            lambda samplers: self._decoder.generate_each(prompts, samplers, limits),
            [(r.sampling, self._seed(r.sampling)) for r in requests],
            prompts,
            json_schema,
        )
        seconds = time.perf_counter() - started
        return [
            Completion(
                texts=[self._vocab.detokenize(tokens)],
                usage=Usage(prompt_tokens=len(prompt), completion_tokens=len(tokens)),
                seconds=seconds,
            )
            for prompt, tokens in zip(prompts, outputs, strict=True)
        ]

    async def score_each(self, requests: Sequence[ScoreRequest]) -> list[TokenScores]:
        """Token log-probabilities of each request's continuation and options (`ScoringModel`),
        from prompt evaluation alone: the requests share their common prefix in the cache, and a
        continuation this model just sampled after the same prompt is read from what sampling
        recorded."""
        if not requests:
            return []
        return await asyncio.to_thread(self._score_each, list(requests))

    def _score_each(self, requests: list[ScoreRequest]) -> list[TokenScores]:
        prompts = [self._prompt(r.messages) for r in requests]
        texts = [
            p + self._vocab.tokenize(r.continuation, add_special=False) if r.continuation else p
            for p, r in zip(prompts, requests, strict=True)
        ]
        options = sorted({o for r in requests for o in r.options})
        option_tokens = [self._vocab.tokenize(o, add_special=False)[0] for o in options]
        longest = self._check_fits(texts)
        with self._lock:
            try:
                scored = self._decoder.score_each(texts, list(map(len, prompts)), option_tokens)
            except ContextFullError as exc:
                raise ContextOverflowError(
                    f"{len(texts)} texts of up to {longest} tokens do not fit in {self.name}'s "
                    f"context window of {self.n_ctx} tokens ({exc})",
                    OVERFLOW_FIX,
                ) from None
        by_option = [dict(zip(options, after, strict=True)) for _, after in scored]
        return [
            TokenScores(
                logprobs=logprobs,
                options={o: chosen[o] for o in r.options} if chosen else {},
                usage=Usage(prompt_tokens=len(text)),
            )
            for r, text, (logprobs, _), chosen in zip(
                requests, texts, scored, by_option, strict=True
            )
        ]

    def _check_fits(self, prompts: Sequence[Sequence[int]]) -> int:
        """The longest prompt's length; a prompt the context cannot hold is a clear error."""
        longest = max(map(len, prompts))
        if longest >= self.n_ctx:
            raise ContextOverflowError(
                f"the prompt ({longest} tokens) does not fit in {self.name}'s context "
                f"window of {self.n_ctx} tokens",
                OVERFLOW_FIX,
            )
        return longest

    def _seed(self, sampling: Sampling) -> int:
        return sampling.seed if sampling.seed is not None else self._rng.randrange(2**31)

    def _generate(
        self,
        decode: Callable[[list[SequenceSampler]], list[list[int]]],
        draws: list[tuple[Sampling, int]],
        prompts: list[list[int]],
        json_schema: dict[str, Any] | None,
    ) -> list[list[int]]:
        """`decode` with one sampler per (sampling, seed) draw, under the model's lock."""
        longest = self._check_fits(prompts)
        with self._lock:
            samplers = [
                SequenceSampler(
                    self._vocab.size,
                    sampling,
                    seed,
                    self._grammars.clone(json_schema) if json_schema else None,
                )
                for sampling, seed in draws
            ]
            try:
                return decode(samplers)
            except ContextFullError as exc:
                raise ContextOverflowError(
                    f"{len(draws)} samples of up to {longest} prompt tokens do not fit in "
                    f"{self.name}'s context window of {self.n_ctx} tokens ({exc})",
                    OVERFLOW_FIX,
                ) from None
            finally:
                for sampler in samplers:
                    sampler.close()

    def close(self) -> None:
        """Free llama.cpp's memory now rather than when the object is collected (after a call
        still decoding in its worker thread)."""
        with self._lock:
            if self._ctx is None:
                return
            self._decoder.close()
            self._grammars.close()
            native.llama_free(self._ctx)
            native.llama_model_free(self._model)
            self._ctx = self._model = None

    def __del__(self) -> None:
        if getattr(self, "_ctx", None) is not None:
            self.close()
