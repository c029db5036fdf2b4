"""A user's own suite file, records written as items finish, an interrupted eval resumed, and
token targets taken from an earlier eval (scripted model, in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from noetic_cli import noetic
from test_eval_cli import invoke, scripted  # noqa: F401  (a fixture)

from noetic.evaluation.records import ItemRecord

LINES = [
    {"id": "mine-1", "task": "Describe a lake in at most twelve words.", "checks": ["words<=12"]},
    {"id": "mine-2", "task": "Name a river, in all lowercase.", "checks": ["lowercase"]},
]


def suite_file(folder: Path, lines: list[object]) -> Path:
    path = folder / "mine.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def records(folder: Path, name: str = "progress.jsonl") -> list[ItemRecord]:
    text = (folder / name).read_text(encoding="utf-8")
    return [ItemRecord.model_validate_json(line) for line in text.splitlines()]


@pytest.mark.usefixtures("scripted")
def test_a_user_suite_runs_and_each_record_carries_its_task(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _ = invoke("--suite", str(suite_file(tmp_path, LINES)), "--configs", "single,deliberate",
                     "--rounds", "1", "--candidates", "2", "--out", str(out), "--json")  # fmt: skip
    assert code == 0
    written = records(out)
    assert [(r.config, r.item_id) for r in written] == [
        ("single", "mine-1"), ("single", "mine-2"), ("deliberate", "mine-1"),
        ("deliberate", "mine-2"),
    ]  # fmt: skip
    assert {r.task for r in written} == {line["task"] for line in LINES}
    assert all(r.checks_passed is not None for r in written)


@pytest.mark.usefixtures("scripted")
def test_an_interrupted_eval_resumes_keeping_what_it_finished(tmp_path: Path) -> None:
    out = tmp_path / "out"
    suite = str(suite_file(tmp_path, LINES))
    args = ("--suite", suite, "--configs", "single,deliberate", "--rounds", "1",
            "--candidates", "2", "--json")  # fmt: skip
    assert invoke(*args, "--out", str(out))[0] == 0
    full = records(out)
    # As if stopped while the third record was being written.
    lines = (out / "progress.jsonl").read_text(encoding="utf-8").splitlines()
    (out / "progress.jsonl").write_text("\n".join(lines[:2]) + "\n" + lines[2][:30])
    code, stdout = invoke(*args, "--resume", str(out))
    assert code == 0
    again = records(out)
    assert again[:2] == full[:2]  # kept, not run again
    assert [(r.config, r.item_id) for r in again] == [(r.config, r.item_id) for r in full]
    assert {row["config"]: row["n"] for row in json.loads(stdout)["rows"]} == {
        "single": 2,
        "deliberate": 2,
    }


@pytest.mark.usefixtures("scripted")
def test_baselines_match_the_tokens_an_earlier_eval_spent(tmp_path: Path) -> None:
    suite = str(suite_file(tmp_path, LINES))
    first, second = tmp_path / "first", tmp_path / "second"
    common = ("--suite", suite, "--rounds", "1", "--candidates", "2", "--json")
    assert invoke(*common, "--configs", "deliberate", "--out", str(first))[0] == 0
    code, _ = invoke(*common, "--configs", "best_of_n", "--match-tokens-from", str(first),
                     "--out", str(second))  # fmt: skip
    assert code == 0
    spent = {r.item_id: r.tokens for r in records(first, "records.jsonl")}
    matched = {r.item_id: r.tokens for r in records(second, "records.jsonl")}
    assert all(len(r.candidates) >= 1 for r in records(second, "records.jsonl"))
    # best_of_n draws samples until the item's target is spent: its tokens reach the target
    assert all(matched[i] >= 0.5 * spent[i] for i in spent), (spent, matched)


@pytest.mark.parametrize(
    ("content", "needles"),
    [
        ('{"id": "a"}\n', ["mine.jsonl line 1", "task", "one JSON object per line"]),
        ('{"id": "a", "task": "t", "checks": ["words<<5"]}\n', ["line 1", "needs a whole number"]),
        ("not json\n", ["mine.jsonl line 1"]),
    ],
)
def test_a_bad_user_suite_line_is_one_error(
    tmp_path: Path, content: str, needles: list[str]
) -> None:
    (tmp_path / "mine.jsonl").write_text(content, encoding="utf-8")
    proc = noetic("eval", "--suite", str(tmp_path / "mine.jsonl"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert all(needle in line for needle in needles), line


def test_a_missing_resume_folder_is_one_error(tmp_path: Path) -> None:
    proc = noetic("eval", "--suite", "arithmetic", "--resume", str(tmp_path / "none"), cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert "no records in" in line and "--out" in line
