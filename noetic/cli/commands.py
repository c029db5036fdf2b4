"""Every command group, imported for its registration on the shared Typer `app`."""

from __future__ import annotations

from noetic.cli import batch, bench, evaluate, info, judge, memory, run, show  # noqa: F401
from noetic.cli.app import app

__all__ = ["app"]
