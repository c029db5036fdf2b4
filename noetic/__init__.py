"""Noetic: staged multi-agent deliberation on local models.

The public names load on first use (PEP 562): importing `noetic` for the CLI costs nothing until
a command needs the graph, so Ctrl-C during start-up meets the CLI's handler, not a traceback.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from noetic.errors import NoeticError
    from noetic.record import HumanDecision
    from noetic.runs.api import adeliberate, aresume, deliberate, resume
    from noetic.runs.result import DeliberationResult
    from noetic.runs.session import Session, open_session
    from noetic.settings import NoeticSettings, load_settings

try:
    __version__ = version("noetic")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

_EXPORTS = {
    "DeliberationResult": "noetic.runs.result",
    "HumanDecision": "noetic.record",
    "NoeticError": "noetic.errors",
    "NoeticSettings": "noetic.settings",
    "Session": "noetic.runs.session",
    "adeliberate": "noetic.runs.api",
    "aresume": "noetic.runs.api",
    "deliberate": "noetic.runs.api",
    "load_settings": "noetic.settings",
    "open_session": "noetic.runs.session",
    "resume": "noetic.runs.api",
}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'noetic' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value


__all__ = [
    "DeliberationResult",
    "HumanDecision",
    "NoeticError",
    "NoeticSettings",
    "Session",
    "__version__",
    "adeliberate",
    "aresume",
    "deliberate",
    "load_settings",
    "open_session",
    "resume",
]
