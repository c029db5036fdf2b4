"""The in-process embedder's cache: what one call needs survives that call's evictions."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from noetic.models import llama_embedder
from noetic.models.default_model import default_model_path
from noetic.models.llama_embedder import LlamaCppEmbedder


class CountingModel:
    """Stands in for llama.cpp: a vector from each text's length, and every text it embedded."""

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def embed(self, texts: Sequence[str], **_: object) -> list[list[float]]:
        self.embedded += texts
        return [[float(len(t)), 1.0] for t in texts]


@pytest.fixture
def embedder(monkeypatch: pytest.MonkeyPatch) -> tuple[LlamaCppEmbedder, CountingModel]:
    monkeypatch.setattr(llama_embedder, "CACHED_TEXTS", 3)
    model = CountingModel()
    found = LlamaCppEmbedder(default_model_path())  # reads the header only
    monkeypatch.setattr(found, "_model", lambda: model)
    return found, model


async def test_cached_texts_of_a_call_survive_its_evictions(embedder) -> None:  # type: ignore[no-untyped-def]
    found, model = embedder
    await found.embed(["a", "bb", "ccc"])
    # "a" is cached and oldest; three new texts push the cache past its size in this call.
    vectors = await found.embed(["a", "dddd", "eeeee", "ffffff"])
    assert [v[0] for v in vectors] == [1.0, 4.0, 5.0, 6.0]
    assert model.embedded == ["a", "bb", "ccc", "dddd", "eeeee", "ffffff"]


async def test_a_recently_used_text_stays_cached(embedder) -> None:  # type: ignore[no-untyped-def]
    found, model = embedder
    await found.embed(["a", "bb", "ccc"])
    await found.embed(["a"])  # used again: now the newest
    await found.embed(["dddd"])  # evicts "bb", the oldest
    await found.embed(["a"])
    assert model.embedded.count("a") == 1 and "bb" not in found._cache
