"""A check from a plugin (examples/noetic-pov-roles registers `no_questions`): listed by
`noetic checks` with its package, bound by name like a built-in, and judging both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from example_plugin import require_example_plugin
from noetic_cli import noetic

from noetic.agents.checks import CheckSpec, bind_checks, fix_message, passes_hard, run_checks
from noetic.errors import CheckError

require_example_plugin()


def test_noetic_checks_lists_the_plugin_check_with_its_package(tmp_path: Path) -> None:
    proc = noetic("checks", cwd=tmp_path, home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    (row,) = [line for line in proc.stdout.splitlines() if line.split()[0] == "no_questions"]
    assert row.split()[1] == "noetic-pov-roles"
    assert "no sentence is a question" in row

    proc = noetic("checks", "--json", cwd=tmp_path, home=tmp_path)
    infos = {info["name"]: info for info in json.loads(proc.stdout)}
    assert infos["no_questions"]["package"] == "noetic-pov-roles"
    assert infos["no_questions"]["target"] == "noetic_pov_roles.checks:NoQuestions"
    assert infos["form"]["package"] == "noetic"


def test_plugin_check_binds_by_name_and_judges_both_ways() -> None:
    task = "Describe the sea in two sentences."
    (check,) = bind_checks([CheckSpec.model_validate("no_questions")], task)
    assert type(check).__module__ == "noetic_pov_roles.checks"
    assert check.hard is False

    stating = check.run(task, "The sea is grey today. Waves break on the rocks.")
    assert stating.passed and stating.score == 1.0

    text = "The sea is grey today. Waves break on the rocks. Would you like to know more?"
    asking = check.run(task, text)
    assert not asking.passed
    assert asking.score == pytest.approx(2 / 3, abs=1e-4)
    assert asking.hard is False
    assert 'turn 1 question(s) into statements, such as "Would you like to know more?"' in (
        asking.message
    )

    # soft: the failure is fed to the next round but does not bar the candidate from selection
    results = run_checks([check], task, text)
    assert passes_hard(results)
    assert fix_message(results).startswith("state, do not ask")


def test_plugin_check_quotes_a_long_question_short() -> None:
    (check,) = bind_checks([CheckSpec.model_validate("no_questions")], "T")
    question = "Have you ever wondered " + "why the sea " * 20 + "is so very grey?"
    result = check.run("T", f"Maybe. {question} What then?")
    assert "turn 2 question(s)" in result.message
    assert result.score == pytest.approx(1 / 3, abs=1e-4)
    assert len(result.message) < 160 and result.message.endswith('..."')


def test_plugin_check_takes_no_parameters() -> None:
    with pytest.raises(CheckError, match="bad parameter strict") as caught:
        bind_checks([CheckSpec.model_validate({"name": "no_questions", "strict": True})], "T")
    assert "parameters of 'no_questions': none" in str(caught.value)


def test_a_plugin_check_is_read_from_the_task_like_the_built_in_ones() -> None:
    task = "Describe the sea in two sentences, and do not ask any questions."
    read = {c.name: c.source for c in bind_checks([], task, infer=True)}
    assert read == {"no_questions": "do not ask any questions", "sentences": "in two sentences"}
    assert bind_checks([], "Describe the sea and ask me a question.", infer=True) == []
