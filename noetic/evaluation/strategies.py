"""The three ways of answering a task that the evaluation compares, each on a given model.

- single: the task as one user message, one greedy sample: the plain model at its most reliable.
- vote: `samples` sampled answers; arithmetic keeps the majority answer (self-consistency),
  creative tasks the one the judge scores best (or the first without a judge).
- deliberate: the full graph (`adeliberate`), sharing the already loaded model.

Each returns an `Attempt`: the answer, the candidate texts behind it (for diversity measures),
and the tokens it spent, which include a judge's picking for `vote` (part of its cost).
"""

from __future__ import annotations

from pydantic import BaseModel

from noetic.api import adeliberate
from noetic.evaluation.answers import extract_integer, majority
from noetic.evaluation.judge import Judge
from noetic.evaluation.suites import SuiteItem
from noetic.models.base import ChatModel, Embedder, Message, Sampling
from noetic.settings import NoeticSettings

ANSWER_TOKENS = 256
VOTE_TEMPERATURE = 0.7


class Attempt(BaseModel):
    """An answer with its candidates and cost; `error` says why the model produced none (its
    tokens are then unknown, counted as 0)."""

    answer: str
    candidates: list[str]
    tokens: int
    error: str | None = None


def _messages(item: SuiteItem) -> list[Message]:
    return [Message(role="user", content=item.task)]


async def single(model: ChatModel, item: SuiteItem, seed: int) -> Attempt:
    sampling = Sampling(temperature=0.0, max_tokens=ANSWER_TOKENS, seed=seed)
    completion = await model.complete(_messages(item), sampling)
    text = completion.texts[0].strip()
    return Attempt(answer=text, candidates=[text], tokens=completion.usage.total_tokens)


async def vote(
    model: ChatModel, item: SuiteItem, seed: int, samples: int, judge: Judge | None
) -> Attempt:
    sampling = Sampling(temperature=VOTE_TEMPERATURE, max_tokens=ANSWER_TOKENS, seed=seed)
    completion = await model.complete(_messages(item), sampling, n=samples)
    texts = [t.strip() for t in completion.texts]
    tokens = completion.usage.total_tokens
    if item.answer is not None:
        answers = [extract_integer(t) for t in texts]
        winner = majority(answers)
        pick = answers.index(winner) if winner is not None else 0
    elif judge is not None:
        scores = []
        for text in texts:
            verdict, usage = await judge.score(item.task, text)
            scores.append(verdict.score)
            tokens += usage.total_tokens
        pick = scores.index(max(scores))
    else:
        pick = 0
    return Attempt(answer=texts[pick], candidates=texts, tokens=tokens)


async def deliberate(
    model: ChatModel,
    item: SuiteItem,
    settings: NoeticSettings,
    embedder: Embedder | None,
) -> Attempt:
    result = await adeliberate(
        item.task, settings=settings, model=model, embedder=embedder, run_id=item.id
    )
    candidates = [c.text for record in result.rounds for c in record.candidates]
    return Attempt(
        answer=result.answer.strip(), candidates=candidates, tokens=result.usage.total_tokens
    )
