"""Time spent inside model calls, to tell it apart from everything around them.

Proxies for a `ChatModel` and an `Embedder` share one `BusyClock`, which counts wall time while
at least one call is in flight: calls that overlap (concurrent stages waiting on one model's
lock) are counted once, so `wall - busy` is what the orchestration itself costs.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from noetic.models.base import ChatModel, Completion, Embedder, Message, Sampling


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
    """A `ChatModel` that forwards every call and counts its time on `clock`."""

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

    async def aclose(self) -> None:
        await self.model.aclose()


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
