"""The check registry (`noetic.checks` entry points) and binding named checks to a task.

A plugin declares, in its pyproject.toml:

    [project.entry-points."noetic.checks"]
    rhymes = "my_pkg.checks:Rhymes"
"""

from __future__ import annotations

from collections.abc import Sequence

from pydantic import ValidationError

from noetic.agents.checks.base import Check, CheckSpec
from noetic.errors import CheckError
from noetic.plugins import CHECKS_GROUP, PluginGroup, PluginInfo
from noetic.record import CheckResult

CHECKS = PluginGroup(CHECKS_GROUP, "check", Check, CheckError)


def check_names() -> list[str]:
    return CHECKS.names()


def available_checks() -> list[PluginInfo]:
    return CHECKS.available()


def bind_checks(specs: Sequence[CheckSpec], task: str) -> list[Check]:
    """The named checks, with their parameters validated and completed from `task`; any problem
    is one `CheckError` line, raised before a model is loaded."""
    CHECKS.check_names([spec.name for spec in specs])
    bound = []
    for spec in specs:
        cls: type[Check] = CHECKS.load(spec.name)
        try:
            check = cls.model_validate(spec.params)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(map(str, err["loc"])) or spec.name
            raise CheckError(
                f"check '{spec.name}' has a bad parameter {where}: {err['msg']}",
                f"parameters of '{spec.name}': {', '.join(cls.model_fields) or 'none'}",
            ) from None
        bound.append(check.for_task(task))
    return bound


def run_checks(checks: Sequence[Check], task: str, text: str) -> list[CheckResult]:
    return [check.run(task, text) for check in checks]


def passes_hard(results: Sequence[CheckResult]) -> bool:
    """No hard check failed (true when there are no checks)."""
    return all(r.passed for r in results if r.hard)


def fix_message(results: Sequence[CheckResult]) -> str:
    """The failed checks' messages in one line, for the generator to act on."""
    return " ".join(f"{r.message.rstrip('.')}." for r in results if not r.passed)
