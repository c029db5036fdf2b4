"""Judging signals: what the overlay reads in a candidate instead of trusting a small model's
own verdict (see `judge.Judge`)."""

from noetic.agents.signals.degeneracy import Degeneracy, degeneracy
from noetic.agents.signals.judge import Judge, Judgment

__all__ = ["Degeneracy", "Judge", "Judgment", "degeneracy"]
