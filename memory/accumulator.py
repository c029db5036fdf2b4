"""The global weight accumulator: which concepts the deliberation keeps rewarding, across runs.

Nodes are normalized concepts, edges their co-occurrence in selected thoughts. Every round all
weights decay by `decay`; the selected thought's concepts move towards 1 by `learning_rate *
reward`, so weights stay in [0, 1].

Decay is lazy: each weight is stored with the epoch (round counter) it was written at and read as
`stored * decay ** (epoch_now - epoch_stored)`. A round then touches only the rewarded concepts
and their edges, never the whole graph. Global decay preserves order, so a heap keyed by
`log(stored) - epoch_stored * log(decay)` serves the top concepts without a scan.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import structlog
from pydantic import BaseModel, ConfigDict

from noetic.memory import accumulator_file
from noetic.memory.accumulator_file import AccumulatorFile
from noetic.memory.text import normalize_concept

log = structlog.get_logger(__name__)

ACCUMULATOR_FILE = "accumulator.json"
"""Its file name under the data directory (`NOETIC_HOME`)."""
DECAY = 0.95
LEARNING_RATE = 0.3
HISTORY_K = 8


class ConceptWeight(BaseModel):
    model_config = ConfigDict(frozen=True)

    concept: str
    weight: float


class RoundConcepts(BaseModel):
    """The strongest concepts right after one round of one run (for plots)."""

    model_config = ConfigDict(frozen=True)

    round: int
    concepts: list[ConceptWeight]


class WeightAccumulator:
    """Concept weights with lazy decay, persisted at `path` by `save`."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        decay: float = DECAY,
        learning_rate: float = LEARNING_RATE,
        history_k: int = HISTORY_K,
    ) -> None:
        if not 0.0 < decay <= 1.0 or not 0.0 < learning_rate <= 1.0:
            raise ValueError("decay and learning_rate must lie in (0, 1]")
        self.path = path
        self.decay = decay
        self.learning_rate = learning_rate
        self.history_k = history_k
        self._log_decay = math.log(decay)
        self._graph = nx.Graph()
        self._epoch = 0
        self._total = 0.0
        self._heap: list[tuple[float, str]] = []
        self._history: dict[str, dict[int, list[ConceptWeight]]] = {}

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
    def epoch(self) -> int:
        """Rounds reinforced so far, over all runs."""
        return self._epoch

    def __len__(self) -> int:
        return int(self._graph.number_of_nodes())

    def reinforce(self, concepts: Iterable[str], reward: float, *, run_id: str, round: int) -> bool:
        """Close one round: decay everything, reward `concepts` by `reward` (clamped to [0, 1]).

        Idempotent per (run_id, round): a repeated call (a resumed round) changes nothing and
        returns False.
        """
        if math.isnan(reward):
            raise ValueError("reward is NaN")
        rounds = self._history.setdefault(run_id, {})
        if round in rounds:
            return False
        reward = min(1.0, max(0.0, reward))
        self._epoch += 1
        self._total *= self.decay
        names = list(dict.fromkeys(filter(None, map(normalize_concept, concepts))))
        for name in names:
            self._reward_node(name, reward)
        for a, b in itertools.combinations(sorted(names), 2):
            self._reward_edge(a, b, reward)
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

    def weight(self, concept: str) -> float:
        data = self._graph.nodes.get(normalize_concept(concept))
        return self._effective(data) if data else 0.0

    def top(self, n: int = 10) -> list[ConceptWeight]:
        """The `n` strongest concepts, strongest first."""
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
        return [self._concept_weight(name) for _, name in found]

    def related(self, concept: str, n: int = 5) -> list[ConceptWeight]:
        """Concepts most often rewarded together with `concept`, by co-occurrence weight."""
        name = normalize_concept(concept)
        if name not in self._graph:
            return []
        edges = [
            ConceptWeight(concept=other, weight=self._effective(data))
            for other, data in self._graph[name].items()
        ]
        return sorted(edges, key=lambda cw: (-cw.weight, cw.concept))[:n]

    def resonance(self, concepts: Iterable[str]) -> float:
        """Mean weight of `concepts`: how much they echo what was rewarded before (0 if none)."""
        weights = [self.weight(c) for c in concepts if normalize_concept(c)]
        return sum(weights) / len(weights) if weights else 0.0

    def novelty(self, concepts: Iterable[str]) -> float:
        """Mean unexplored share (1 - weight) of `concepts` (0 if none)."""
        weights = [self.weight(c) for c in concepts if normalize_concept(c)]
        return sum(1.0 - w for w in weights) / len(weights) if weights else 0.0

    def dominance(self, n: int = 3) -> float:
        """Share of all weight held by the top `n` concepts: near 1 means the same few dominate."""
        if self._total <= 0.0:
            return 0.0
        return min(1.0, sum(cw.weight for cw in self.top(n)) / self._total)

    def run_view(self, run_id: str) -> list[RoundConcepts]:
        """One run's rounds in order, each with the top concepts right after it."""
        rounds = self._history.get(run_id, {})
        return [RoundConcepts(round=r, concepts=rounds[r]) for r in sorted(rounds)]

    def save(self) -> None:
        """Write atomically to `path` (all or nothing)."""
        if self.path is None:
            raise ValueError("this accumulator has no path; create it with load(path)")
        nodes = self._graph.nodes(data=True)
        edges = self._graph.edges(data=True)
        accumulator_file.write(
            self.path,
            AccumulatorFile(
                epoch=self._epoch,
                nodes={name: (d["w"], d["e"], d["n"]) for name, d in nodes},
                edges=[(a, b, d["w"], d["e"], d["n"]) for a, b, d in edges],
                history={
                    run: {r: [(cw.concept, cw.weight) for cw in top] for r, top in rounds.items()}
                    for run, rounds in self._history.items()
                },
            ),
        )

    def _effective(self, data: dict[str, float]) -> float:
        return data["w"] * self.decay ** (self._epoch - data["e"])

    def _key(self, stored: float, epoch: int) -> float:
        return math.log(stored) - epoch * self._log_decay if stored > 0.0 else -math.inf

    def _bumped(self, data: dict[str, float] | None, reward: float) -> tuple[float, float]:
        old = self._effective(data) if data else 0.0
        return old, old + (1.0 - old) * self.learning_rate * reward

    def _reward_node(self, name: str, reward: float) -> None:
        data = self._graph.nodes.get(name)
        old, new = self._bumped(data, reward)
        key = self._key(new, self._epoch)
        count = data["n"] + 1 if data else 1
        self._graph.add_node(name, w=new, e=self._epoch, n=count, key=key)
        self._total += new - old
        heapq.heappush(self._heap, (-key, name))
        if len(self._heap) > 2 * len(self._graph) + 1024:
            self._rebuild_heap()

    def _reward_edge(self, a: str, b: str, reward: float) -> None:
        data = self._graph.edges[a, b] if self._graph.has_edge(a, b) else None
        _, new = self._bumped(data, reward)
        count = data["n"] + 1 if data else 1
        self._graph.add_edge(a, b, w=new, e=self._epoch, n=count)

    def _rebuild_heap(self) -> None:
        self._heap = [(-d["key"], name) for name, d in self._graph.nodes(data=True)]
        heapq.heapify(self._heap)

    def _concept_weight(self, name: str) -> ConceptWeight:
        return ConceptWeight(concept=name, weight=self._effective(self._graph.nodes[name]))

    def _restore(self, data: AccumulatorFile) -> None:
        self._epoch = data.epoch
        for name, (w, e, n) in data.nodes.items():
            self._graph.add_node(name, w=w, e=e, n=n, key=self._key(w, e))
        for a, b, w, e, n in data.edges:
            self._graph.add_edge(a, b, w=w, e=e, n=n)
        self._total = sum(self._effective(d) for _, d in self._graph.nodes(data=True))
        self._rebuild_heap()
        self._history = {
            run: {
                r: [ConceptWeight(concept=c, weight=w) for c, w in top] for r, top in rounds.items()
            }
            for run, rounds in data.history.items()
        }
