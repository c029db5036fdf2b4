"""Soak: the embedder, the judge and the evaluation over 500 items in one process.

Long runs failed where short tests pass: a 74-item evaluation died in the embedder's cache
eviction, and results came only at the end. Each part here runs `--items` items (500) on the
real default model (the evaluation on a scripted one, so it soaks the harness, not the model)
and prints, side by side, the time per item of the last hundred over the first hundred and the
peak resident memory it grew by after its first step (models loaded): a leak or a slowdown
shows as a ratio above 1, a crash as no row.

- embedder: `--items` distinct texts through the real in-process embedder in calls of 8, each
  call repeating texts of the calls before, with the cache cut to 64 texts so eviction runs on
  nearly every call; every vector must be its own text's, by a fresh embedding (`_same_texts`).
- judge: the real judge on `--items` candidate answers, 4 a call, as a run's critic calls it.
- evaluation: `--items` items of a user suite file through `single` on a scripted model, each
  record journaled as it finishes; the journal must hold every item once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from noetic.logging import configure_logging
from noetic.models import llama_embedder

WORDS = "tide glacier yeast kite vaccine lantern harbor orchard violin comet ledger".split()


def _text(i: int) -> str:
    return f"Note {i}: the {WORDS[i % len(WORDS)]} and the {WORDS[(i * 7) % len(WORDS)]} meet."


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _soak(items: int, step: Callable[[int], Awaitable[int]]) -> dict[str, float]:
    """Run `step(i)` (which handles some items and says how many) until `items` are done."""
    times: list[float] = []
    before = 0.0
    done = 0
    while done < items:
        began = time.perf_counter()
        handled = await step(done)
        times += [(time.perf_counter() - began) / handled] * handled
        done += handled
        before = before or _rss_mb()  # after the first step: models loaded, caches warm
    hundred = min(100, len(times) // 2)
    first, last = sum(times[:hundred]), sum(times[-hundred:])
    return {
        "items": done,
        "last_over_first": round(last / first, 2),
        "ms_per_item": round(1000 * sum(times) / done, 2),
        "rss_growth_mb": round(_rss_mb() - before, 1),
    }


def _same_texts(texts: list[str], cached: list[list[float]], fresh: list[list[float]]) -> None:
    """Each cached vector is its own text's: nearest that text's fresh vector, at cosine 0.999 or
    more. Not equal: in the first soak a vector embedded beside other texts differed from a fresh
    one by up to 9e-4 a component, while another text of the same template is farther (cosine
    0.88 to 0.98)."""
    for i, vector in enumerate(cached):
        cosines = [sum(a * b for a, b in zip(vector, w, strict=True)) for w in fresh]
        nearest = max(range(len(fresh)), key=cosines.__getitem__)
        assert texts[nearest] == texts[i], f"the vector cached for {texts[i]!r} is another text's"
        assert cosines[i] >= 0.999, f"the vector cached for {texts[i]!r} drifted: {cosines[i]}"


async def soak_embedder(items: int) -> dict[str, float]:
    from noetic.models.default_model import default_model_path
    from noetic.models.llama_embedder import LlamaCppEmbedder

    llama_embedder.CACHED_TEXTS = 64
    embedder = LlamaCppEmbedder(default_model_path())
    reference = LlamaCppEmbedder(default_model_path())

    async def step(done: int) -> int:
        texts = [_text(done + k) for k in range(6)] + [_text(max(0, done - 70)), _text(done // 2)]
        vectors = await embedder.embed(texts)
        if done % 50 == 0:  # a fresh embedder (no cache) agrees with the cached one
            _same_texts(texts, vectors, await reference.embed(texts))
        return 6

    try:
        return await _soak(items, step)
    finally:
        llama_embedder.CACHED_TEXTS = 1024


async def soak_judge(items: int) -> dict[str, float]:
    from noetic.agents.signals import Judge
    from noetic.models.factory import load_chat_model, load_embedder
    from noetic.settings import load_settings

    settings = load_settings()
    judge = Judge(load_chat_model(settings.model), load_embedder(settings), ratings=False)
    task = "Explain how tides work to a child."

    async def step(done: int) -> int:
        texts = [f"{_text(done + k)} The moon pulls the sea, so it rises." for k in range(4)]
        judgments, _ = await judge.judge(task, texts)
        assert len(judgments) == 4 and all("fluency" in j.scores for j in judgments)
        return 4

    return await _soak(items, step)


async def soak_evaluation(items: int) -> dict[str, float]:
    from noetic.evaluation import Evaluation, ModelPool, load_suite, plan_configs
    from noetic.settings import load_settings
    from noetic.testing import ScriptedModel

    with tempfile.TemporaryDirectory(prefix="noetic-soak-") as scratch:
        suite = Path(scratch) / "soak.jsonl"
        lines = (
            json.dumps({"id": f"s{i}", "task": f"Write about {_text(i)}", "checks": ["words<=40"]})
            for i in range(items)
        )
        suite.write_text("\n".join(lines) + "\n", encoding="utf-8")
        journal = Path(scratch) / "progress.jsonl"
        settings = load_settings()
        pool = ModelPool(lambda m: ScriptedModel(lambda r: "The tide rises and falls twice."))
        evaluation = Evaluation(settings, pool, journal=journal)
        specs = plan_configs("single", settings.model, [])
        chunk = 100
        loaded = load_suite(str(suite))

        async def step(done: int) -> int:
            report = await evaluation.run("soak", loaded[done : done + chunk], specs)
            assert len(report.records) == len(loaded[done : done + chunk])
            return len(report.records)

        figures = await _soak(items, step)
        journaled = [json.loads(line)["item_id"] for line in journal.open(encoding="utf-8")]
        assert sorted(journaled) == sorted(item.id for item in loaded), "journal lost items"
        return figures


PARTS = {"embedder": soak_embedder, "judge": soak_judge, "evaluation": soak_evaluation}


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench soak")
    parser.add_argument("--items", type=int, default=500)
    parser.add_argument("--soak", default=",".join(PARTS), help="Which parts, comma-separated.")
    args, _ = parser.parse_known_args(argv)
    configure_logging(level="warning")
    print(f"\nSoak: {args.items} items each, one process")
    print("| part | items | last 100 / first 100 (time per item) | ms per item | RSS growth MB |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in args.soak.split(","):
        figures = asyncio.run(PARTS[name](args.items))
        print(
            f"| {name} | {figures['items']:.0f} | {figures['last_over_first']} | "
            f"{figures['ms_per_item']} | {figures['rss_growth_mb']} |"
        )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
