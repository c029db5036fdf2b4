"""Time spent inside model calls, to tell it apart from everything around them.

Proxies for a `ChatModel` and an `Embedder` share one `BusyClock`, which counts wall time while
at least one call is in flight: calls that overlap (concurrent stages waiting on one model's
lock) are counted once, so `wall - busy` is what the orchestration itself costs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from noetic.models.base import (
    ChatModel,
    Completion,
    Embedder,
    KnownVectors,
    LoadsWeights,
    Message,
    Request,
    Sampling,
    ScoreRequest,
    ScoringModel,
    TokenScores,
    complete_each,
)


class BusyClock:
    """Seconds during which at least one timed call was running."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._in_flight = 0
        self._since = 0.0

    @contextmanager
    def busy(self) -> Iterator[None]:
        if self._in_flight == 0:
            self._since = time.perf_counter()
        self._in_flight += 1
        try:
            yield
        finally:
            self._in_flight -= 1
            if self._in_flight == 0:
                self.seconds += time.perf_counter() - self._since


class TimedModel:
    """A `ChatModel` that forwards every call and counts its time on `clock`.

    It offers `complete_each` too, so roles hand it whole batches as they would the bare
    model (a backend that cannot batch still gets them one by one): the bench must time the
    path a real run takes. Build it with `timed`, which keeps scoring where the model has it.
    """

    def __init__(self, model: ChatModel, clock: BusyClock) -> None:
        self.model = model
        self.name = model.name
        self.clock = clock

    async def complete(
        self,
        messages: Sequence[Message],
        sampling: Sampling,
        *,
        n: int = 1,
        json_schema: dict[str, Any] | None = None,
    ) -> Completion:
        with self.clock.busy():
            return await self.model.complete(messages, sampling, n=n, json_schema=json_schema)

    async def complete_each(
        self, requests: Sequence[Request], *, json_schema: dict[str, Any] | None = None
    ) -> list[Completion]:
        with self.clock.busy():
            return await complete_each(self.model, requests, json_schema=json_schema)

    async def aclose(self) -> None:
        await self.model.aclose()


class TimedScoringModel(TimedModel):
    """A `TimedModel` over a `ScoringModel`: the judge keeps its log-probability signals (the
    protocols are checked by attribute, so a plain proxy would hide them)."""

    async def score_each(self, requests: Sequence[ScoreRequest]) -> list[TokenScores]:
        assert isinstance(self.model, ScoringModel)
        with self.clock.busy():
            return await self.model.score_each(requests)


def timed(model: ChatModel, clock: BusyClock) -> TimedModel:
    """The timing proxy that offers what `model` offers."""
    if isinstance(model, ScoringModel):
        return TimedScoringModel(model, clock)
    return TimedModel(model, clock)


class TimedEmbedder:
    """An `Embedder` that forwards every call and counts its time on `clock`."""

    def __init__(self, embedder: Embedder, clock: BusyClock) -> None:
        self.embedder = embedder
        self.name = embedder.name
        self.dimension = embedder.dimension
        self.clock = clock

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        with self.clock.busy():
            return await self.embedder.embed(texts)

    def load(self) -> None:
        """Loads the weights of the embedder it wraps where it loads them lazily, as a session
        would."""
        if isinstance(self.embedder, LoadsWeights):
            self.embedder.load()

    def remember(self, vectors: Mapping[str, Sequence[float]]) -> None:
        """Hands stored vectors on, as a run hands them to the embedder it wraps."""
        if isinstance(self.embedder, KnownVectors):
            self.embedder.remember(vectors)
