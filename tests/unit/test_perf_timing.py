"""The benchmark's timing proxies, table and deliberation settings, with a scripted model."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest

from noetic import adeliberate
from noetic.models.base import (
    BatchChatModel,
    Completion,
    Message,
    Request,
    Sampling,
    ScoreRequest,
    ScoringModel,
    complete_each,
)
from noetic.perf import LlamaBenchResult, format_table, timing
from noetic.perf.llama_bench import _every_round
from noetic.perf.timing import BusyClock, TimedEmbedder, TimedModel, timed
from noetic.settings import load_settings
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel


class FakeTime:
    def __init__(self) -> None:
        self.now = 0.0

    def perf_counter(self) -> float:
        return self.now


@pytest.fixture
def fake_time(monkeypatch: pytest.MonkeyPatch) -> FakeTime:
    clock = FakeTime()
    monkeypatch.setattr(timing, "time", clock)
    return clock


def test_overlapping_calls_count_once(fake_time: FakeTime) -> None:
    clock = BusyClock()
    with clock.busy():
        fake_time.now = 1.0
        with clock.busy():
            fake_time.now = 3.0
        fake_time.now = 4.0
    fake_time.now = 10.0
    with clock.busy():
        fake_time.now = 12.0
    assert clock.seconds == 6.0


class SlowModel(ScriptedModel):
    def __init__(self, fake_time: FakeTime) -> None:
        super().__init__(lambda request: "{}")
        self.fake_time = fake_time

    async def complete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.fake_time.now += 2.0
        return await super().complete(*args, **kwargs)


class FakeEmbedder:
    name = "fake"
    dimension = 2

    def __init__(self, fake_time: FakeTime) -> None:
        self.fake_time = fake_time

    async def embed(self, texts):  # type: ignore[no-untyped-def]
        self.fake_time.now += 0.5
        return [[1.0, 0.0] for _ in texts]


def test_proxies_forward_and_time_calls(fake_time: FakeTime) -> None:
    clock = BusyClock()
    model = TimedModel(SlowModel(fake_time), clock)
    embedder = TimedEmbedder(FakeEmbedder(fake_time), clock)

    async def run() -> None:
        completion = await model.complete([Message(role="user", content="hi")], Sampling(), n=2)
        assert completion.texts == ["{}", "{}"]
        assert await embedder.embed(["a"]) == [[1.0, 0.0]]

    asyncio.run(run())
    assert model.name == "scripted" and embedder.dimension == 2
    assert clock.seconds == 2.5


class Remembering(FakeEmbedder):
    def __init__(self, fake_time: FakeTime) -> None:
        super().__init__(fake_time)
        self.known: dict[str, Sequence[float]] = {}

    def remember(self, vectors: dict[str, Sequence[float]]) -> None:
        self.known.update(vectors)


def test_the_embedder_proxy_hands_stored_vectors_on(fake_time: FakeTime) -> None:
    inner = Remembering(fake_time)
    TimedEmbedder(inner, BusyClock()).remember({"a": [0.0, 1.0]})
    assert inner.known == {"a": [0.0, 1.0]}
    TimedEmbedder(FakeEmbedder(fake_time), BusyClock()).remember({"a": [0.0, 1.0]})  # no-op


class Batching(ScriptedModel):
    """A scripted model that batches and scores, recording each batch it gets."""

    def __init__(self) -> None:
        super().__init__(lambda request: request.messages[-1].content)
        self.batches: list[int] = []

    async def complete_each(
        self, requests: Sequence[Request], *, json_schema: dict[str, Any] | None = None
    ) -> list[Completion]:
        self.batches.append(len(requests))
        return [await self.complete(r.messages, r.sampling) for r in requests]


class ChatOnly:
    """A backend with neither batching nor scoring (most HTTP servers)."""

    name = "chat-only"

    def __init__(self) -> None:
        self.inner = ScriptedModel(lambda request: "ok")

    async def complete(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return await self.inner.complete(*args, **kwargs)

    async def aclose(self) -> None:
        """Nothing held."""


def test_the_proxy_keeps_batching_and_scoring() -> None:
    """The bench must time the path a real run takes: the generator's batch and the judge's
    scoring reach the model through the proxy (a proxy that hid them once made the bench
    decode candidates one by one and skip the judge's model calls)."""
    clock = BusyClock()
    inner = Batching()
    model = timed(inner, clock)
    assert isinstance(model, BatchChatModel) and isinstance(model, ScoringModel)
    asks = [Request(messages=[Message(role="user", content=t)], sampling=Sampling()) for t in "ab"]

    async def run() -> None:
        completions = await complete_each(model, asks)
        assert [c.texts for c in completions] == [["a"], ["b"]]
        assert isinstance(model, ScoringModel)
        (scores,) = await model.score_each([ScoreRequest(messages=[], continuation="x y")])
        assert len(scores.logprobs) == 2

    asyncio.run(run())
    assert inner.batches == [2] and len(inner.score_requests) == 1
    # a backend that cannot score still looks like one that cannot: the judge skips, as unwrapped
    assert not isinstance(timed(ChatOnly(), clock), ScoringModel)


def result(**changes: float) -> LlamaBenchResult:
    figures = dict(
        model="m.gguf",
        threads=2,
        load_average=0.5,
        n_gpu_layers=0,
        gpu_offload=False,
        repeats=1,
        prefix_tokens=600,
        prompt_tokens=650,
        candidate_tokens=96,
        single_s=3.0,
        batched8_s=5.5,
        sequential8_s=14.0,
        single_completion_tokens=96,
        batched8_completion_tokens=768,
        sequential8_completion_tokens=768,
        batched8_over_single=5.5 / 3.0,
        sequential8_over_batched8=14.0 / 5.5,
        distinct_batched8=8,
        distinct_sequential8=8,
        free_tokens_per_s=150.0,
        grammar_tokens_per_s=140.0,
        grammar_over_free_tokens_per_s=140.0 / 150.0,
        prompt_tokens_evaluated=400,
        prompt_tokens_reused=600,
        prefix_reuse_fraction=0.6,
        reuse_rounds=3,
        deliberation_s=60.0,
        model_calls_s=59.5,
        outside_model_s=0.5,
        overhead_fraction=0.5 / 60.0,
    )
    return LlamaBenchResult(**{**figures, **changes})


def test_table_marks_each_target() -> None:
    table = format_table(result())
    for key in (
        "batched8_over_single",
        "sequential8_over_batched8",
        "prefix_reuse_fraction",
        "overhead_fraction",
        "grammar_over_free_tokens_per_s",
    ):
        assert key in table
    assert " NO" not in table
    assert "59.5 s inside model and embedder calls, 0.50 s outside them" in table
    assert "NO" in format_table(result(overhead_fraction=0.2))


def test_gpu_offload_tightens_the_batching_target() -> None:
    assert "NO" in format_table(result(gpu_offload=True))


async def test_the_bench_deliberations_run_every_round_they_are_given(tmp_path: Path) -> None:
    """A meta-thinker's stop above the threshold ends a run after round 1; the bench's settings
    accept no score, so its 3-round figure always covers 3 rounds."""
    script = RoleScript(critique=lambda text: (9, 9, 9), decisions=["stop"] * 3)
    settings = load_settings(home=tmp_path, budget={"extra_rounds": 2})
    kwargs: dict[str, Any] = dict(
        model=script.model(), embedder=HashingEmbedder(), rounds=3, mode="safe"
    )
    stopped = await adeliberate("What is a good question?", settings=settings, **kwargs)
    assert len(stopped.rounds) == 1
    every = _every_round(settings, tmp_path)
    script = RoleScript(critique=lambda text: (9, 9, 9), decisions=["stop"] * 3)
    kwargs["model"] = script.model()
    result = await adeliberate("What is a good question?", settings=every, **kwargs)
    assert (len(result.rounds), result.stop_reason) == (3, "max_rounds")
