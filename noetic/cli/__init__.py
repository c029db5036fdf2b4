"""The `noetic` command line.

Expected failures (`NoeticError`) print one line on stderr and exit 2; `--json` keeps stdout to
exactly one JSON document, with progress and logs on stderr. Each command group is a module that
registers itself on the shared Typer `app` when `noetic.cli.commands` (which tests import for
`app`) is imported. `main` imports it inside its handlers: start-up takes seconds, and a Ctrl-C
then must not print a traceback.
"""

from __future__ import annotations

import sys

from noetic.errors import NoeticError
from noetic.printable import printable

INTERRUPTED_EXIT = 130


def main() -> None:
    """Console entry point: one clear line and exit 2 for every expected error, and one line
    and exit 130 for Ctrl-C at any moment, start-up included.

    Usage errors (an unknown flag, a missing argument) are typer's own, also exit 2.
    """
    try:
        from noetic.cli.commands import app

        app()
    except NoeticError as exc:
        sys.stderr.write(f"noetic: error: {printable(str(exc))}\n")
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.stderr.write("\nnoetic: interrupted\n")
        sys.exit(INTERRUPTED_EXIT)


__all__ = ["main"]
