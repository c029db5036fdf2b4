"""Damaged stores under NOETIC_HOME: each command that meets one prints one line naming the file
and the fix, and never writes over it."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import noetic_cli
import pytest
from noetic_cli import one_line_error

from noetic import adeliberate
from noetic.memory import MemoryRecord, VectorMemory, WeightAccumulator
from noetic.models.default_model import default_model_path
from noetic.settings import MemorySettings
from noetic.testing import HashingEmbedder, RoleScript

RECORD = {
    "run_id": "r1",
    "task": "t",
    "round": 0,
    "role": "generator",
    "mode": "safe",
    "kind": "thought",
}


noetic = partial(noetic_cli.noetic, timeout=180, NOETIC_LOG_LEVEL="warning")


@pytest.fixture
async def stored(isolated_home: Path) -> Path:
    """A home holding one finished run, its memories and the accumulator's weights."""
    await adeliberate(
        "A task", model=RoleScript().model(), embedder=HashingEmbedder(), run_id="r1", rounds=1
    )
    return isolated_home


def garbage(path: Path) -> None:
    path.write_bytes(os.urandom(4096))


def truncated(path: Path) -> None:
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


def foreign(path: Path) -> None:
    """An SQLite database, but not ours: no checkpoint tables in it."""
    import sqlite3

    path.unlink()
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (text)")


CHECKPOINT_COMMANDS = [["runs"], ["show", "r1"], ["resume", "r1"], ["run", "a new task"]]


@pytest.mark.parametrize("damage", [garbage, truncated])
@pytest.mark.parametrize("command", CHECKPOINT_COMMANDS, ids=lambda c: c[0])
def test_a_damaged_run_store_is_one_line(
    stored: Path, damage: Callable[[Path], None], command: list[str]
) -> None:
    path = stored / "checkpoints.sqlite"
    damage(path)
    before = path.read_bytes()
    one_line_error(noetic(*command), f"the run store {path} is damaged", "restore it")
    assert path.read_bytes() == before


def test_a_foreign_or_empty_database_is_an_empty_run_store(stored: Path) -> None:
    path = stored / "checkpoints.sqlite"
    foreign(path)
    listed = noetic("runs", "--json")
    assert listed.returncode == 0 and listed.stdout.strip() == "[]", listed.stderr
    one_line_error(noetic("show", "r1"), "no run 'r1'")
    path.write_bytes(b"")
    assert noetic("runs", "--json").stdout.strip() == "[]"


def accumulator_damage() -> dict[str, Callable[[Path], None]]:
    def binary(path: Path) -> None:
        path.write_bytes(b"\xff\xfe\x9b" + os.urandom(200))

    def folder(path: Path) -> None:
        path.unlink()
        path.mkdir()

    def unknown_concept(path: Path) -> None:
        path.write_text(
            '{"format": 1, "epoch": 1, "nodes": {"a": [0.5, 1, 1]}, '
            '"edges": [["a", "ghost", 0.1, 1, 1]], "history": {}}'
        )

    def nan_weight(path: Path) -> None:
        path.write_text('{"format": 1, "epoch": 1, "nodes": {"a": [NaN, 1, 1]}}')

    return {f.__name__: f for f in (binary, folder, unknown_concept, nan_weight)}


@pytest.mark.parametrize("damage", accumulator_damage().values(), ids=accumulator_damage().keys())
def test_a_damaged_accumulator_is_one_line_and_memory_stats_still_work(
    isolated_home: Path, damage: Callable[[Path], None]
) -> None:
    """(Its own home: `memory stats` embeds with the default model, not the test embedder.)"""
    path = isolated_home / "accumulator.json"
    accumulator = WeightAccumulator.load(path)
    accumulator.reinforce(["a", "b"], 0.8, run_id="r1", round=1)
    accumulator.save()
    damage(path)
    one_line_error(noetic("concepts", "--json"), f"{path} is not a readable accumulator file")
    stats = noetic("memory", "stats", "--json")
    assert stats.returncode == 0 and '"points"' in stats.stdout, stats.stderr


def edge_damage() -> dict[str, Callable[[Path], None]]:
    """Damage to the embedded Edge store's files (under its collection folder), each found when
    the store opens."""

    def identity_not_json(collection: Path) -> None:
        (collection / "collection.json").write_text("{broken")

    def identity_gone(collection: Path) -> None:
        (collection / "collection.json").unlink()

    def config_not_json(collection: Path) -> None:
        (collection / "shard" / "edge_config.json").write_text("{broken")

    def segment_not_json(collection: Path) -> None:
        garbage(next(collection.glob("shard/segments/*/segment.json")))

    def wal_overwritten(collection: Path) -> None:
        with next(collection.glob("shard/wal/open-*")).open("r+b") as fh:
            fh.write(os.urandom(4096))

    damages = (identity_not_json, identity_gone, config_not_json, segment_not_json, wal_overwritten)
    return {f.__name__: f for f in damages}


@pytest.mark.parametrize("damage", edge_damage().values(), ids=edge_damage().keys())
def test_a_damaged_embedded_memory_is_one_line(
    stored: Path, damage: Callable[[Path], None]
) -> None:
    collection = stored / "qdrant-edge" / "noetic_memory"
    damage(collection)
    for command in (["memory", "stats"], ["memory", "search", "task"]):
        one_line_error(noetic(*command), f"the embedded memory store {collection} is damaged")


async def test_damage_met_by_a_search_is_one_line_naming_the_folder(isolated_home: Path) -> None:
    """Payload pages cut short load fine and fail when a search reads them."""
    model = HashingEmbedder(dimension=576, name=default_model_path().name)  # as the CLI embeds
    with VectorMemory.open(isolated_home, MemorySettings(), model) as memory:
        await memory.add([MemoryRecord(**RECORD, text=f"thought {i}", index=i) for i in range(3)])
    collection = isolated_home / "qdrant-edge" / "noetic_memory"
    with next(collection.glob("shard/segments/*/payload_storage/page_0.dat")).open("r+b") as fh:
        fh.truncate(64)
    one_line_error(
        noetic("memory", "search", "thought"),
        f"the embedded memory store {collection} failed",
        "restore the folder from a backup",
    )
