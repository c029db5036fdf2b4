"""`python -m bench [ARGS]`: run every `bench_*.py` module's `main(argv)` in name order.

Each module parses the arguments it knows (`parse_known_args`) and ignores the rest.
"""

import importlib
import pkgutil
import sys

import bench

for info in sorted(pkgutil.iter_modules(bench.__path__), key=lambda m: m.name):
    if info.name.startswith("bench_"):
        importlib.import_module(f"bench.{info.name}").main(sys.argv[1:])
