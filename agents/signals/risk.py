"""Risk flags for candidates, from the policy's rules (`noetic.policies.risk`): each topic whose
pattern a text meets, and "offensive" where the shipped classifier says so."""

from __future__ import annotations

import re
from collections.abc import Sequence

from noetic.agents.signals.offensive import offensive_model
from noetic.policies.risk import RiskRules

OFFENSIVE = "offensive"


def risk_flags(rules: RiskRules, texts: Sequence[str]) -> list[list[str]]:
    """The flags of each text, in order: topic names first, then `offensive`."""
    flags = [
        [name for name, patterns in rules.topics.items() if any(re.search(p, t) for p in patterns)]
        for t in texts
    ]
    if rules.offensive is not False and texts:
        probabilities = offensive_model().probabilities(texts)
        for found, probability in zip(flags, probabilities, strict=True):
            if probability >= rules.offensive:
                found.append(OFFENSIVE)
    return flags
