"""The judge on the real default model: its signals mean something, and batching changes
nothing about them."""

from __future__ import annotations

import pytest

from noetic.agents.signals import Judge
from noetic.evaluation.judgment import corruptions, load_items
from noetic.models.base import Message, ScoreRequest
from noetic.models.factory import load_embedder
from noetic.models.llama_cpp import LlamaCppModel
from noetic.policies import load_policies
from noetic.settings import load_settings

pytestmark = pytest.mark.integration
ITEMS = ("judgment-02", "judgment-08")  # test-half items of two kinds


async def test_overall_ranks_a_good_answer_above_each_corruption(
    real_model: LlamaCppModel,
) -> None:
    items = load_items("test")
    judge = Judge(real_model, load_embedder(load_settings()))
    weights = load_policies()["safe"].weights
    misses = []
    for item in (i for i in items if i.id in ITEMS):
        bad = corruptions(item, items)
        judgments, usage = await judge.judge(item.task, [item.good, *bad.values()])
        overall = [weights.combine(j.scores) for j in judgments]
        misses += [
            f"{item.id}:{kind}" for kind, o in zip(bad, overall[1:], strict=True) if o >= overall[0]
        ]
        assert usage.prompt_tokens > 0
    assert len(misses) <= 1, misses  # 2 items x 6 corruptions, one miss allowed


async def test_scores_do_not_depend_on_the_batch(real_model: LlamaCppModel) -> None:
    """A text scored alone and beside others sharing prefixes (evaluated once, then copied)
    gets the same log-probabilities."""
    task = [Message(role="user", content="Explain why the sky is blue.")]
    texts = ["Air scatters blue light more than red light.", "Air scatters blue light less."]
    requests = [ScoreRequest(messages=task, continuation=t, options=["1", "2"]) for t in texts]
    together = await real_model.score_each(requests)
    alone = [(await real_model.score_each([r]))[0] for r in requests]
    for a, b in zip(together, alone, strict=True):
        assert a.logprobs == pytest.approx(b.logprobs, abs=0.05)
        assert a.options == pytest.approx(b.options, abs=0.05)
        assert len(a.logprobs) > 5 and all(lp <= 0 for lp in a.logprobs)
    assert sum(together[0].logprobs) != sum(together[1].logprobs)
