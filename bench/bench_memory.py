"""Memory figures: vector store insert throughput and search latency, accumulator update time.

The vector memory runs on each engine side by side in one run: Qdrant Edge (the embedded
default) and qdrant-client's local mode (the embedded engine it replaced), plus a Qdrant server
with --url. They get random unit vectors of the default model's width (576) from a seeded
generator, so the figures measure the engine and our hybrid query, not the embedding model.
Edge's insert rate includes building its HNSW index as the store grows. The accumulator figures
compare one update's cost at 1k and 100k concepts: with lazy decay it should follow the concepts
touched, not the size of the graph.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import tempfile
import time
import warnings
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from noetic.logging import configure_logging
from noetic.memory import ACCUMULATOR_FILE, MemoryRecord, VectorMemory, WeightAccumulator
from noetic.memory.client_store import ClientStore
from noetic.memory.engine import Identity
from noetic.settings import MemorySettings

DIMENSION = 576
"""SmolLM2-135M's embedding width, the default model's."""

BATCH = 100
UPDATE_CONCEPTS = 8
ENGINES = {"edge": "Qdrant Edge, embedded", "local": "qdrant-client local mode"}


class RandomEmbedder:
    """Deterministic random unit vectors: no model cost in the store's figures."""

    name = f"random-{DIMENSION}"
    dimension = DIMENSION

    async def embed(self, texts: Sequence[str]) -> list[list[float]]:
        vectors = []
        for text in texts:
            v = np.random.default_rng(zlib.crc32(text.encode())).standard_normal(DIMENSION)
            vectors.append((v / np.linalg.norm(v)).tolist())
        return vectors


def _sentence(rng: random.Random, vocabulary: list[str], words: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def _percentile(samples: list[float], q: int) -> float:
    return (
        statistics.quantiles(samples, n=100, method="inclusive")[q - 1]
        if len(samples) > 1
        else samples[0]
    )


def _vocabulary() -> list[str]:
    rng = random.Random(0)
    return [f"{rng.choice('bdfgklmnprstvz')}{rng.choice('aeiou')}{i}" for i in range(5000)]


async def _fill(memory: VectorMemory, rng: random.Random, start: int, stop: int) -> float:
    """Insert points `start`..`stop` (3 per round, 100 rounds per run); returns points/s."""
    vocabulary = _vocabulary()
    started = time.perf_counter()
    for first in range(start, stop, BATCH):
        await memory.add(
            [
                MemoryRecord(
                    run_id=f"run-{n // 300}",
                    task="bench",
                    round=n // 3,
                    role="generator",
                    mode="safe",
                    kind="thought",
                    index=n % 3,
                    text=_sentence(rng, vocabulary, 24),
                )
                for n in range(first, min(first + BATCH, stop))
            ]
        )
    return (stop - start) / (time.perf_counter() - started)


def _open(engine: str, home: Path, url: str | None) -> VectorMemory:
    server = url if engine == "server" else None
    settings = MemorySettings(url=server, collection=f"bench_{time.time_ns()}")
    embedder = RandomEmbedder()
    if engine != "local":
        return VectorMemory.open(home, settings, embedder)
    identity = Identity(embedder.name, embedder.dimension)
    store = ClientStore.local(home / "local", settings.collection, identity)
    return VectorMemory(store, collection=settings.collection, embedder=embedder, recall_k=4)


async def bench_vector_memory(
    engine: str, sizes: list[int], queries: int, directory: Path, url: str | None
) -> dict[str, Any]:
    rng = random.Random(0)
    vocabulary = _vocabulary()
    rows: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(dir=directory) as home,
        _open(engine, Path(home), url) as memory,
    ):
        for size in sorted(sizes):
            insert_rate = await _fill(memory, rng, memory.count(), size)
            latencies = []
            for _ in range(queries):
                query = _sentence(rng, vocabulary, 6)
                started = time.perf_counter()
                await memory.search(query, k=4)
                latencies.append((time.perf_counter() - started) * 1000)
            rows.append(
                {
                    "points": memory.count(),
                    "insert_per_s": round(insert_rate, 1),
                    "search_p50_ms": round(_percentile(latencies, 50), 2),
                    "search_p95_ms": round(_percentile(latencies, 95), 2),
                }
            )
    where = f"server {url}" if url else f"in {directory}"
    return {"engine": ENGINES.get(engine, "Qdrant server"), "store": where, "sizes": rows}


async def disk_insert_rate(engine: str, points: int) -> dict[str, Any]:
    """Embedded inserts on the temp dir's disk (Edge appends to its log; local mode commits each
    point to SQLite)."""
    with tempfile.TemporaryDirectory() as home, _open(engine, Path(home), None) as memory:
        rate = await _fill(memory, random.Random(1), 0, points)
    return {"directory": tempfile.gettempdir(), "points": points, "insert_per_s": round(rate, 1)}


def bench_accumulator(sizes: list[int], updates: int) -> dict[str, Any]:
    rows = []
    for size in sorted(sizes):
        rng = random.Random(size)
        concepts = [f"concept {i}" for i in range(size)]
        with tempfile.TemporaryDirectory() as home:
            acc = WeightAccumulator(Path(home) / ACCUMULATOR_FILE)
            for start in range(0, size, UPDATE_CONCEPTS):  # grow the graph to `size` concepts
                acc.reinforce(
                    concepts[start : start + UPDATE_CONCEPTS], 0.5, run_id="fill", round=start
                )
            timings = []
            for round_no in range(updates):
                chosen = rng.sample(concepts, UPDATE_CONCEPTS)
                started = time.perf_counter()
                acc.reinforce(chosen, rng.random(), run_id="bench", round=round_no)
                timings.append((time.perf_counter() - started) * 1e6)
            started = time.perf_counter()
            acc.save()
            save_ms = (time.perf_counter() - started) * 1000
        rows.append(
            {
                "concepts": len(acc),
                "update_p50_us": round(_percentile(timings, 50), 1),
                "update_p95_us": round(_percentile(timings, 95), 1),
                "save_ms": round(save_ms, 1),
            }
        )
    ratio = rows[-1]["update_p50_us"] / rows[0]["update_p50_us"]
    return {
        "concepts_per_update": UPDATE_CONCEPTS,
        "sizes": rows,
        "update_p50_ratio_largest_to_smallest": round(ratio, 2),
    }


def _ints(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--points", type=_ints, default=[1_000, 10_000, 50_000])
    parser.add_argument("--concepts", type=_ints, default=[1_000, 10_000, 100_000])
    parser.add_argument("--queries", type=int, default=40, help="searches timed per size")
    parser.add_argument("--updates", type=int, default=1000, help="updates timed per size")
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path("/dev/shm") if Path("/dev/shm").is_dir() else None,
        help="where the embedded stores live (default: RAM-backed /dev/shm, so the sizes table "
        "measures the engines' CPU cost; disk inserts are measured apart)",
    )
    parser.add_argument("--url", help="also benchmark the Qdrant server at this URL")
    args, _ = parser.parse_known_args(argv)
    configure_logging(level="warning")
    warnings.filterwarnings("ignore", message="Local mode is not recommended")

    engines = [*ENGINES, *(["server"] if args.url else [])]
    vector_memory = {
        engine: asyncio.run(
            bench_vector_memory(engine, args.points, args.queries, args.dir, args.url)
        )
        for engine in engines
    }
    p95 = {
        engine: {str(row["points"]): row["search_p95_ms"] for row in figures["sizes"]}
        for engine, figures in vector_memory.items()
    }
    result = {
        "search_p95_ms": p95,
        "search_p95_local_over_edge": {
            size: round(p95["local"][size] / p95["edge"][size], 1) for size in p95["edge"]
        },
        "queries_per_size": args.queries,
        "vector_memory": vector_memory,
        "disk_insert": {engine: asyncio.run(disk_insert_rate(engine, 1_000)) for engine in ENGINES},
        "accumulator": bench_accumulator(args.concepts, args.updates),
    }
    if args.json:
        print(json.dumps({"memory": result}))
    else:
        _print_table(result)


def _print_table(result: dict[str, Any]) -> None:
    vm, disk, acc = result["vector_memory"], result["disk_insert"], result["accumulator"]
    print(f"Vector memory: {RandomEmbedder.name} vectors (measures the engine, not the model);")
    print("hybrid dense+keyword query fused by RRF, k=4, near-duplicates dropped;")
    print(f"{result['queries_per_size']} searches timed per size, each engine in one run")
    print(f"{'engine':<26} {'points':>8} {'insert/s':>10} {'search p50 ms':>14} {'p95 ms':>8}")
    for figures in vm.values():
        for row in figures["sizes"]:
            print(
                f"{figures['engine']:<26} {row['points']:>8} {row['insert_per_s']:>10.0f} "
                f"{row['search_p50_ms']:>14.2f} {row['search_p95_ms']:>8.2f}"
            )
    ratios = ", ".join(f"{n}: {r}x" for n, r in result["search_p95_local_over_edge"].items())
    print(f"search p95, local mode / Edge, by points: {ratios}")
    for engine, figures in disk.items():
        print(
            f"{ENGINES[engine]} inserts on disk ({figures['directory']}): "
            f"{figures['insert_per_s']:.0f}/s over {figures['points']} points"
        )
    print(f"\nAccumulator: one update = a round reinforcing {acc['concepts_per_update']} concepts")
    print(f"{'concepts':>8} {'update p50 us':>14} {'update p95 us':>14} {'save ms':>9}")
    for row in acc["sizes"]:
        print(
            f"{row['concepts']:>8} {row['update_p50_us']:>14.1f} {row['update_p95_us']:>14.1f} "
            f"{row['save_ms']:>9.1f}"
        )
    first, last = acc["sizes"][0]["concepts"], acc["sizes"][-1]["concepts"]
    print(
        f"update p50 ratio, {last} / {first} concepts: "
        f"{acc['update_p50_ratio_largest_to_smallest']} (the graph is {last / first:.0f}x larger)"
    )
