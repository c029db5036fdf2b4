"""`noetic eval` as a command: bad input is one line and exit 2 (a real subprocess), and a
whole run on the scripted model prints the rows and writes the files (in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from noetic_cli import noetic
from test_eval_harness import EvalScript
from typer.testing import CliRunner

from noetic.cli.commands import app
from noetic.testing import HashingEmbedder, ScriptedModel


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (
            ["--suite", "poetry"],
            ["unknown suite 'poetry'", "arithmetic, constraints, continuity, instructions, open"],
        ),
        (["--suite", "constraints", "--split", "train"], ["unknown split 'train'"]),
        (["--suite", "arithmetic", "--configs", "single,best"], ["unknown configuration 'best'"]),
        (["--suite", "arithmetic", "--model", "/no/such/m.gguf"], ["does not exist", "--model"]),
        (["--suite", "open", "--judge-model", "/no/judge.gguf"], ["does not exist"]),
        (["--suite", "arithmetic", "--rounds", "0"], ["rounds=0", "--rounds"]),
        (["--suite", "arithmetic", "--out", "/proc/no/such"], ["cannot create the output"]),
        (["--suite", "judgment", "--split", "train"], ["unknown split 'train'", "--split dev"]),
    ],
)
def test_bad_eval_arguments_are_one_line_and_exit_2(
    tmp_path: Path, args: list[str], needles: list[str]
) -> None:
    proc = noetic("eval", *args, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("noetic: error: ") and "Traceback" not in proc.stderr
    assert all(needle in line for needle in needles), line
    assert proc.stdout == ""


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every model the command loads is the eval script; the embedder hashes words."""
    monkeypatch.setattr(
        "noetic.models.factory.load_chat_model",
        lambda settings, seed=0: ScriptedModel(EvalScript(), name="scripted"),
    )
    monkeypatch.setattr("noetic.models.factory.load_embedder", lambda settings: HashingEmbedder())


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["eval", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


@pytest.mark.usefixtures("scripted")
def test_json_rows_and_files_for_arithmetic(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, stdout = invoke(
        "--suite", "arithmetic", "--limit", "2", "--rounds", "1", "--candidates", "2",
        "--samples", "3", "--json", "--out", str(out),
    )  # fmt: skip
    assert code == 0
    report = json.loads(stdout)
    rows = report["rows"]
    assert [r["config"] for r in rows] == ["single", "vote", "deliberate"]
    assert [p["config"] for p in report["paired"]] == ["single", "vote"]
    assert all(p["n"] == 2 and -1 <= p["difference"] <= 1 for p in report["paired"])
    assert all(r["n"] == 2 and r["accuracy"] is not None and r["total_tokens"] > 0 for r in rows)
    names = {p.name for p in out.iterdir()}
    assert {"results.md", "results.csv", "results.json", "quality_tokens.png"} <= names
    assert {"quality_tokens.svg", "records.jsonl"} <= names


@pytest.mark.usefixtures("scripted")
def test_table_for_open_goes_to_the_home_by_default(isolated_home: Path) -> None:
    code, stdout = invoke("--suite", "open", "--limit", "2", "--configs", "single,vote")
    assert code == 0
    assert "coverage" in stdout and "reference F1" in stdout and "judge (0-10)" not in stdout
    (folder,) = (isolated_home / "evals").iterdir()
    assert folder.name.startswith("open-") and (folder / "results.md").is_file()


@pytest.mark.usefixtures("scripted")
def test_judgment_suite_rows_per_split_signal_and_kind(tmp_path: Path) -> None:
    code, out = invoke("--suite", "judgment", "--limit", "2", "--json", "--out", str(tmp_path))
    assert code == 0
    report = json.loads(out)
    rows = report["rows"]
    assert {r["split"] for r in rows} == {"dev", "test"}  # the first two items: one of each
    assert {"overall", "pmi", "fluency", "integrity"} <= {r["signal"] for r in rows}
    kinds = {r["kind"] for r in rows}
    easy = {"off_topic", "shuffled", "repetition", "echo", "truncated", "platitude", "verdict"}
    assert kinds == {"all", *easy, "generic", "paraphrase", "meta", "partial"}  # no fact to miss
    assert all(0 <= r["pairwise_accuracy"] <= 1 for r in rows) and report["seconds"] >= 0
    assert (tmp_path / "judgment.md").read_text().startswith("**dev**")
