"""A policy says how boldly the system thinks: sampling (per role where a role departs from the
mode's), candidate count, selection weights, the critic's acceptance threshold. Presets ship as
TOML beside this module; a user's own policy file loads the same way.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from noetic.errors import ConfigError
from noetic.models.base import Sampling
from noetic.plugins import SIGNALS_GROUP, registered_names
from noetic.policies.filters import FilterRules
from noetic.policies.risk import RiskRules
from noetic.policies.sampling import ROLE_SAMPLING, RoleSampling, over_defaults
from noetic.policies.strategies import Strategy
from noetic.record import Mode
from noetic.settings import MAX_CANDIDATES

PRESETS: tuple[Mode, ...] = ("safe", "experimental")


class SelectionWeights(BaseModel):
    """How much each judging signal counts in `overall` (normalized when applied).

    The signals are the judge's (`noetic.agents.signals`): the critic's expected ratings
    (relevance, coherence, novelty), the model's likelihood (fluency, pmi), embedding relevance
    and novelty, integrity (no degeneracy), substance (informativeness, coverage, no_echo,
    no_meta), the accumulator's resonance, the mean score of the run's checks (present only
    when the run has checks), and continuity: the share of the facts of the earlier work a task
    continues that an answer keeps (present only when memory recalled such work). The defaults
    are the safe preset's, tuned on the judgment suite's dev half, hard negatives included, on
    the default model (`bench/tune_judgment.py`): the 135M critic's ratings add nothing there,
    so they get no weight and cost nothing; give them weight to use a bigger judge
    (`[roles.critic]`). Continuity was set on the continuity suite's dev half.

    Registered text signals (`noetic.signals`: the built-in substance signals and any a plugin
    adds) are weighed by name as extra fields; a name no installed package registers is an
    error, as `[roles.NAME]` is.
    """

    model_config = ConfigDict(frozen=True, extra="allow")

    relevance: float = Field(0.0, ge=0, le=1)
    coherence: float = Field(0.0, ge=0, le=1)
    novelty: float = Field(0.0, ge=0, le=1)
    fluency: float = Field(0.4, ge=0, le=1)
    pmi: float = Field(0.2, ge=0, le=1)
    embed_relevance: float = Field(0.1, ge=0, le=1)
    integrity: float = Field(0.2, ge=0, le=1)
    informativeness: float = Field(0.2, ge=0, le=1)
    coverage: float = Field(0.2, ge=0, le=1)
    no_echo: float = Field(0.0, ge=0, le=1)
    no_meta: float = Field(0.2, ge=0, le=1)
    round_novelty: float = Field(0.0, ge=0, le=1)
    memory_novelty: float = Field(0.0, ge=0, le=1)
    resonance: float = Field(0.05, ge=0, le=1)
    checks: float = Field(1.0, ge=0, le=1)
    continuity: float = Field(0.5, ge=0, le=1)

    @model_validator(mode="after")
    def _registered(self) -> SelectionWeights:
        known = registered_names(SIGNALS_GROUP)
        for name, weight in (self.model_extra or {}).items():
            if name not in known:
                raise ValueError(
                    f"unknown signal '{name}' (registered text signals: {', '.join(known)})"
                )
            if not isinstance(weight, int | float) or not 0 <= weight <= 1:
                raise ValueError(f"the weight of '{name}' must be a number from 0 to 1")
        return self

    @property
    def rates(self) -> bool:
        """Whether the critic's ratings count: without weight they are not computed at all."""
        return self.relevance + self.coherence + self.novelty > 0

    def combine(self, scores: dict[str, float]) -> float:
        """Weighted mean of the signals present in `scores`; absent signals do not count."""
        weights = self.model_dump()
        used = {k: w for k, w in weights.items() if k in scores and w > 0}
        total = sum(used.values())
        return sum(w * scores[k] for k, w in used.items()) / total if total else 0.0


class Policy(BaseModel):
    """One mode's behaviour."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    description: str = ""
    sampling: Sampling = Sampling()
    extra_candidates: int = Field(0, ge=0, le=MAX_CANDIDATES)
    weights: SelectionWeights = SelectionWeights()
    accept_threshold: float = Field(0.7, ge=0, le=1)
    favours: Literal["reinforced", "unexplored"] | None = Field(
        None,
        description="What the accumulator's resonance rewards: concepts reinforced by earlier "
        "selections (exploit) or under-explored ones (explore); unset, a policy named "
        "experimental explores (policies stored before the field).",
    )
    min_rounds_in_mode: int = Field(
        1, ge=1, description="Hysteresis before the switcher may leave."
    )
    synthesis: Literal["always", "checked"] = Field(
        "always",
        description="When converge asks the model for a synthesis to judge beside the best "
        "thought: always, or only in runs with checks (where a synthesis can pass one the "
        "thoughts failed); otherwise the answer is the best thought, with no model call.",
    )
    filters: FilterRules = FilterRules()
    risk: RiskRules = RiskRules()
    roles: dict[str, RoleSampling] = Field(
        default_factory=lambda: dict(ROLE_SAMPLING),
        description="A role's departures from `sampling` in this mode, by role name.",
    )

    strategies: dict[str, Strategy] = Field(
        default_factory=lambda: {"plain": Strategy()},
        description="The ways this mode draws its fresh candidates, by name; the accumulator "
        "learns per kind of task which win, and the draw follows (Thompson sampling).",
    )

    @field_validator("roles")
    @classmethod
    def _over_defaults(cls, roles: dict[str, RoleSampling]) -> dict[str, RoleSampling]:
        return over_defaults(roles)

    @property
    def explores(self) -> bool:
        """Resonance rewards under-explored concepts."""
        if self.favours is None:
            return self.name == "experimental"
        return self.favours == "unexplored"

    def candidates(self, base: int) -> int:
        return min(base + self.extra_candidates, MAX_CANDIDATES)

    def role_sampling(self, role: str, max_tokens: int | None = None) -> Sampling:
        """How `role` samples in this mode: `sampling`, with the role's own reply length where it
        has one, then its `roles` table."""
        update: dict[str, Any] = {} if max_tokens is None else {"max_tokens": max_tokens}
        if role in self.roles:
            update |= self.roles[role].model_dump(exclude_none=True)
        return self.sampling.model_copy(update=update)


def policy_toml(policy: Policy) -> str:
    """A policy as a TOML file `load_policy_file` reads back (scalars, lists and tables: all a
    policy has)."""

    def value(v: object) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return json.dumps(v)

    def table(name: str, fields: dict[str, Any]) -> list[str]:
        lines = [f"{k} = {value(v)}" for k, v in fields.items() if not isinstance(v, dict)]
        for key, inner in fields.items():
            if isinstance(inner, dict):
                full = f"{name}.{key}" if name else key
                lines += ["", f"[{full}]", *table(full, inner)]
        return lines

    return "\n".join(table("", policy.model_dump(mode="json", exclude_none=True))) + "\n"


def load_policy_file(path: Path) -> Policy:
    """A policy from a TOML file; a bad file is one ConfigError line."""
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise ConfigError(
            f"policy file {path} does not exist", "pass an existing .toml file"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"policy file {path} is not valid TOML ({exc})", "fix its syntax"
        ) from None
    data.setdefault("name", path.stem)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(map(str, err["loc"]))
        problem = (
            f"unknown key '{loc}'" if err["type"] == "extra_forbidden" else f"{loc}: {err['msg']}"
        )
        raise ConfigError(
            f"policy file {path} is invalid ({problem})",
            "see `noetic policies --json` for the valid keys and ranges",
        ) from None


@cache
def load_preset(mode: Mode) -> Policy:
    """A shipped preset by mode name, read once a process (a frozen model: runs share it)."""
    with resources.as_file(resources.files(__package__) / f"{mode}.toml") as path:
        return load_policy_file(path)


def load_policies(files: Mapping[Mode, Path] | None = None) -> dict[Mode, Policy]:
    """The policy of each mode: the preset unless `files` names a replacement."""
    files = files or {}
    return {
        mode: load_policy_file(files[mode]) if mode in files else load_preset(mode)
        for mode in PRESETS
    }
