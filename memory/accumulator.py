"""What every store of the global weight accumulator shares: its record types, the lazy-decay
arithmetic, and the interface the graph and the CLI use (`Accumulator`).

Nodes are normalized concepts, edges their co-occurrence in selected thoughts. Every round all
weights decay by `decay`; the selected thought's concepts move towards 1 by `learning_rate *
reward`, so weights stay in [0, 1].

Besides concepts it tallies strategies: for each kind of task (`task_kind`), how often each way
of drawing a candidate (a prompt variant at a temperature, `noetic.policies.strategies`) was
tried and how often it won the round. The tallies decay by `STRATEGY_DECAY` each round of the
kind, so what won lately counts most; the generator draws from them by Thompson sampling.

Decay is lazy: each weight is stored with the epoch (round counter) it was written at and read as
`stored * decay ** (epoch_now - epoch_stored)`. A round then touches only the rewarded concepts
and their edges, never the whole graph. Global decay preserves order, so the key
`log(stored) - epoch_stored * log(decay)` ranks concepts at every epoch alike.
"""

from __future__ import annotations

import itertools
import math
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict

from noetic.memory.text import normalize_concept

DECAY = 0.95
LEARNING_RATE = 0.3
HISTORY_K = 8
STRATEGY_DECAY = 0.97


class ConceptWeight(BaseModel):
    model_config = ConfigDict(frozen=True)

    concept: str
    weight: float


class RoundConcepts(BaseModel):
    """The strongest concepts right after one round of one run (for plots)."""

    model_config = ConfigDict(frozen=True)

    round: int
    concepts: list[ConceptWeight]


class StrategyWeight(BaseModel):
    """How one strategy fared on one kind of task: decayed counts of rounds it was tried in and
    rounds it won (its candidate was selected)."""

    model_config = ConfigDict(frozen=True)

    strategy: str
    wins: float
    trials: float

    @property
    def rate(self) -> float:
        """The win rate with a uniform prior (0.5 untried)."""
        return (self.wins + 1.0) / (self.trials + 2.0)


class StrategyOutcome(NamedTuple):
    """One round's strategies: those its candidates were drawn by, and the winner's."""

    kind: str
    tried: frozenset[str]
    won: str | None


def tallied(
    stored: Mapping[str, StrategyWeight], outcome: StrategyOutcome
) -> dict[str, StrategyWeight]:
    """The kind's tallies after `outcome`: every one decays, each tried one counts a trial, the
    winner a win."""
    names = set(stored) | set(outcome.tried)
    tallies = {}
    for name in sorted(names):
        old = stored.get(name, StrategyWeight(strategy=name, wins=0.0, trials=0.0))
        tried = name in outcome.tried
        tallies[name] = StrategyWeight(
            strategy=name,
            wins=old.wins * STRATEGY_DECAY + (tried and name == outcome.won),
            trials=old.trials * STRATEGY_DECAY + tried,
        )
    return tallies


def ranked(tallies: Iterable[StrategyWeight]) -> list[StrategyWeight]:
    """Best win rate first (ties: by name)."""
    return sorted(tallies, key=lambda t: (-t.rate, t.strategy))


class Stored(NamedTuple):
    """A concept's or a pair's weight as stored: valid at `epoch`, rewarded `times` times."""

    weight: float
    epoch: int
    times: int


Pair = tuple[str, str]


@dataclass(frozen=True)
class Reward:
    """One round's reward worked out: what the rewarded concepts and pairs store now, and the
    new sum of all weights."""

    nodes: dict[str, Stored]
    edges: dict[Pair, Stored]
    total: float


@dataclass(frozen=True)
class LazyDecay:
    """The arithmetic of weights that decay every round without being rewritten."""

    decay: float = DECAY
    learning_rate: float = LEARNING_RATE

    def __post_init__(self) -> None:
        if not 0.0 < self.decay <= 1.0 or not 0.0 < self.learning_rate <= 1.0:
            raise ValueError("decay and learning_rate must lie in (0, 1]")

    def effective(self, stored: Stored, epoch: int) -> float:
        """`stored`'s weight read at `epoch`."""
        return stored.weight * self.decay ** (epoch - stored.epoch)

    def key(self, stored: Stored) -> float:
        """A rank that orders concepts by weight at every epoch alike."""
        if stored.weight <= 0.0:
            return -math.inf
        return math.log(stored.weight) - stored.epoch * math.log(self.decay)

    def reward(
        self,
        names: list[str],
        reward: float,
        *,
        epoch: int,
        total: float,
        nodes: Mapping[str, Stored],
        edges: Mapping[Pair, Stored],
    ) -> Reward:
        """Round `epoch` rewarding `names` (distinct, normalized) by `reward`, given what is
        stored for them and their pairs (absent: never rewarded) and the sum of all weights
        before the round."""
        total *= self.decay
        new_nodes: dict[str, Stored] = {}
        for name in names:
            old, new, times = self._bumped(nodes.get(name), reward, epoch)
            new_nodes[name] = Stored(new, epoch, times)
            total += new - old
        new_edges: dict[Pair, Stored] = {}
        for pair in pairs(names):
            _, new, times = self._bumped(edges.get(pair), reward, epoch)
            new_edges[pair] = Stored(new, epoch, times)
        return Reward(new_nodes, new_edges, total)

    def _bumped(self, stored: Stored | None, reward: float, epoch: int) -> tuple[float, float, int]:
        old = self.effective(stored, epoch) if stored else 0.0
        times = stored.times + 1 if stored else 1
        return old, old + (1.0 - old) * self.learning_rate * reward, times


def rewarded(concepts: Iterable[str], reward: float) -> tuple[list[str], float]:
    """A reward's distinct normalized concepts, and the reward clamped to [0, 1]."""
    if math.isnan(reward):
        raise ValueError("reward is NaN")
    names = list(dict.fromkeys(filter(None, map(normalize_concept, concepts))))
    return names, min(1.0, max(0.0, reward))


def pairs(names: list[str]) -> list[Pair]:
    """The co-occurrence edges among `names`, each pair in one (sorted) order."""
    return list(itertools.combinations(sorted(names), 2))


class Accumulator(ABC):
    """The global weight accumulator, in whichever store holds it: a file under `NOETIC_HOME`
    (`WeightAccumulator`) or PostgreSQL rows that many workers share."""

    @abstractmethod
    def reinforce(
        self,
        concepts: Iterable[str],
        reward: float,
        *,
        run_id: str,
        round: int,
        strategies: StrategyOutcome | None = None,
    ) -> bool:
        """Close one round: decay everything, reward `concepts` by `reward` (clamped to [0, 1]),
        and tally the round's `strategies` for its kind of task.

        Idempotent per (run_id, round): a repeated call (a resumed round) changes nothing and
        returns False.
        """

    @abstractmethod
    def strategies(self) -> dict[str, list[StrategyWeight]]:
        """Each kind of task's strategy tallies, best win rate first."""

    @abstractmethod
    def top(self, n: int = 10) -> list[ConceptWeight]:
        """The `n` strongest concepts, strongest first (ties: by name)."""

    @abstractmethod
    def related(self, concept: str, n: int = 5) -> list[ConceptWeight]:
        """Concepts most often rewarded together with `concept`, by co-occurrence weight."""

    @abstractmethod
    def run_view(self, run_id: str) -> list[RoundConcepts]:
        """One run's rounds in order, each with the top concepts right after it."""

    @abstractmethod
    def _weights(self, names: list[str]) -> list[float]:
        """The current weight of each normalized name (0 if never rewarded)."""

    @abstractmethod
    def _total(self) -> float:
        """The sum of all current weights."""

    @abstractmethod
    def save(self) -> None:
        """Make the rewards so far durable."""

    async def asave(self) -> None:
        """`save` from a run's event loop: a store that waits on a disk overrides it to wait
        in a worker thread, so the run's next model call overlaps the wait."""
        self.save()

    @abstractmethod
    def close(self) -> None:
        """Let go of what the store holds open."""

    def weight(self, concept: str) -> float:
        name = normalize_concept(concept)
        return self._weights([name])[0] if name else 0.0

    def resonance(self, concepts: Iterable[str]) -> float:
        """Mean weight of `concepts`: how much they echo what was rewarded before (0 if none)."""
        weights = self._weights(_names(concepts))
        return sum(weights) / len(weights) if weights else 0.0

    def novelty(self, concepts: Iterable[str]) -> float:
        """Mean unexplored share (1 - weight) of `concepts` (0 if none)."""
        weights = self._weights(_names(concepts))
        return sum(1.0 - w for w in weights) / len(weights) if weights else 0.0

    def dominance(self, n: int = 3) -> float:
        """Share of all weight held by the top `n` concepts: near 1 means the same few dominate."""
        total = self._total()
        if total <= 0.0:
            return 0.0
        return min(1.0, sum(cw.weight for cw in self.top(n)) / total)


def _names(concepts: Iterable[str]) -> list[str]:
    """Each concept normalized, the empty ones left out (repeats count, as in a mean)."""
    return [name for name in map(normalize_concept, concepts) if name]
