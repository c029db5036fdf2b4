"""Batched decoding: one prompt, N sequences, one llama.cpp batch per step.

The prompt is evaluated once into a cached prompt slot (only the part no cached prompt shares,
see `llama_prefix`); each of the N sequences then receives that prompt's KV by reference
(`llama_memory_seq_cp` in a unified cache shares cells instead of copying them), and every step
decodes one token of every unfinished sequence in a single `llama_decode`. On a GPU a step of N
tokens costs about what one does. On a CPU the matrix products are compute-bound already at one
token, so a step of 8 still costs about 5 single steps (2 AVX2 cores, SmolLM2-135M Q4_1): the
batch saves the shared prompt's evaluation, weight reads and per-step overhead, not arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import llama_cpp.llama_cpp as native
import numpy as np

from noetic.models.llama_prefix import PromptPlan, PromptSlots, common_prefix
from noetic.models.llama_reads import SampledReads, log_normalizer, token_logprob
from noetic.models.llama_sampling import SequenceSampler, TokenArray

KV_FULL = 1
"""`llama_decode`'s return code when no KV cells are free for the batch."""


def _common_prefix(prompts: Sequence[Sequence[int]]) -> int:
    """Tokens all `prompts` start with, leaving each at least one of its own."""
    shortest = min(len(p) for p in prompts) - 1
    return min([shortest, *(common_prefix(prompts[0], p) for p in prompts[1:])])


class ContextFullError(Exception):
    """The KV cache cannot hold the prompt and its sequences, even with nothing else cached."""


class BatchDecoder:
    """Decodes up to `parallel` sequences per batch behind `slots` cached prompts."""

    def __init__(
        self,
        ctx: Any,
        vocab: Any,
        *,
        n_ctx: int,
        n_batch: int,
        n_vocab: int,
        slots: int,
        parallel: int,
    ) -> None:
        self._ctx = ctx
        self._vocab = vocab
        self._memory = native.llama_get_memory(ctx)
        self._n_ctx = n_ctx
        self._n_batch = n_batch
        self._n_vocab = n_vocab
        self.slots = PromptSlots(slots, n_ctx)
        self.sampled = SampledReads()
        self._first_sequence = slots
        self._parallel = parallel
        self._tokens = TokenArray(n_vocab)
        self._batch = native.llama_batch_init(max(n_batch, parallel), 0, 1)

    @staticmethod
    def sequences_needed(slots: int, parallel: int) -> int:
        """The context's `n_seq_max`: the prompt slots, then the decoded sequences."""
        return slots + parallel

    def generate(
        self, prompt: Sequence[int], samplers: Sequence[SequenceSampler], max_tokens: int
    ) -> list[list[int]]:
        """One token list per sampler, all continuing `prompt` (end-of-generation tokens left out).

        `max_tokens` shrinks when the cache cannot hold that many for every sequence, as the
        high-level API shortens a completion that would overflow the context.
        """
        return self._grouped(
            [prompt] * len(samplers), samplers, [max_tokens] * len(samplers), requests=False
        )

    def generate_each(
        self,
        prompts: Sequence[Sequence[int]],
        samplers: Sequence[SequenceSampler],
        max_tokens: Sequence[int],
    ) -> list[list[int]]:
        """One token list per (prompt, sampler, limit): different prompts decoded together.

        Their common prefix is evaluated once (or found cached); each sequence then evaluates
        only its own remainder.
        """
        return self._grouped(prompts, samplers, max_tokens, requests=True)

    def score_each(
        self, texts: Sequence[Sequence[int]], starts: Sequence[int], options: Sequence[int]
    ) -> list[tuple[list[float], list[float]]]:
        """For each token list: the log-probability of every token from `starts[i]` on, and of
        each of `options` as the token after the last one.

        Nothing is sampled: the texts are evaluated as prompts, `parallel` at a time, behind
        their common prefix (evaluated once, or found cached), with logits kept only where a
        probability is read. Without `options`, a text sampled lately after the same prompt is
        read from the log-probabilities recorded then (`SampledReads`), not evaluated.
        """
        known = [
            None if options else self.sampled.read(t, s) for t, s in zip(texts, starts, strict=True)
        ]
        self.slots.count_reused(
            sum(len(t) for t, k in zip(texts, known, strict=True) if k is not None)
        )
        rest = [j for j, k in enumerate(known) if k is None]
        scored = self._score_all([texts[j] for j in rest], [starts[j] for j in rest], options)
        read = dict(zip(rest, scored, strict=True))
        return [read[j] if k is None else (k, []) for j, k in enumerate(known)]

    def _score_all(
        self, texts: Sequence[Sequence[int]], starts: Sequence[int], options: Sequence[int]
    ) -> list[tuple[list[float], list[float]]]:
        scores: list[tuple[list[float], list[float]]] = []
        first = 0
        while first < len(texts):
            last = first + 1  # a group: up to `parallel` texts whose tokens fit the cache
            while (
                last < len(texts)
                and last - first < self._parallel
                and sum(map(len, texts[first : last + 1])) <= self._n_ctx
            ):
                last += 1
            scores += self._score(texts[first:last], starts[first:last], options)
            first = last
        return scores

    def _score(
        self, texts: Sequence[Sequence[int]], starts: Sequence[int], options: Sequence[int]
    ) -> list[tuple[list[float], list[float]]]:
        shared_len = min(_common_prefix(texts), *(s - 1 for s in starts))
        shared = texts[0][: max(shared_len, 0)]
        # Texts that go on sharing a prefix beyond the group's (one candidate's critic
        # questions, one task's candidates) evaluate it once: later ones copy it.
        copies = [
            max(
                ((k, min(common_prefix(texts[k], text), starts[j] - 1)) for k in range(j)),
                key=lambda kc: kc[1],
                default=(-1, 0),
            )
            for j, text in enumerate(texts)
        ]
        begins = [max(len(shared), common) for _, common in copies]
        own = sum(len(t) - b for t, b in zip(texts, begins, strict=True))
        if len(shared) + own > self._n_ctx:
            raise ContextFullError(f"{len(shared) + own} tokens to score exceed the context")
        plan = self.slots.plan(shared, own, whole=True)
        self._place(plan)
        copied = sum(begins) - len(shared) * len(texts)
        self.slots.commit(plan, shared, sharers=len(texts), own=own, copied=copied)
        try:
            self._prefill(plan.slot, shared, plan.common, whole=True)
        except BaseException:
            self._clear(plan.slot)
            self.slots.forget(plan.slot)
            raise
        sequences = list(range(self._first_sequence, self._first_sequence + len(texts)))
        logprobs: list[list[float]] = [[] for _ in texts]
        after: list[list[float]] = [[] for _ in texts]
        pending: list[tuple[int, int, int, int]] = []  # token, position, sequence, reader or -1

        def flush() -> None:
            for first in range(0, len(pending), self._n_batch):
                chunk = pending[first : first + self._n_batch]
                for i, (token, position, seq, reader) in enumerate(chunk):
                    self._put(i, token, position, seq, logits=reader >= 0)
                self._batch.n_tokens = len(chunk)
                self._run(plan.slot)
                for i, (_token, position, _seq, j) in enumerate(chunk):
                    if j >= 0:
                        logits = self._logits(i)
                        norm = log_normalizer(logits)
                        if position + 1 < len(texts[j]):
                            logprobs[j].append(float(logits[texts[j][position + 1]]) - norm)
                        else:
                            after[j] = [float(logits[o]) - norm for o in options]
            pending.clear()

        try:
            for j, (seq, text) in enumerate(zip(sequences, texts, strict=True)):
                native.llama_memory_seq_cp(self._memory, plan.slot, seq, -1, -1)
                source, common = copies[j]
                if common > len(shared):
                    flush()
                    native.llama_memory_seq_cp(
                        self._memory, sequences[source], seq, len(shared), common
                    )
                pending += [
                    (text[p], p, seq, j if p >= starts[j] - 1 else -1)
                    for p in range(begins[j], len(text))
                ]
            flush()
        finally:
            for seq in sequences:
                self._clear(seq)
        return list(zip(logprobs, after, strict=True))

    def _grouped(
        self,
        prompts: Sequence[Sequence[int]],
        samplers: Sequence[SequenceSampler],
        limits: Sequence[int],
        *,
        requests: bool,
    ) -> list[list[int]]:
        """Decode `parallel` sequences at a time. With `requests`, each prompt is a request of
        its own and counts as one (reused when another evaluated it); else they are one
        request's samples and its prompt counts once."""
        tokens: list[list[int]] = []
        for start in range(0, len(samplers), self._parallel):
            group = slice(start, start + self._parallel)
            tokens += self._generate(prompts[group], samplers[group], limits[group], requests)
        return tokens

    def _generate(
        self,
        prompts: Sequence[Sequence[int]],
        samplers: Sequence[SequenceSampler],
        limits: Sequence[int],
        requests: bool,
    ) -> list[list[int]]:
        same = all(p == prompts[0] for p in prompts)
        # One prompt: its last token is evaluated alone, in the slot (see `_prefill`).
        shared = prompts[0] if same else prompts[0][: _common_prefix(prompts)]
        own = 0 if same else sum(len(p) - len(shared) for p in prompts)
        room = (self._n_ctx - len(shared) - own) // len(samplers)
        if room < 1:
            raise ContextFullError(
                f"{len(shared) + own} prompt tokens leave no room for {len(samplers)} sequences"
            )
        limits = [min(limit, room) for limit in limits]
        plan = self.slots.plan(shared, own + sum(limits), whole=not same)
        self._place(plan)
        self.slots.commit(plan, shared, sharers=len(prompts) if requests else 1, own=own)
        try:
            self._prefill(plan.slot, shared, plan.common, whole=not same)
        except BaseException:
            self._clear(plan.slot)
            self.slots.forget(plan.slot)
            raise
        sequences = list(range(self._first_sequence, self._first_sequence + len(samplers)))
        for seq in sequences:
            native.llama_memory_seq_cp(self._memory, plan.slot, seq, -1, -1)
        try:
            if same:
                logits_at = dict.fromkeys(range(len(samplers)), 0)
            else:
                self._start_each(plan.slot, sequences, prompts, len(shared))
                logits_at = {j: j for j in range(len(samplers))}
            positions = [len(p) for p in prompts]
            outputs, logprobs = self._decode(plan.slot, samplers, logits_at, positions, limits)
            for prompt, sampler, tokens, read in zip(
                prompts, samplers, outputs, logprobs, strict=True
            ):
                if not sampler.constrained:
                    self.sampled.record(prompt, tokens, read)
            return outputs
        finally:
            for seq in sequences:
                self._clear(seq)

    def _place(self, plan: PromptPlan) -> None:
        if plan.source is not None:
            self._clear(plan.slot)
            native.llama_memory_seq_cp(self._memory, plan.source, plan.slot, 0, plan.common)
        else:
            native.llama_memory_seq_rm(self._memory, plan.slot, plan.common, -1)
        for slot in plan.evict:
            self._clear(slot)

    def _prefill(self, slot: int, prompt: Sequence[int], start: int, *, whole: bool) -> None:
        """Evaluate `prompt[start:]` into `slot`; unless `whole`, its last token in a batch of
        its own, whose logits start generation.

        llama.cpp's kernels round differently for one row than for many, so those logits always
        come from a one-token batch: the same prompt then samples the same text whether the rest
        of it was cached or evaluated in this call.
        """
        last = len(prompt) if whole else len(prompt) - 1
        self._feed([(prompt[p], p, slot) for p in range(start, last)], slot)
        if not whole:
            self._put(0, prompt[last], last, slot)
            self._batch.n_tokens = 1
            self._run(slot)

    def _start_each(
        self,
        slot: int,
        sequences: Sequence[int],
        prompts: Sequence[Sequence[int]],
        shared: int,
    ) -> None:
        """Evaluate each prompt's own tokens into its sequence; the last ones together, one row
        per sequence, so row j's logits start sequence j."""
        self._feed(
            [
                (prompt[p], p, seq)
                for seq, prompt in zip(sequences, prompts, strict=True)
                for p in range(shared, len(prompt) - 1)
            ],
            slot,
        )
        for j, (seq, prompt) in enumerate(zip(sequences, prompts, strict=True)):
            self._put(j, prompt[-1], len(prompt) - 1, seq)
        self._batch.n_tokens = len(prompts)
        self._run(slot)

    def _feed(self, rows: Sequence[tuple[int, int, int]], slot: int) -> None:
        """Evaluate (token, position, sequence) rows, `n_batch` at a time, keeping no logits."""
        for first in range(0, len(rows), self._n_batch):
            chunk = rows[first : first + self._n_batch]
            for i, (token, position, seq) in enumerate(chunk):
                self._put(i, token, position, seq, logits=False)
            self._batch.n_tokens = len(chunk)
            self._run(slot)

    def _decode(
        self,
        slot: int,
        samplers: Sequence[SequenceSampler],
        logits_at: dict[int, int],
        positions: list[int],
        limits: Sequence[int],
    ) -> tuple[list[list[int]], list[list[float]]]:
        """Sample every sequence from its row's logits, then decode all next tokens in one batch,
        until each ends or reaches its limit. Also returns each sampled token's log-probability
        (for free-text sequences), which a later read of the same text reuses."""
        outputs: list[list[int]] = [[] for _ in samplers]
        logprobs: list[list[float]] = [[] for _ in samplers]
        while logits_at:
            following: dict[int, int] = {}
            for j, index in logits_at.items():
                logits = self._logits(index)
                token = samplers[j].sample(logits, self._tokens)
                if native.llama_vocab_is_eog(self._vocab, token):
                    continue
                outputs[j].append(token)
                if not samplers[j].constrained:
                    logprobs[j].append(token_logprob(logits, token))
                if len(outputs[j]) < limits[j]:
                    following[j] = len(following)
                    self._put(following[j], token, positions[j], self._first_sequence + j)
                    positions[j] += 1
            if following:
                self._batch.n_tokens = len(following)
                self._run(slot)
            logits_at = following
        return outputs, logprobs

    def _put(self, i: int, token: int, position: int, seq: int, logits: bool = True) -> None:
        batch = self._batch
        batch.token[i] = token
        batch.pos[i] = position
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = seq
        batch.logits[i] = logits

    def _run(self, slot: int) -> None:
        """Decode the batch; when the cache is full, drop every other cached prompt once."""
        code = native.llama_decode(self._ctx, self._batch)
        if code == KV_FULL:
            for other in self.slots.forget_all_but(slot):
                self._clear(other)
            code = native.llama_decode(self._ctx, self._batch)
        if code == KV_FULL:
            raise ContextFullError("llama.cpp found no free KV cells for the batch")
        if code != 0:
            raise RuntimeError(f"llama_decode failed with code {code}")

    def _logits(self, index: int) -> np.ndarray:
        pointer = native.llama_get_logits_ith(self._ctx, index)
        return np.ctypeslib.as_array(pointer, shape=(self._n_vocab,))

    def _clear(self, seq: int) -> None:
        native.llama_memory_seq_rm(self._memory, seq, -1, -1)

    def clear(self) -> None:
        """Drop every cached prompt from the KV cache."""
        native.llama_memory_clear(self._memory, True)
        self.slots.clear()
        self.sampled.clear()

    def close(self) -> None:
        if self._batch is not None:
            native.llama_batch_free(self._batch)
            self._batch = None
