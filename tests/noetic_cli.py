"""The `noetic` CLI as a user runs it, for the tests: a subprocess with the environment of the
test (its NOETIC_HOME included), and the check that a failure is one line and exit 2."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

NOETIC = str(Path(sys.executable).with_name("noetic"))
ERROR = "noetic: error: "
REPLY_CAPS = {"generator": 64, "synthesizer": 96}
SHORT_REPLIES = {"NOETIC_BUDGET__STAGE_TOKENS": json.dumps(REPLY_CAPS)}
"""Shorter candidates and answers (a user's `budget.stage_tokens`), for real-model tests of
wiring (modes, resume, servers, plugins), not of quality: decoding is most of their time."""


def noetic(
    *args: str,
    cwd: Path | str | None = None,
    home: Path | str | None = None,
    timeout: float = 120,
    input: str | None = None,
    **env: str,
) -> subprocess.CompletedProcess[str]:
    """Run `noetic *args` and capture its output as text. The environment is this process's,
    with NOETIC_HOME set to `home` when given, and then every keyword in `env` set (e.g.
    `NOETIC_LOG_LEVEL="warning"`); `input` is written to its stdin."""
    environ = os.environ.copy()
    if home is not None:
        environ["NOETIC_HOME"] = str(home)
    environ.update(env)
    return subprocess.run(
        [NOETIC, *args],
        cwd=cwd,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=environ,
    )


def one_line_error(
    proc: subprocess.CompletedProcess[str], *needles: str, absent: Iterable[str] = ()
) -> str:
    """Assert the command failed with exit code 2 and one line on stderr, `noetic: error: ...`,
    holding every needle, with no traceback and nothing on stdout, and no string of `absent`
    (a password, say) in either; return that line."""
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert proc.stderr.startswith(ERROR) and proc.stderr.count("\n") == 1, proc.stderr
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == "", proc.stdout
    (line,) = lines
    for needle in needles:
        assert needle in line, (needle, line)
    for secret in absent:
        assert secret not in proc.stderr + proc.stdout
    return line
