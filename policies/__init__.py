"""Policies: how boldly the system thinks in each mode."""

from noetic.policies.filters import FilterRules
from noetic.policies.policy import (
    PRESETS,
    Policy,
    SelectionWeights,
    load_policies,
    load_policy_file,
    load_preset,
)

__all__ = [
    "PRESETS",
    "FilterRules",
    "Policy",
    "SelectionWeights",
    "load_policies",
    "load_policy_file",
    "load_preset",
]
