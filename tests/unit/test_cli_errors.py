"""Bad input through the real CLI: one line on stderr, exit code 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

NOETIC = str(Path(sys.executable).with_name("noetic"))


def noetic(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NOETIC, *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("noetic: error: ")
    assert "Traceback" not in proc.stderr
    for needle in needles:
        assert needle in lines[0]
    assert proc.stdout == ""


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["run", "   "], ["task is empty"]),
        (["run", "x", "--rounds", "0"], ["rounds=0", "--rounds"]),
        (["run", "x", "--candidates", "9"], ["candidates=9", "--candidates"]),
        (["run", "x", "--mode", "wild"], ["mode='wild'"]),
        (["run", "x", "--model", "/no/such/model.gguf"], ["does not exist", "--model"]),
        (["bench", "--model", "/no/such/model.gguf"], ["does not exist", "--model"]),
    ],
)
def test_bad_run_arguments(tmp_path: Path, args: list[str], needles: list[str]) -> None:
    assert_one_line_error(noetic(*args, cwd=tmp_path), *needles)


def test_file_that_is_not_gguf(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"PK\x03\x04 this is a zip")
    assert_one_line_error(
        noetic("run", "x", "--model", str(fake), cwd=tmp_path), "not a GGUF model"
    )


def test_malformed_noetic_toml(tmp_path: Path) -> None:
    (tmp_path / "noetic.toml").write_text("rounds = [\n")
    assert_one_line_error(noetic("run", "x", cwd=tmp_path), "not valid TOML")


def test_unknown_setting_in_noetic_toml(tmp_path: Path) -> None:
    (tmp_path / "noetic.toml").write_text("temperature = 0.5\n")
    assert_one_line_error(noetic("config", "show", cwd=tmp_path), "unknown setting 'temperature'")


def test_version_and_roles(tmp_path: Path) -> None:
    version = noetic("--version", cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("noetic 0.")
    roles = noetic("roles", "--json", cwd=tmp_path)
    assert roles.returncode == 0
    assert "generator" in roles.stdout and '"package": "noetic"' in roles.stdout
