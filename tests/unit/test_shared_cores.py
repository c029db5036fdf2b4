"""llama.cpp's threads wait passively unless the user chose otherwise: two llama.cpp users on one
host (two runs, or a run beside a local llama-server) otherwise slow each other many-fold (the
figure is in `python -m bench`'s `scale.omp`)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

READ = "import noetic.models, os; print(os.environ['OMP_WAIT_POLICY'])"


@pytest.mark.parametrize(("given", "kept"), [(None, "PASSIVE"), ("ACTIVE", "ACTIVE")])
def test_the_cooperative_wait_policy_is_the_default(given: str | None, kept: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    if given is not None:
        env["OMP_WAIT_POLICY"] = given
    out = subprocess.run([sys.executable, "-c", READ], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == kept
