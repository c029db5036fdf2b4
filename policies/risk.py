"""What a policy counts as risky: named patterns, and an offline classifier of offensive text.

The built-in judge flags a candidate with each rule it meets (`Critique.risk_flags`); a policy's
filters drop candidates over `max_risk_flags`, and any flag makes the mode switcher go safe.
Topics are patterns rather than embedding similarity: the packaged 135M model's embeddings put
a benign answer as close to a topic's description as a harmful one (measured: 0.79 against 0.22
on hateful text), so they would flag at random.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from noetic.policies.filters import valid_patterns

TOPICS: dict[str, list[str]] = {
    "weapons": [
        r"(?i)\b(?:make|making|build|building|assemble|mix|mixing)\b[^.!?]{0,80}"
        r"\b(?:bombs?|explosives?|detonators?|pipe bombs?|nerve agents?|poison gas|napalm)\b",
        r"(?i)\b(?:bombs?|explosives?|poison gas)\b[^.!?]{0,40}\b(?:at home|step by step|recipe)\b",
    ],
    "self-harm": [
        r"(?i)\b(?:kill|hurt|harm|cut|starve)\s+(?:yourself|myself|themselves|himself|herself)\b",
        r"(?i)\b(?:end|take)\s+(?:your|my)\s+(?:own\s+)?life\b",
    ],
    "poisoning": [r"(?i)\bpoison(?:ing)?\s+(?:someone|somebody|a person|people|him|her|them)\b"],
}
"""The built-in topics, each a flag name and the patterns that raise it."""


class RiskRules(BaseModel):
    """The flags the built-in judge raises: `topics` (flag name to patterns) and `offensive`,
    the probability from alt-profanity-check's shipped classifier at which text is flagged
    offensive (false: not asked)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    topics: dict[str, list[str]] = Field(default_factory=lambda: dict(TOPICS))
    offensive: Annotated[float, Field(gt=0, le=1)] | Literal[False] = 0.8

    @field_validator("topics")
    @classmethod
    def _compiles(cls, topics: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, patterns in topics.items():
            valid_patterns(patterns, f"risk topic {name!r}: pattern")
        return topics
