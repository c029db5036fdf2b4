"""The weight accumulator in one file under the data directory (`NOETIC_HOME`): a networkx
graph in memory, written whole by `save`. The math is `noetic.memory.accumulator`'s; a heap keyed
by its rank serves the top concepts without a scan.
"""

from __future__ import annotations

import asyncio
import heapq
import threading
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import structlog

from noetic.memory import accumulator_file
from noetic.memory.accumulator import (
    DECAY,
    HISTORY_K,
    LEARNING_RATE,
    Accumulator,
    ConceptWeight,
    LazyDecay,
    RoundConcepts,
    Stored,
    StrategyOutcome,
    StrategyWeight,
    pairs,
    ranked,
    rewarded,
    tallied,
)
from noetic.memory.accumulator_file import AccumulatorFile
from noetic.memory.text import normalize_concept

log = structlog.get_logger(__name__)

ACCUMULATOR_FILE = "accumulator.json"
"""Its file name under the data directory (`NOETIC_HOME`)."""


class WeightAccumulator(Accumulator):
    """Concept weights with lazy decay, persisted at `path` by `save`."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        decay: float = DECAY,
        learning_rate: float = LEARNING_RATE,
        history_k: int = HISTORY_K,
    ) -> None:
        self.path = path
        self.math = LazyDecay(decay, learning_rate)
        self.history_k = history_k
        self._graph = nx.Graph()
        self._epoch = 0
        self._sum = 0.0
        self._heap: list[tuple[float, str]] = []
        self._history: dict[str, dict[int, list[ConceptWeight]]] = {}
        self._strategies: dict[str, dict[str, StrategyWeight]] = {}
        self._writing = threading.Lock()
        self._written = -1
        """The epoch last written: a save that finishes after a newer one writes nothing."""

    @classmethod
    def load(
        cls,
        path: Path,
        *,
        decay: float = DECAY,
        learning_rate: float = LEARNING_RATE,
        history_k: int = HISTORY_K,
    ) -> WeightAccumulator:
        """The accumulator stored at `path`, or an empty one that `save` will write there."""
        acc = cls(path, decay=decay, learning_rate=learning_rate, history_k=history_k)
        data = accumulator_file.read(path)
        if data is not None:
            acc._restore(data)
        return acc

    @property
    def decay(self) -> float:
        return self.math.decay

    @property
    def epoch(self) -> int:
        """Rounds reinforced so far, over all runs."""
        return self._epoch

    def __len__(self) -> int:
        return int(self._graph.number_of_nodes())

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
        rounds = self._history.setdefault(run_id, {})
        if round in rounds:
            return False
        if strategies is not None:
            kind = strategies.kind
            self._strategies[kind] = tallied(self._strategies.get(kind, {}), strategies)
        self._epoch += 1
        change = self.math.reward(
            names,
            reward,
            epoch=self._epoch,
            total=self._sum,
            nodes={
                name: self._stored(self._graph.nodes[name]) for name in names if name in self._graph
            },
            edges={
                (a, b): self._stored(self._graph.edges[a, b])
                for a, b in pairs(names)
                if self._graph.has_edge(a, b)
            },
        )
        for name, stored in change.nodes.items():
            key = self.math.key(stored)
            self._graph.add_node(name, w=stored.weight, e=stored.epoch, n=stored.times, key=key)
            heapq.heappush(self._heap, (-key, name))
        if len(self._heap) > 2 * len(self._graph) + 1024:
            self._rebuild_heap()
        for (a, b), stored in change.edges.items():
            self._graph.add_edge(a, b, w=stored.weight, e=stored.epoch, n=stored.times)
        self._sum = change.total
        rounds[round] = self.top(self.history_k)
        log.debug(
            "concepts_reinforced",
            run_id=run_id,
            round=round,
            concepts=names,
            reward=reward,
            epoch=self._epoch,
        )
        return True

    def top(self, n: int = 10) -> list[ConceptWeight]:
        found: list[tuple[float, str]] = []
        seen: set[str] = set()
        while self._heap and len(found) < n:
            entry = heapq.heappop(self._heap)
            neg_key, name = entry
            if name in seen or self._graph.nodes[name]["key"] != -neg_key:
                continue  # superseded by a later reward: drop it for good
            found.append(entry)
            seen.add(name)
        for entry in found:
            heapq.heappush(self._heap, entry)
        return [self._concept_weight(name, self._graph.nodes[name]) for _, name in found]

    def related(self, concept: str, n: int = 5) -> list[ConceptWeight]:
        name = normalize_concept(concept)
        if name not in self._graph:
            return []
        edges = [self._concept_weight(other, data) for other, data in self._graph[name].items()]
        return sorted(edges, key=lambda cw: (-cw.weight, cw.concept))[:n]

    def run_view(self, run_id: str) -> list[RoundConcepts]:
        rounds = self._history.get(run_id, {})
        return [RoundConcepts(round=r, concepts=rounds[r]) for r in sorted(rounds)]

    def strategies(self) -> dict[str, list[StrategyWeight]]:
        return {kind: ranked(t.values()) for kind, t in sorted(self._strategies.items())}

    def save(self) -> None:
        """Write atomically to `path` (all or nothing)."""
        self._write(self._snapshot())

    async def asave(self) -> None:
        """`save` with the disk's wait (its fsync, up to 0.1 s) in a worker thread. The
        snapshot is taken here, on the loop, where no other run's reward writes meanwhile."""
        await asyncio.to_thread(self._write, self._snapshot())

    def _write(self, data: AccumulatorFile) -> None:
        if self.path is None:
            raise ValueError("this accumulator has no path; create it with load(path)")
        with self._writing:
            if data.epoch >= self._written:
                accumulator_file.write(self.path, data)
                self._written = data.epoch

    def _snapshot(self) -> AccumulatorFile:
        nodes = self._graph.nodes(data=True)
        edges = self._graph.edges(data=True)
        return AccumulatorFile(
            epoch=self._epoch,
            nodes={name: (d["w"], d["e"], d["n"]) for name, d in nodes},
            edges=[(a, b, d["w"], d["e"], d["n"]) for a, b, d in edges],
            history={
                run: {r: [(cw.concept, cw.weight) for cw in top] for r, top in rounds.items()}
                for run, rounds in self._history.items()
            },
            strategies={
                kind: {name: (t.wins, t.trials) for name, t in tallies.items()}
                for kind, tallies in self._strategies.items()
            },
        )

    def close(self) -> None:
        """Nothing is held open: `save` writes the whole file each time."""

    def _weights(self, names: list[str]) -> list[float]:
        nodes = self._graph.nodes
        return [
            self.math.effective(self._stored(nodes[n]), self._epoch) if n in nodes else 0.0
            for n in names
        ]

    def _total(self) -> float:
        return self._sum

    @staticmethod
    def _stored(data: dict[str, float]) -> Stored:
        return Stored(data["w"], int(data["e"]), int(data["n"]))

    def _concept_weight(self, name: str, data: dict[str, float]) -> ConceptWeight:
        return ConceptWeight(
            concept=name, weight=self.math.effective(self._stored(data), self._epoch)
        )

    def _rebuild_heap(self) -> None:
        self._heap = [(-d["key"], name) for name, d in self._graph.nodes(data=True)]
        heapq.heapify(self._heap)

    def _restore(self, data: AccumulatorFile) -> None:
        self._epoch = data.epoch
        for name, (w, e, n) in data.nodes.items():
            self._graph.add_node(name, w=w, e=e, n=n, key=self.math.key(Stored(w, e, n)))
        for a, b, w, e, n in data.edges:
            self._graph.add_edge(a, b, w=w, e=e, n=n)
        self._sum = sum(self._weights(list(data.nodes)))
        self._rebuild_heap()
        self._history = {
            run: {
                r: [ConceptWeight(concept=c, weight=w) for c, w in top] for r, top in rounds.items()
            }
            for run, rounds in data.history.items()
        }
        self._strategies = {
            kind: {
                name: StrategyWeight(strategy=name, wins=wins, trials=trials)
                for name, (wins, trials) in tallies.items()
            }
            for kind, tallies in data.strategies.items()
        }
