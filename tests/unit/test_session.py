"""One session owns what runs share: it loads each model once for many runs, closes what it
loaded (and only that), and a run refused up front loads nothing."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from noetic import adeliberate, aresume, load_settings, open_session
from noetic.errors import ModelLoadError, RunStateError
from noetic.settings import ModelSettings
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel


class Closing(ScriptedModel):
    """A scripted model that counts how often it is closed."""

    closed = 0

    async def aclose(self) -> None:
        self.closed += 1


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> list[Closing]:
    """Every model the settings would load, in load order."""
    loaded: list[Closing] = []

    def load(settings: ModelSettings, *, seed: int = 0) -> Closing:
        loaded.append(Closing(RoleScript()))
        return loaded[-1]

    monkeypatch.setattr("noetic.models.factory.load_chat_model", load)
    monkeypatch.setattr("noetic.models.factory.load_embedder", lambda settings: HashingEmbedder())
    return loaded


async def test_runs_in_one_session_share_one_load_and_it_is_closed_once(
    isolated_home: Path, loads: list[Closing]
) -> None:
    settings = load_settings(rounds=1, candidates=2, mode="safe")
    async with open_session(settings) as session:
        results = await asyncio.gather(
            *(adeliberate(t, settings=settings, session=session) for t in ("A", "B", "C"))
        )
        assert len(loads) == 1 and loads[0].closed == 0
    assert [r.stop_reason for r in results] == ["max_rounds"] * 3
    assert loads[0].closed == 1


async def test_a_given_model_is_left_open_for_its_owner(isolated_home: Path) -> None:
    mine = Closing(RoleScript())
    await adeliberate("A", model=mine, embedder=HashingEmbedder(), rounds=1, mode="safe")
    assert mine.closed == 0


async def test_a_taken_run_id_is_refused_before_any_model_loads(
    isolated_home: Path, loads: list[Closing]
) -> None:
    await adeliberate("A", run_id="once", rounds=1, mode="safe")
    assert len(loads) == 1
    with pytest.raises(RunStateError, match="already exists"):
        await adeliberate("B", run_id="once", rounds=1, mode="safe")
    assert len(loads) == 1


async def test_a_resumed_run_opens_its_session_from_its_own_settings(
    isolated_home: Path, loads: list[Closing], monkeypatch: pytest.MonkeyPatch
) -> None:
    stop = asyncio.Event()
    stop.set()
    await adeliberate("A", run_id="r", rounds=2, mode="safe", stop=stop)
    opened: list[int] = []

    def spy(settings, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(settings.rounds)
        return open_session(settings, **kwargs)

    monkeypatch.setattr("noetic.runs.driver.open_session", spy)
    finished = await aresume("r", rounds=5)  # today's settings differ; the run's own win
    assert finished.stop_reason == "max_rounds" and len(finished.rounds) == 2
    assert opened == [2]


class LazyEmbedder(HashingEmbedder):
    """An embedder that loads its weights when told to, like the llama.cpp one."""

    def __init__(self, load: Callable[[], None]) -> None:
        super().__init__()
        self._load = load
        self.loads = 0

    def load(self) -> None:
        self._load()
        self.loads += 1


async def test_the_embedders_weights_load_beside_the_chat_models(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Neither load can pass the barrier until the other has reached it: they run side by
    side, and round 1's recall finds the embedder loaded."""
    both = threading.Barrier(2, timeout=10)
    loaded: list[Closing] = []

    def load_chat(settings: ModelSettings, *, seed: int = 0) -> Closing:
        both.wait()
        loaded.append(Closing(RoleScript()))
        return loaded[-1]

    embedder = LazyEmbedder(both.wait)
    monkeypatch.setattr("noetic.models.factory.load_chat_model", load_chat)
    monkeypatch.setattr("noetic.models.factory.load_embedder", lambda settings: embedder)
    settings = load_settings(rounds=1, candidates=2, mode="safe")
    async with open_session(settings) as session:
        assert embedder.loads == 1 and len(loaded) == 1
        assert session.stores.embedder is embedder
        await adeliberate("A", settings=settings, session=session)
    assert embedder.loads == 1


async def test_an_embedder_that_fails_to_load_stops_the_session_and_closes_the_model(
    isolated_home: Path, loads: list[Closing]
) -> None:
    def broken() -> None:
        raise ModelLoadError("llama.cpp could not load e.gguf for embeddings", "check the file")

    with pytest.raises(ModelLoadError, match="for embeddings"):
        async with open_session(load_settings(), embedder=LazyEmbedder(broken)):
            pass
    assert len(loads) == 1 and loads[0].closed == 1
