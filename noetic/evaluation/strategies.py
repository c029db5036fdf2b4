"""The ways of answering a task that the evaluation compares, each on a given model.

- single: the task as one user message, one greedy sample: the plain model at its most reliable.
- vote: sampled answers; arithmetic keeps the majority answer (self-consistency), open tasks the
  one the LLM judge scores best, or without one the medoid (the answer most like the rest).
- best_of_n: sampled answers, the best by the overlay's own judge: the same signals and checks
  a deliberation selects with, but no rounds, memory or refinement.
- deliberate: the full graph (`adeliberate`), sharing the already loaded model.

Sampled strategies draw `samples` answers, or with a token `target` (`--match-tokens`) as many
as spend about that many tokens: two first to measure what one costs, then the rest. Each
returns an `Attempt`: the answer, the candidate texts behind it, and the tokens it spent,
picking included (a judge's scoring is part of the cost).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from pydantic import BaseModel

from noetic.agents.checks import passes_hard
from noetic.agents.signals import Judge as SignalJudge
from noetic.evaluation.answers import extract_integer, majority
from noetic.evaluation.grader import Grader
from noetic.evaluation.measures import jaccard
from noetic.evaluation.suites import SuiteItem
from noetic.models.base import ChatModel, Embedder, Message, Sampling, Usage
from noetic.policies.policy import SelectionWeights
from noetic.record import Mode
from noetic.runs.api import adeliberate
from noetic.runs.session import Session
from noetic.settings import MAX_CANDIDATES, NoeticSettings

ANSWER_TOKENS = 256
VOTE_TEMPERATURE = 0.7
MAX_SAMPLES = 64
PROBE = 2
Rank = tuple[bool, float]
Scorer = Callable[[list[str]], Awaitable[tuple[list[Rank], Usage]]]


class Attempt(BaseModel):
    """An answer with its candidates and cost; `error` says why the model produced none (its
    tokens are then unknown, counted as 0)."""

    answer: str
    candidates: list[str]
    tokens: int
    error: str | None = None
    modes: list[Mode] | None = None


def _messages(item: SuiteItem) -> list[Message]:
    return [Message(role="user", content=item.task)]


async def single(model: ChatModel, item: SuiteItem, seed: int) -> Attempt:
    sampling = Sampling(temperature=0.0, max_tokens=ANSWER_TOKENS, seed=seed)
    completion = await model.complete(_messages(item), sampling)
    text = completion.texts[0].strip()
    return Attempt(answer=text, candidates=[text], tokens=completion.usage.total_tokens)


async def _draw(model: ChatModel, item: SuiteItem, seed: int, n: int) -> tuple[list[str], int]:
    """`n` sampled answers, at most `MAX_CANDIDATES` per call, and their tokens."""
    texts: list[str] = []
    tokens = 0
    while len(texts) < n:
        batch = min(MAX_CANDIDATES, n - len(texts))
        sampling = Sampling(
            temperature=VOTE_TEMPERATURE, max_tokens=ANSWER_TOKENS, seed=seed + len(texts)
        )
        completion = await model.complete(_messages(item), sampling, n=batch)
        texts += [t.strip() for t in completion.texts]
        tokens += completion.usage.total_tokens
    return texts, tokens


def _remaining(spent: int, drawn: int, target: int | None, samples: int) -> int:
    """How many more samples to draw: up to `samples`, or (with a target) as many as its
    tokens allow at the measured cost per sample."""
    if target is None:
        return max(0, samples - drawn)
    per_sample = max(1, spent / drawn)
    return max(0, min(MAX_SAMPLES, round(target / per_sample)) - drawn)


def medoid(texts: Sequence[str]) -> int:
    """The index of the text most like the others (word overlap): a vote for free text."""
    if len(texts) < 2:
        return 0
    totals = [sum(jaccard(a, b) for b in texts if b is not a) for a in texts]
    return totals.index(max(totals))


async def _sample(
    model: ChatModel,
    item: SuiteItem,
    seed: int,
    samples: int,
    target: int | None,
    score: Scorer | None = None,
) -> tuple[list[str], list[Rank], int]:
    """Sampled answers (with `score`'s ranks) and the tokens of drawing and scoring them: to
    `samples`, or in rounds until the mean cost so far says `target` is reached (a call's
    prompt is paid once for all its samples, so the cost per sample falls as they grow)."""
    texts: list[str] = []
    ranks: list[Rank] = []
    tokens = 0
    more = PROBE if target else samples
    while more > 0:
        batch, spent = await _draw(model, item, seed + len(texts), more)
        if score is not None:
            scored, judged = await score(batch)
            ranks += scored
            spent += judged.total_tokens
        texts, tokens = texts + batch, tokens + spent
        more = _remaining(tokens, len(texts), target, samples) if target else 0
    return texts, ranks, tokens


async def vote(
    model: ChatModel,
    item: SuiteItem,
    seed: int,
    samples: int,
    judge: Grader | None,
    target: int | None = None,
) -> Attempt:
    texts, _, tokens = await _sample(model, item, seed, samples, target)
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
        pick = medoid(texts)
    return Attempt(answer=texts[pick], candidates=texts, tokens=tokens)


async def best_of_n(
    model: ChatModel,
    item: SuiteItem,
    seed: int,
    samples: int,
    judge: SignalJudge,
    weights: SelectionWeights,
    target: int | None = None,
) -> Attempt:
    """Samples picked as `select` picks: passing hard checks first, then the weighted signals."""

    async def scored(texts: list[str]) -> tuple[list[Rank], Usage]:
        judgments, usage = await judge.judge(item.task, texts)
        return [(passes_hard(j.checks), weights.combine(j.scores)) for j in judgments], usage

    texts, ranks, tokens = await _sample(model, item, seed, samples, target, scored)
    pick = ranks.index(max(ranks))
    return Attempt(answer=texts[pick], candidates=texts, tokens=tokens)


async def deliberate(
    model: ChatModel,
    item: SuiteItem,
    settings: NoeticSettings,
    embedder: Embedder | None,
    session: Session | None = None,
    run_id: str | None = None,
) -> Attempt:
    """The full graph on `item` as run `run_id` (default: the item's id), in `session` when one
    is lent (its stores open once for all items), else in one opened around `model` and
    `embedder`."""
    result = await adeliberate(
        item.task,
        settings=settings,
        model=model,
        embedder=embedder,
        run_id=run_id or item.id,
        session=session,
    )
    candidates = [c.text for record in result.rounds for c in record.candidates]
    return Attempt(
        answer=result.answer.strip(),
        candidates=candidates,
        tokens=result.usage.total_tokens,
        modes=[record.mode for record in result.rounds],
    )
