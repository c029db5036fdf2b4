"""The vector memory with real embeddings: llama.cpp on the bundled SmolLM2 GGUF."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from structlog.testing import capture_logs

from noetic.memory import MemoryRecord, VectorMemory
from noetic.models.base import Embedder, LoadsWeights
from noetic.models.default_model import default_model_path
from noetic.models.llama_embedder import LlamaCppEmbedder
from noetic.settings import MemorySettings

pytestmark = pytest.mark.integration

CAT = "The cat sat on the mat."
KITTEN = "A kitten rests on a rug."
TAX = "Quarterly tax filings are due in April."


@pytest.fixture(scope="module")
def embedder() -> LlamaCppEmbedder:
    return LlamaCppEmbedder(default_model_path())


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


async def test_embeddings_are_unit_vectors_of_the_model_width(embedder: LlamaCppEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.name == "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert embedder.dimension == 576
    batch = await embedder.embed([CAT, "", "word " * 2000])
    assert [len(v) for v in batch] == [576] * 3
    assert all(math.isclose(cosine(v, v), 1.0, rel_tol=1e-4) for v in batch)
    [alone] = await embedder.embed([CAT])
    assert cosine(alone, batch[0]) > 0.999


async def test_related_texts_are_closer_than_an_unrelated_one(embedder: LlamaCppEmbedder) -> None:
    cat, kitten, tax = await embedder.embed([CAT, KITTEN, TAX])
    assert cosine(cat, kitten) > cosine(cat, tax)
    assert cosine(cat, kitten) > cosine(kitten, tax)


async def test_memory_ranks_related_memories_above_an_unrelated_one(
    tmp_path: Path, embedder: LlamaCppEmbedder
) -> None:
    records = [
        MemoryRecord(
            run_id="run",
            task="pets",
            round=i,
            role="generator",
            mode="safe",
            kind="thought",
            text=t,
        )
        for i, t in enumerate([TAX, CAT, KITTEN])
    ]
    with VectorMemory.open(tmp_path, MemorySettings(), embedder) as memory:
        await memory.add(records)
        hits = await memory.search("a small cat sleeping on a carpet", k=3)

    assert len(hits) == 3
    assert hits[-1].record.text == TAX


async def test_a_recalled_text_is_not_embedded_again(
    tmp_path: Path, embedder: LlamaCppEmbedder
) -> None:
    """Search hands the embedder the stored vectors of what it returns: recall's relevance
    filter and the judge read them from there instead of evaluating the text again."""
    record = MemoryRecord(
        run_id="run", task="pets", round=1, role="generator", mode="safe", kind="thought", text=CAT
    )
    with VectorMemory.open(tmp_path, MemorySettings(), embedder) as memory:
        await memory.add([record])
    [expected] = await embedder.embed([CAT])
    fresh = LlamaCppEmbedder(default_model_path())  # a later run's process: nothing cached
    with VectorMemory.open(tmp_path, MemorySettings(), fresh) as memory:
        [hit] = await memory.search("a small cat sleeping on a carpet", k=1)
        assert hit.record.text == CAT
        with capture_logs() as logs:
            [vector] = await fresh.embed([CAT])
    assert [e for e in logs if e["event"] == "embedded"] == []
    assert vector == pytest.approx(expected, abs=1e-5)
    with capture_logs() as logs:
        await fresh.embed([KITTEN])  # and one it was not handed is embedded
    assert [e["texts"] for e in logs if e["event"] == "embedded"] == [1]


async def test_told_to_load_the_embedder_loads_once_and_embeds_alike(
    embedder: LlamaCppEmbedder,
) -> None:
    """A session loads the weights before the first `embed` (beside the chat model's load)."""
    [expected] = await embedder.embed([KITTEN])
    fresh = LlamaCppEmbedder(default_model_path())
    assert isinstance(fresh, LoadsWeights)
    with capture_logs() as logs:
        fresh.load()
        fresh.load()
        [vector] = await fresh.embed([KITTEN])
    assert [e["event"] for e in logs if e["event"].startswith("embed")] == [
        "embedder_loaded",
        "embedded",
    ]
    assert vector == pytest.approx(expected, abs=1e-5)
