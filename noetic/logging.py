"""Structured logs through structlog: readable console lines by default, JSON lines on request.

Logs go to stderr, resolved at every write, so a live progress display that redirects stderr
shows them above itself, and `--json` output on stdout stays clean.
"""

from __future__ import annotations

import sys
from typing import Any, TextIO

import structlog

LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


class _StderrLogger:
    """Writes each rendered event line to whatever `sys.stderr` is at that moment."""

    def msg(self, message: str) -> None:
        stream: TextIO = sys.stderr
        stream.write(message + "\n")
        stream.flush()

    log = debug = info = warning = warn = error = critical = exception = msg


def _logger_factory(*_: Any) -> _StderrLogger:
    return _StderrLogger()


def configure_logging(*, json: bool = False, level: str = "info") -> None:
    """Set up structlog once per process (the CLI calls it; library users may call it too)."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if json
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty(), pad_event_to=12)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(LEVELS[level]),
        logger_factory=_logger_factory,
        cache_logger_on_first_use=False,
    )
