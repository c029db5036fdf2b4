"""Confidence intervals, so a table never shows a rate or a mean without its uncertainty."""

from __future__ import annotations

import math
from collections.abc import Sequence

Z95 = 1.959963984540054


def wilson(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion: unlike the normal approximation it stays in
    [0, 1] and is honest at the small n and extreme rates a small model produces."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def mean_ci(
    values: Sequence[float], bounds: tuple[float, float], z: float = Z95
) -> tuple[float, float] | None:
    """A normal-approximation interval of a mean (judge scores), kept within the scale's
    `bounds`; None below two values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = z * sd / math.sqrt(n)
    return max(bounds[0], mean - half), min(bounds[1], mean + half)
