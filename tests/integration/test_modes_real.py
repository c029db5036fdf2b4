"""Real-model runs pinned to each mode differ in sampling, candidates and selection weights;
a token budget ends a run gracefully with its reason."""

from __future__ import annotations

import json
from typing import Any

import pytest
from noetic_cli import SHORT_REPLIES, noetic

pytestmark = pytest.mark.integration
TASK = "Retell the myth of Prometheus as a hypothesis about artificial intelligence"


def run(*args: str, **env: str) -> dict[str, Any]:
    proc = noetic("run", TASK, "--json", "--seed", "3", *args, timeout=600, **env)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def combined(candidate: dict[str, Any], weights: dict[str, float]) -> float:
    used = {k: w for k, w in weights.items() if k in candidate["scores"] and w > 0}
    return sum(w * candidate["scores"][k] for k, w in used.items()) / sum(used.values())


def test_pinned_modes_differ() -> None:
    # one round each: what a pinned mode changes shows in every round, and a pinned run never
    # switches (auto's switching is tested without a model in test_deliberation_graph)
    safe = run("--mode", "safe", "--rounds", "1", "--candidates", "2", **SHORT_REPLIES)
    wild = run("--mode", "experimental", "--rounds", "1", "--candidates", "2", **SHORT_REPLIES)
    assert {r["mode"] for r in safe["rounds"]} == {"safe"}
    assert {r["mode"] for r in wild["rounds"]} == {"experimental"}
    assert safe["mode_switches"] == [] and wild["mode_switches"] == []
    # each mode's candidate count; a sample invalid twice is dropped while one remains
    for result, asked in ((safe, 2), (wild, 3)):
        counts = [len(r["candidates"]) for r in result["rounds"]]
        assert max(counts) == asked and min(counts) >= 1, counts
    assert (
        safe["policies"]["safe"]["sampling"]["temperature"]
        < (wild["policies"]["experimental"]["sampling"]["temperature"])
    )
    # selection follows each mode's weights: recompute the winner from the recorded scores
    for result, mode in ((safe, "safe"), (wild, "experimental")):
        weights = result["policies"][mode]["weights"]
        for record in result["rounds"]:
            eligible = [c for c in record["candidates"] if c["filtered"] is None]
            if not eligible:
                continue

            best = max(combined(c, weights) for c in eligible)
            chosen = record["candidates"][record["selected"]]
            assert chosen["scores"]["overall"] == pytest.approx(best, abs=1e-3)


def test_max_tokens_stops_with_that_reason() -> None:
    result = run("--mode", "safe", "--rounds", "4", "--max-tokens", "300", **SHORT_REPLIES)
    assert result["stop_reason"] == "max_tokens"
    assert len(result["rounds"]) < 4
    assert result["answer"].strip()
