"""Benchmarks of the in-process llama.cpp backend, measured side by side in one run.

`noetic bench` and `python -m bench` both run `run_llama_bench`; see `llama_bench` for what each
figure measures.
"""

from noetic.perf.llama_bench import LlamaBenchResult, run_llama_bench
from noetic.perf.report import format_table

__all__ = ["LlamaBenchResult", "format_table", "run_llama_bench"]
