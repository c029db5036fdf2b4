"""Nothing a model or a task wrote reaches a terminal or a report raw: every view shows control
characters and bidi overrides as visible escapes (`noetic.printable`)."""

from __future__ import annotations

import io
import json
import unicodedata
from pathlib import Path

import pytest
from noetic_cli import noetic
from rich.console import Console
from typer.testing import CliRunner

from noetic import adeliberate
from noetic.cli.commands import app
from noetic.runs.progress import ProgressDisplay
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel, ScriptedRequest

CONTROLS = "red\x1b[31m bell\x07 csi\x9b2J cr\r bidi\u202e nul\x00 end"
TASK = f"a task {CONTROLS}"
BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def raw_controls(text: str) -> set[str]:
    """The characters in `text` that would act on a terminal or break HTML."""
    return {c for c in text if c in BIDI or (unicodedata.category(c) == "Cc" and c not in "\n\t")}


class HostileScript(RoleScript):
    """Every thought, reflection and the synthesis carry `CONTROLS`."""

    def __call__(self, request: ScriptedRequest) -> str:
        reply = super().__call__(request)
        if request.schema_title is None:  # the generator's plain text
            return f"{CONTROLS} {reply}"
        data = json.loads(reply)
        if request.schema_title == "Reflection":
            data["reason"] = f"scripted {CONTROLS}"
        elif request.schema_title == "Synthesis":
            data["answer"] = f"The answer {CONTROLS}"
        return json.dumps(data)


@pytest.fixture
async def stored(isolated_home: Path) -> str:
    await adeliberate(
        TASK,
        model=HostileScript().model(),
        embedder=HashingEmbedder(),
        run_id="r1",
        rounds=2,
    )
    return "r1"


@pytest.mark.parametrize("args", [["show", "r1"], ["show", "r1", "--full"], ["runs"]])
def test_terminal_views_escape_controls(stored: str, args: list[str]) -> None:
    proc = noetic(*args)
    assert proc.returncode == 0, proc.stderr
    assert not raw_controls(proc.stdout + proc.stderr)
    assert "red\\x1b[31m bell\\x07 csi\\x9b2J" in proc.stdout
    if args[0] == "show":
        assert "cr\\x0d bidi\\u202e nul\\x00 end" in proc.stdout  # the task, whole


def test_error_line_escapes_controls(isolated_home: Path) -> None:
    proc = noetic("show", "nope\x07\u202e")
    assert proc.returncode == 2 and proc.stderr.startswith("noetic: error: ")
    assert not raw_controls(proc.stderr) and "nope\\x07\\u202e" in proc.stderr


def test_memory_search_escapes_controls(stored: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("noetic.stores.shared.load_embedder", lambda settings: HashingEmbedder())
    result = CliRunner().invoke(app, ["memory", "search", "thought red bell", "--k", "3"])
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    assert "red\\x1b[31m bell\\x07" in result.stdout


def test_report_has_no_raw_control(stored: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["report", stored, "--out", str(tmp_path / "x.html")])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "x.html").read_text(encoding="utf-8")
    assert not raw_controls(page)
    assert "red\\x1b[31m bell\\x07 csi\\x9b2J cr\\x0d bidi\\u202e nul\\x00 end" in page


def test_run_prints_the_answer_escaped(monkeypatch: pytest.MonkeyPatch) -> None:
    model = ScriptedModel(HostileScript(), name="scripted")
    monkeypatch.setattr("noetic.models.factory.load_chat_model", lambda settings, seed=0: model)
    monkeypatch.setattr("noetic.models.factory.load_embedder", lambda settings: HashingEmbedder())
    result = CliRunner().invoke(app, ["run", TASK, "--rounds", "1", "--run-id", "r2"])
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.stdout)
    assert "\\x1b[31m" in result.stdout and "\\u202e" in result.stdout


def test_progress_display_escapes_event_text() -> None:
    out = io.StringIO()
    with ProgressDisplay(Console(file=out, width=120)) as display:
        display.on_event({"event": "run_start", "run_id": "r\x1b]0;title\x07", "max_rounds": 1})
        display.on_event(
            {"event": "stage_end", "stage": "plug\x9bin", "round": 1, "decision": "[/]\u202e"}
        )
    assert not raw_controls(out.getvalue())
    assert "r\\x1b]0;title\\x07" in out.getvalue() and "[/]\\u202e" in out.getvalue()
