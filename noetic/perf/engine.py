"""llama.cpp's own figures for the bench's shape, from its `llama-batched-bench`.

The two batching figures depend on the hardware more than on Noetic: on a CPU, 8 rows decode for
several times the price of one. Run beside ours on the same shape (prompt length, candidate
length, threads, context, batch size, one prompt shared by 8 sequences in a unified cache, as our
batch does), the engine's own ratios say what this machine allows, so a target the engine
itself misses reads as the hardware's limit, not the overlay's. `make bench` builds the tool
from the same tree as the wheel; a llama.cpp install puts it on PATH.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

BATCHED_BENCH = "llama-batched-bench"


class EngineFigures(BaseModel):
    """One sequence, then `width` decoding together behind one shared prompt (medians)."""

    prompt_s: float
    single_decode_s: float
    single_s: float
    batched8_s: float
    batched8_over_single: float
    sequential8_over_batched8: float
    """The best a sequential path can do: the prompt evaluated once, then the sequences decoded
    one at a time at the single sequence's speed."""


class EngineShape(BaseModel):
    """What `llama-batched-bench` is asked to run: the bench's shape on the bench's model."""

    model: Path
    n_ctx: int
    n_batch: int
    prompt_tokens: int
    tokens: int
    width: int
    threads: int
    n_gpu_layers: int


def find_batched_bench() -> str | None:
    """Beside the venv's Python (where `make bench` links it, as it does `llama-server`), else
    on PATH."""
    here = shutil.which(BATCHED_BENCH, path=str(Path(sys.executable).parent))
    return here or shutil.which(BATCHED_BENCH)


def batched_bench_command(binary: str, shape: EngineShape) -> list[str]:
    return [
        binary,
        *("-m", str(shape.model), "-c", str(shape.n_ctx)),
        *("-b", str(shape.n_batch), "-ub", str(shape.n_batch)),
        *("-npp", str(shape.prompt_tokens), "-ntg", str(shape.tokens)),
        *("-npl", f"1,{shape.width}", "-pps", "-kvu"),  # one prompt shared, as our batch does
        *("-t", str(shape.threads), "-ngl", str(shape.n_gpu_layers)),
        *("--output-format", "jsonl"),
    ]


def engine_rows(command: list[str], repeats: int) -> list[dict[str, float]]:
    """Run `command` `repeats` times and read its JSON rows; a failure is one line saying why."""
    rows = []
    for _ in range(repeats):
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"{command[0]} exited with {done.returncode}: {tail[0]}")
        rows += [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return rows


def engine_figures(rows: Sequence[dict[str, float]], width: int) -> EngineFigures:
    """The figures from `llama-batched-bench --output-format jsonl` rows, several runs' worth."""
    by_width: dict[int, list[dict[str, float]]] = {}
    for row in rows:
        by_width.setdefault(int(row["pl"]), []).append(row)
    missing = {1, width} - by_width.keys()
    if missing:
        raise ValueError(f"{BATCHED_BENCH} printed no row for width {sorted(missing)}")

    def median(width: int, key: str) -> float:
        return statistics.median(row[key] for row in by_width[width])

    prompt, decode = median(1, "t_pp"), median(1, "t_tg")
    single, batched = median(1, "t"), median(width, "t")
    return EngineFigures(
        prompt_s=prompt,
        single_decode_s=decode,
        single_s=single,
        batched8_s=batched,
        batched8_over_single=batched / single,
        sequential8_over_batched8=(prompt + width * decode) / batched,
    )


def measure_engine(shape: EngineShape, repeats: int) -> EngineFigures:
    """The engine's figures for `shape`; `LookupError` when the tool is not installed,
    `RuntimeError` or `ValueError` when it gave none."""
    binary = find_batched_bench()
    if binary is None:
        raise LookupError(
            f"{BATCHED_BENCH} not found beside Python or on PATH (`make bench` builds it)"
        )
    return engine_figures(engine_rows(batched_bench_command(binary, shape), repeats), shape.width)
