"""Scale-out figures: what concurrent runs gain on llama-server and in process, why, and what
llama.cpp's spinning threads cost processes that share cores.

- `batch`: the same tasks as one `noetic batch` at `--concurrency C` and one by one, against
  llama-server with C slots (continuous batching) and against the in-process model (one lock
  serialises its calls). The figure is the ratio of wall times, each batch doing the same work
  (its tokens are printed beside it). On the server, each batch also reports how many slots its
  decoding steps carried on average (`busy_slots`, from llama-server's `/metrics`): a run sends
  its candidates and scoring requests side by side, so even one by one keeps several busy.
- `engine`: the server's own curve, plain completions of a fixed length at 1, 2, 4 and 8 at once
  (tokens per second). Read at the two batches' `busy_slots`, it predicts their ratio: what
  decoding more sequences together can give on this machine.
- `omp`: one short generation in process, alone, then beside a second llama.cpp process that
  generates without pause, with `OMP_WAIT_POLICY=PASSIVE` (Noetic's default) and `ACTIVE`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from noetic.logging import configure_logging
from noetic.models.base import ChatModel
from noetic.models.default_model import default_model_path
from noetic.models.factory import load_chat_model
from noetic.runs.batch import BatchRecord, arun_batch, read_tasks
from noetic.settings import ModelSettings, NoeticSettings, load_settings
from noetic.testing.llama_server import LlamaServer

TASKS = [
    "Join acoustics, politics and biology in one idea",
    "How could cities store summer heat for winter?",
    "What would a library for smells look like?",
    "Design a game that teaches patience",
    "Invent a musical instrument made from kitchen tools",
    "How might bees inspire voting systems?",
    "Explain tides to a child using a bathtub",
    "Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence",
]
ENGINE_TOKENS = 96
"""Length of the engine curve's completions."""
GENERATE = """
import asyncio, sys, time
from noetic.models.base import Message, Sampling
from noetic.models.llama_cpp import LlamaCppModel
model = LlamaCppModel()
ask = [Message(role="user", content="Describe the sea in one sentence.")]
sampling = Sampling(temperature=0.0, max_tokens=int(sys.argv[1]))
for _ in range(int(sys.argv[2])):
    started = time.perf_counter()
    asyncio.run(model.complete(ask, sampling))
    print("seconds", time.perf_counter() - started, flush=True)
"""
"""A worker generating `argv[1]` tokens `argv[2]` times, printing each time in seconds (its
logs go to stdout too)."""


async def timed_batch(
    settings: NoeticSettings, model: ChatModel, tasks: int, concurrency: int
) -> dict[str, Any]:
    records: list[BatchRecord] = []
    with tempfile.TemporaryDirectory() as home:
        path = Path(home) / "tasks.jsonl"
        lines = (json.dumps({"task": TASKS[i % len(TASKS)], "seed": i}) for i in range(tasks))
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        summary = await arun_batch(
            read_tasks(path),
            settings.model_copy(update={"home": Path(home)}),
            concurrency=concurrency,
            on_record=records.append,
            model=model,
        )
    tokens = sum(r.result.usage.total_tokens for r in records if r.result is not None)
    return {"seconds": summary.seconds, "failed": summary.failed, "tokens": tokens}


def server_counters(url: str) -> dict[str, float]:
    """llama-server's counters and gauges (`--metrics`)."""
    return parse_metrics(httpx.get(url.removesuffix("/v1") + "/metrics", timeout=10.0).text)


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text as {name without `llamacpp:`: value}; labelled series are left out."""
    return {
        name.removeprefix("llamacpp:"): float(value)
        for name, value in (line.split() for line in text.splitlines() if line[:1] not in "#")
        if "{" not in name
    }


async def served_batch(
    settings: NoeticSettings, model: ChatModel, url: str, tasks: int, concurrency: int
) -> dict[str, Any]:
    """`timed_batch`, with the mean number of slots each of the server's decoding steps carried."""
    before = server_counters(url)
    timed = await timed_batch(settings, model, tasks, concurrency)
    after = server_counters(url)

    def busy(counters: dict[str, float]) -> float:
        return counters["n_busy_slots_per_decode"] * counters["n_decode_total"]

    decodes = after["n_decode_total"] - before["n_decode_total"]
    return timed | {"busy_slots": round((busy(after) - busy(before)) / max(decodes, 1.0), 2)}


async def engine_curve(
    url: str, widths: Sequence[int], tokens: int, repeats: int = 3
) -> dict[int, float]:
    """Tokens per second of `k` plain completions of `tokens` tokens at once, per `k` (the median
    of `repeats`: one try takes seconds, and a shared host's noise is of that order)."""

    async def at_once(client: httpx.AsyncClient, k: int) -> float:
        body = {"max_tokens": tokens, "ignore_eos": True, "temperature": 0.0, "cache_prompt": False}
        started = time.perf_counter()
        await asyncio.gather(
            *(
                client.post("/chat/completions", json=body | {"messages": [_ask(i)]})
                for i in range(k)
            )
        )
        return round(k * tokens / (time.perf_counter() - started), 1)

    async with httpx.AsyncClient(base_url=url, timeout=600.0) as client:
        await at_once(client, 1)  # warm up
        return {
            k: statistics.median([await at_once(client, k) for _ in range(repeats)]) for k in widths
        }


def _ask(i: int) -> dict[str, str]:
    return {"role": "user", "content": f"Describe the sea in the voice of sailor number {i}."}


def predicted_ratio(curve: dict[int, float], slow: float, fast: float) -> float:
    """The curve's tokens per second at `fast` busy slots over those at `slow` (interpolated)."""

    def at(width: float) -> float:
        points = sorted(curve.items())
        for (k0, t0), (k1, t1) in zip(points, points[1:], strict=False):
            if width <= k1:
                return t0 + (t1 - t0) * (max(width, k0) - k0) / (k1 - k0)
        return points[-1][1]

    return round(at(fast) / at(slow), 2)


async def batch_ratio(
    settings: NoeticSettings, model: ChatModel, tasks: int, concurrency: int, url: str | None
) -> dict[str, Any]:
    if url is None:
        one_by_one = await timed_batch(settings, model, tasks, 1)
        together = await timed_batch(settings, model, tasks, concurrency)
    else:
        one_by_one = await served_batch(settings, model, url, tasks, 1)
        together = await served_batch(settings, model, url, tasks, concurrency)
    return {
        "sequential": one_by_one,
        "concurrent": together,
        "concurrent_over_sequential": round(one_by_one["seconds"] / together["seconds"], 2),
    }


async def bench_batch(tasks: int, concurrency: int, log_dir: Path) -> dict[str, Any]:
    settings = load_settings(
        rounds=1, candidates=2, mode="safe", memory={"enabled": False}, log_level="warning"
    )
    server = LlamaServer(default_model_path(), log_dir / "llama-server.log", parallel=concurrency)
    server.start()
    try:
        served = load_chat_model(ModelSettings(base_url=server.url))
        on_server = await batch_ratio(settings, served, tasks, concurrency, server.url)
        await served.aclose()
        widths = sorted({1, 2, 4, concurrency})
        curve = await engine_curve(server.url, widths, ENGINE_TOKENS)
    finally:
        server.stop()
    on_server["engine_tokens_per_s"] = curve
    on_server["engine_predicted_ratio"] = predicted_ratio(
        curve, on_server["sequential"]["busy_slots"], on_server["concurrent"]["busy_slots"]
    )
    in_process = load_chat_model(settings.model)
    try:
        local = await batch_ratio(settings, in_process, tasks, concurrency, None)
    finally:
        await in_process.aclose()
    return {
        "tasks": tasks,
        "concurrency": concurrency,
        "llama_server": on_server,
        "in_process": local,
    }


def generation_seconds(policy: str, *, beside: bool, tokens: int, repeats: int) -> float:
    """Median seconds of one generation in a fresh process, alone or beside a busy one."""
    env = {**os.environ, "OMP_WAIT_POLICY": policy}
    neighbour = None
    if beside:
        neighbour = subprocess.Popen(
            [sys.executable, "-c", GENERATE, "64", "100000"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(3.0)  # let it load and start generating
    try:
        out = subprocess.run(
            [sys.executable, "-c", GENERATE, str(tokens), str(repeats)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()
    times = [float(line.split()[1]) for line in out.splitlines() if line.startswith("seconds ")]
    return round(statistics.median(times), 2)


def bench_omp(tokens: int, repeats: int) -> dict[str, Any]:
    alone = generation_seconds("PASSIVE", beside=False, tokens=tokens, repeats=repeats)
    passive = generation_seconds("PASSIVE", beside=True, tokens=tokens, repeats=repeats)
    active = generation_seconds("ACTIVE", beside=True, tokens=tokens, repeats=repeats)
    return {
        "tokens": tokens,
        "alone_s": alone,
        "beside_passive_s": passive,
        "beside_active_s": active,
        "slowdown_passive": round(passive / alone, 1),
        "slowdown_active": round(active / alone, 1),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--batch-tasks", type=int, default=16, help="tasks in each batch")
    parser.add_argument("--concurrency", type=int, default=8, help="runs at once (= slots)")
    parser.add_argument("--omp-tokens", type=int, default=32, help="tokens per timed generation")
    args, _ = parser.parse_known_args(argv)
    configure_logging(level="warning")
    with tempfile.TemporaryDirectory() as logs:
        batch = asyncio.run(bench_batch(args.batch_tasks, args.concurrency, Path(logs)))
    omp = bench_omp(args.omp_tokens, repeats=3)
    result = {
        "batch_concurrent_over_sequential": batch["llama_server"]["concurrent_over_sequential"],
        "in_process_concurrent_over_sequential": batch["in_process"]["concurrent_over_sequential"],
        "batch": batch,
        "omp": omp,
    }
    if args.json:
        print(json.dumps({"scale": result}))
    else:
        _print_table(result)


def _print_table(result: dict[str, Any]) -> None:
    batch, omp = result["batch"], result["omp"]
    print(
        f"noetic batch of {batch['tasks']} tasks (1 round, 2 candidates, memory off), "
        f"concurrency {batch['concurrency']} against one by one, in one run"
    )
    print(f"{'backend':<26} {'one by one s':>13} {'concurrent s':>13} {'tokens':>15} {'ratio':>6}")
    for name in ("llama_server", "in_process"):
        row = batch[name]
        seq, con = row["sequential"], row["concurrent"]
        print(
            f"{name:<26} {seq['seconds']:>13.1f} {con['seconds']:>13.1f} "
            f"{seq['tokens']:>7}/{con['tokens']:<7} {row['concurrent_over_sequential']:>6.2f}x"
        )
    server = batch["llama_server"]
    curve = ", ".join(f"{k}: {tps} tok/s" for k, tps in server["engine_tokens_per_s"].items())
    print(
        f"llama-server decoding steps carried {server['sequential']['busy_slots']} slots on "
        f"average one by one, {server['concurrent']['busy_slots']} concurrently. Its own curve "
        f"({ENGINE_TOKENS}-token completions): {curve}; read at those widths it predicts "
        f"{server['engine_predicted_ratio']:.2f}x."
    )
    print(
        f"\nOne {omp['tokens']}-token generation: alone {omp['alone_s']} s; beside a busy "
        f"llama.cpp process {omp['beside_passive_s']} s with OMP_WAIT_POLICY=PASSIVE "
        f"({omp['slowdown_passive']}x), {omp['beside_active_s']} s with ACTIVE "
        f"({omp['slowdown_active']}x)"
    )
