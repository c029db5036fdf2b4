"""Noetic: staged multi-agent deliberation on local models."""

from importlib.metadata import PackageNotFoundError, version

from noetic.agents.schemas import HumanDecision
from noetic.api import adeliberate, aresume, deliberate, resume
from noetic.errors import NoeticError
from noetic.result import DeliberationResult
from noetic.settings import NoeticSettings, load_settings

try:
    __version__ = version("noetic")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = [
    "DeliberationResult",
    "HumanDecision",
    "NoeticError",
    "NoeticSettings",
    "__version__",
    "adeliberate",
    "aresume",
    "deliberate",
    "load_settings",
    "resume",
]
