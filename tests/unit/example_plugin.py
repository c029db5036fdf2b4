"""The example plugin package's tests need it installed; without it they fail with one line
saying how to install it, rather than with a confusing unknown-role or unknown-check error."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, distribution

import pytest


def require_example_plugin() -> None:
    try:
        distribution("noetic-pov-roles")
    except PackageNotFoundError:
        pytest.fail(
            "the example plugin is not installed: pip install -e examples/noetic-pov-roles "
            "(the Makefile bootstrap does it)",
            pytrace=False,
        )
