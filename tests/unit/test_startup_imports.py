"""The commands that read stored runs (`runs`, `show`) start without the heavy parts: the memory
engines' clients and LangGraph's graph builder took 2 of their 3 seconds when they were imported
at module load. A subprocess, so this test's own imports do not count."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("qdrant_client", "qdrant_edge", "langgraph.graph")


def test_reading_runs_imports_no_memory_engine_or_graph_builder() -> None:
    code = (
        "import json, sys, noetic.cli.commands, noetic.runs.stored, noetic.report.tree; "
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(proc.stdout) == []
