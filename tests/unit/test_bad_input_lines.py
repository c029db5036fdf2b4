"""Bad input met before any work starts: an unusable home, a run id that is not a file name, an
output path that is a folder or in no folder, an empty search, an unknown role, a compiled graph,
and Ctrl-C during start-up. Each is one line (Ctrl-C: one line and exit 130), never a traceback.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from functools import partial
from pathlib import Path

import noetic_cli
import pytest
from noetic_cli import NOETIC, one_line_error

from noetic import adeliberate, cli
from noetic.cli.run import _until_interrupted
from noetic.errors import NoeticError
from noetic.graphs import build_deliberation_graph
from noetic.testing import HashingEmbedder, RoleScript

noetic = partial(noetic_cli.noetic, NOETIC_LOG_LEVEL="warning")


def test_a_home_that_is_a_file_is_refused_by_readers_and_writers(tmp_path: Path) -> None:
    home = tmp_path / "home-file"
    home.write_text("not a folder")
    for command in (["runs", "--json"], ["show", "r1"], ["run", "x"], ["memory", "stats"]):
        one_line_error(noetic(*command, home=home), f"NOETIC_HOME {home} is a file")
    assert home.read_text() == "not a folder"


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
@pytest.mark.parametrize(
    ("home", "needle"),
    [
        ("{tmp}/home-file/inside", "cannot create"),
        ("/proc/self/noetic", "cannot create"),
        ("/proc/self", "cannot use"),  # a folder nobody, root included, can write in
    ],
)
def test_a_home_that_cannot_be_made_or_written_is_refused_before_the_model_loads(
    tmp_path: Path, home: str, needle: str
) -> None:
    (tmp_path / "home-file").write_text("")
    path = home.format(tmp=tmp_path)
    one_line_error(noetic("run", "x", home=path), f"{needle} NOETIC_HOME {path}", "NOETIC_HOME")


@pytest.mark.parametrize("run_id", ["../../x y", "", "-rf", "a/b", "x" * 65, "é"])
def test_a_run_id_outside_the_documented_characters_is_refused(
    isolated_home: Path, run_id: str
) -> None:
    one_line_error(noetic("run", "x", "--run-id", run_id), "is not allowed", "letters, digits")
    assert not (isolated_home / "checkpoints.sqlite").exists()


def test_a_batch_line_with_a_bad_run_id_is_refused_before_anything_runs(tmp_path: Path) -> None:
    tasks = tmp_path / "tasks.jsonl"
    tasks.write_text('{"task": "a"}\n{"task": "b", "run_id": "../escape"}\n')
    one_line_error(noetic("batch", str(tasks)), "line 2", "run_id")


async def test_the_python_api_refuses_a_bad_run_id_too(isolated_home: Path) -> None:
    with pytest.raises(NoeticError, match="run id '../x' is not allowed"):
        await adeliberate("x", model=RoleScript().model(), run_id="../x")


@pytest.fixture
async def finished(isolated_home: Path) -> str:
    await adeliberate(
        "A task", model=RoleScript().model(), embedder=HashingEmbedder(), run_id="r1", rounds=1
    )
    return "r1"


def test_report_and_graph_refuse_an_out_in_no_folder_or_a_folder(
    finished: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no" / "such" / "r.html"
    for command in (["report", finished], ["graph", "--format", "svg"]):
        one_line_error(noetic(*command, "--out", str(missing)), f"the folder {missing.parent}")
        one_line_error(noetic(*command, "--out", str(tmp_path)), f"--out {tmp_path} is a folder")
    assert not (tmp_path / "no").exists()
    wrote = noetic("report", finished, "--out", str(tmp_path / "r.html"))
    assert wrote.returncode == 0 and (tmp_path / "r.html").stat().st_size > 0


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["", "--k", "3"], "query is empty"),
        (["  "], "query is empty"),
        (["x", "--k", "0"], "--k 0"),
    ],
)
def test_memory_search_without_a_query_or_results_is_an_error(args: list[str], needle: str) -> None:
    one_line_error(noetic("memory", "search", *args), needle)


def test_an_unknown_role_in_noetic_toml_is_refused(tmp_path: Path) -> None:
    (tmp_path / "noetic.toml").write_text('[roles.critik]\npath = "big.gguf"\n')
    for command in (["config", "show"], ["run", "x"]):
        proc = noetic_cli.noetic(*command, cwd=tmp_path)
        one_line_error(proc, "registers the role 'critik'", "critic")


async def test_a_compiled_graph_is_refused_with_the_fix(isolated_home: Path) -> None:
    compiled = build_deliberation_graph().compile()
    with pytest.raises(NoeticError, match="not a CompiledStateGraph .* uncompiled"):
        await adeliberate("x", model=RoleScript().model(), graph=compiled)  # type: ignore[arg-type]


@pytest.mark.parametrize("after_s", [0.3, 1.0, 2.0, 4.0])
def test_ctrl_c_during_start_up_is_one_line(after_s: float) -> None:
    """Whether it lands in the imports, the settings or the model loading, Ctrl-C ends the
    command with one line and exit 130."""
    proc = subprocess.Popen(
        [NOETIC, "run", "x", "--rounds", "1", "--candidates", "1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "NOETIC_LOG_LEVEL": "warning"},
    )
    time.sleep(after_s)
    proc.send_signal(signal.SIGINT)
    try:
        _, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # too late: the run was under way; a second Ctrl-C ends it
        proc.send_signal(signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr
    assert "noetic: interrupted" in stderr


class _Finalized:
    """An object whose finalizer is where Ctrl-C lands."""

    def __del__(self) -> None:
        signal.raise_signal(signal.SIGINT)


def test_a_ctrl_c_lost_in_a_finalizer_still_stops_the_run_before_it_starts(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Seen in CI: Ctrl-C during start-up landed in a regex object's `__del__`, Python only
    reported the exception (a traceback), and the run went on to exit 0."""
    monkeypatch.setattr(cli, "_pending", False)
    monkeypatch.setattr(sys, "unraisablehook", sys.unraisablehook)  # restored after
    outside = signal.getsignal(signal.SIGINT)
    started: list[bool] = []

    async def step(handler: object, stop: asyncio.Event) -> None:
        started.append(True)

    try:
        cli.handle_interrupts()
        _Finalized()  # freed at once: Interrupted is raised inside its __del__ and swallowed
        with pytest.raises(cli.Interrupted):
            asyncio.run(_until_interrupted(step, None))  # type: ignore[arg-type]
    finally:
        signal.signal(signal.SIGINT, outside)
    assert started == []
    assert "Traceback" not in capsys.readouterr().err
