"""The evaluation suites: JSON-lines files shipped inside the package, one task per line.

Suites are data, not code, so every configuration sees exactly the same tasks and a result can
be traced back to the line it came from. `arithmetic` items carry the integer answer that scores
them; `constraints` items the checks that score them (and that a deliberation runs); `open`
items a hand-written reference answer and the parts their task names, scored by rule
(`open_measures`), never by the judge a deliberation selects with. `continuity` items come in
sequences, run in order in one home: early tasks set facts (names, numbers) that later ones
need without stating them, checked by rule and never told to the run. Suites are split into a
dev half (to tune prompts and policies on) and a test half (to report).
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from noetic.agents.checks import bind_checks
from noetic.errors import CheckError, NoeticError, first_problem
from noetic.settings import CheckSpec

SUITES = ("arithmetic", "constraints", "continuity", "instructions", "open")
Split = Literal["dev", "test"]
SPLITS: tuple[Split, ...] = ("dev", "test")


class SuiteItem(BaseModel):
    """One task of a suite. `answer` is the known integer result (arithmetic only)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    kind: str = Field("task", min_length=1, description="Difficulty level or task type.")
    task: str = Field(min_length=1)
    answer: int | None = None
    checks: list[CheckSpec] = Field(
        default_factory=list, description="Checks that score the answer and that a run uses."
    )
    told: bool = Field(
        True,
        description="Whether a run is given `checks`; false: they only score, since they name "
        "what the run must bring itself (continuity: a fact set by an earlier task).",
    )
    scored: bool = Field(
        True, description="False: a step that sets up later ones, run and kept but not counted."
    )
    split: Split | None = None
    reference: str | None = Field(None, description="A good answer written by hand (open).")
    parts: list[str] = Field(
        default_factory=list,
        description="What the task names, each as alternative word starts (`ferment|yeast`).",
    )


def block_split(index: int, kinds: int) -> Split:
    """Dev or test for a generated item: blocks of one item per kind alternate, so both halves
    hold every kind."""
    return "dev" if (index // kinds) % 2 == 0 else "test"


def write_suite(name: str, items: list[SuiteItem]) -> None:
    """Write a generated suite over its shipped file (the generators' `main`)."""
    out = resources.files(__package__).joinpath("suites", f"{name}.jsonl")
    with resources.as_file(out) as path:
        path.write_text(to_jsonl(items), encoding="utf-8")
    print(f"wrote {out}")


def to_jsonl(items: list[SuiteItem]) -> str:
    """A generated suite as its shipped file: one item per line, defaults left out."""
    return "".join(
        json.dumps(item.model_dump(exclude_defaults=True), ensure_ascii=False) + "\n"
        for item in items
    )


def suite_text(name: str) -> str:
    """The raw JSON lines of a shipped suite, or of the user's file `name` (`*.jsonl`)."""
    if name.endswith(".jsonl"):
        try:
            return Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise NoeticError(
                f"cannot read suite file {name}: {getattr(exc, 'strerror', None) or exc}",
                "pass a readable UTF-8 JSON-lines file",
            ) from None
    if name not in SUITES:
        raise NoeticError(
            f"unknown suite '{name}'",
            f"pass --suite with one of: {', '.join(SUITES)}, or a FILE.jsonl of your own",
        )
    return (resources.files(__package__) / "suites" / f"{name}.jsonl").read_text(encoding="utf-8")


def load_suite(name: str, limit: int | None = None, split: str | None = None) -> list[SuiteItem]:
    """The suite's first `limit` items (all when None) of `split` (both when None); suites
    interleave their levels or kinds, so any prefix covers each of them."""
    if split is not None and split not in SPLITS:
        raise NoeticError(f"unknown split '{split}'", "pass --split dev or --split test")
    items = []
    for number, line in enumerate(suite_text(name).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(SuiteItem.model_validate_json(line))
            if name.endswith(".jsonl"):
                bind_checks(items[-1].checks, items[-1].task)  # a bad check fails the file now
        except CheckError as exc:
            raise NoeticError(f"{name} line {number}: {exc.problem}", exc.fix) from None
        except ValidationError as exc:
            if not name.endswith(".jsonl"):  # a shipped file is ours: a packaging bug
                raise RuntimeError(f"suite {name} line {number} is invalid: {exc}") from exc
            where, problem = first_problem(exc, "the line")
            raise NoeticError(
                f"{name} line {number}: {where}: {problem}",
                'write one JSON object per line: {"id", "kind", "task"} and optional "checks" '
                '(check lines such as "words<=50"), "reference", "answer", "split"',
            ) from None
    if split is not None:
        if not any(item.split for item in items):
            raise NoeticError(
                f"suite {name} has no dev/test split", "leave out --split for this suite"
            )
        items = [item for item in items if item.split == split]
    return items if limit is None else items[:limit]
