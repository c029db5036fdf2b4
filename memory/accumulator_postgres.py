"""The weight accumulator as PostgreSQL rows, shared by every worker that names the database.

A reward is one transaction: it locks the accumulator's row (the global epoch and weight sum),
records (run, round) in the ledger of rewarded rounds (a repeat stops there, changing nothing),
then writes the rewarded concepts and pairs with INSERT ... ON CONFLICT DO UPDATE. Rewards from
many processes therefore apply one after another, each exactly once. The math is the file
store's (`noetic.memory.accumulator`); reads are single statements on the rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import structlog
from psycopg.types.json import Jsonb

from noetic.errors import MemoryStoreError
from noetic.memory.accumulator import (
    HISTORY_K,
    Accumulator,
    ConceptWeight,
    LazyDecay,
    RoundConcepts,
    Stored,
    StrategyOutcome,
    StrategyWeight,
    ranked,
    rewarded,
    tallied,
)
from noetic.memory.text import normalize_concept
from noetic.postgres import SCHEMA_LOCK, conninfo, store_error

log = structlog.get_logger(__name__)

SCHEMA = """
create table if not exists noetic_accumulator (
    id int primary key check (id = 1),
    epoch bigint not null,
    total double precision not null
);
insert into noetic_accumulator values (1, 0, 0) on conflict do nothing;
create table if not exists noetic_concepts (
    concept text primary key,
    weight double precision not null,
    epoch bigint not null,
    times bigint not null,
    rank double precision not null
);
create index if not exists noetic_concepts_rank on noetic_concepts (rank desc, concept collate "C");
create table if not exists noetic_concept_edges (
    a text not null,
    b text not null,
    weight double precision not null,
    epoch bigint not null,
    times bigint not null,
    primary key (a, b)
);
create index if not exists noetic_concept_edges_b on noetic_concept_edges (b);
create table if not exists noetic_accumulator_rounds (
    run_id text not null,
    round int not null,
    epoch bigint not null,
    reward double precision not null,
    top jsonb,
    primary key (run_id, round)
);
create table if not exists noetic_strategies (
    kind text not null,
    strategy text not null,
    wins double precision not null,
    trials double precision not null,
    primary key (kind, strategy)
);
"""
"""`noetic_accumulator` holds the one row every reward locks; `noetic_accumulator_rounds` is the
ledger of rewarded (run, round) with the epoch each was applied at and the top concepts after it;
`noetic_strategies` the strategy tallies per kind of task."""

TOP = """
select c.concept, c.weight, c.epoch, c.times, a.epoch as now
from noetic_concepts c cross join noetic_accumulator a
order by c.rank desc, c.concept collate "C" limit %s
"""


class PostgresAccumulator(Accumulator):
    """The accumulator at `url`, on one connection of its own (autocommit: a read is one
    statement, a reward one explicit transaction)."""

    def __init__(
        self, url: str, *, math: LazyDecay | None = None, history_k: int = HISTORY_K
    ) -> None:
        self.url = url
        self.math = math or LazyDecay()
        self.history_k = history_k
        try:
            self._conn = psycopg.connect(conninfo(url), autocommit=True)
        except psycopg.Error as exc:
            raise store_error(url, exc, MemoryStoreError) from None
        with self._transaction() as cur:
            # Workers opening a fresh database together create the tables once.
            cur.execute("select pg_advisory_xact_lock(%s)", (SCHEMA_LOCK + 1,))
            cur.execute(SCHEMA)

    def reinforce(
        self,
        concepts: Iterable[str],
        reward: float,
        *,
        run_id: str,
        round: int,
        strategies: StrategyOutcome | None = None,
    ) -> bool:
        names, reward = rewarded(concepts, reward)
        with self._transaction() as cur:
            now, total = _row(cur.execute("select epoch, total from noetic_accumulator for update"))
            epoch = now + 1
            cur.execute(
                "insert into noetic_accumulator_rounds (run_id, round, epoch, reward) "
                "values (%s, %s, %s, %s) on conflict do nothing",
                (run_id, round, epoch, reward),
            )
            if cur.rowcount == 0:
                return False
            change = self.math.reward(
                names,
                reward,
                epoch=epoch,
                total=total,
                nodes=self._stored_nodes(cur, names),
                edges=self._stored_edges(cur, names),
            )
            cur.executemany(
                "insert into noetic_concepts values (%s, %s, %s, %s, %s) "
                "on conflict (concept) do update set weight = excluded.weight, "
                "epoch = excluded.epoch, times = excluded.times, rank = excluded.rank",
                [(name, *s, self.math.key(s)) for name, s in change.nodes.items()],
            )
            cur.executemany(
                "insert into noetic_concept_edges values (%s, %s, %s, %s, %s) "
                "on conflict (a, b) do update set weight = excluded.weight, "
                "epoch = excluded.epoch, times = excluded.times",
                [(a, b, *s) for (a, b), s in change.edges.items()],
            )
            cur.execute(
                "update noetic_accumulator set epoch = %s, total = %s", (epoch, change.total)
            )
            if strategies is not None:
                self._tally(cur, strategies)
            top = self._top(cur, self.history_k)
            cur.execute(
                "update noetic_accumulator_rounds set top = %s where run_id = %s and round = %s",
                (Jsonb([[cw.concept, cw.weight] for cw in top]), run_id, round),
            )
        log.debug(
            "concepts_reinforced",
            run_id=run_id,
            round=round,
            concepts=names,
            reward=reward,
            epoch=epoch,
        )
        return True

    def top(self, n: int = 10) -> list[ConceptWeight]:
        with self._cursor() as cur:
            return self._top(cur, n)

    def related(self, concept: str, n: int = 5) -> list[ConceptWeight]:
        name = normalize_concept(concept)
        with self._cursor() as cur:
            rows = cur.execute(
                "select case when e.a = %s then e.b else e.a end, e.weight, e.epoch, e.times, "
                "a.epoch from noetic_concept_edges e cross join noetic_accumulator a "
                "where e.a = %s or e.b = %s",
                (name, name, name),
            ).fetchall()
        edges = [self._concept_weight(other, *rest) for other, *rest in rows]
        return sorted(edges, key=lambda cw: (-cw.weight, cw.concept))[:n]

    def run_view(self, run_id: str) -> list[RoundConcepts]:
        with self._cursor() as cur:
            rows = cur.execute(
                "select round, top from noetic_accumulator_rounds "
                "where run_id = %s and top is not null order by round",
                (run_id,),
            ).fetchall()
        return [
            RoundConcepts(round=r, concepts=[ConceptWeight(concept=c, weight=w) for c, w in top])
            for r, top in rows
        ]

    def strategies(self) -> dict[str, list[StrategyWeight]]:
        with self._cursor() as cur:
            rows = cur.execute(
                "select kind, strategy, wins, trials from noetic_strategies order by kind"
            ).fetchall()
        kinds: dict[str, list[StrategyWeight]] = {}
        for kind, name, wins, trials in rows:
            kinds.setdefault(kind, []).append(
                StrategyWeight(strategy=name, wins=wins, trials=trials)
            )
        return {kind: ranked(tallies) for kind, tallies in kinds.items()}

    def save(self) -> None:
        """Nothing to do: each reward was committed as it was made."""

    def close(self) -> None:
        self._conn.close()

    def _weights(self, names: list[str]) -> list[float]:
        with self._cursor() as cur:
            rows = cur.execute(
                "select c.concept, c.weight, c.epoch, c.times, a.epoch from noetic_concepts c "
                "cross join noetic_accumulator a where c.concept = any(%s)",
                (names,),
            ).fetchall()
        found = {name: self._concept_weight(name, *rest).weight for name, *rest in rows}
        return [found.get(name, 0.0) for name in names]

    def _total(self) -> float:
        with self._cursor() as cur:
            return float(_row(cur.execute("select total from noetic_accumulator"))[0])

    def _top(self, cur: psycopg.Cursor[Any], n: int) -> list[ConceptWeight]:
        return [self._concept_weight(*row) for row in cur.execute(TOP, (n,)).fetchall()]

    def _concept_weight(
        self, name: str, weight: float, epoch: int, times: int, now: int
    ) -> ConceptWeight:
        return ConceptWeight(
            concept=name, weight=self.math.effective(Stored(weight, epoch, times), now)
        )

    @staticmethod
    def _tally(cur: psycopg.Cursor[Any], outcome: StrategyOutcome) -> None:
        """Tally `outcome` in the reward's transaction (the accumulator's row lock orders it)."""
        rows = cur.execute(
            "select strategy, wins, trials from noetic_strategies where kind = %s",
            (outcome.kind,),
        ).fetchall()
        stored = {name: StrategyWeight(strategy=name, wins=w, trials=t) for name, w, t in rows}
        cur.executemany(
            "insert into noetic_strategies values (%s, %s, %s, %s) on conflict (kind, strategy) "
            "do update set wins = excluded.wins, trials = excluded.trials",
            [
                (outcome.kind, name, t.wins, t.trials)
                for name, t in tallied(stored, outcome).items()
            ],
        )

    @staticmethod
    def _stored_nodes(cur: psycopg.Cursor[Any], names: list[str]) -> dict[str, Stored]:
        rows = cur.execute(
            "select concept, weight, epoch, times from noetic_concepts where concept = any(%s)",
            (names,),
        ).fetchall()
        return {name: Stored(*rest) for name, *rest in rows}

    @staticmethod
    def _stored_edges(cur: psycopg.Cursor[Any], names: list[str]) -> dict[tuple[str, str], Stored]:
        rows = cur.execute(
            "select a, b, weight, epoch, times from noetic_concept_edges "
            "where a = any(%s) and b = any(%s)",
            (names, names),
        ).fetchall()
        return {(a, b): Stored(*rest) for a, b, *rest in rows}

    @contextmanager
    def _cursor(self) -> Iterator[psycopg.Cursor[Any]]:
        """A cursor whose lost or refused connection is one line naming the database."""
        try:
            with self._conn.cursor() as cur:
                yield cur
        except psycopg.OperationalError as exc:
            raise store_error(self.url, exc, MemoryStoreError) from None

    @contextmanager
    def _transaction(self) -> Iterator[psycopg.Cursor[Any]]:
        with self._cursor() as cur, self._conn.transaction():
            yield cur


def _row(cur: psycopg.Cursor[Any]) -> tuple[Any, ...]:
    row = cur.fetchone()
    assert row is not None, "the accumulator's row is created with its table"
    return tuple(row)
