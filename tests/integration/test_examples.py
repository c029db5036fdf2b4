"""Every script in examples/ runs on the real default model, as a user would run it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from noetic_cli import SHORT_REPLIES

pytestmark = pytest.mark.integration
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SMALL = {"NOETIC_ROUNDS": "1", "NOETIC_CANDIDATES": "2", "NOETIC_SEED": "3", **SHORT_REPLIES}


def run_example(name: str, **env: str) -> str:
    """Run `examples/<name>.py` in the test's NOETIC_HOME and working directory; its stdout."""
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / f"{name}.py")],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **SMALL, **env},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def answer(stdout: str) -> str:
    return stdout.split("answer:", 1)[1].strip()


def test_custom_role_plugin_seats_the_devils_advocate() -> None:
    out = run_example("custom_role_plugin")
    assert "devils_advocate (noetic-pov-roles)" in out
    assert out.count(" objection: ") == 2
    if " eligible " in out:  # every candidate may be filtered (risk flags): then no answer
        assert answer(out)


def test_custom_graph_debate_announces_a_perspective() -> None:
    out = run_example("custom_graph_debate")
    winners = [line for line in out.splitlines() if line.startswith("round 1: ")]
    assert len(winners) == 1
    assert winners[0].split()[2] in {"acoustics", "politics", "biology"}
    assert answer(out)


def test_memory_seeded_run_recalls_the_seeded_notes() -> None:
    out = run_example("memory_seeded_run")
    assert "seeded 3 notes" in out
    assert out.count("round 1 recalled [seed] ") == 3
    assert answer(out)


def test_long_run_resumed_finishes_where_it_stopped() -> None:
    out = run_example("long_run_resumed", NOETIC_ROUNDS="2")
    assert "is incomplete after 1 round(s)" in out
    assert re.search(r"^resumed: \w+ after 2 rounds$", out, re.MULTILINE)
