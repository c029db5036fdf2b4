"""Stores in the old format (qdrant-client local mode under NOETIC_HOME/qdrant): refused with one
line until `noetic memory migrate` moves every point into Qdrant Edge and sets the old folder
aside, still readable. Also the Edge store's lock as the CLI reports it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from noetic_cli import one_line_error
from qdrant_client import QdrantClient, models
from test_damaged_stores import noetic

from noetic.memory import MemoryRecord, VectorMemory
from noetic.memory.edge_store import EdgeStore
from noetic.memory.engine import Identity, StoredPoint
from noetic.memory.hybrid import sparse_vector
from noetic.settings import MemorySettings
from noetic.testing import HashingEmbedder

EMBEDDER = HashingEmbedder()
IDENTITY = Identity(EMBEDDER.name, EMBEDDER.dimension)


def records(run_id: str, count: int) -> list[MemoryRecord]:
    kinds = ("thought", "critique", "reflection")
    return [
        MemoryRecord(
            run_id=run_id,
            task="the myth of Sisyphus",
            round=i // 3,
            role="generator",
            mode="safe" if i % 2 else "experimental",
            kind=kinds[i % 3],
            text=f"{run_id} thought number {i} about the hill",
            scores={"overall": i / count},
        )
        for i in range(count)
    ]


MAIN = [*records("r1", 30), *records("r2", 12)]
MAIN.append(MAIN[0].model_copy(update={"round": 99, "text": "the quokka smiles"}))
MAIN.append(MAIN[0].model_copy(update={"round": 98, "text": "!!! ..."}))  # no keywords at all
OTHER = records("r3", 5)


def write_old_store(home: Path, collections: dict[str, list[MemoryRecord]]) -> None:
    """A store as the previous version wrote it, through qdrant-client's local mode directly."""
    client = QdrantClient(path=str(home / "qdrant"))
    for name, stored in collections.items():
        client.create_collection(
            name,
            vectors_config={
                "dense": models.VectorParams(
                    size=IDENTITY.dimension, distance=models.Distance.COSINE
                )
            },
            sparse_vectors_config={
                "sparse": models.SparseVectorParams(modifier=models.Modifier.IDF)
            },
            metadata={"embedding_model": IDENTITY.embedding_model, "dimension": 64, "format": 1},
        )
        vectors = asyncio.run(EMBEDDER.embed([r.text for r in stored]))
        client.upsert(
            name,
            [
                models.PointStruct(
                    id=r.point_id,
                    vector={
                        "dense": v,
                        "sparse": models.SparseVector(**sparse_vector(r.text)._asdict()),
                    },
                    payload=r.model_dump(mode="json"),
                )
                for r, v in zip(stored, vectors, strict=True)
            ],
        )
    client.close()


def old_counts(folder: Path) -> dict[str, int]:
    client = QdrantClient(path=str(folder))
    try:
        return {c.name: client.count(c.name).count for c in client.get_collections().collections}
    finally:
        client.close()


@pytest.fixture
def old_home(isolated_home: Path) -> Path:
    isolated_home.mkdir(parents=True)
    write_old_store(isolated_home, {"noetic_memory": MAIN, "other": OTHER})
    return isolated_home


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "command",
    [["memory", "stats"], ["memory", "search", "hill"], ["run", "a task"]],
    ids=lambda c: c[0] + ("-" + c[1] if c[0] == "memory" else ""),
)
def test_an_unmigrated_store_is_refused_with_one_line(old_home: Path, command: list[str]) -> None:
    before = snapshot(old_home / "qdrant")
    one_line_error(
        noetic(*command),
        f"the embedded memory store {old_home / 'qdrant'} is in the old format",
        "run `noetic memory migrate`",
    )
    assert snapshot(old_home / "qdrant") == before
    assert not list((old_home / "qdrant-edge").glob("*/shard"))


async def test_migrate_moves_every_point_and_keeps_the_old_store_readable(old_home: Path) -> None:
    done = noetic("memory", "migrate")

    assert done.returncode == 0, done.stderr
    assert f"migrated {len(MAIN)} memories of collection 'noetic_memory'" in done.stdout
    assert f"migrated {len(OTHER)} memories of collection 'other'" in done.stdout
    assert not (old_home / "qdrant").exists()
    assert old_counts(old_home / "qdrant.migrated") == {"noetic_memory": len(MAIN), "other": 5}
    for name, stored in {"noetic_memory": MAIN, "other": OTHER}.items():
        store = EdgeStore.open(old_home, name, IDENTITY)
        try:
            assert store.present([r.point_id for r in stored]) == len(stored)
        finally:
            store.close()
    with VectorMemory.open(old_home, MemorySettings(), EMBEDDER) as memory:
        assert memory.count() == len(MAIN) and memory.count("r2") == 12
        [hit] = await memory.search("quokka", k=1)
        assert hit.record == MAIN[-2]  # payloads come across whole, provenance included
        kinds = {h.record.kind for h in await memory.search("hill", k=9, run_id="r2", mode="safe")}
        assert kinds == {"thought", "critique", "reflection"}


def test_migrating_again_finds_nothing_and_changes_nothing(old_home: Path) -> None:
    assert noetic("memory", "migrate").returncode == 0
    again = noetic("memory", "migrate")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("nothing to migrate")
    assert old_counts(old_home / "qdrant.migrated")["noetic_memory"] == len(MAIN)
    assert not (old_home / "qdrant.migrated-2").exists()


def test_an_interrupted_migration_completes_when_run_again(old_home: Path) -> None:
    """Half the points already in Edge, the old store still in place: a rerun copies the rest
    and doubles nothing (point ids are kept)."""
    store = EdgeStore.open(old_home, "noetic_memory", IDENTITY)
    halfway = MAIN[: len(MAIN) // 2]
    vectors = asyncio.run(EMBEDDER.embed([r.text for r in halfway]))
    store.upsert(
        [
            StoredPoint(r.point_id, v, sparse_vector(r.text), r.model_dump(mode="json"))
            for r, v in zip(halfway, vectors, strict=True)
        ]
    )
    store.close()
    one_line_error(noetic("memory", "stats"), "run `noetic memory migrate`")

    assert noetic("memory", "migrate").returncode == 0
    with VectorMemory.open(old_home, MemorySettings(), EMBEDDER) as memory:
        assert memory.count() == len(MAIN)


def test_a_damaged_old_store_is_one_line_and_stays_in_place(old_home: Path) -> None:
    (old_home / "qdrant" / "meta.json").write_text("{broken")
    one_line_error(
        noetic("memory", "migrate"),
        f"the old-format memory store {old_home / 'qdrant'} is damaged",
    )
    assert (old_home / "qdrant" / "meta.json").read_text() == "{broken"
    assert not (old_home / "qdrant.migrated").exists()


def test_a_store_held_by_another_process_is_one_line(isolated_home: Path) -> None:
    with VectorMemory.open(isolated_home, MemorySettings(), EMBEDDER):
        one_line_error(
            noetic("memory", "stats"),
            f"the embedded memory store {isolated_home / 'qdrant-edge'} is in use by another "
            f"process (it holds the lock {isolated_home / 'qdrant-edge' / '.lock'})",
            "memory.url",
        )
