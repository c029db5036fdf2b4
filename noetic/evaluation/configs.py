"""Configurations under comparison: a strategy (single, vote, best_of_n, deliberate) on a model,
and ablations of the deliberation, each with one part of the overlay taken out.

`--configs single,vote,deliberate` on the default model gives those three names; each
`--model PATH` crosses every strategy with that GGUF, named `strategy@file-stem`, so a small and
a large model (or two quantizations of one) sit side by side in one table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from noetic.errors import NoeticError
from noetic.models.gguf import check_gguf
from noetic.settings import ModelSettings

Strategy = Literal["single", "vote", "best_of_n", "deliberate"]
STRATEGIES: tuple[str, ...] = get_args(Strategy)
Ablation = Literal[
    "no-memory",
    "no-lessons",
    "no-accumulator",
    "no-checks",
    "critic-only",
    "rule-reflect",
    "safe",
    "experimental",
    "warm",
]
ABLATIONS: tuple[str, ...] = get_args(Ablation)
"""`deliberate-<ablation>`: no recall from memory (thoughts nor lessons); no lessons (thoughts
still recalled); no weight accumulator (anchors, resonance, strategy tallies);
no checks in the loop (they still score the answer); the LLM critic's ratings as the only
signal; the meta-thinker's seat taken by a rule (`reflect_by_rule`: stop on a plateau, refocus
on what the best pick leaves out); the mode pinned safe or experimental (`deliberate` itself
switches: auto); `warm`: the suite run once in the same home before the counted pass, so memory,
lessons and the accumulator's strategy tallies start from what the suite taught them (the
learning curve: against `deliberate`, which starts from an empty home)."""
PINNED_MODES = ("safe", "experimental")
CONFIG_NAMES: tuple[str, ...] = (*STRATEGIES, *(f"deliberate-{a}" for a in ABLATIONS))
REFERENCE = "deliberate"
"""The configuration every other one is compared with, item by item."""


class ConfigSpec(BaseModel):
    """One column of the comparison: a name, a strategy (with an ablation of the deliberation)
    and the model it runs on."""

    model_config = ConfigDict(frozen=True)

    name: str
    strategy: Strategy
    model: ModelSettings
    ablation: Ablation | None = None

    @property
    def base(self) -> str:
        """The name without the model: `deliberate-no-memory@big` is `deliberate-no-memory`."""
        return self.name.split("@")[0]


def parse_configs(names: str) -> list[str]:
    """`single,vote` to configuration names in the order given, each once; unknown names are
    an error."""
    chosen: list[str] = []
    for name in (part.strip() for part in names.split(",")):
        if not name:
            continue
        if name not in CONFIG_NAMES:
            raise NoeticError(
                f"unknown configuration '{name}'",
                f"pass --configs with a comma-separated list of: {', '.join(CONFIG_NAMES)}",
            )
        if name not in chosen:
            chosen.append(name)
    if not chosen:
        raise NoeticError("no configuration to run", "pass e.g. --configs single,vote,deliberate")
    return chosen


def _spec(name: str, model: ModelSettings, suffix: str = "") -> ConfigSpec:
    strategy, _, ablation = name.partition("-")
    return ConfigSpec(
        name=name + suffix,
        strategy=strategy,
        model=model,
        ablation=ablation or None,
    )


def plan_configs(names: str, base: ModelSettings, models: list[Path]) -> list[ConfigSpec]:
    """Every strategy on the base model, or on each of `models` (checked before anything runs,
    so a wrong path fails in a second rather than after an hour of evaluation)."""
    chosen = parse_configs(names)
    if not models:
        return [_spec(name, base) for name in chosen]
    paths = [check_gguf(path) for path in models]
    stems = [path.stem for path in paths]
    duplicate = next((stem for stem in stems if stems.count(stem) > 1), None)
    if duplicate is not None:
        raise NoeticError(
            f"two --model files share the name '{duplicate}', so their rows would too",
            "pass each model once, or link one under another file name",
        )
    return [
        _spec(name, base.model_copy(update={"path": path}), f"@{path.stem}")
        for path in paths
        for name in chosen
    ]
