"""Reads answered from what sampling recorded: only the exact prompt and a prefix of the text."""

from __future__ import annotations

import math

import numpy as np
import pytest

from noetic.models.llama_reads import SampledReads, token_logprob


def test_token_logprob_is_log_softmax() -> None:
    logits = np.array([2.0, 1.0, -1.0], dtype=np.float32)
    expected = 1.0 - math.log(math.exp(2.0) + math.exp(1.0) + math.exp(-1.0))
    assert token_logprob(logits, 1) == pytest.approx(expected, abs=1e-6)


def test_a_read_needs_the_same_prompt_and_a_prefix_of_the_sampled_tokens() -> None:
    reads = SampledReads()
    reads.record([1, 2, 3], [7, 8, 9], [-0.1, -0.2, -0.3])
    assert reads.read([1, 2, 3, 7, 8, 9], 3) == [-0.1, -0.2, -0.3]
    assert reads.read([1, 2, 3, 7, 8], 3) == [-0.1, -0.2]  # the role stripped the end
    assert reads.read([1, 2, 3, 7, 9], 3) is None  # tokenized differently
    assert reads.read([1, 2, 7, 8], 2) is None  # another prompt
    assert reads.read([0, 1, 2, 3, 7, 8], 4) is None
    assert reads.read([1, 2, 3, 7, 8, 9, 4], 3) is None  # longer than what was sampled
    assert reads.read([1, 2, 3], 3) is None  # nothing to read


def test_only_the_latest_texts_are_kept_and_clear_forgets_them() -> None:
    reads = SampledReads(kept=2)
    for token in (5, 6, 7):
        reads.record([1], [token], [-1.0])
    assert reads.read([1, 5], 1) is None
    assert reads.read([1, 7], 1) == [-1.0]
    reads.clear()
    assert reads.read([1, 7], 1) is None
