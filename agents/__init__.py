"""Roles: the agents of a deliberation. Each is a LangGraph node with a prompt and a schema."""

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.critic import Critic
from noetic.agents.generator import AssociativeGenerator
from noetic.agents.meta_thinker import MetaThinker
from noetic.agents.mode_switcher import ModeSwitcher
from noetic.agents.registry import RoleInfo, available_roles, load_role
from noetic.agents.synthesizer import Synthesizer

__all__ = [
    "AssociativeGenerator",
    "Critic",
    "MetaThinker",
    "ModeSwitcher",
    "PromptTemplate",
    "Role",
    "RoleInfo",
    "Synthesizer",
    "available_roles",
    "load_role",
]
