"""Continuity: whether an answer keeps the facts of the earlier work it continues.

When a task names something of the user's own that earlier tasks described ("the lighthouse
keeper of Brannoch" after "Brannoch: its keeper is named Odrevan, the lighthouse has 317
steps"), memory recalls those tasks; their names and numbers are facts a continuation keeps.
The signal is the share of them an answer uses, present only when there is earlier work, so it
weighs nothing on a task that continues none. A small model with the notes in its prompt
writes some candidates with the facts and some without; this is how the judge tells them apart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from noetic.agents.checks.words import uses
from noetic.agents.signals.substance import continues, names

_NUMBER = re.compile(r"(?<![\w.,])\d[\d,]*\d(?![\w])")
"""Numbers of two digits or more ("317", "1,200"): a single digit is seldom a fact of its own."""


def earlier_facts(task: str, earlier: Sequence[str]) -> list[str]:
    """The names and numbers of the earlier tasks that name what `task` names, which `task`
    itself does not state, in order, each once."""
    stated = task.lower()
    found: list[str] = []
    for text in earlier:
        if not continues(task, text):
            continue
        for fact in [*sorted(names(text)), *_NUMBER.findall(text)]:
            key = fact.lower()
            if key not in found and not uses(key, stated):
                found.append(key)
    return found


def continuity(text: str, facts: Sequence[str]) -> tuple[float, list[str]]:
    """The share of `facts` that `text` uses, and those it leaves out."""
    missing = [fact for fact in facts if not uses(fact, text)]
    return 1 - len(missing) / len(facts), missing
