"""Scoring pieces of `noetic eval`: answer extraction, voting, intervals, text measures."""

from __future__ import annotations

import math

import pytest

from noetic.evaluation.answers import extract_integer, majority
from noetic.evaluation.measures import dispersion, distinct_n, novelty
from noetic.evaluation.stats import mean_ci, wilson


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tom has 7 + 5 = 12 apples.", 12),
        ("The answer is: 8", 8),
        ("#### 1,200", 1200),
        ("so 12.0 in total", 12),
        ("about 12.5 each", None),
        ("12-3=9", 9),
        ("the result is -4.", -4),
        ("28 - 10 = 18 cards left", 18),
        ("no number here", None),
        ("candidate r1c0 wins", None),
        ("", None),
    ],
)
def test_extract_integer_reads_the_last_whole_number(text: str, expected: int | None) -> None:
    assert extract_integer(text) == expected


def test_majority_ignores_unreadable_answers_and_breaks_ties_by_first_seen() -> None:
    assert majority([3, None, 5, 5, 3, None, 5]) == 5
    assert majority([None, 4, 7, 7, 4]) == 4
    assert majority([None, None]) is None
    assert majority([]) is None


def test_wilson_interval_matches_known_values() -> None:
    low, high = wilson(7, 10)  # type: ignore[misc]
    assert low == pytest.approx(0.3968, abs=1e-4)
    assert high == pytest.approx(0.8922, abs=1e-4)
    assert wilson(0, 5)[0] == 0.0  # type: ignore[index]
    assert wilson(5, 5)[1] == pytest.approx(1.0)  # type: ignore[index]
    assert wilson(0, 0) is None


def test_wilson_interval_contains_the_rate_and_narrows_with_n() -> None:
    small = wilson(3, 10)
    large = wilson(30, 100)
    assert small and large
    assert small[0] < 0.3 < small[1] and large[0] < 0.3 < large[1]
    assert large[1] - large[0] < small[1] - small[0]


def test_mean_interval_stays_within_the_scale() -> None:
    assert mean_ci([5.0], (0, 10)) is None
    low, high = mean_ci([2.0, 4.0, 6.0], (0, 10))  # type: ignore[misc]
    assert low < 4.0 < high
    assert mean_ci([9.0, 10.0], (0, 10))[1] == 10.0  # type: ignore[index]


def test_distinct_n_counts_repeated_bigrams() -> None:
    assert distinct_n(["a b c d"]) == 1.0
    assert distinct_n(["a b c", "a b c"]) == pytest.approx(0.5)
    assert distinct_n(["word"]) is None


def unit(*values: float) -> list[float]:
    norm = math.sqrt(sum(v * v for v in values))
    return [v / norm for v in values]


def test_dispersion_and_novelty_are_cosine_distances() -> None:
    x, y = unit(1, 0), unit(0, 1)
    assert dispersion([x, x]) == pytest.approx(0.0)
    assert dispersion([x, y]) == pytest.approx(1.0)
    assert dispersion([x]) is None
    assert novelty(x, []) is None
    assert novelty(x, [y, unit(1, 1)]) == pytest.approx(1 - math.sqrt(0.5))
