"""WeightAccumulator: properties (hypothesis) and persistence."""

from __future__ import annotations

import asyncio
import itertools
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from noetic.errors import MemoryStoreError
from noetic.memory import WeightAccumulator

CONCEPTS = ["boulder", "hill", "gravity", "absurd", "camus", "agi", "loop", "hope", "fate"]
concept_lists = st.lists(st.sampled_from(CONCEPTS), max_size=5)
rewards = st.floats(min_value=0.0, max_value=1.0)
rounds = st.lists(st.tuples(concept_lists, rewards), max_size=25)
decays = st.floats(min_value=0.5, max_value=0.99)

FAST = settings(max_examples=60, deadline=None)


def replay(acc: WeightAccumulator, history: list[tuple[list[str], float]]) -> None:
    for round_no, (concepts, reward) in enumerate(history):
        acc.reinforce(concepts, reward, run_id="run", round=round_no)


def node_data(acc: WeightAccumulator) -> dict[str, dict[str, float]]:
    return {name: dict(data) for name, data in acc._graph.nodes(data=True)}


@FAST
@given(history=rounds, decay=decays)
def test_weights_and_scores_stay_bounded(
    history: list[tuple[list[str], float]], decay: float
) -> None:
    acc = WeightAccumulator(decay=decay)
    replay(acc, history)
    for concept in CONCEPTS:
        assert 0.0 <= acc.weight(concept) <= 1.0
    for related in acc.related("boulder"):
        assert 0.0 <= related.weight <= 1.0
    assert 0.0 <= acc.resonance(CONCEPTS) <= 1.0
    assert 0.0 <= acc.novelty(CONCEPTS) <= 1.0
    assert 0.0 <= acc.dominance() <= 1.0


@FAST
@given(history=rounds, decay=decays, others=concept_lists)
def test_unrewarded_weights_decay_monotonically(
    history: list[tuple[list[str], float]], decay: float, others: list[str]
) -> None:
    acc = WeightAccumulator(decay=decay)
    replay(acc, history)
    idle = [c for c in CONCEPTS if c not in others]
    before = {c: acc.weight(c) for c in idle}

    acc.reinforce(others, 1.0, run_id="run", round=len(history))

    for concept in idle:
        assert acc.weight(concept) == pytest.approx(before[concept] * decay)
        assert acc.weight(concept) <= before[concept]


@FAST
@given(history=rounds, rewarded=concept_lists, reward=rewards)
def test_reinforcement_touches_only_the_rewarded_concepts(
    history: list[tuple[list[str], float]], rewarded: list[str], reward: float
) -> None:
    acc = WeightAccumulator()
    replay(acc, history)
    before = node_data(acc)
    weights = {c: acc.weight(c) for c in CONCEPTS}

    acc.reinforce(rewarded, reward, run_id="run", round=len(history))

    after = node_data(acc)
    for name in set(before) - set(rewarded):
        assert after[name] == before[name]  # stored untouched: decay is lazy
    assert set(after) == set(before) | set(rewarded)
    for concept in rewarded:
        assert acc.weight(concept) >= weights[concept] * acc.decay - 1e-12


@FAST
@given(history=rounds, again=concept_lists, reward=rewards)
def test_a_round_counts_once(
    history: list[tuple[list[str], float]], again: list[str], reward: float
) -> None:
    acc = WeightAccumulator()
    replay(acc, [(["seed"], 0.5), *history])
    before = (node_data(acc), acc.epoch, acc.top(20))

    assert acc.reinforce(again, reward, run_id="run", round=0) is False
    assert (node_data(acc), acc.epoch, acc.top(20)) == before
    assert acc.reinforce(again, reward, run_id="other run", round=0) is True
    assert acc.reinforce(again, reward, run_id="other run", round=0) is False
    assert acc.epoch == before[1] + 1


@FAST
@given(history=rounds, n=st.integers(min_value=0, max_value=12))
def test_top_matches_a_full_sort(history: list[tuple[list[str], float]], n: int) -> None:
    acc = WeightAccumulator(decay=0.8)
    replay(acc, history)
    for _ in range(2):  # a second read must see the same heap
        top = acc.top(n)
        expected = sorted((acc.weight(c) for c in CONCEPTS if acc.weight(c) > 0), reverse=True)
        assert [cw.weight for cw in top if cw.weight > 0] == pytest.approx(expected[:n])
        weights = [cw.weight for cw in top]
        assert all(a >= b - 1e-12 for a, b in itertools.pairwise(weights))  # ties: ulps apart


def test_concepts_are_normalized() -> None:
    acc = WeightAccumulator()
    acc.reinforce(["  Boulders ", "Myth of   SISYPHUS", "", "!!"], 1.0, run_id="r", round=0)
    assert acc.weight("boulder") == acc.weight("BOULDERS") > 0
    assert acc.weight("myth of sisyphus") > 0
    assert len(acc) == 2
    assert {cw.concept for cw in acc.related("boulder")} == {"myth of sisyphus"}


def test_reward_is_clamped_and_nan_refused() -> None:
    acc = WeightAccumulator(learning_rate=1.0)
    acc.reinforce(["a"], 7.0, run_id="r", round=0)
    assert acc.weight("a") == 1.0
    with pytest.raises(ValueError):
        acc.reinforce(["a"], float("nan"), run_id="r", round=1)


def test_resonance_novelty_and_dominance() -> None:
    acc = WeightAccumulator(learning_rate=0.5, decay=1.0)
    for round_no in range(3):
        acc.reinforce(["boulder", "hill"], 1.0, run_id="r", round=round_no)
    acc.reinforce(["hope"], 0.2, run_id="r", round=3)

    assert acc.resonance(["boulder", "hill"]) == pytest.approx(0.875)
    assert acc.novelty(["unseen", "boulder"]) == pytest.approx((1.0 + 0.125) / 2)
    assert acc.resonance([]) == 0.0 and acc.novelty([]) == 0.0
    assert acc.dominance(2) == pytest.approx(1.75 / 1.85)
    assert acc.dominance(3) == pytest.approx(1.0)
    assert WeightAccumulator().dominance() == 0.0


def test_history_gives_each_run_its_rounds(tmp_path: Path) -> None:
    acc = WeightAccumulator(tmp_path / "accumulator.json", history_k=2)
    acc.reinforce(["boulder"], 1.0, run_id="a", round=0)
    acc.reinforce(["hill", "boulder"], 1.0, run_id="b", round=0)
    acc.reinforce(["hill"], 1.0, run_id="a", round=1)

    view = acc.run_view("a")
    assert [r.round for r in view] == [0, 1]
    assert [cw.concept for cw in view[0].concepts] == ["boulder"]
    assert [cw.concept for cw in view[1].concepts] == ["hill", "boulder"]
    assert acc.run_view("missing") == []


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "home" / "accumulator.json"
    acc = WeightAccumulator.load(path)
    for round_no, concepts in enumerate([["a", "b"], ["b", "c"], ["c"]]):
        acc.reinforce(concepts, 0.9, run_id="run", round=round_no)
    acc.save()

    again = WeightAccumulator.load(path)

    assert again.top(10) == acc.top(10)
    assert again.epoch == acc.epoch
    assert again.related("b") == acc.related("b")
    assert again.run_view("run") == acc.run_view("run")
    assert again.dominance(1) == pytest.approx(acc.dominance(1))
    assert again.reinforce(["a"], 1.0, run_id="run", round=2) is False
    assert [p.name for p in path.parent.iterdir()] == ["accumulator.json"]
    assert json.loads(path.read_text())["format"] == 1


def test_a_failed_save_leaves_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "accumulator.json"
    acc = WeightAccumulator(path)
    acc.reinforce(["a"], 1.0, run_id="r", round=0)
    acc.save()
    saved = path.read_text()
    acc.reinforce(["b"], 1.0, run_id="r", round=1)

    def boom(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        acc.save()
    assert path.read_text() == saved
    assert [p.name for p in tmp_path.iterdir()] == ["accumulator.json"]


@pytest.mark.parametrize(
    ("content", "match"),
    [
        ("{not json", "not a readable accumulator file"),
        ('{"format": 99}', "format 99"),
        ('{"format": 1, "nodes": {"a": "heavy"}}', "not a readable accumulator file"),
    ],
)
def test_a_bad_file_is_a_clear_error(tmp_path: Path, content: str, match: str) -> None:
    path = tmp_path / "accumulator.json"
    path.write_text(content)
    with pytest.raises(MemoryStoreError, match=match) as caught:
        WeightAccumulator.load(path)
    assert "move" in caught.value.fix


def test_save_needs_a_path() -> None:
    with pytest.raises(ValueError):
        WeightAccumulator().save()


async def test_concurrent_saves_leave_the_newest_rewards(tmp_path: Path) -> None:
    """A batch's runs save one accumulator at once, each from its own worker thread."""
    path = tmp_path / "accumulator.json"
    acc = WeightAccumulator(path)
    saves = []
    for round_no, concept in enumerate(CONCEPTS):
        acc.reinforce([concept], 0.5, run_id="r", round=round_no)
        saves.append(acc.asave())
    await asyncio.gather(*saves)

    again = WeightAccumulator.load(path)
    assert again.epoch == acc.epoch == len(CONCEPTS)
    assert again.top(20) == acc.top(20)


def test_a_save_that_finishes_late_writes_nothing(tmp_path: Path) -> None:
    """Worker threads may take the write lock out of order: the older snapshot is dropped."""
    path = tmp_path / "accumulator.json"
    acc = WeightAccumulator(path)
    acc.reinforce(["a"], 1.0, run_id="r", round=0)
    older = acc._snapshot()
    acc.reinforce(["b"], 1.0, run_id="r", round=1)
    acc._write(acc._snapshot())
    acc._write(older)

    assert WeightAccumulator.load(path).epoch == 2
    assert {cw.concept for cw in WeightAccumulator.load(path).top(5)} == {"a", "b"}
