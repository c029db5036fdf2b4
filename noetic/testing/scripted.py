"""A scripted model: no weights, deterministic replies, every request kept for inspection.

A script is a function from a request to the reply text, so a test answers by role (the schema
title says which role is asking) and reads every request afterwards in `requests`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel

from noetic.models.base import Completion, Message, Sampling, ScoreRequest, TokenScores, Usage


class ScriptedRequest(BaseModel):
    """What a role asked for: its messages, sampling, sample count and output schema."""

    messages: list[Message]
    sampling: Sampling
    n: int
    json_schema: dict[str, Any] | None
    sample: int

    @property
    def schema_title(self) -> str | None:
        """The output schema's title (`Thought`, `Reflection`, ...): which kind of role asks."""
        return self.json_schema.get("title") if self.json_schema else None


Script = Callable[[ScriptedRequest], str]
Scorer = Callable[[ScoreRequest], TokenScores]
FLAT_LOGPROB = -2.0


def flat_scores(request: ScoreRequest) -> TokenScores:
    """Every word of the continuation, and every option, equally likely: signals that read
    log-probabilities come out the same for every text."""
    words = request.continuation.split()
    return TokenScores(
        logprobs=[FLAT_LOGPROB] * len(words),
        options=dict.fromkeys(request.options, FLAT_LOGPROB),
        usage=Usage(prompt_tokens=len(words)),
    )


class ScriptedModel:
    """Answers every request with `script(request)`, once per sample, and scores text with
    `scorer` (`ScoringModel`; by default every token equally likely)."""

    def __init__(
        self, script: Script, name: str = "scripted", scorer: Scorer | None = None
    ) -> None:
        self.name = name
        self._script = script
        self._scorer = scorer or flat_scores
        self.requests: list[ScriptedRequest] = []
        self.score_requests: list[ScoreRequest] = []

    async def score_each(self, requests: Sequence[ScoreRequest]) -> list[TokenScores]:
        self.score_requests += requests
        return [self._scorer(r) for r in requests]

    async def aclose(self) -> None:
        """A script holds nothing open."""

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        texts = []
        for sample in range(n):
            request = ScriptedRequest(
                messages=list(messages),
                sampling=sampling,
                n=n,
                json_schema=json_schema,
                sample=sample,
            )
            self.requests.append(request)
            texts.append(self._script(request))
        prompt = sum(len(m.content.split()) for m in messages)
        completion = sum(len(t.split()) for t in texts)
        return Completion(
            texts=texts, usage=Usage(prompt_tokens=prompt, completion_tokens=completion)
        )
