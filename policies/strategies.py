"""Strategies: the ways a policy draws its fresh candidates, and the draw that learns which win.

A strategy is a prompt variant at a temperature: `task` sends the task as the user wrote it,
`guided` adds what to keep in mind (the instructions the task states, lessons from earlier tasks
of its kind). Which strategy wins differs by kind of task, and a small model's own judgment
cannot say which; so the accumulator tallies, per kind of task, how often each was tried and
won the round, and each fresh candidate's strategy is drawn by Thompson sampling from those
tallies: a strategy's win rate is sampled from Beta(1 + wins, 1 + losses), the best sample
takes the slot. An untried strategy samples the uniform prior, so every one keeps being tried
while the ones that won take most of the slots.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from noetic.memory.accumulator import StrategyWeight

GREEDY = "greedy"
REFINE = "refine"
"""The two ways of drawing a candidate that are not drawn by lot: round 1's greedy answer (what
the plain model says) and the refinements of the best answer. Tallied, never drawn."""


class Strategy(BaseModel):
    """A way to draw a fresh candidate: the prompt, and a temperature (unset: the mode's)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    prompt: Literal["task", "guided"] = "task"
    temperature: float | None = Field(None, ge=0.0, le=2.0)


def draw(
    strategies: Mapping[str, Strategy],
    tallies: Sequence[StrategyWeight],
    n: int,
    rng: random.Random,
) -> list[str]:
    """`n` strategy names for `n` fresh candidates, by Thompson sampling over `tallies` (one
    kind of task's); each slot draws anew, so a strategy may take several."""
    if not strategies:
        return []
    known = {t.strategy: t for t in tallies}
    names = sorted(strategies)

    def sampled(name: str) -> float:
        tally = known.get(name)
        wins, trials = (tally.wins, tally.trials) if tally else (0.0, 0.0)
        return rng.betavariate(1.0 + wins, 1.0 + max(0.0, trials - wins))

    return [max(names, key=sampled) for _ in range(n)]
