"""`python -m bench.verdicts`: does the judge prefer an answer to the same answer with a verdict
on it appended, as refine rounds write ("A: The answer I provided earlier was incorrect.")?

Each judgment-suite item's good answer is scored beside itself plus one of `VERDICTS` (sentences
from stored real rounds, drawn per item), the way the suite scores (no round novelty between
them). Printed per split: the share of pairs `overall` (the safe policy's weighted mean, as
selection computes it) orders right, a tie counting half, with its n.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
from collections.abc import Sequence

from noetic.agents.signals import Judge
from noetic.evaluation.judgment_suite import accuracy_rows, load_items
from noetic.logging import configure_logging
from noetic.models.factory import load_embedder
from noetic.models.llama_cpp import LlamaCppModel
from noetic.policies import load_policies
from noetic.settings import load_settings

VERDICTS = (
    "A: The answer I provided earlier was incorrect.",
    "This is the end of my previous answer to this task.",
    "It includes more details than the original answer.",
    "It is better than its previous answers based on the provided keywords.",
    "This answer is incorrect.",
    "One concept was left out in the original response.",
)
"""Verdicts written by the default model in refine rounds, copied from stored runs."""
SEED = 7


async def run(limit: int | None) -> dict[str, dict[str, float]]:
    settings = load_settings()
    model = LlamaCppModel(settings.model, seed=settings.seed)
    weights = load_policies()["safe"].weights
    judge = Judge(model, load_embedder(settings), ratings=weights.rates)
    rng = random.Random(SEED)
    records: list[dict[str, object]] = []
    for item in load_items(limit=limit):
        texts = {"good": item.good, "verdict": f"{item.good} {rng.choice(VERDICTS)}"}
        judgments, _ = await judge.judge(item.task, list(texts.values()))
        for kind, judgment in zip(texts, judgments, strict=True):
            scores = {k: v for k, v in judgment.scores.items() if k != "round_novelty"}
            records.append({"item": item.id, "split": item.split, "kind": kind, "scores": scores})
    model.close()
    return {
        row.split: {"pairwise_accuracy": row.pairwise_accuracy, "pairs": row.pairs}
        for row in accuracy_rows(records, weights)
        if row.signal == "overall" and row.kind == "verdict"
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.verdicts", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--limit", type=int, help="only the first N items (default: all 88)")
    args = parser.parse_args(argv)
    configure_logging(level="warning")
    result = asyncio.run(run(args.limit))
    if args.json:
        print(json.dumps({"verdicts": result}))
        return
    for split, row in result.items():
        print(f"{split:6s} {row['pairwise_accuracy']:.3f} of {row['pairs']} pairs")


if __name__ == "__main__":
    main()
