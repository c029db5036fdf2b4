"""The check registry (`noetic.checks` entry points), reading checks from a task, and binding
named checks to it.

A plugin declares, in its pyproject.toml:

    [project.entry-points."noetic.checks"]
    rhymes = "my_pkg.checks:Rhymes"
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import ValidationError

from noetic.agents.checks.base import Check, CheckSpec
from noetic.agents.checks.words import sentences
from noetic.errors import CheckError, first_problem
from noetic.plugins import CHECKS_GROUP, PluginGroup, PluginInfo
from noetic.record import CheckResult
from noetic.settings import CHECK_SPEC_SYNTAX

CHECKS = PluginGroup(CHECKS_GROUP, "check", Check, CheckError)

# Words that mark a sentence as an instruction a check might read: one that binds nothing is
# logged, so a user sees what was left unchecked.
_CUES = re.compile(
    r"\bletter\s+['\"]?[a-z]\b|\b(?:words?|sentences?|paragraphs?|characters?|bullet|commas?|lower-?case|"
    r"upper-?case|capital|quot\w+|title|sections?|highlight\w*|json|post-?script|placeholders?|"
    r"repeat|language|keywords?|times)\b",
    re.I,
)


def check_names() -> list[str]:
    return CHECKS.names()


def available_checks() -> list[PluginInfo]:
    return CHECKS.available()


def infer_checks(task: str) -> list[Check]:
    """Every check the task states, each once, in the registry's order; each knows its phrase."""
    found: dict[str, Check] = {}
    for name in CHECKS.names():
        for check in CHECKS.load(name).infer(task):
            found.setdefault(f"{check.name}{check.model_dump_json()}", check)
    return list(found.values())


def unread_instructions(task: str, checks: Sequence[Check]) -> list[str]:
    """Sentences of the task that sound like an instruction but bound no check."""
    sources = [c.source for c in checks if c.source]
    return [
        s for s in sentences(task)
        if _CUES.search(s) and not any(src in s or s in src for src in sources)
    ]  # fmt: skip


def bind_checks(specs: Sequence[CheckSpec], task: str, *, infer: bool = False) -> list[Check]:
    """The named checks, their parameters validated and completed from `task`, then (with
    `infer`) the checks the task states whose names were not named; any problem is one
    `CheckError` line, raised before a model is loaded."""
    CHECKS.check_names([spec.name for spec in specs])
    named = [check for spec in specs for check in _bind(spec, task)]
    if not infer:
        return named
    given = {check.name for check in named}
    return named + [check for check in infer_checks(task) if check.name not in given]


def _bind(spec: CheckSpec, task: str) -> list[Check]:
    cls: type[Check] = CHECKS.load(spec.name)
    params = cls.spec_params(spec)
    if not params and (read := cls.infer(task)):
        return list(read)
    try:
        check = cls.model_validate(params)
    except ValidationError as exc:
        if not params:
            raise CheckError(
                f"check '{spec.name}' found nothing to check in the task",
                f"state it in the task, or give it as {CHECK_SPEC_SYNTAX} (`noetic checks`)",
            ) from None
        where, problem = first_problem(exc, spec.name)
        raise CheckError(
            f"check '{spec.name}' has a bad parameter {where}: {problem}",
            f"parameters of '{spec.name}': {', '.join(cls.model_fields) or 'none'}",
        ) from None
    return [check.for_task(task)]


def run_checks(checks: Sequence[Check], task: str, text: str) -> list[CheckResult]:
    return [check.run(task, text) for check in checks]


def passes_hard(results: Sequence[CheckResult]) -> bool:
    """No hard check failed (true when there are no checks)."""
    return all(r.passed for r in results if r.hard)


def fix_message(results: Sequence[CheckResult]) -> str:
    """The failed checks' messages in one line, for the generator to act on."""
    return " ".join(f"{r.message.rstrip('.')}." for r in results if not r.passed)
