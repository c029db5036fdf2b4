"""The LLM critic read the way G-Eval does: the expected rating under the model's probabilities
of the rating digits, not one sampled digit.

A small model asked for a JSON critique copies whatever example its prompt shows and gives every
candidate the same numbers; the distribution over the digits still moves with the text. Each
dimension is one question, answered by the next token's probabilities, so the critic costs
prompt evaluation and no decoding. The prompt shows no example rating to copy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from noetic.agents.base import PromptTemplate
from noetic.models.base import ScoreRequest, TokenScores

DIGITS = [str(d) for d in range(10)]
QUESTIONS = {
    "relevance": "How well does the answer address the task, from 0 (not at all) to 9?",
    "coherence": "How clear and consistent is the answer, from 0 (nonsense) to 9?",
    "novelty": "How original is the answer, from 0 (trite) to 9 (surprising)?",
}
PROMPT = PromptTemplate.from_package("noetic.agents", "critic")


def expected_rating(option_logprobs: dict[str, float]) -> float:
    """The mean digit under the renormalized probabilities of the ten digits, on 0..1."""
    weights = {d: math.exp(option_logprobs[d]) for d in DIGITS if d in option_logprobs}
    total = sum(weights.values())
    if not total:
        return 0.5
    return sum(int(d) * w for d, w in weights.items()) / total / 9


def rating_requests(
    task: str, texts: Sequence[str], prompt: PromptTemplate = PROMPT
) -> list[ScoreRequest]:
    """One request per text and dimension, from `prompt` (placeholders `$task`, `$candidate`,
    `$question`); a text's questions share everything before the question, so a backend with a
    prefix cache evaluates the text once."""
    return [
        ScoreRequest(
            messages=prompt.render(task=task, candidate=text, question=question),
            options=DIGITS,
        )
        for text in texts
        for question in QUESTIONS.values()
    ]


def ratings(scored: Sequence[TokenScores]) -> list[dict[str, float]]:
    """Each text's expected rating on every dimension (0..1) from `rating_requests`' scores."""
    dims = list(QUESTIONS)
    return [
        {dim: round(expected_rating(scored[i + k].options), 4) for k, dim in enumerate(dims)}
        for i in range(0, len(scored), len(dims))
    ]
