"""What every node reaches through LangGraph's runtime context instead of globals: settings,
the model for each role, the policy for each mode, and (when enabled) memory and accumulator.

It lives with the roles, below the graphs that pass it: a role is called with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from noetic.agents.checks import Check
from noetic.memory import Accumulator, VectorMemory
from noetic.models.base import ChatModel, Embedder
from noetic.policies import Policy, load_policies
from noetic.record import Mode
from noetic.settings import NoeticSettings


def default_policies() -> dict[Mode, Policy]:
    return load_policies()


@dataclass
class DeliberationContext:
    """Run-scoped dependencies of the deliberation graph.

    `memory` and `accumulator` are optional: without them recall and reinforcement are no-ops,
    which is how a graph runs with memory disabled or in orchestration unit tests. `embedder`
    gives the judge its embedding signals (relevance, novelty); without it they are skipped.
    `checks` are the run's checks, bound to its task (`bind_checks`).
    """

    settings: NoeticSettings
    model: ChatModel
    role_models: Mapping[str, ChatModel] = field(default_factory=dict)
    policies: Mapping[Mode, Policy] = field(default_factory=default_policies)
    memory: VectorMemory | None = None
    accumulator: Accumulator | None = None
    embedder: Embedder | None = None
    checks: Sequence[Check] = ()

    def model_for(self, role: str) -> ChatModel:
        """The role's own model if one is configured, else the shared one."""
        return self.role_models.get(role, self.model)

    def policy(self, mode: Mode) -> Policy:
        return self.policies[mode]

    def seed(self, round_: int, stage: str) -> int:
        """A seed fixed by run seed, round and stage, so a resumed run samples the same."""
        return (self.settings.seed * 1_000_003 + round_ * 1009 + sum(map(ord, stage))) % 2**31
