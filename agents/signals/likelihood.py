"""Likelihood: how probable the model finds a candidate as its reply to the task.

`fluency` is the mean token log-probability of the candidate given the task: shuffled words and
broken text are improbable. `pmi` compares the text's log-probability with the same text after
a neutral request (pointwise mutual information), summed over its tokens: how much the task
explains this text. An answer to another task, or a platitude that fits any, gains nothing from
the task; a one-line restatement gains less than an answer that says more about it. Both come
from evaluating prompts, not decoding, batched over the candidates behind the shared prompt.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from noetic.models.base import Message, ScoreRequest, TokenScores

NEUTRAL = "Write a few sentences."
"""The request PMI compares against: asks for text, says nothing about what."""

FLUENCY_FLOOR = -8.0
"""Mean log-probability (nats per token) that maps to fluency 0; 0 nats maps to 1."""

PMI_SCALE = 40.0
"""Total PMI (nats) that maps to `pmi` 0.88 (0.5 + tanh(1) / 2); no gain maps to 0.5."""


def _given(task: str, text: str) -> ScoreRequest:
    return ScoreRequest(messages=[Message(role="user", content=task)], continuation=text)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else FLUENCY_FLOOR


def _clip(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 4)


def likelihood_requests(task: str, texts: Sequence[str]) -> list[ScoreRequest]:
    """Each text after the task, then each after the neutral request."""
    return [_given(task, t) for t in texts] + [_given(NEUTRAL, t) for t in texts]


def likelihood_groups(requests: Sequence[ScoreRequest]) -> list[list[ScoreRequest]]:
    """`likelihood_requests` split by prompt (the task's, the neutral one), to send apart: the
    texts of each share their whole prompt, which a prefix cache keeps between calls."""
    half = len(requests) // 2
    return [list(requests[:half]), list(requests[half:])]


def likelihood_signals(scored: Sequence[TokenScores]) -> list[dict[str, float]]:
    """`fluency` and `pmi` (each 0..1) from the scores of `likelihood_requests`."""
    half = len(scored) // 2
    signals = []
    for with_task, without in zip(scored[:half], scored[half:], strict=True):
        mean = _mean(with_task.logprobs)
        gain = sum(with_task.logprobs) - sum(without.logprobs)
        signals.append(
            {
                "fluency": _clip(1 - mean / FLUENCY_FLOOR),
                "pmi": _clip(0.5 + math.tanh(gain / PMI_SCALE) / 2),
            }
        )
    return signals
