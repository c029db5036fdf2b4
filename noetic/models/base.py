"""The model abstraction every backend implements.

Roles never talk to llama.cpp or an HTTP server directly: they send `Message`s and `Sampling`
to a `ChatModel` and get a `Completion` back, so a backend can be swapped per role (a bigger model
for the critic, a small one for the generator) or scripted in unit tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field


class Message(BaseModel):
    """One chat turn."""

    model_config = ConfigDict(frozen=True)

    role: Literal["system", "user", "assistant"]
    content: str


class Sampling(BaseModel):
    """How to sample a completion. Policies produce these; backends obey them."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(0.95, gt=0.0, le=1.0)
    repeat_penalty: float = Field(1.1, ge=1.0, le=2.0)
    max_tokens: int = Field(256, ge=1, le=8192)
    seed: int | None = None


class Usage(BaseModel):
    """Token counts, summed over calls with `+`."""

    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            prompt_tokens=self.prompt_tokens + other.prompt_tokens,
            completion_tokens=self.completion_tokens + other.completion_tokens,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.total_tokens,
        }


class Completion(BaseModel):
    """The `n` texts sampled for one request, with what they cost."""

    texts: list[str]
    usage: Usage = Field(default_factory=Usage)
    seconds: float = 0.0


@runtime_checkable
class ChatModel(Protocol):
    """An async chat model.

    `n` asks for that many independent samples of the same prompt (a backend may batch them).
    `json_schema`, when given, constrains every sample to JSON matching it.
    """

    name: str

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion: ...

    async def aclose(self) -> None:
        """Release what the model holds open (a server's connections); whoever loaded it
        calls this once, when no run needs it any more."""


class Request(BaseModel):
    """One prompt of several sent together (`complete_each`), with its own sampling."""

    model_config = ConfigDict(frozen=True)

    messages: list[Message]
    sampling: Sampling


@runtime_checkable
class BatchChatModel(ChatModel, Protocol):
    """A `ChatModel` that can also decode different prompts together, one sample each.

    The critic's scorings are such prompts: one per candidate, sharing a long prefix.
    """

    async def complete_each(
        self, requests: Sequence[Request], *, json_schema: dict[str, Any] | None = None
    ) -> list[Completion]: ...


async def complete_each(
    model: ChatModel, requests: Sequence[Request], *, json_schema: dict[str, Any] | None = None
) -> list[Completion]:
    """One completion per request: together where the backend can, else one after another."""
    if not requests:
        return []
    if isinstance(model, BatchChatModel):
        return await model.complete_each(requests, json_schema=json_schema)
    return [await model.complete(r.messages, r.sampling, json_schema=json_schema) for r in requests]


class ScoreRequest(BaseModel):
    """Text to score, not to sample: how likely the model finds `continuation` as the start of
    its reply to `messages`, and which of `options` (single tokens, such as the digits of a
    rating) it would say next after it."""

    model_config = ConfigDict(frozen=True)

    messages: list[Message]
    continuation: str = ""
    options: list[str] = Field(default_factory=list)


class TokenScores(BaseModel):
    """The natural-log probabilities a model gave a `ScoreRequest`: one per token of the
    continuation, and one per option as the token after it."""

    logprobs: list[float] = Field(default_factory=list)
    options: dict[str, float] = Field(default_factory=dict)
    usage: Usage = Field(default_factory=Usage)


@runtime_checkable
class ScoringModel(Protocol):
    """A model that reads its own token probabilities: evaluating prompts, not decoding.

    The judging signals (likelihood, PMI, the critic's expected score) need it. The in-process
    backend and llama.cpp's own server implement it; a backend that cannot give
    log-probabilities (other HTTP servers) does not, and those signals are skipped.
    """

    name: str

    async def score_each(self, requests: Sequence[ScoreRequest]) -> list[TokenScores]: ...


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into fixed-size vectors for the vector memory."""

    name: str
    dimension: int

    async def embed(self, texts: Sequence[str]) -> list[list[float]]: ...


@runtime_checkable
class LoadsWeights(Protocol):
    """An embedder that loads its weights on first use, and can be told to load them now: a
    session loads them beside the chat model's rather than in round 1's recall (0.2 s here)."""

    def load(self) -> None:
        """Load the weights now; blocking, and a no-op once they are loaded."""
        ...


@runtime_checkable
class KnownVectors(Protocol):
    """An embedder that keeps vectors by text and can be handed some it would compute.

    The memory hands it the stored vectors of what it recalls: recall's relevance filter and the
    judge's memory novelty then read them instead of embedding a recalled text again (a 300-token
    thought took 2.5 s of a run's first round on 2 cores).
    """

    def remember(self, vectors: Mapping[str, Sequence[float]]) -> None: ...
