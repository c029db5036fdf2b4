"""Per-sequence token sampling over llama.cpp's native samplers.

Every sequence of a batch owns a sampler chain with its own seed, so the candidates of one batch
are as independent as separate calls. A JSON-schema grammar is checked against the token the
chain picked and applied to the whole vocabulary only when it rejects that token (llama.cpp's own
common sampler does the same): checking one token is cheap, masking 49k tokens every step is not.
"""

from __future__ import annotations

import ctypes
import json
import math
from typing import Any

import llama_cpp.llama_cpp as native
import numpy as np
import numpy.typing as npt
from llama_cpp.llama_grammar import json_schema_to_gbnf

from noetic.errors import StructuredOutputError
from noetic.models.base import Sampling

TOP_K = 40
MIN_P = 0.05
PENALTY_LAST_N = 64
"""The high-level API's defaults, so candidates read like the ones it sampled before."""

_TOKEN_DATA = np.dtype([("id", np.intc), ("logit", np.single), ("p", np.single)], align=True)


class TokenArray:
    """One reusable candidate array over the vocabulary (sampling runs one sequence at a time)."""

    def __init__(self, n_vocab: int) -> None:
        self.n_vocab = n_vocab
        self._ids = np.arange(n_vocab, dtype=np.intc)
        self._data = np.zeros(n_vocab, dtype=_TOKEN_DATA)
        self._pointer = self._data.ctypes.data_as(native.llama_token_data_p)
        self._one = (native.llama_token_data * 1)()
        self._one_pointer = ctypes.cast(self._one, native.llama_token_data_p)
        self.array = self._view(self._pointer, n_vocab)

    @staticmethod
    def _view(pointer: Any, size: int) -> Any:
        return native.llama_token_data_array(data=pointer, size=size, selected=-1, sorted=False)

    def fill(self, logits: npt.NDArray[np.float32]) -> None:
        """Every token with its logit, unsorted (samplers reorder and truncate the array)."""
        self._data["id"] = self._ids
        self._data["logit"] = logits
        self._data["p"] = 0.0
        self.array = self._view(self._pointer, self.n_vocab)

    def selected(self) -> int:
        return int(self.array.data[self.array.selected].id)

    def allows(self, grammar: Any, token: int) -> bool:
        """Whether `grammar` accepts `token` next (it masks rejected tokens with -inf)."""
        self._one[0] = native.llama_token_data(token, 0.0, 0.0)
        native.llama_sampler_apply(grammar, ctypes.byref(self._view(self._one_pointer, 1)))
        return not math.isinf(self._one[0].logit)


class SequenceSampler:
    """Picks one sequence's tokens: top-k, repeat penalty, top-p, min-p, temperature, seeded draw.

    Top-k comes first so the penalty looks up 40 candidates rather than the whole vocabulary
    (llama.cpp's advice for its penalties sampler); the high-level API penalizes first, which
    differs only when a penalty would push a top-40 token below the 41st.
    """

    def __init__(self, n_vocab: int, sampling: Sampling, seed: int, grammar: Any | None) -> None:
        self._grammar = grammar
        self._chain = native.llama_sampler_chain_init(native.llama_sampler_chain_default_params())
        add = self._add
        penalty = sampling.repeat_penalty
        add(native.llama_sampler_init_top_k(TOP_K))
        add(native.llama_sampler_init_penalties(n_vocab, PENALTY_LAST_N, penalty, 0.0, 0.0))
        if sampling.temperature == 0.0:
            add(native.llama_sampler_init_greedy())
        else:
            add(native.llama_sampler_init_top_p(sampling.top_p, 1))
            add(native.llama_sampler_init_min_p(MIN_P, 1))
            add(native.llama_sampler_init_temp(sampling.temperature))
            add(native.llama_sampler_init_dist(seed & 0xFFFFFFFF))

    def _add(self, sampler: Any) -> None:
        native.llama_sampler_chain_add(self._chain, sampler)

    @property
    def constrained(self) -> bool:
        """Whether a grammar shapes the text (structured replies, which nothing reads back)."""
        return self._grammar is not None

    def sample(self, logits: npt.NDArray[np.float32], tokens: TokenArray) -> int:
        tokens.fill(logits)
        native.llama_sampler_apply(self._chain, ctypes.byref(tokens.array))
        token = tokens.selected()
        if self._grammar is not None and not tokens.allows(self._grammar, token):
            tokens.fill(logits)
            native.llama_sampler_apply(self._grammar, ctypes.byref(tokens.array))
            native.llama_sampler_apply(self._chain, ctypes.byref(tokens.array))
            token = tokens.selected()
        native.llama_sampler_accept(self._chain, token)
        if self._grammar is not None:
            native.llama_sampler_accept(self._grammar, token)
        return token

    def close(self) -> None:
        for sampler in (self._chain, self._grammar):
            if sampler is not None:
                native.llama_sampler_free(sampler)
        self._chain = self._grammar = None


class GrammarCache:
    """Compiles each JSON schema to a GBNF grammar sampler once; sequences get clones of it.

    The grammar keeps the schema's own property order (a pydantic model's field order), so a
    reply states its scores before their rationale, or its text before the concepts it used.
    """

    def __init__(self, vocab: Any) -> None:
        self._vocab = vocab
        self._compiled: dict[str, Any] = {}

    def clone(self, json_schema: dict[str, Any]) -> Any:
        key = json.dumps(json_schema, sort_keys=True)
        prototype = self._compiled.get(key)
        if prototype is None:
            gbnf = json_schema_to_gbnf(json.dumps(json_schema)).encode()
            prototype = native.llama_sampler_init_grammar(self._vocab, gbnf, b"root")
            if not prototype:
                raise StructuredOutputError(
                    f"llama.cpp could not compile the grammar for schema "
                    f"{json_schema.get('title', '(untitled)')}",
                    "simplify the output schema (fewer nested or length-bounded fields)",
                )
            self._compiled[key] = prototype
        return native.llama_sampler_clone(prototype)

    def close(self) -> None:
        for prototype in self._compiled.values():
            native.llama_sampler_free(prototype)
        self._compiled.clear()
