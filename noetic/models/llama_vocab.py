"""A GGUF model's vocabulary through llama.cpp: text to tokens and back, special tokens."""

from __future__ import annotations

import ctypes
from collections.abc import Sequence
from typing import Any

import llama_cpp.llama_cpp as native


class Vocabulary:
    """Tokenizes as the high-level API does for chat prompts (special tokens parsed)."""

    def __init__(self, vocab: Any) -> None:
        self.vocab = vocab
        self.size = int(native.llama_vocab_n_tokens(vocab))

    def tokenize(self, text: str, *, add_special: bool) -> list[int]:
        data = text.encode()
        capacity = len(data) + 8
        while True:
            buffer = (native.llama_token * capacity)()
            count = native.llama_tokenize(
                self.vocab, data, len(data), buffer, capacity, add_special, True
            )
            if count >= 0:
                return list(buffer[:count])
            capacity = -count

    def detokenize(self, tokens: Sequence[int]) -> str:
        """Text of generated tokens; a multi-byte character cut off at the end is dropped."""
        array = (native.llama_token * len(tokens))(*tokens)
        capacity = 8 * len(tokens) + 8
        while True:
            buffer = ctypes.create_string_buffer(capacity)
            size = native.llama_detokenize(
                self.vocab, array, len(tokens), buffer, capacity, False, False
            )
            if size >= 0:
                return buffer.raw[:size].decode("utf-8", errors="ignore")
            capacity = -size

    def text(self, token: int) -> str:
        """A special token's text (the chat template's `bos_token`, `eos_token`), or ''."""
        return native.llama_vocab_get_text(self.vocab, token).decode() if token >= 0 else ""

    @property
    def bos(self) -> int:
        return int(native.llama_vocab_bos(self.vocab))

    @property
    def eos(self) -> int:
        return int(native.llama_vocab_eos(self.vocab))
