"""A real run killed with SIGKILL mid-way resumes to the same number of rounds, counting nothing
twice; Ctrl-C stops between steps and says how to resume. All through the CLI as a subprocess."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from functools import partial
from pathlib import Path

import noetic_cli
import pytest
from noetic_cli import NOETIC, SHORT_REPLIES

from noetic.memory import ACCUMULATOR_FILE, WeightAccumulator

pytestmark = pytest.mark.integration
TASK = "Join acoustics, politics and biology in one idea about resistance"


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [NOETIC, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **SHORT_REPLIES},
    )


def wait_for_event(proc: subprocess.Popen[str], event: str, round_: int) -> None:
    """Read the run's JSON log lines until `event` of round `round_` has been logged."""
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("{"):
            record = json.loads(line)
            if record.get("event") == event and record.get("round") == round_:
                return
    raise AssertionError(f"the run ended before {event} of round {round_}")


noetic = partial(noetic_cli.noetic, timeout=900, **SHORT_REPLIES)


def test_kill_9_mid_run_then_resume(isolated_home: Path) -> None:
    started = time.perf_counter()
    proc = start(
        "run",
        TASK,
        "--rounds",
        "2",
        "--candidates",
        "2",
        "--mode",
        "safe",
        "--run-id",
        "killed",
        "--log-json",
        "--json",
    )
    wait_for_event(proc, "diverge", 2)  # killed while round 2 is being critiqued
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    killed_after = time.perf_counter() - started

    runs = json.loads(noetic("runs", "--json").stdout)
    assert [(r["run_id"], r["status"], r["rounds"]) for r in runs] == [("killed", "incomplete", 1)]

    resumed = noetic("resume", "killed", "--json")
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["stop_reason"] == "max_rounds"
    assert [r["round"] for r in result["rounds"]] == [1, 2]
    # a sample invalid twice is dropped while one remains (see generate_structured)
    assert all(1 <= len(r["candidates"]) <= 2 for r in result["rounds"])
    assert result["answer"].strip()

    stats = json.loads(noetic("memory", "stats", "--json").stdout)
    kinds = stats["kinds"]
    # thought, critique, reflection per round, none doubled; lessons (what failed, what fixed it)
    # as the run taught them, each once
    assert kinds["thought"] == kinds["critique"] == kinds["reflection"] == 2
    assert stats["points"] == 2 * 3 + kinds["lesson"]
    accumulator = WeightAccumulator.load(isolated_home / ACCUMULATOR_FILE)
    assert [r.round for r in accumulator.run_view("killed")] == [1, 2]
    resumed_in = time.perf_counter() - started - killed_after
    print(f"\nkilled after {killed_after:.1f}s; resume took {resumed_in:.1f}s")

    again = noetic("resume", "killed")
    assert again.returncode == 2 and "already finished" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1


def test_ctrl_c_stops_between_steps_and_says_how_to_resume(isolated_home: Path) -> None:
    proc = start(
        "run",
        TASK,
        "--rounds",
        "3",
        "--candidates",
        "2",
        "--mode",
        "safe",
        "--run-id",
        "interrupted",
        "--log-json",
    )
    wait_for_event(proc, "diverge", 1)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130
    assert "noetic resume interrupted" in stderr
    assert "Traceback" not in stderr
    status = json.loads(noetic("runs", "--json").stdout)[0]["status"]
    assert status == "incomplete"


def test_unknown_run_id_is_one_line(isolated_home: Path) -> None:
    proc = noetic("resume", "no-such-run")
    assert proc.returncode == 2
    assert (
        proc.stderr.strip().splitlines() == [proc.stderr.strip()]
        and "no run 'no-such-run'" in proc.stderr
    )
