"""Configurations under comparison: a strategy (single, vote, deliberate) on a model.

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

Strategy = Literal["single", "vote", "deliberate"]
STRATEGIES: tuple[str, ...] = get_args(Strategy)


class ConfigSpec(BaseModel):
    """One column of the comparison: a name, a strategy and the model it runs on."""

    model_config = ConfigDict(frozen=True)

    name: str
    strategy: Strategy
    model: ModelSettings


def parse_strategies(names: str) -> list[Strategy]:
    """`single,vote` to strategies in the order given, each once; unknown names are an error."""
    chosen: list[Strategy] = []
    for name in (part.strip() for part in names.split(",")):
        if not name:
            continue
        if name not in STRATEGIES:
            raise NoeticError(
                f"unknown configuration '{name}'",
                f"pass --configs with a comma-separated list of: {', '.join(STRATEGIES)}",
            )
        if name not in chosen:
            chosen.append(name)  # type: ignore[arg-type]
    if not chosen:
        raise NoeticError("no configuration to run", "pass e.g. --configs single,vote,deliberate")
    return chosen


def plan_configs(names: str, base: ModelSettings, models: list[Path]) -> list[ConfigSpec]:
    """Every strategy on the base model, or on each of `models` (checked before anything runs,
    so a wrong path fails in a second rather than after an hour of evaluation)."""
    strategies = parse_strategies(names)
    if not models:
        return [ConfigSpec(name=s, strategy=s, model=base) for s in strategies]
    paths = [check_gguf(path) for path in models]
    stems = [path.stem for path in paths]
    duplicate = next((stem for stem in stems if stems.count(stem) > 1), None)
    if duplicate is not None:
        raise NoeticError(
            f"two --model files share the name '{duplicate}', so their rows would too",
            "pass each model once, or link one under another file name",
        )
    return [
        ConfigSpec(
            name=f"{s}@{path.stem}", strategy=s, model=base.model_copy(update={"path": path})
        )
        for path in paths
        for s in strategies
    ]
