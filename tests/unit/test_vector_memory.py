"""VectorMemory on real engines in a temporary directory, with fake embedders.

The embedded default is Qdrant Edge; the behaviour tests also run on qdrant-client's local mode,
which drives the same adapter a Qdrant server gets, so both engines answer the same hybrid query
with the same filters and dedup.
"""

from __future__ import annotations

import hashlib
import math
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest

from noetic.errors import ConfigError, MemoryStoreError
from noetic.memory import MemoryRecord, VectorMemory
from noetic.memory.client_store import ClientStore
from noetic.memory.engine import Identity
from noetic.models.base import Embedder
from noetic.settings import MemorySettings
from noetic.testing import HashingEmbedder


class RandomEmbedder:
    """Dense vectors that carry no meaning: only keyword search can find anything."""

    name = "random"
    dimension = 64

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self._one(text) for text in texts]

    def _one(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode()).digest() * 2
        vector = [b - 127.5 for b in digest[: self.dimension]]
        norm = math.sqrt(sum(x * x for x in vector))
        return [x / norm for x in vector]


def record(text: str, *, run_id: str = "run-a", round: int = 0, **fields: object) -> MemoryRecord:
    defaults: dict[str, object] = {
        "task": "the myth of Sisyphus",
        "role": "generator",
        "mode": "safe",
        "kind": "thought",
        "concepts": ["boulder"],
        "scores": {"relevance": 0.8},
    }
    return MemoryRecord(run_id=run_id, round=round, text=text, **{**defaults, **fields})


@pytest.fixture
def settings() -> MemorySettings:
    return MemorySettings(collection="test_memory")


ENGINES = ["edge", "client"]


def open_on(engine: str, home: Path, settings: MemorySettings, embedder: Embedder) -> VectorMemory:
    """The embedded default (Edge), or the qdrant-client adapter on its local mode."""
    if engine == "edge":
        return VectorMemory.open(home, settings, embedder)
    identity = Identity(embedder.name, embedder.dimension)
    store = ClientStore.local(home / "local", settings.collection, identity)
    return VectorMemory(
        store, collection=settings.collection, embedder=embedder, recall_k=settings.recall_k
    )


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def memory(tmp_path: Path, settings: MemorySettings, engine: str):
    with open_on(engine, tmp_path, settings, HashingEmbedder()) as mem:
        yield mem


async def test_stores_and_recalls_with_provenance(memory: VectorMemory) -> None:
    stored = record("Sisyphus pushes the boulder uphill forever", round=2, scores={"novelty": 0.4})
    await memory.add([stored, record("Tax filings are due in April", round=3)])

    hits = await memory.search("why does Sisyphus push the boulder", k=1)

    assert [hit.record for hit in hits] == [stored]
    assert hits[0].score > 0
    assert memory.count() == 2


async def test_storing_a_round_again_replaces_it(memory: VectorMemory) -> None:
    await memory.add(
        [record("first take", round=1), record("a critique", round=1, kind="critique")]
    )
    await memory.add(
        [record("second take", round=1), record("a critique", round=1, kind="critique")]
    )

    assert memory.count() == 2
    texts = {hit.record.text for hit in await memory.search("take", k=4)}
    assert "second take" in texts and "first take" not in texts


async def test_index_tells_apart_records_of_one_kind_in_one_round(memory: VectorMemory) -> None:
    critiques = [record(f"critique {i}", kind="critique", index=i) for i in range(3)]
    await memory.add(critiques)
    assert memory.count() == 3
    with pytest.raises(ValueError, match="index"):
        await memory.add([record("one"), record("two")])


async def test_filters_by_run_role_mode_and_kind(memory: VectorMemory) -> None:
    await memory.add(
        [
            record("boulder thought of run a", run_id="a"),
            record("boulder critique of run a", run_id="a", kind="critique", role="critic"),
            record("boulder thought of run b", run_id="b", mode="experimental"),
        ]
    )

    async def texts(**filters: str) -> set[str]:
        return {hit.record.text for hit in await memory.search("boulder", k=5, **filters)}

    assert await texts(run_id="a") == {"boulder thought of run a", "boulder critique of run a"}
    assert await texts(exclude_run_id="a") == {"boulder thought of run b"}
    assert await texts(role="critic") == {"boulder critique of run a"}
    assert await texts(mode="experimental") == {"boulder thought of run b"}
    assert await texts(kind="thought", run_id="a") == {"boulder thought of run a"}
    assert memory.count("a") == 2 and memory.count("nope") == 0


async def test_lessons_round_trip_and_filter_by_task_kind(memory: VectorMemory) -> None:
    lesson = record(
        '"exactly two sentences": an answer of 4 sentences failed; the chosen answer has 2.',
        kind="lesson",
        role="reinforce",
        task_kind="sentences",
    )
    await memory.add(
        [lesson, record("an answer of four sentences", task_kind="sentences", round=1)]
    )
    hits = await memory.search("sentences answer", k=5, kind="lesson", task_kind="sentences")
    assert [hit.record for hit in hits] == [lesson]  # every field as stored, task_kind too
    assert await memory.search("sentences answer", k=5, task_kind="words") == []
    old = record("a thought stored before task kinds were kept", round=2)
    assert old.task_kind == ""
    await memory.add([old])
    assert old in [hit.record for hit in await memory.search("thought stored before", k=5)]


async def test_keyword_match_is_recalled_when_dense_vectors_carry_nothing(
    tmp_path: Path, settings: MemorySettings, engine: str
) -> None:
    with open_on(engine, tmp_path, settings, RandomEmbedder()) as memory:
        noise = [record(f"an ordinary thought number {i}", round=i) for i in range(30)]
        target = record("the quokka smiles at the boulder", round=30)
        await memory.add([*noise, target])

        hits = await memory.search("quokka", k=2)

    assert target in [hit.record for hit in hits]


async def test_near_duplicates_are_suppressed(memory: VectorMemory) -> None:
    await memory.add(
        [
            record("The boulder rolls back down.", round=0),
            record("the boulder rolls back down", round=1),
            record("The boulder rolls back down!!", round=2),
            record("Camus imagines Sisyphus happy with the boulder", round=3),
        ]
    )

    hits = await memory.search("boulder rolls back", k=3)

    normalized = [" ".join(hit.record.text.lower().strip(".!").split()) for hit in hits]
    assert normalized.count("the boulder rolls back down") == 1
    assert len(hits) == 2


async def test_empty_store_zero_k_and_blank_query_recall_nothing(memory: VectorMemory) -> None:
    assert await memory.search("anything") == []
    await memory.add([record("something")])
    assert await memory.search("something", k=0) == []
    assert await memory.search("   ") == []


async def test_default_k_is_recall_k(tmp_path: Path, engine: str) -> None:
    settings = MemorySettings(recall_k=2)
    with open_on(engine, tmp_path, settings, HashingEmbedder()) as memory:
        await memory.add([record(f"boulder {word}", round=i) for i, word in enumerate("abcdef")])
        assert len(await memory.search("boulder")) == 2


async def test_forget_run_deletes_only_that_run(memory: VectorMemory) -> None:
    await memory.add(
        [record("x", run_id="a"), record("y", run_id="a", round=1), record("z", run_id="b")]
    )

    assert memory.forget_run("a") == 2
    assert memory.forget_run("a") == 0
    assert memory.count() == 1 and memory.count("b") == 1


async def test_both_engines_rank_alike(tmp_path: Path, settings: MemorySettings) -> None:
    """Same points, same query: the same best memories with the same fused scores, best first.
    (The top three: below them both rankings hold ties, which the engines break apart.)"""
    texts = [
        "Sisyphus pushes the boulder up the hill",
        "the boulder rolls down the hill and up the hill again",
        "Camus imagines Sisyphus happy",
        "a hill of tax filings due in April",
        "boulder, boulder, boulder: the weight of stone",
        "the gods condemned him to endless labour",
        "stone and sky over a hill of hills",
    ]
    records = [record(text, round=i) for i, text in enumerate(texts)]
    answers = []
    for engine in ENGINES:
        with open_on(engine, tmp_path, settings, HashingEmbedder()) as memory:
            await memory.add(records)
            hits = await memory.search("boulder on the hill", k=3, exclude_run_id="other")
        scored = [(round(hit.score, 4), hit.record.text) for hit in hits]
        assert scored == sorted(scored, key=lambda pair: -pair[0])
        answers.append(sorted(scored, reverse=True))
    assert (
        answers[0]
        == answers[1]
        == [
            (
                1.0,
                "the boulder rolls down the hill and up the hill again",
            ),  # 1st dense, 1st keywords
            (0.5833, "boulder, boulder, boulder: the weight of stone"),  # 3rd dense, 2nd keywords
            (0.5833, "Sisyphus pushes the boulder up the hill"),  # 2nd dense, 3rd keywords
        ]
    )


async def test_stats(tmp_path: Path, memory: VectorMemory) -> None:
    await memory.add([record("x")])
    stats = memory.stats()
    assert stats.model_dump() == {
        "points": 1,
        "kinds": {"thought": 1, "critique": 0, "reflection": 0, "lesson": 0},
        "collection": "test_memory",
        "embedding_model": "hashing-bow",
        "dimension": 64,
        "location": memory.location,
    }


def test_the_embedded_store_is_edge_in_its_own_folder(tmp_path: Path) -> None:
    with VectorMemory.open(tmp_path, MemorySettings(), HashingEmbedder()) as memory:
        assert memory.location == str(tmp_path / "qdrant-edge")
    collection = tmp_path / "qdrant-edge" / "noetic_memory"
    assert (collection / "shard" / "edge_config.json").is_file()
    assert (collection / "collection.json").is_file()
    assert not (tmp_path / "qdrant").exists()


@pytest.mark.parametrize("name", ["../escape", "a/b", ".hidden", ""])
def test_a_collection_name_that_is_no_folder_name_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(ConfigError, match="memory.collection"):
        VectorMemory.open(tmp_path, MemorySettings(collection=name), HashingEmbedder())
    assert not list((tmp_path / "qdrant-edge").glob("*/collection.json"))


WRITER = """
import asyncio, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_vector_memory import record
from noetic.memory import VectorMemory
from noetic.settings import MemorySettings
from noetic.testing import HashingEmbedder

async def main():
    settings = MemorySettings(collection="test_memory")
    memory = VectorMemory.open(Path({home!r}), settings, HashingEmbedder())
    await memory.add([record("Sisyphus learns to love the hill"), record("other", round=1)])
    memory.close()

asyncio.run(main())
"""


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


async def test_memories_survive_a_process_restart(tmp_path: Path, settings: MemorySettings) -> None:
    done = run_python(WRITER.format(tests=str(Path(__file__).parent), home=str(tmp_path)))
    assert done.returncode == 0, done.stderr

    with VectorMemory.open(tmp_path, settings, HashingEmbedder()) as memory:
        assert memory.count() == 2
        hits = await memory.search("love the hill", k=1)
    assert hits[0].record.text == "Sisyphus learns to love the hill"


def test_a_second_process_gets_a_clear_lock_error(tmp_path: Path, settings: MemorySettings) -> None:
    held = VectorMemory.open(tmp_path, settings, HashingEmbedder())
    done = run_python(
        f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_vector_memory import HashingEmbedder
        from noetic.errors import MemoryStoreError
        from noetic.memory import VectorMemory
        from noetic.settings import MemorySettings
        try:
            VectorMemory.open(Path({str(tmp_path)!r}), MemorySettings(), HashingEmbedder())
        except MemoryStoreError as exc:
            print(exc)
            sys.exit(3)
        """
    )
    held.close()
    assert done.returncode == 3, done.stderr
    message = done.stdout.strip()
    assert str(tmp_path / "qdrant-edge" / ".lock") in message
    assert "memory.url" in message
    assert "\n" not in message


def test_closing_releases_the_lock(tmp_path: Path, settings: MemorySettings) -> None:
    memory = VectorMemory.open(tmp_path, settings, HashingEmbedder())
    memory.close()
    memory.close()
    VectorMemory.open(tmp_path, settings, HashingEmbedder()).close()


@pytest.mark.parametrize(
    ("embedder", "named"),
    [
        (HashingEmbedder(dimension=32), "32 dimensions"),
        (HashingEmbedder(name="other-model.gguf"), "other-model.gguf"),
    ],
)
async def test_another_embedding_model_is_refused_and_nothing_is_lost(
    tmp_path: Path, settings: MemorySettings, embedder: HashingEmbedder, named: str
) -> None:
    with VectorMemory.open(tmp_path, settings, HashingEmbedder()) as memory:
        await memory.add([record("kept safe")])

    with pytest.raises(MemoryStoreError) as caught:
        VectorMemory.open(tmp_path, settings, embedder)

    message = str(caught.value)
    assert "64-dimensional vectors from hashing-bow" in message and named in message
    assert "memory.collection" in message
    with VectorMemory.open(tmp_path, settings, HashingEmbedder()) as memory:
        assert memory.count() == 1


def test_another_collection_name_opens_beside_a_mismatched_one(
    tmp_path: Path, settings: MemorySettings
) -> None:
    VectorMemory.open(tmp_path, settings, HashingEmbedder()).close()
    other = settings.model_copy(update={"collection": "fresh"})
    with VectorMemory.open(tmp_path, other, HashingEmbedder(dimension=32)) as memory:
        assert memory.stats().dimension == 32


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    settings = MemorySettings(url="http://127.0.0.1:1")
    with pytest.raises(MemoryStoreError, match="cannot reach the Qdrant server at http://127"):
        VectorMemory.open(tmp_path, settings, HashingEmbedder())
