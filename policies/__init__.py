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
from noetic.policies.sampling import RoleSampling

__all__ = [
    "PRESETS",
    "FilterRules",
    "Policy",
    "RoleSampling",
    "SelectionWeights",
    "load_policies",
    "load_policy_file",
    "load_preset",
]
