"""The `noetic` command line.

Expected failures (`NoeticError`) print one line on stderr and exit 2; `--json` keeps stdout to
exactly one JSON document, with progress and logs on stderr. Each command group is a module that
registers itself on the shared Typer `app` when `noetic.cli.commands` (which tests import for
`app`) is imported. `main` imports it inside its handlers: start-up takes seconds, and a Ctrl-C
then must not print a traceback.
"""

from __future__ import annotations

import signal
import sys

INTERRUPTED_EXIT = 130


class Interrupted(BaseException):
    """Ctrl-C outside a run. Not a `KeyboardInterrupt`: typer turns those into a silent exit 130,
    and the user should read one line saying what happened."""


_pending = False
"""Whether a Ctrl-C has come. Set before raising: a raise that lands in a finalizer is lost."""


def _interrupt(signum: int, frame: object) -> None:
    global _pending
    _pending = True
    raise Interrupted


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """Python only reports what a finalizer raises (a `__del__`, a weakref callback), so a Ctrl-C
    landing in one is lost; it stays pending, unprinted, for `raise_pending_interrupt`."""
    if not isinstance(unraisable.exc_value, Interrupted):
        sys.__unraisablehook__(unraisable)


def handle_interrupts() -> None:
    """From now on Ctrl-C raises `Interrupted`, and one a finalizer swallowed stays pending."""
    signal.signal(signal.SIGINT, _interrupt)
    sys.unraisablehook = _unraisable


def raise_pending_interrupt() -> None:
    """Raise the Ctrl-C a finalizer swallowed: a run must not start on a command the user
    stopped during its start-up."""
    if _pending:
        raise Interrupted


def main() -> None:
    """Console entry point: one clear line and exit 2 for every expected error, and one line
    and exit 130 for Ctrl-C at any moment, start-up included (a run in progress handles its own
    Ctrl-C: it stops after the current step).

    Usage errors (an unknown flag, a missing argument) are typer's own, also exit 2.
    """
    handle_interrupts()
    try:
        # Imported only now, under the handler: pydantic alone takes a moment to import.
        from noetic.cli.commands import app

        app()
    except (Interrupted, KeyboardInterrupt):
        sys.stderr.write("\nnoetic: interrupted\n")
        sys.exit(INTERRUPTED_EXIT)
    except Exception as exc:
        from noetic.errors import NoeticError  # loaded by now, unless loading it failed
        from noetic.printable import printable

        if not isinstance(exc, NoeticError):
            raise
        sys.stderr.write(f"noetic: error: {printable(str(exc))}\n")
        sys.exit(exc.exit_code)


__all__ = ["Interrupted", "handle_interrupts", "main", "raise_pending_interrupt"]
