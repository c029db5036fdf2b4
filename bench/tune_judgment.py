"""Tune the selection weights on the judgment suite's dev half; report both halves.

    noetic eval --suite judgment --out DIR      # scores every text once (the slow part)
    python -m bench.tune_judgment DIR/judgment.json

Coordinate ascent over a grid of weights for the signals the records carry, maximizing the dev
half's pairwise accuracy averaged over bad-answer kinds (each kind counts alike, so the few hard
kinds weigh as much as the many easy ones; `wrong` is left out of the objective: a 135M model
may not know the fact, and tuning toward it would tune toward noise). Prints the weights, then
the per-kind accuracy of `overall` on dev and test with them. Not part of `make bench`: it
reads records, it measures no speed.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from noetic.evaluation.judgment_suite import HARD, KINDS, accuracy_rows
from noetic.policies.policy import SelectionWeights

GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0)
OBJECTIVE_KINDS = tuple(k for k in KINDS if k != "wrong")
SKIP = {"resonance", "checks", "round_novelty", "memory_novelty"}
"""Signals the judgment suite cannot measure: they depend on a run (its accumulator, its other
candidates, its memory) or on checks the suite does not have."""


def overall_by_kind(records: Sequence[dict], weights: dict[str, float], split: str) -> dict:
    rows = accuracy_rows([r for r in records if r["split"] == split], _weights(weights))
    return {r.kind: r.pairwise_accuracy for r in rows if r.signal == "overall"}


def _weights(values: dict[str, float]) -> SelectionWeights:
    fixed = set(SelectionWeights.model_fields)
    zero = {k: 0.0 for k in fixed if k not in values}
    return SelectionWeights(**zero, **values)


def objective(records: Sequence[dict], weights: dict[str, float]) -> float:
    kinds = overall_by_kind(records, weights, "dev")
    return sum(kinds.get(k, 0.0) for k in OBJECTIVE_KINDS) / len(OBJECTIVE_KINDS)


def tune(records: Sequence[dict], signals: Sequence[str], passes: int = 4) -> dict[str, float]:
    weights = {s: 0.2 for s in signals}
    best = objective(records, weights)
    for _ in range(passes):
        moved = False
        for signal in signals:
            for value in GRID:
                trial = weights | {signal: value}
                if not any(trial.values()):
                    continue
                score = objective(records, trial)
                if score > best + 1e-9:
                    best, weights, moved = score, trial, True
        if not moved:
            break
    return weights


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("records", type=Path, help="judgment.json from `noetic eval`")
    args = parser.parse_args(argv)
    records = json.loads(args.records.read_text(encoding="utf-8"))["records"]
    signals = sorted({k for r in records for k in r["scores"]} - SKIP)
    weights = tune(records, signals)
    print("weights:", json.dumps({k: v for k, v in weights.items() if v}, sort_keys=True))
    for split in ("dev", "test"):
        kinds = overall_by_kind(records, weights, split)
        hard = sum(kinds[k] for k in HARD if k in kinds) / len(HARD)
        cells = " ".join(f"{k}={kinds.get(k, 0):.2f}" for k in KINDS)
        print(f"{split}: {cells} all={kinds.get('all', 0):.2f} hard-mean={hard:.2f}")


if __name__ == "__main__":
    main()
