"""A run imports only what it uses. scikit-learn (behind the offensive-text model's pickles) and
qdrant-client (old stores and servers) each took about 2 s of every `noetic run`'s start."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from noetic.agents.signals.offensive import cached_path, from_pickles

HEAVY = ("sklearn", "scipy", "qdrant_client")
RUN = f"""
import sys
from noetic.testing.run import run_graph
result = run_graph(task="Explain why the sky is blue.", home=sys.argv[1], candidates=2)
assert result.answer.strip() and result.rounds[0].candidates[0].critique is not None
print([name for name in {HEAVY!r} if name in sys.modules])
"""


def test_a_run_with_memory_and_the_judge_imports_no_heavy_module(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    from_pickles().save(cached_path(cache / "noetic"))  # as every process after the first finds
    done = subprocess.run(
        [sys.executable, "-c", RUN, str(tmp_path / "home")],
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "home" / "qdrant-edge").is_dir()  # memory was opened, the judge ran
