"""The kind of a task, as the overlay learns per kind: what its hard checks verify.

Two tasks that both ask for an exact number of sentences and a set of words are the same kind,
whatever their subject: what failed or won on one (a lesson, a strategy) is likely to on the
other. A task with no hard check is `open`.
"""

from __future__ import annotations

from collections.abc import Iterable

from noetic.agents.checks.base import Check

OPEN = "open"


def task_kind(checks: Iterable[Check]) -> str:
    """`form+required_terms`: the names of the hard checks, sorted, each once; else `open`."""
    names = sorted({check.name for check in checks if check.hard})
    return "+".join(names) or OPEN
