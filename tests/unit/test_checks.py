"""The built-in checks (required_terms, form, arithmetic), their reading of tasks, binding by name,
and the `noetic checks` / `noetic run --check` commands (a real subprocess, no model loaded)."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

import pytest
from noetic_cli import noetic

from noetic.agents.checks import (
    CheckSpec,
    bind_checks,
    check_names,
    fix_message,
    passes_hard,
    run_checks,
)
from noetic.agents.checks import arithmetic as arithmetic_module
from noetic.agents.checks.arithmetic import Arithmetic, evaluate
from noetic.agents.checks.form import Form
from noetic.agents.checks.terms import RequiredTerms
from noetic.agents.checks.words import listed_terms, sentences, uses
from noetic.errors import CheckError
from noetic.evaluation import constraints_gen
from noetic.record import CheckResult
from noetic.settings import NoeticSettings

BUILT_IN = {"arithmetic", "form", "required_terms"}


def one_line(err: CheckError) -> str:
    (line,) = str(err).splitlines()
    return line


# words: inflections, listed terms, sentences


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("dog", "Two dogs ran."),
        ("bake", "She was baking bread."),
        ("bake", "The baker smiled."),
        ("city", "Many cities sleep."),
        ("run", "He kept running."),
        ("storm", "A stormy night."),
        ("carry", "She carried it."),
        ("Dog", "DOG!"),
        ("ice cream", "They ate ice  creams at noon."),
        ("ice cream", "Ice\ncream melts."),
    ],
)
def test_uses_accepts_inflections(term: str, text: str) -> None:
    assert uses(term, text)


@pytest.mark.parametrize(
    ("term", "text"),
    [
        ("chalk", "The chalkboard was clean."),
        ("night", "A Nightingale sang."),
        ("ball", "We watched football."),
        ("cat", "A category of things."),
        ("ice cream", "Ice is cold; cream is rich."),
        ("ice cream", "The cream had ice in it."),
        ("", "anything"),
    ],
)
def test_uses_rejects_other_words(term: str, text: str) -> None:
    assert not uses(term, text)


def test_listed_terms_reads_the_list_after_words() -> None:
    assert listed_terms("Please use all of these words: dog, frisbee and park.") == [
        "dog",
        "frisbee",
        "park",
    ]
    assert listed_terms("Concepts: 'Ice Cream', sun, sun or beach") == ["ice cream", "sun", "beach"]
    assert listed_terms("Write about the sea.") == []


def test_sentences_are_split_at_end_marks_not_at_line_breaks() -> None:
    assert sentences("One. Two! Three? Four") == ["One.", "Two!", "Three?", "Four"]
    assert len(sentences('He said "Go." Then he left.')) == 2
    assert len(sentences("A line\nanother line\n\n")) == 1  # as common tokenizers count
    assert len(sentences("Dr. Smith came home. He slept.")) == 2
    assert sentences("It costs 3.5 dollars.") == ["It costs 3.5 dollars."]
    assert sentences("   ") == []


# required_terms


def test_required_terms_lists_what_is_missing_with_partial_score() -> None:
    check = RequiredTerms(terms=["dog", "frisbee", "park", "owner"])
    result = check.run("", "The dogs chased a frisbee across the grass all day.")
    assert not result.passed
    assert result.message == "missing: park, owner"
    assert result.score == 0.5
    assert result.hard


def test_required_terms_passes_a_sentence_with_inflections() -> None:
    check = RequiredTerms(terms=["dog", "frisbee", "park"])
    result = check.run("", "In the park, two dogs caught frisbees all afternoon.")
    assert result.passed and result.score == 1.0


def test_a_bare_list_of_the_words_fails() -> None:
    check = RequiredTerms(terms=["dog", "frisbee", "park"])
    result = check.run("", "dog, frisbee, park.")
    assert not result.passed
    assert "full sentence" in result.message
    assert 0 < result.score < 1


def test_required_terms_reads_the_terms_from_the_task() -> None:
    task = "Write a sentence that uses all of these words: dog, frisbee and park."
    assert RequiredTerms().for_task(task).terms == ["dog", "frisbee", "park"]
    assert RequiredTerms(terms=["sun"]).for_task(task).terms == ["sun"]


def test_required_terms_without_a_list_names_the_fix() -> None:
    with pytest.raises(CheckError) as caught:
        RequiredTerms().for_task("Write about the sea.")
    line = one_line(caught.value)
    assert "found no list of words" in line
    assert "use these words" in line and "terms" in caught.value.fix


# form: each constraint both ways


@pytest.mark.parametrize(
    ("params", "good", "bad", "message"),
    [
        ({"sentences": 2}, "One. Two.", "One. Two. Three.", "write exactly 2 sentences, not 3"),
        (
            {"min_sentences": 1, "max_sentences": 2},
            "One. Two.",
            "One. Two. Three.",
            "write 1 to 2 sentences, not 3",
        ),
        ({"min_sentences": 2}, "One. Two. Three.", "One.", "write at least 2 sentences, not 1"),
        ({"max_sentences": 1}, "One.", "One. Two.", "write at most 1 sentences, not 2"),
        ({"max_words": 4}, "one two three four", "one two three four five", "at most 4 words"),
        ({"must_contain": ["rain"]}, "It was raining.", "It was dry.", "use the word 'rain'"),
        (
            {"must_not_contain": ["ball"]},
            "We watched football.",
            "The ball flew.",
            "do not use the word 'ball'",
        ),
        (
            {"first_word": "Today"},
            "'Today, we sail.",
            "We sail today.",
            "start with the word 'Today'",
        ),
        ({"lowercase": True}, "all quiet here.", "All quiet here.", "write only lowercase letters"),
    ],
)
def test_form_constraint(params: dict[str, Any], good: str, bad: str, message: str) -> None:
    check = Form(**params)
    passed = check.run("", good)
    assert passed.passed and passed.score == 1.0, passed.message
    failed = check.run("", bad)
    assert not failed.passed
    assert message in failed.message
    assert failed.score == 0.0  # one constraint stated, and it failed


def test_form_scores_each_constraint_as_one_part() -> None:
    check = Form(sentences=1, must_contain=["sea"], must_not_contain=["water"], lowercase=True)
    result = check.run("", "The sea is calm. Waves rest.")
    assert not result.passed
    assert result.score == 0.5  # sentence count and lowercase fail; the two word rules hold
    assert result.message == "write exactly 1 sentences, not 2; write only lowercase letters"


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Describe it in exactly three sentences.", {"sentences": 3}),
        ("Answer in 2 sentences.", {"sentences": 2}),
        ("Write one or two sentences about rain.", {"min_sentences": 1, "max_sentences": 2}),
        ("Write no more than 30 words.", {"max_words": 30}),
        ("Do not use the word 'blue'.", {"must_not_contain": ["blue"]}),
        ("Never use the word 'cat'.", {"must_not_contain": ["cat"]}),
        ('Don\'t mention the word "war".', {"must_not_contain": ["war"]}),
        ("Mention the word 'Moon' twice.", {"must_contain": ["moon"]}),
        ("Begin your answer with the word 'Once'.", {"first_word": "Once"}),
        ("Reply entirely in lowercase.", {"lowercase": True}),
    ],
)
def test_form_reads_the_task(task: str, expected: dict[str, Any]) -> None:
    assert Form().for_task(task).model_dump(exclude_defaults=True) == expected


def test_form_with_parameters_ignores_the_task() -> None:
    assert Form(max_words=5).for_task("Write exactly two sentences.") == Form(max_words=5)


def test_form_without_a_stated_form_names_the_fix() -> None:
    with pytest.raises(CheckError) as caught:
        Form().for_task("Write about the sea.")
    line = one_line(caught.value)
    assert "found no length or form stated" in line and "pass parameters" in line


def test_the_constraints_suite_reads_the_same_as_its_explicit_checks() -> None:
    """Every phrasing the constraints suite uses is read by `for_task` into the very parameters
    the item names, so `noetic run TASK --check form` checks what the suite scores."""
    readers = {"form": Form(), "required_terms": RequiredTerms()}
    items = constraints_gen.generate()
    assert {item.kind for item in items} == {kind for kind, _ in constraints_gen.KINDS}
    for item in items:
        assert item.checks
        for spec in item.checks:
            read = readers[spec.name].for_task(item.task)
            assert read.model_dump(exclude_defaults=True) == spec.params, (item.id, item.task)


# arithmetic


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("2 + 3", 5.0),
        ("10 - 4 - 3", 3.0),
        ("6 * 7", 42.0),
        ("9 / 2", 4.5),
        ("3 × 4", 12.0),
        ("3 x 4", 12.0),
        ("12 ÷ 4", 3.0),
        ("(1 + 2) * 3", 9.0),
        ("((1 + 2) * (3 + 4))", 21.0),
        ("-3 + 1", -2.0),
        ("2.5 * 2", 5.0),
    ],
)
def test_evaluate_arithmetic(expression: str, value: float) -> None:
    assert evaluate(expression) == value


@pytest.mark.parametrize(
    "expression",
    ["2 ** 3", "abs(-2)", "x + 1", "1 / 0", "__import__('os')", "True + 1", "'a' * 3", "1 +", ""],
)
def test_evaluate_rejects_everything_else(expression: str) -> None:
    assert evaluate(expression) is None


def test_evaluate_never_calls_eval() -> None:
    tree = ast.parse(inspect.getsource(arithmetic_module))
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile"}


TASK = "Tom has 12 apples, buys 5 more and gives 3 away. How many apples does he have?"


@pytest.mark.parametrize(
    "text",
    [
        "12 + 5 = 17, then 17 - 3 = 14. He has 14 apples.",
        "12+5=17 and 17-3=14, so 14.",
        "(12 + 5) - 3 = 14. The answer is 14.",
    ],
)
def test_a_correct_chained_calculation_passes(text: str) -> None:
    result = Arithmetic().run(TASK, text)
    assert result.passed, result.message
    assert result.score == 1.0
    assert "= 14" in result.message


def test_a_wrong_product_is_named_with_its_value() -> None:
    result = Arithmetic(use_task_numbers=False).run("What is 9 times 6?", "9 * 6 = 56. So 56.")
    assert not result.passed
    assert "9 * 6 is 54, not 56" in result.message
    assert "end with the result 54" in result.message


def test_a_final_number_other_than_the_result_fails() -> None:
    result = Arithmetic().run(TASK, "12 + 5 = 17, 17 - 3 = 14. He has 15 apples.")
    assert not result.passed
    assert result.message == "end with the result 14"
    assert result.score == pytest.approx(2 / 3, abs=1e-4)


def test_no_calculation_fails_with_a_hint_naming_the_task_numbers() -> None:
    result = Arithmetic().run(TASK, "He has 14 apples.")
    assert not result.passed and result.score == 0.0
    assert "show the calculation using 3, 5, 12" in result.message


def test_thousands_separators_are_numbers() -> None:
    result = Arithmetic().run("Add 1,200 and 800.", "1,200 + 800 = 2,000. Total: 2,000.")
    assert result.passed, result.message


def test_unused_task_numbers_fail_only_when_required() -> None:
    text = "2 + 2 = 4. The answer is 4."
    strict = Arithmetic().run(TASK, text)
    assert not strict.passed
    assert "use the task's numbers 3, 5, 12" in strict.message
    assert Arithmetic(use_task_numbers=False).run(TASK, text).passed


# binding, settings shorthand, selection helpers


def test_unknown_check_names_the_known_ones() -> None:
    with pytest.raises(CheckError, match="unknown check 'nonesuch'") as caught:
        bind_checks([CheckSpec(name="nonesuch")], "task")
    line = one_line(caught.value)
    assert all(name in line for name in BUILT_IN)
    assert BUILT_IN <= set(check_names())


@pytest.mark.parametrize(
    ("spec", "parameter"),
    [
        ({"name": "form", "sentences": 0}, "sentences"),
        ({"name": "form", "colour": "red"}, "colour"),
        ({"name": "arithmetic", "use_task_numbers": "maybe"}, "use_task_numbers"),
        ({"name": "required_terms", "terms": "dog"}, "terms"),
    ],
)
def test_a_bad_parameter_is_one_line_naming_it(spec: dict[str, Any], parameter: str) -> None:
    with pytest.raises(CheckError) as caught:
        bind_checks([CheckSpec.model_validate(spec)], "Write exactly two sentences.")
    line = one_line(caught.value)
    assert f"check '{spec['name']}' has a bad parameter {parameter}:" in line
    assert f"parameters of '{spec['name']}':" in line


def test_check_spec_shorthand() -> None:
    assert CheckSpec.model_validate("form") == CheckSpec(name="form", params={})
    assert CheckSpec.model_validate({"name": "form", "sentences": 2, "lowercase": True}) == (
        CheckSpec(name="form", params={"sentences": 2, "lowercase": True})
    )
    explicit = {"name": "form", "params": {"max_words": 9}}
    assert CheckSpec.model_validate(explicit).params == {"max_words": 9}
    settings = NoeticSettings(checks=["required_terms", {"name": "form", "sentences": 1}])
    assert [(s.name, s.params) for s in settings.checks] == [
        ("required_terms", {}),
        ("form", {"sentences": 1}),
    ]


def test_bind_checks_completes_parameters_from_the_task() -> None:
    task = "In exactly two sentences, use these words: sun, sea."
    specs = [CheckSpec.model_validate(s) for s in ("required_terms", "form", "arithmetic")]
    terms, form, arithmetic = bind_checks(specs, task)
    assert terms.model_dump() == RequiredTerms(terms=["sun", "sea"]).model_dump()
    assert terms.source == "sun, sea"  # read from the task, so it shows where
    assert form == Form(sentences=2)
    assert arithmetic == Arithmetic()
    results = run_checks([terms, form], task, "The sun rose. The sea shone.")
    assert [r.passed for r in results] == [True, True]


def verdict(passed: bool, hard: bool, message: str = "m") -> CheckResult:
    return CheckResult(name="c", passed=passed, score=float(passed), message=message, hard=hard)


def test_passes_hard_ignores_soft_failures() -> None:
    assert passes_hard([])
    assert passes_hard([verdict(True, True), verdict(False, False)])
    assert not passes_hard([verdict(True, True), verdict(False, True)])


def test_fix_message_joins_only_the_failures() -> None:
    results = [
        verdict(False, True, "missing: park"),
        verdict(True, True, "meets the stated form"),
        verdict(False, False, "end with the result 14."),
    ]
    assert fix_message(results) == "missing: park. end with the result 14."
    assert fix_message([verdict(True, True)]) == ""


def test_a_long_message_is_cut_to_fit() -> None:
    result = RequiredTerms(terms=[f"word{i}" for i in range(80)]).run("", "nothing")
    assert result.message.startswith("missing: word0, word1") and len(result.message) == 240


# the commands


def test_noetic_checks_lists_the_built_in_ones(tmp_path: Path) -> None:
    proc = noetic("checks", cwd=tmp_path, home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {line.split()[0]: line.split()[1] for line in proc.stdout.splitlines()}
    assert {name: rows[name] for name in BUILT_IN} == dict.fromkeys(BUILT_IN, "noetic")

    proc = noetic("checks", "--json", cwd=tmp_path, home=tmp_path)
    assert proc.returncode == 0, proc.stderr
    infos = {info["name"]: info for info in json.loads(proc.stdout)}
    assert infos["form"]["target"] == "noetic.agents.checks.form:Form"
    assert infos["arithmetic"]["description"] == Arithmetic.description


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (["some task", "--check", "nonesuch"], ["unknown check 'nonesuch'", "required_terms"]),
        (["Write about the sea.", "--check", "required_terms"], ["found no list of words"]),
        (["Write about the sea.", "--check", "form"], ["found no length or form stated"]),
    ],
)
def test_a_bad_check_on_the_command_line_is_one_line_before_any_model(
    tmp_path: Path, args: list[str], needles: list[str]
) -> None:
    # A model that does not exist: loading it first would fail with "does not exist" instead.
    proc = noetic("run", *args, "--model", str(tmp_path / "none.gguf"), cwd=tmp_path, home=tmp_path)
    assert proc.returncode == 2, proc.stderr
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith("noetic: error: ")
    assert all(needle in line for needle in needles), line
    assert "does not exist" not in line and "Traceback" not in proc.stderr
    assert proc.stdout == ""
