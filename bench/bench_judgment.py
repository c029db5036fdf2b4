"""The judge against the sampled critic it replaced, side by side on the judgment suite.

Both score the same texts of the suite's test half (a good answer and six corruptions per task)
on the default model in one run: the judge as the critique stage runs it (the signals the safe
policy weighs, so no ratings by default); the
baseline as the critic used to, a JSON critique sampled at temperature 0.1 from a prompt with an
example (the 0.1 release's), its `overall` from the 0.1 safe weights. Printed: pairwise accuracy
(good scored above bad; a tie counts half) overall and on the weakest corruption kind, and the
seconds each spent per text, with their ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from collections.abc import Sequence
from typing import Annotated

from pydantic import BaseModel, Field

from noetic.agents.base import PromptTemplate
from noetic.agents.signals import Judge
from noetic.evaluation.judgment_suite import (
    JudgmentItem,
    accuracy_rows,
    corruptions,
    load_items,
    run_judgment,
)
from noetic.logging import configure_logging
from noetic.models.base import Request, Sampling
from noetic.models.factory import load_embedder
from noetic.models.llama_cpp import LlamaCppModel
from noetic.models.structured import generate_structured_each
from noetic.policies import load_policies
from noetic.policies.policy import SelectionWeights
from noetic.settings import load_settings

BASELINE_PROMPT = PromptTemplate(
    system=(
        "You are a strict critic. Judge one candidate answer to a task. Score from 0 (worst) to "
        "10 (best):\nrelevance: does it answer the task? coherence: is it clear and consistent? "
        "novelty: is it an original idea rather than an obvious one? risk_flags: an empty list, "
        "unless the candidate is harmful or offensive. rationale: one sentence explaining the "
        'scores.\nExample: {"relevance": 7, "coherence": 6, "novelty": 4, "risk_flags": [], '
        '"rationale": "It answers the task clearly but the idea is familiar."}'
    ),
    user="Task: $task\nCandidate: $candidate",
)
BASELINE_WEIGHTS = SelectionWeights(
    relevance=0.45, coherence=0.35, novelty=0.1, fluency=0, pmi=0, embed_relevance=0, integrity=0
)
Rating = Annotated[int, Field(ge=0, le=10)]
ROUND = 3
"""Texts judged together, as a round's default candidates are."""


class SampledCritique(BaseModel):
    relevance: Rating
    coherence: Rating
    novelty: Rating
    risk_flags: list[Annotated[str, Field(max_length=40)]] = Field(max_length=3)
    rationale: str = Field(max_length=240)


async def _baseline(model: LlamaCppModel, items: Sequence[JudgmentItem]) -> tuple[list, float]:
    records: list[dict[str, object]] = []
    started = time.perf_counter()
    for item in items:
        texts = {"good": item.good, **corruptions(item, items)}
        requests = [
            Request(
                messages=BASELINE_PROMPT.render(task=item.task, candidate=text),
                sampling=Sampling(temperature=0.1, max_tokens=140, seed=i),
            )
            for i, text in enumerate(texts.values())
        ]
        critiques: list[SampledCritique] = []
        for first in range(0, len(requests), ROUND):  # a round's candidates at a time
            batch, _ = await generate_structured_each(
                model, requests[first : first + ROUND], SampledCritique
            )
            critiques += batch
        for kind, critique in zip(texts, critiques, strict=True):
            scores = {d: getattr(critique, d) / 10 for d in ("relevance", "coherence", "novelty")}
            records.append({"item": item.id, "split": item.split, "kind": kind, "scores": scores})
    return records, time.perf_counter() - started


def _summary(rows: Sequence, signal: str) -> dict[str, float]:
    mine = {r.kind: r.pairwise_accuracy for r in rows if r.signal == signal}
    worst = min((k for k in mine if k != "all"), key=lambda k: mine[k])
    return {"all": mine["all"], "weakest_kind": worst, "weakest": mine[worst]}


async def run(limit: int | None) -> dict[str, object]:
    settings = load_settings()
    items = load_items("test", limit)
    model = LlamaCppModel(settings.model, seed=settings.seed)
    weights = load_policies()["safe"].weights
    judge = Judge(model, load_embedder(settings), ratings=weights.rates)  # as the critic runs
    progress = lambda line: print(line, file=sys.stderr)  # noqa: E731
    report = await run_judgment(judge, weights, items, progress=progress, per_call=ROUND)
    base_records, base_seconds = await _baseline(model, items)
    base_rows = accuracy_rows(base_records, BASELINE_WEIGHTS)
    texts = len(report.records)
    return {
        "items": len(items),
        "texts": texts,
        "judge": {**_summary(report.rows, "overall"), "seconds_per_text": report.seconds / texts},
        "sampled_critic": {
            **_summary(base_rows, "overall"),
            "seconds_per_text": base_seconds / texts,
        },
        "judge_over_sampled_critic_seconds": round(report.seconds / base_seconds, 3),
        "distinct_baseline_overall": len(
            {round(BASELINE_WEIGHTS.combine(r["scores"]), 4) for r in base_records}  # type: ignore[arg-type]
        ),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--judgment-limit", type=int, help="only the first N test items (default: all 32)"
    )
    args, _ = parser.parse_known_args(argv)
    configure_logging(level="warning")
    result = asyncio.run(run(args.judgment_limit))
    if args.json:
        print(json.dumps({"judgment": result}))
    else:
        for key, value in result.items():
            print(f"{key:36s} {value}")
