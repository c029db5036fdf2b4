"""Policies: how boldly the system thinks in each mode."""

from noetic.policies.policy import (
    PRESETS,
    Policy,
    SelectionWeights,
    load_policy_file,
    load_preset,
)

__all__ = ["PRESETS", "Policy", "SelectionWeights", "load_policy_file", "load_preset"]
