"""Roles: the agents of a deliberation. Each is a LangGraph node with a prompt and a schema,
called with the run's state (`DeliberationState`) and runtime context (`DeliberationContext`)."""

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.critic import Critic
from noetic.agents.generator import AssociativeGenerator
from noetic.agents.meta_thinker import MetaThinker
from noetic.agents.mode_switcher import ModeSwitcher
from noetic.agents.registry import RoleInfo, available_roles, load_role
from noetic.agents.runtime import DeliberationContext
from noetic.agents.state import DeliberationState
from noetic.agents.synthesizer import Synthesizer

__all__ = [
    "AssociativeGenerator",
    "Critic",
    "DeliberationContext",
    "DeliberationState",
    "MetaThinker",
    "ModeSwitcher",
    "PromptTemplate",
    "Role",
    "RoleInfo",
    "Synthesizer",
    "available_roles",
    "load_role",
]
