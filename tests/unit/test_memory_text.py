"""Text normalization, sparse keyword vectors and the near-duplicate filter."""

from __future__ import annotations

import pytest

from noetic.memory.hybrid import distinct, sparse_vector
from noetic.memory.records import MemoryRecord
from noetic.memory.text import duplicate_key, keywords, normalize_concept


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("  Ideas ", "idea"),
        ("Theories", "theory"),
        ("Myth  of\tSisyphus", "myth of sisyphus"),
        ("process", "process"),
        ("analysis", "analysis"),
        ("gas", "gas"),
        ("AGI's goals!", "agi goal"),
        # no cut words (a held-out report showed "game that teache" as an anchor)
        ("game that teaches", "game that teach"),
        ("Glasses", "glass"),
        ("species", "species"),
        ("physics", "physics"),
        ("", ""),
        ("?!", ""),
    ],
)
def test_normalize_concept(raw: str, key: str) -> None:
    assert normalize_concept(raw) == key


def test_keywords_and_duplicate_key() -> None:
    assert keywords("The boulders, a HILL!") == ["the", "boulder", "hill"]
    assert duplicate_key("  The boulder -- rolls.") == duplicate_key("the BOULDER rolls")


def test_sparse_vectors_count_documents_and_mark_queries() -> None:
    doc = sparse_vector("boulder hill boulders")
    assert doc.indices == sorted(doc.indices) and len(doc.indices) == 2
    assert sorted(doc.values) == [1.0, 2.0]
    assert set(sparse_vector("boulder hill boulder", query=True).values) == {1.0}
    assert sparse_vector("!!").indices == []


def test_distinct_drops_same_text_and_close_vectors() -> None:
    candidates = [
        ("The boulder.", [1.0, 0.0, 0.0]),
        ("the boulder", [0.0, 1.0, 0.0]),  # same text, other vector
        ("a hill", [0.99, 0.05, 0.0]),  # cosine ~0.9987 to the first
        ("gravity", [0.0, 0.0, 2.0]),
        ("hope", [0.0, 0.7, 0.7]),
    ]
    assert distinct(candidates, k=5) == [0, 3, 4]
    assert distinct(candidates, k=2) == [0, 3]
    assert distinct(candidates, k=5, max_cosine=0.999) == [0, 2, 3, 4]


def test_point_ids_depend_only_on_the_key() -> None:
    base = {"task": "t", "role": "generator", "mode": "safe", "text": "x"}
    a = MemoryRecord(run_id="r", round=1, kind="thought", **base)
    b = MemoryRecord(run_id="r", round=1, kind="thought", **{**base, "text": "y"}, created_at=0)
    c = MemoryRecord(run_id="r", round=1, kind="thought", index=1, **base)
    d = MemoryRecord(run_id="r", round=1, kind="critique", **base)
    assert a.point_id == b.point_id
    assert len({a.point_id, c.point_id, d.point_id}) == 3
