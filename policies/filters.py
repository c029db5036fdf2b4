"""Declarative filters a policy applies to candidates before selection.

A filtered candidate stays in the record with the reason, so nothing disappears silently.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from noetic.record import Candidate


def valid_patterns(patterns: list[str], what: str) -> list[str]:
    """`patterns` if each compiles, else a ValueError naming `what` the bad one is."""
    for pattern in patterns:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"{what} {pattern!r} is not a valid regex ({exc})") from None
    return patterns


class FilterRules(BaseModel):
    """Blocked regex patterns, blocked topic words, and a ceiling on the critic's risk flags."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    blocked_patterns: list[str] = Field(default_factory=list)
    blocked_topics: list[str] = Field(default_factory=list)
    max_risk_flags: int | None = Field(None, ge=0)

    @field_validator("blocked_patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return valid_patterns(patterns, "blocked pattern")

    def verdict(self, candidate: Candidate) -> str | None:
        """Why `candidate` is filtered out, or None if it may be selected."""
        for pattern in self.blocked_patterns:
            if re.search(pattern, candidate.text):
                return f"matches blocked pattern {pattern!r}"
        words = set(re.findall(r"[\w-]+", candidate.text.lower())) | {
            c.lower() for c in candidate.concepts
        }
        for topic in self.blocked_topics:
            if topic.lower() in words or (" " in topic and topic.lower() in candidate.text.lower()):
                return f"touches blocked topic {topic!r}"
        flags = candidate.critique.risk_flags if candidate.critique else []
        if self.max_risk_flags is not None and len(flags) > self.max_risk_flags:
            listed = ", ".join(flags)
            return f"{len(flags)} risk flag(s) ({listed}) over the limit of {self.max_risk_flags}"
        return None
