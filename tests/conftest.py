"""Shared fixtures: an isolated NOETIC_HOME per test, no stray noetic.toml from the cwd, logging
as structlog ships it, and a throwaway PostgreSQL (`postgres_url`, see postgres_server.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
import structlog
from postgres_server import postgres_server, postgres_url  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "noetic-home"
    monkeypatch.setenv("NOETIC_HOME", str(home))
    monkeypatch.delenv("NOETIC_CONFIG", raising=False)
    monkeypatch.delenv("NOETIC_CHECKPOINTS__URL", raising=False)
    monkeypatch.chdir(tmp_path)
    return home


@pytest.fixture(autouse=True)
def fresh_logging() -> None:
    """Each test starts from structlog's defaults: a CLI invoked in process configures logging
    at its level (`warning` filters `info` before any processor), and `capture_logs` in a later
    test of the same worker would then see nothing."""
    structlog.reset_defaults()


@pytest.fixture
def always_synthesize(tmp_path: Path) -> dict[str, Path]:
    """Settings' `policies`: the shipped presets, but converge asks for a synthesis in every run
    (they ask only in runs with checks), for tests of the synthesis itself on check-less tasks."""
    from noetic.policies.policy import load_preset, policy_toml

    paths = {}
    for mode in ("safe", "experimental"):
        path = tmp_path / f"{mode}-always-synthesize.toml"
        path.write_text(policy_toml(load_preset(mode).model_copy(update={"synthesis": "always"})))
        paths[mode] = path
    return paths
