"""Log-probabilities recorded while sampling, so reading a text the model just wrote costs nothing.

The judge reads each candidate after the task (`likelihood`), and a plain candidate was sampled
after exactly that prompt: the logits of every step were already computed then. Keeping the
sampled token's log-probability at each step answers that read without evaluating the candidate
again. A read matches when its prompt's tokens are the sampled prompt's and its continuation's
tokens start the sampled ones (the role strips trailing whitespace); anything else (another
prompt, a text that tokenizes differently) is evaluated as before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

KEPT = 32
"""Sampled texts remembered: a few rounds of candidates, read within the same round."""


def log_normalizer(logits: npt.NDArray[np.float32]) -> float:
    """log sum exp(logits), shifted by the largest so nothing overflows: log softmax(x) is
    x minus this."""
    top = float(logits.max())
    return top + float(np.log(np.exp(logits - top).sum(dtype=np.float64)))


def token_logprob(logits: npt.NDArray[np.float32], token: int) -> float:
    """log softmax(logits)[token], from the raw logits (before any sampler reshaped them)."""
    return float(logits[token]) - log_normalizer(logits)


@dataclass(frozen=True)
class _Sampled:
    prompt: tuple[int, ...]
    tokens: tuple[int, ...]
    logprobs: tuple[float, ...]


class SampledReads:
    """The last `KEPT` sampled texts with their tokens' log-probabilities, by prompt."""

    def __init__(self, kept: int = KEPT) -> None:
        self._sampled: deque[_Sampled] = deque(maxlen=kept)

    def record(
        self, prompt: Sequence[int], tokens: Sequence[int], logprobs: Sequence[float]
    ) -> None:
        if tokens:
            self._sampled.append(_Sampled(tuple(prompt), tuple(tokens), tuple(logprobs)))

    def read(self, text: Sequence[int], start: int) -> list[float] | None:
        """The log-probabilities of `text[start:]` after `text[:start]`, if that was sampled."""
        prompt, continuation = tuple(text[:start]), tuple(text[start:])
        if not continuation:
            return None
        for sampled in reversed(self._sampled):
            if sampled.prompt == prompt and sampled.tokens[: len(continuation)] == continuation:
                return list(sampled.logprobs[: len(continuation)])
        return None

    def clear(self) -> None:
        self._sampled.clear()
