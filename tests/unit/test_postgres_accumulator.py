"""The accumulator as rows in a real PostgreSQL: the file store's semantics exactly, rewards
atomic and counted once per (run, round), even from many connections at once."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from postgres_server import free_port

from noetic.errors import MemoryStoreError
from noetic.memory import WeightAccumulator
from noetic.memory.accumulator import StrategyOutcome
from noetic.memory.accumulator_postgres import PostgresAccumulator

STRATEGIES = ["plain", "cool", "guided", "greedy"]
CONCEPTS = ["boulder", "hill", "gravity", "Absurd", "camus", "agi loop", "hope", "fate"]


@pytest.fixture
def rows(postgres_url: str) -> Iterator[PostgresAccumulator]:
    acc = PostgresAccumulator(postgres_url)
    yield acc
    acc.close()


def reads(acc: WeightAccumulator | PostgresAccumulator) -> dict[str, object]:
    """Everything the graph and the CLI read from an accumulator."""
    return {
        "top": acc.top(20),
        "top2": acc.top(2),
        "weights": [acc.weight(c) for c in [*CONCEPTS, "unseen", ""]],
        "related": [acc.related(c, n) for c in CONCEPTS for n in (1, 5)],
        "resonance": acc.resonance([*CONCEPTS, "boulder", "unseen"]),
        "novelty": acc.novelty(CONCEPTS[:3]),
        "dominance": [acc.dominance(n) for n in (1, 3)],
        "runs": [acc.run_view(run) for run in ("a", "b", "missing")],
        "strategies": acc.strategies(),
    }


def test_the_rows_read_exactly_like_the_file(rows: PostgresAccumulator, tmp_path: Path) -> None:
    file = WeightAccumulator(tmp_path / "accumulator.json")
    rng = random.Random(7)
    assert reads(rows) == reads(file)  # empty
    for step in range(40):
        concepts = rng.sample(CONCEPTS, rng.randint(0, 4))
        reward = rng.choice([0.0, 1.0, 7.0, rng.random()])
        run, round_ = rng.choice("ab"), step // 2  # every other call repeats a round
        tried = frozenset(rng.sample(STRATEGIES, rng.randint(1, 3)))
        won = rng.choice([None, *sorted(tried)])
        outcome = StrategyOutcome(rng.choice(["open", "form"]), tried, won)
        fresh = file.reinforce(concepts, reward, run_id=run, round=round_, strategies=outcome)
        again = rows.reinforce(concepts, reward, run_id=run, round=round_, strategies=outcome)
        assert again is fresh
    assert reads(rows) == reads(file)
    reopened = PostgresAccumulator(rows.url)
    assert reads(reopened) == reads(file)
    reopened.close()


def test_a_round_counts_once_whichever_worker_repeats_it(
    rows: PostgresAccumulator, postgres_url: str
) -> None:
    other = PostgresAccumulator(postgres_url)
    assert rows.reinforce(["boulder", "hill"], 0.8, run_id="r", round=1) is True
    before = reads(rows)
    assert other.reinforce(["boulder", "fate"], 1.0, run_id="r", round=1) is False
    assert rows.reinforce(["hope"], 1.0, run_id="r", round=1) is False
    assert reads(rows) == reads(other) == before
    other.close()


def test_rewards_from_two_connections_at_once_sum_exactly(postgres_url: str) -> None:
    """Two workers reward 25 rounds each at the same time, and both the round ("both", 0):
    every round lands once, and the shared concept's weight is that of 51 rewards in a row."""
    per_worker, reward = 25, 0.5
    start = threading.Barrier(2)
    fresh_both: list[bool] = []

    def worker(name: str) -> None:
        acc = PostgresAccumulator(postgres_url)
        start.wait()
        for round_ in range(per_worker):
            acc.reinforce(["shared", f"own {name}"], reward, run_id=name, round=round_)
        fresh_both.append(acc.reinforce(["shared"], reward, run_id="both", round=0))
        acc.close()

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("x", "y")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(fresh_both) == [False, True]
    rounds = 2 * per_worker + 1
    replay = WeightAccumulator()
    for round_ in range(rounds):
        replay.reinforce(["shared"], reward, run_id="replay", round=round_)
    acc = PostgresAccumulator(postgres_url)
    assert acc.weight("shared") == replay.weight("shared")
    acc.close()
    with psycopg.connect(postgres_url) as conn:
        times: dict[str, int] = dict(
            conn.execute("select concept, times from noetic_concepts").fetchall()
        )
        edges = conn.execute("select a, b, times from noetic_concept_edges order by a").fetchall()
        epoch = conn.execute("select epoch from noetic_accumulator").fetchone()
        ledger = conn.execute("select count(*), sum(reward) from noetic_accumulator_rounds")
        assert ledger.fetchone() == (rounds, rounds * reward) and epoch == (rounds,)
    assert times == {"shared": rounds, "own x": per_worker, "own y": per_worker}
    assert edges == [("own x", "shared", per_worker), ("own y", "shared", per_worker)]


def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    port = free_port()
    with pytest.raises(MemoryStoreError) as caught:
        PostgresAccumulator(f"postgresql://noetic:s3cret@127.0.0.1:{port}/runs")
    line = str(caught.value)
    assert "\n" not in line and "s3cret" not in line
    assert f"postgresql://noetic:***@127.0.0.1:{port}/runs" in line
    assert "Connection refused" in line and "start PostgreSQL there" in line
