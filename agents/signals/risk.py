"""Risk flags for candidates, from the policy's rules (`noetic.policies.risk`): each topic whose
pattern a text meets, and "offensive" where the shipped classifier says so."""

from __future__ import annotations

import re
from collections.abc import Sequence

from noetic.policies.risk import RiskRules

OFFENSIVE = "offensive"


def risk_flags(rules: RiskRules, texts: Sequence[str]) -> list[list[str]]:
    """The flags of each text, in order: topic names first, then `offensive`."""
    flags = [
        [name for name, patterns in rules.topics.items() if any(re.search(p, t) for p in patterns)]
        for t in texts
    ]
    if rules.offensive is not False and texts:
        # A linear model shipped inside the package (no download); imported on first use, since
        # scikit-learn takes a second to load.
        from profanity_check import predict_prob

        for found, probability in zip(flags, predict_prob(list(texts)), strict=True):
            if probability >= rules.offensive:
                found.append(OFFENSIVE)
    return flags
