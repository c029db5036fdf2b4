"""The llama.cpp backend's figures: batched candidates, prefix reuse, grammar speed, overhead.

A thin wrapper over `noetic.perf` (also `noetic bench`); see `noetic.perf.llama_bench` for what
each figure measures. Beside the two batching figures it runs llama.cpp's own
`llama-batched-bench` on the same shape (prompt length, candidate length, threads, GPU layers):
what the engine itself gets on this machine, so a target beyond it is read as the hardware's
limit, not the overlay's.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from noetic.logging import configure_logging
from noetic.models.default_model import default_model_path
from noetic.perf import format_table, run_llama_bench
from noetic.perf.llama_bench import CANDIDATES, LlamaBenchResult
from noetic.perf.report import CPU_TARGETS, GPU_TARGETS, meets
from noetic.settings import NoeticSettings, load_settings

BATCHED_BENCH = "llama-batched-bench"


class EngineFigures(BaseModel):
    """llama.cpp's `llama-batched-bench`: one sequence, then `CANDIDATES` decoding together
    behind one shared prompt (medians of the repeats)."""

    prompt_s: float
    single_decode_s: float
    single_s: float
    batched8_s: float
    batched8_over_single: float
    sequential8_over_batched8: float
    """The best a sequential path can do: the prompt evaluated once, then the candidates decoded
    one at a time at the single sequence's speed."""


def engine_figures(rows: Sequence[dict[str, float]]) -> EngineFigures:
    """Read `llama-batched-bench --output-format jsonl` rows (several runs' worth allowed)."""
    by_width: dict[int, list[dict[str, float]]] = {}
    for row in rows:
        by_width.setdefault(int(row["pl"]), []).append(row)
    missing = {1, CANDIDATES} - by_width.keys()
    if missing:
        raise ValueError(f"llama-batched-bench printed no row for width {sorted(missing)}")

    def median(width: int, key: str) -> float:
        return statistics.median(row[key] for row in by_width[width])

    prompt, decode = median(1, "t_pp"), median(1, "t_tg")
    single, batched = median(1, "t"), median(CANDIDATES, "t")
    return EngineFigures(
        prompt_s=prompt,
        single_decode_s=decode,
        single_s=single,
        batched8_s=batched,
        batched8_over_single=batched / single,
        sequential8_over_batched8=(prompt + CANDIDATES * decode) / batched,
    )


def batched_bench_command(
    binary: str, settings: NoeticSettings, *, prompt_tokens: int, tokens: int, threads: int
) -> list[str]:
    """The bench's shape: its prompt and candidate lengths, threads, context and batch size."""
    model = settings.model
    return [
        binary,
        *("-m", str(model.path or default_model_path())),
        *("-c", str(model.n_ctx), "-b", str(model.n_batch), "-ub", str(model.n_batch)),
        *("-npp", str(prompt_tokens), "-ntg", str(tokens)),
        *("-npl", f"1,{CANDIDATES}", "-pps", "-kvu"),  # one prompt shared, as our batch does
        *("-t", str(threads), "-ngl", str(model.n_gpu_layers)),
        *("--output-format", "jsonl"),
    ]


def engine_rows(command: list[str], repeats: int) -> list[dict[str, float]]:
    """Run `command` `repeats` times; its JSON rows, or one line saying why it failed."""
    rows = []
    for _ in range(repeats):
        done = subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
            raise RuntimeError(f"{command[0]} exited with {done.returncode}: {tail[0]}")
        rows += [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return rows


def find_batched_bench() -> str | None:
    """`make bench` links it beside the venv's Python, as it does `llama-server`."""
    here = shutil.which(BATCHED_BENCH, path=str(Path(sys.executable).parent))
    return here or shutil.which(BATCHED_BENCH)


def format_engine(result: LlamaBenchResult, engine: EngineFigures) -> str:
    """Each batching figure beside llama.cpp's own and the target: a target the engine itself
    misses on this machine is the hardware's limit, not the overlay's."""
    targets = GPU_TARGETS if result.gpu_offload else CPU_TARGETS
    lines = [
        f"llama.cpp's own {BATCHED_BENCH}, same shape ({result.prompt_tokens}-token shared "
        f"prompt, {result.candidate_tokens} tokens, {result.threads} threads; sequential at its "
        f"best: the prompt once, then {CANDIDATES} sequences one at a time):",
        f"  1 sequence {engine.single_s:.2f} s (prompt {engine.prompt_s:.2f} s, decoding "
        f"{engine.single_decode_s:.2f} s); {CANDIDATES} in one batch {engine.batched8_s:.2f} s",
        f"{'figure':<32} {'Noetic':>8} {'llama.cpp':>10}  {'target':<8} llama.cpp meets it",
    ]
    for name in ("batched8_over_single", "sequential8_over_batched8"):
        ours, theirs, target = getattr(result, name), getattr(engine, name), targets[name]
        verdict = "yes" if meets(theirs, target) else "NO"
        lines.append(
            f"{name:<32} {ours:>8.3f} {theirs:>10.3f}  {target[0]} {target[1]:<5} {verdict}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--model", type=Path, help="a GGUF model file (default: bundled)")
    parser.add_argument("--gpu-layers", type=int, help="layers to offload to the GPU; -1 = all")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs per configuration")
    args, _ = parser.parse_known_args(argv)
    configure_logging(level="warning")
    overrides = {"path": args.model, "n_gpu_layers": args.gpu_layers}
    settings = load_settings(model={k: v for k, v in overrides.items() if v is not None} or None)
    result = asyncio.run(
        run_llama_bench(
            settings, repeats=args.repeats, progress=lambda s: print(s, file=sys.stderr)
        )
    )
    engine = None
    binary = find_batched_bench()
    if binary is None:
        print(f"{BATCHED_BENCH} not found: `make bench` builds it", file=sys.stderr)
    else:
        print(f"{BATCHED_BENCH}, same shape", file=sys.stderr)
        command = batched_bench_command(
            binary,
            settings,
            prompt_tokens=result.prompt_tokens,
            tokens=result.candidate_tokens,
            threads=result.threads,
        )
        try:
            engine = engine_figures(engine_rows(command, args.repeats))
        except (RuntimeError, ValueError) as exc:
            print(f"{BATCHED_BENCH} gave no figures: {exc}", file=sys.stderr)
    if args.json:
        engine_json = engine.model_dump() if engine else None
        print(json.dumps({"llama": result.model_dump(), "llama_cpp_engine": engine_json}))
    else:
        print(format_table(result))
        if engine is not None:
            print("\n" + format_engine(result, engine))
