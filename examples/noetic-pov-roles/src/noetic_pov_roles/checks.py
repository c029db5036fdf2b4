"""A check from a plugin: `no_questions`, registered under the `noetic.checks` entry point group
like the built-in checks (see this package's pyproject.toml).

Why: a small model asked for an answer often hands back questions instead ("Would you like to
know more?", "What do you think about the sea?"), and its own critic rates that as engaging. An
answer states; this check counts the sentences that ask and tells the next round which to turn
into statements. It is soft (`hard = False`): it lowers a candidate's standing and feeds the fix
to the next round, but never keeps a candidate from selection, since some tasks do ask for a
question ("End with a question for the reader") — leave the check off for those.
"""

from __future__ import annotations

import re
from typing import Self

from noetic.agents.checks import Check
from noetic.agents.checks.words import sentences
from noetic.record import CheckResult

QUOTE_LENGTH = 60
ASKED_NOT_TO_ASK = re.compile(
    r"\b(?:do not|don't|never|without)\s+(?:ask|asking|pose|posing|end with)\s+(?:any\s+|a\s+)?"
    r"(?:follow-up\s+|further\s+)?questions?\b",
    re.IGNORECASE,
)


class NoQuestions(Check):
    """Passes when no sentence of the answer asks (contains a question mark); the score is the
    share of sentences that state."""

    name = "no_questions"
    description = "The answer states rather than asks: no sentence is a question."
    hard = False

    @classmethod
    def infer(cls, task: str) -> list[Self]:
        """Bound without being named where the task says so ("do not ask any questions")."""
        asked = ASKED_NOT_TO_ASK.search(task)
        return [cls().read_from(asked.group(0))] if asked else []

    def run(self, task: str, text: str) -> CheckResult:
        parts = sentences(text)
        asked = [s for s in parts if "?" in s]
        if not asked:
            return self.result(True, 1.0, "states without asking")
        first = asked[0] if len(asked[0]) <= QUOTE_LENGTH else asked[0][:QUOTE_LENGTH] + "..."
        return self.result(
            False,
            1 - len(asked) / len(parts),
            f'state, do not ask: turn {len(asked)} question(s) into statements, such as "{first}"',
        )
