"""`noetic show`, `report` and `graph` on a stored scripted run."""

from __future__ import annotations

from pathlib import Path

import pytest
from noetic_cli import noetic
from risk_flags import flagging_graph
from typer.testing import CliRunner

from noetic import adeliberate
from noetic.cli.commands import app
from noetic.errors import NoeticError
from noetic.testing import HashingEmbedder, RoleScript, ScriptedRequest
from noetic.testing.role_script import thought

MARKUP = "[bold red]not a style[/bold red] <b>tag</b>"


class MarkupScript(RoleScript):
    def __call__(self, request: ScriptedRequest) -> str:
        reply = super().__call__(request)
        if request.schema_title is None and self.calls["free"] == 1:
            return f"thought {MARKUP} on [dim]x, shared."
        return reply


@pytest.fixture
async def stored(isolated_home: Path) -> str:
    script = MarkupScript(critique=lambda t: (8, 7, 6))
    await adeliberate(
        "a task",
        model=script.model(),
        embedder=HashingEmbedder(),
        graph=flagging_graph({thought(3)}),
        run_id="r1",
        rounds=2,
    )
    return "r1"


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def test_show_prints_the_tree(stored: str) -> None:
    code, out = invoke("show", stored, "--full")
    assert code == 0
    assert "Run r1" in out and "Round 1" in out and "Round 2" in out
    assert f"thought {MARKUP}" in out and "[dim]x, shared" in out
    assert out.count("✓ r") == 2
    assert "✗ r1c2" in out and "filtered: 2 risk flag(s)" in out
    assert "continue: scripted" in out
    flat = " ".join(out.replace("│", " ").split())
    assert "no checks a synthesis could pass, none asked for (policy: synthesis = checked)" in flat


def test_report_writes_one_file(stored: str, tmp_path: Path) -> None:
    code, _ = invoke("report", stored)
    assert code == 0
    page = (tmp_path / "r1.html").read_text()
    assert page.startswith("<!DOCTYPE html>") and 'id="round-2"' in page
    assert "&lt;b&gt;tag&lt;/b&gt;" in page
    code, _ = invoke("report", stored, "--out", str(tmp_path / "other.html"))
    assert code == 0 and (tmp_path / "other.html").exists()


def test_graph_formats(tmp_path: Path) -> None:
    code, out = invoke("graph")
    assert code == 0 and "recall --> diverge;" in out
    code, out = invoke("graph", "--format", "svg")
    assert code == 0 and out.startswith("<svg")
    code, _ = invoke("graph", "--format", "svg", "--out", str(tmp_path / "g.svg"))
    assert code == 0 and (tmp_path / "g.svg").read_text().startswith("<svg")
    with pytest.raises(NoeticError, match="name a file with --out"):
        invoke("graph", "--format", "png")


def test_unknown_run_is_one_line(isolated_home: Path) -> None:
    proc = noetic("show", "nope")
    assert proc.returncode == 2 and proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("noetic: error: ") and "'nope'" in lines[0]


def test_png_without_chromium_is_one_line(tmp_path: Path) -> None:
    proc = noetic("graph", "--format", "png", "--out", str(tmp_path / "g.png"), PATH="/nonexistent")
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "noetic: error: PNG needs headless Chromium, and none is installed — install it "
        "(Debian/Ubuntu: `apt-get install chromium`), or use --format svg"
    ]
