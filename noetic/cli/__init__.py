"""The `noetic` command line.

Expected failures (`NoeticError`) print one line on stderr and exit 2; `--json` keeps stdout to
exactly one JSON document, with progress and logs on stderr. Each command group is a module that
registers itself on the shared Typer `app` when imported here.
"""

from __future__ import annotations

import sys

from noetic.cli import batch, bench, evaluate, info, memory, run, show  # noqa: F401  (registers the commands)
from noetic.cli.app import app
from noetic.errors import NoeticError


def main() -> None:
    """Console entry point: one clear line and exit 2 for every expected error.

    Usage errors (an unknown flag, a missing argument) are typer's own, also exit 2.
    """
    try:
        app()
    except NoeticError as exc:
        sys.stderr.write(f"noetic: error: {exc}\n")
        sys.exit(exc.exit_code)


__all__ = ["app", "main"]
