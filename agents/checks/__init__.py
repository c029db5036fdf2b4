"""Checks: verifiable logic in the overlay (`noetic.checks` plugins), run on every candidate."""

from noetic.agents.checks.base import Check, CheckSpec
from noetic.agents.checks.counted import Counted
from noetic.agents.checks.kinds import task_kind
from noetic.agents.checks.registry import (
    available_checks,
    bind_checks,
    check_names,
    fix_message,
    infer_checks,
    passes_hard,
    run_checks,
    unread_instructions,
)

__all__ = [
    "Check",
    "CheckSpec",
    "Counted",
    "available_checks",
    "bind_checks",
    "check_names",
    "fix_message",
    "infer_checks",
    "unread_instructions",
    "passes_hard",
    "run_checks",
    "task_kind",
]
