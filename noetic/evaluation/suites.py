"""The evaluation suites: JSON-lines files shipped inside the package, one task per line.

Suites are data, not code, so every configuration sees exactly the same tasks and a result can
be traced back to the line it came from. `arithmetic` items carry the integer answer that scores
them; `creative` items have none and are scored by measures and a judge.
"""

from __future__ import annotations

from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from noetic.errors import NoeticError

SUITES = ("arithmetic", "creative")


class SuiteItem(BaseModel):
    """One task of a suite. `answer` is the known integer result (arithmetic only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    kind: str = Field(min_length=1, description="Difficulty level or creative task type.")
    task: str = Field(min_length=1)
    answer: int | None = None


def suite_text(name: str) -> str:
    """The raw JSON lines of a shipped suite."""
    if name not in SUITES:
        raise NoeticError(
            f"unknown suite '{name}'", f"pass --suite with one of: {', '.join(SUITES)}"
        )
    return (resources.files(__package__) / "suites" / f"{name}.jsonl").read_text(encoding="utf-8")


def load_suite(name: str, limit: int | None = None) -> list[SuiteItem]:
    """The suite's first `limit` items (all when None); suites interleave their levels or
    kinds, so any prefix covers each of them."""
    items = []
    for number, line in enumerate(suite_text(name).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(SuiteItem.model_validate_json(line))
        except ValidationError as exc:  # a shipped file is ours: this is a packaging bug
            raise RuntimeError(f"suite {name} line {number} is invalid: {exc}") from exc
    return items if limit is None else items[:limit]
