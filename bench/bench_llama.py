"""The llama.cpp backend's figures: batched candidates, prefix reuse, grammar speed, overhead.

A thin wrapper over `noetic.perf` (also `noetic bench`); see `noetic.perf.llama_bench` for what
each figure measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from noetic.logging import configure_logging
from noetic.perf import format_table, run_llama_bench
from noetic.settings import load_settings


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
    if args.json:
        print(json.dumps({"llama": result.model_dump()}))
    else:
        print(format_table(result))
