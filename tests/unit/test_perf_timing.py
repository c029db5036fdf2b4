"""The benchmark's timing proxies and table, with a scripted model and a fake clock."""

from __future__ import annotations

import asyncio

import pytest

from noetic.models.base import Message, Sampling
from noetic.perf import LlamaBenchResult, format_table, timing
from noetic.perf.timing import BusyClock, TimedEmbedder, TimedModel
from noetic.testing import ScriptedModel


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
        batched8_s=7.0,
        sequential8_s=11.0,
        single_completion_tokens=96,
        batched8_completion_tokens=768,
        sequential8_completion_tokens=768,
        batched8_over_single=7.0 / 3.0,
        sequential8_over_batched8=11.0 / 7.0,
        distinct_batched8=8,
        distinct_sequential8=8,
        free_tokens_per_s=150.0,
        grammar_tokens_per_s=140.0,
        grammar_over_free_tokens_per_s=140.0 / 150.0,
        prompt_tokens_evaluated=400,
        prompt_tokens_reused=600,
        prefix_reuse_fraction=0.6,
        deliberation_s=60.0,
        model_calls_s=58.0,
        overhead_fraction=2.0 / 60.0,
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
    assert "NO" in format_table(result(overhead_fraction=0.2))


def test_gpu_offload_tightens_the_batching_target() -> None:
    assert "NO" in format_table(result(gpu_offload=True))
