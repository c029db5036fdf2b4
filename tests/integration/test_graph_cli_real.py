"""A plugin's graph, without Python of one's own: the example plugin's POV debate runs from the
CLI by name on the real model, is killed mid-run, resumes on the same graph, and its report
draws that graph."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from test_kill_resume import TASK, noetic, start, wait_for_event

pytestmark = pytest.mark.integration
DEBATE_NODES = {"acoustics", "politics", "biology", "critique", "select", "announce", "close_round"}


def test_a_plugin_graph_runs_is_killed_resumes_and_reports(
    isolated_home: Path, tmp_path: Path
) -> None:
    proc = start(
        "run", TASK, "--graph", "pov_debate", "--rounds", "2", "--run-id", "debate", "--log-json"
    )
    wait_for_event(proc, "biology", 2)  # killed while round 2's critique is under way
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    runs = json.loads(noetic("runs", "--json").stdout)
    assert [(r["run_id"], r["status"], r["rounds"]) for r in runs] == [("debate", "incomplete", 1)]

    resumed = noetic("resume", "debate", "--json")
    assert resumed.returncode == 0, resumed.stderr
    result = json.loads(resumed.stdout)
    assert result["stop_reason"] == "max_rounds" and [r["round"] for r in result["rounds"]] == [
        1,
        2,
    ]
    assert set(result["timings"]) - {"total"} == {*DEBATE_NODES, "converge"}
    assert result["graph"]["name"] == "pov_debate"
    for record in result["rounds"]:  # the experts' thoughts, each naming its discipline
        disciplines = [c["concepts"][0] for c in record["candidates"]]
        assert disciplines and set(disciplines) <= {"acoustics", "politics", "biology"}

    report = tmp_path / "debate.html"
    assert noetic("report", "debate", "--out", str(report)).returncode == 0
    html = report.read_text(encoding="utf-8")
    assert all(f">{node}<" in html for node in DEBATE_NODES) and ">recall<" not in html
