"""The judge on the real default model: its signals mean something, and batching changes
nothing about them."""

from __future__ import annotations

import pytest

from noetic.agents.signals import Judge
from noetic.evaluation.judgment_suite import bad_answers, load_items
from noetic.models.base import Message, ScoreRequest
from noetic.models.factory import load_embedder
from noetic.models.llama_cpp import LlamaCppModel
from noetic.policies import load_policies
from noetic.settings import load_settings

pytestmark = pytest.mark.integration
ITEMS = ("judgment-02", "judgment-08", "judgment-66")  # test-half items of three kinds


async def test_overall_ranks_a_good_answer_above_bland_and_broken_ones(
    real_model: LlamaCppModel,
) -> None:
    """The hard bad answers too: on-topic generic, a paraphrase of the task, meta-commentary,
    a partial answer (what a real round produces, and what likelihood alone prefers)."""
    items = load_items("test")
    weights = load_policies()["safe"].weights
    # As a safe run builds it: ratings the policy gives no weight are not computed.
    judge = Judge(real_model, load_embedder(load_settings()), ratings=weights.rates)
    misses = []
    for item in (i for i in items if i.id in ITEMS):
        bad = {k: v for k, v in bad_answers(item, items).items() if k != "wrong"}
        judgments, usage = await judge.judge(item.task, [item.good, *bad.values()])
        overall = [weights.combine(j.scores) for j in judgments]
        misses += [
            f"{item.id}:{kind}" for kind, o in zip(bad, overall[1:], strict=True) if o >= overall[0]
        ]
        assert usage.prompt_tokens > 0
    assert len(misses) <= 1, misses  # 3 items x 10 bad answers, one miss allowed


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


async def test_substance_beats_likelihood_on_a_bland_answer(real_model: LlamaCppModel) -> None:
    """Likelihood alone prefers the generic sentence; the safe policy does not."""
    task = "Explain to a ten-year-old why the ocean is salty."
    good = (
        "Rain slowly dissolves minerals such as sodium and chloride out of rocks, and rivers "
        "carry them to the sea. The sun evaporates the water but leaves the salt behind, so "
        "over millions of years the salt builds up."
    )
    generic = "The ocean is salty, and this is an important topic that scientists have studied."
    weights = load_policies()["safe"].weights
    judge = Judge(real_model, ratings=weights.rates)
    (mine, theirs), _ = await judge.judge(task, [good, generic])
    assert theirs.scores["fluency"] > mine.scores["fluency"]
    assert weights.combine(mine.scores) > weights.combine(theirs.scores)
