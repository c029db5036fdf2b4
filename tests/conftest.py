"""Shared fixtures: an isolated NOETIC_HOME per test, and no stray noetic.toml from the cwd."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "noetic-home"
    monkeypatch.setenv("NOETIC_HOME", str(home))
    monkeypatch.delenv("NOETIC_CONFIG", raising=False)
    monkeypatch.chdir(tmp_path)
    return home
