"""Errors a user can meet and fix.

Every expected failure is a `NoeticError`: the CLI prints it as one line (what is wrong, then how
to fix it) and exits with code 2, without a traceback. Anything else is a bug and keeps its
traceback.
"""

from __future__ import annotations

from pydantic import ValidationError


class NoeticError(Exception):
    """An expected, user-fixable failure: `problem` says what is wrong, `fix` how to mend it."""

    exit_code = 2

    def __init__(self, problem: str, fix: str) -> None:
        super().__init__(problem, fix)
        self.problem = problem.rstrip(". ")
        self.fix = fix.rstrip(". ")

    def __str__(self) -> str:
        return f"{self.problem} — {self.fix}"


class ConfigError(NoeticError):
    """Bad settings: a malformed noetic.toml, an unknown key, an out-of-range value."""


class ModelLoadError(NoeticError):
    """The model file is missing, is not GGUF, or llama.cpp cannot load it."""


class ContextOverflowError(NoeticError):
    """A prompt plus its completion does not fit in the model's context window."""


class StructuredOutputError(NoeticError):
    """The model's reply did not validate against the role's schema, even after a retry."""


class UnknownRoleError(NoeticError):
    """A role name that no installed package registers."""


class GraphSpecError(NoeticError):
    """A graph spec that is malformed, or names a role, stage, condition or node that is not
    there."""


class CheckError(NoeticError):
    """A check no installed package registers, or one that cannot apply to the task as given."""


class MemoryStoreError(NoeticError):
    """The vector memory cannot be opened or used as configured (lock, dimension mismatch)."""


class RunStateError(NoeticError):
    """A run id that is unknown, already finished, or written by an incompatible version."""


def first_problem(exc: ValidationError, whole: str = "") -> tuple[str, str]:
    """Where (the dotted field path, or `whole` for the object itself) and what is wrong, of a
    validation error's first problem: the one a user is shown, in one line."""
    err = exc.errors()[0]
    return ".".join(map(str, err["loc"])) or whole, err["msg"]
