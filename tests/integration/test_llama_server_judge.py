"""The judge on llama.cpp's own server: its log-probabilities are the in-process model's, so the
critic's signals keep their meaning when the model moves to a server."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from noetic.agents.signals import Judge
from noetic.agents.signals.geval import expected_rating, rating_requests
from noetic.evaluation.judgment_suite import corruptions, load_items
from noetic.models.base import Message, ScoreRequest, ScoringModel
from noetic.models.default_model import default_model_path
from noetic.models.factory import load_chat_model, load_embedder
from noetic.models.llama_cpp import LlamaCppModel
from noetic.models.llama_server import LlamaServerModel
from noetic.policies import load_policies
from noetic.settings import ModelSettings, load_settings
from noetic.testing.llama_server import LlamaServer

pytestmark = pytest.mark.integration
TASK = [Message(role="user", content="Explain why the sky is blue.")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    running = LlamaServer(default_model_path(), log, parallel=4, n_ctx=2048).start()
    yield running
    running.stop()


@pytest.fixture
async def served(server: LlamaServer) -> AsyncIterator[LlamaServerModel]:
    model = load_chat_model(ModelSettings(base_url=server.url))
    assert isinstance(model, LlamaServerModel) and isinstance(model, ScoringModel)
    yield model
    await model.aclose()


async def test_served_log_probabilities_are_the_in_process_ones(
    served: LlamaServerModel, real_model: LlamaCppModel
) -> None:
    texts = ["Air scatters blue light more than red light.", 'Rayleigh said: "blue"\nso, blue.']
    requests = [
        *(ScoreRequest(messages=TASK, continuation=t) for t in texts),
        *rating_requests(TASK[0].content, texts[:1]),  # options: the rating digits
    ]
    remote = await served.score_each(requests)
    local = await real_model.score_each(requests)
    for theirs, mine in zip(remote, local, strict=True):
        assert len(theirs.logprobs) == len(mine.logprobs)
        # equal up to the numerics of other batch shapes on a 4-bit model
        assert theirs.logprobs == pytest.approx(mine.logprobs, abs=0.6)
        assert sum(theirs.logprobs) == pytest.approx(sum(mine.logprobs), abs=1.0)
        assert theirs.usage.prompt_tokens > 0
        if mine.options:
            assert len(theirs.options) == 10
            assert theirs.options == pytest.approx(
                {d: mine.options[d] for d in theirs.options}, abs=0.6
            )
            assert expected_rating(theirs.options) == pytest.approx(
                expected_rating(mine.options), abs=0.03
            )


async def test_a_text_that_cannot_be_forced_token_by_token_is_still_scored(
    served: LlamaServerModel, real_model: LlamaCppModel
) -> None:
    """ "⁻⁴" is spelled in tokens that split its bytes, which llama.cpp's grammar cannot follow."""
    request = ScoreRequest(messages=TASK, continuation="Blue goes as λ⁻⁴.")
    (theirs,) = await served.score_each([request])
    (mine,) = await real_model.score_each([request])
    assert abs(len(theirs.logprobs) - len(mine.logprobs)) <= 2
    assert all(lp <= 0 for lp in theirs.logprobs)


async def test_the_judge_on_the_server_ranks_a_good_answer_above_each_corruption(
    served: LlamaServerModel,
) -> None:
    items = load_items("test")
    weights = load_policies()["safe"].weights
    judge = Judge(served, load_embedder(load_settings()), ratings=weights.rates)
    item = next(i for i in items if i.id == "judgment-02")
    bad = corruptions(item, items)
    judgments, _ = await judge.judge(item.task, [item.good, *bad.values()])
    overall = [weights.combine(j.scores) for j in judgments]
    assert "fluency" in judgments[0].scores and "pmi" in judgments[0].scores
    misses = [kind for kind, o in zip(bad, overall[1:], strict=True) if o >= overall[0]]
    assert len(misses) <= 1, (misses, overall)
