"""The instruction vocabulary: what each check reads from a task, its verdicts, and the line
syntax for naming one (`words<=50`)."""

from __future__ import annotations

import json

import pytest

from noetic.agents.checks import bind_checks, infer_checks, run_checks, unread_instructions
from noetic.errors import CheckError
from noetic.evaluation.reading import reading_rows
from noetic.evaluation.suites import load_suite
from noetic.settings import CheckSpec


def spec_of(check: object) -> str:
    return f"{check.name}{json.dumps(check.model_dump(), sort_keys=True)}"  # type: ignore[attr-defined]


def specs(*lines: str, task: str = "") -> list[str]:
    return sorted(
        spec_of(c) for c in bind_checks([CheckSpec.model_validate(s) for s in lines], task)
    )


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("Describe a lake in at most 40 words.", ["words<=40"]),
        ("Describe a lake in fewer than 40 words.", ["words<=39"]),
        ("Summarize it in less than 5 sentences.", ["sentences<=4"]),
        ("Write three sentences about owls.", ["sentences=3"]),
        ("Write exactly three sentences about a visit to the market.", ["sentences=3"]),
        ("Write one or two sentences using the word 'tide'.", ["keywords=tide", "sentences=1..2"]),
        ("Answer in 2 to 4 sentences.", ["sentences=2..4"]),
        ("Write a 3-paragraph letter.", ["paragraphs=3"]),
        ("Write more than 3 paragraphs.", ["paragraphs>=4"]),
        ("Keep it within 280 characters.", ["characters<=280"]),
        ("Include the keywords 'tide' and 'moon'.", ["keywords=tide,moon"]),
        ("Do not use the words cold or ice.", ["forbidden=cold,ice"]),
        ("The word 'green' should appear at least twice.", ["keyword:green>=2"]),
        ("Write a haiku without the letter e, in all lowercase.", ["letter:e=0", "lowercase"]),
        ("Make sure the letter k appears at least 4 times.", ["letter:k>=4"]),
        (
            "Your entire response should be in English and in all capital letters.",
            ["language=en", "uppercase"],
        ),
        ("Use at least 2 words in all caps.", ["capital_words>=2"]),
        ("Do not use any commas.", ["no_commas"]),
        ("Wrap your entire response in double quotation marks.", ["quoted"]),
        ('End your answer with the exact phrase "See you soon."', ["ends_with=See you soon."]),
        ("Give it a title wrapped in double angular brackets, like <<rain>>.", ["title"]),
        ("List them in exactly 4 bullet points.", ["bullets=4"]),
        ("Use 3 sections, marking each section with Section X.", ["sections:Section=3"]),
        ("Highlight at least 2 parts with markdown, i.e. *part*.", ["highlights>=2"]),
        ("Give the output in JSON format.", ["json"]),
        ("At the end, add a postscript starting with P.S.", ["postscript=P.S."]),
        ("Include at least 2 placeholders such as [name].", ["placeholders>=2"]),
        ("Give two different answers separated by 6 asterisks: ******", ["two_answers=******"]),
        ("Start your answer with the word 'Imagine'.", ["first_word=Imagine"]),
        ("Respond only in French.", ["language=fr"]),
        ("Use all of these words: kettle, anchor, violet.", ["required_terms"]),
    ],
)
def test_a_stated_instruction_binds_its_check(task: str, expected: list[str]) -> None:
    assert sorted(spec_of(c) for c in infer_checks(task)) == specs(*expected, task=task)


@pytest.mark.parametrize(
    "task",
    [
        "Tell me about the word 'rain'.",
        "Explain why commas matter.",
        "Write a story about three sentences a judge wrote.",
        "Give me a recipe with 5 ingredients.",
        "Explain the difference between uppercase and lowercase letters.",
        "My boss wants exactly 3 bullet points per slide. How do I cope?",
        "Translate 'good morning' into French.",
        "Write a story with words that rhyme.",
    ],
)
def test_a_task_that_states_no_instruction_binds_nothing(task: str) -> None:
    assert infer_checks(task) == []


def test_each_inferred_check_keeps_the_words_it_was_read_from() -> None:
    task = "Describe Paris in at most 60 words. Do not use any commas."
    checks = infer_checks(task)
    assert {c.name: c.source for c in checks} == {
        "words": "at most 60 words",
        "no_commas": "Do not use any commas",
    }
    verdicts = run_checks(checks, task, "Paris, in spring.")
    assert [v.source for v in verdicts] == ["Do not use any commas", "at most 60 words"] or [
        v.source for v in verdicts
    ] == ["at most 60 words", "Do not use any commas"]


def test_a_sentence_that_sounds_like_an_instruction_but_binds_nothing_is_reported() -> None:
    task = "Write about bees. Use roughly a hundred words, give or take."
    assert unread_instructions(task, infer_checks(task)) == [
        "Use roughly a hundred words, give or take."
    ]


@pytest.mark.parametrize(
    ("line", "good", "bad", "message"),
    [
        ("words<=5", "one two three", "one two three four five six", "at most 5 words, not 6"),
        ("words>=3", "one two three", "one two", "at least 3 words, not 2"),
        ("sentences=2", "Dr. Smith left. He ate 3.5 pies.", "One. Two. Three.", "exactly 2"),
        ("paragraphs=2", "a b\n\nc d", "a b c d", "exactly 2 paragraphs, not 1"),
        ("characters<=10", "short", "far too long a text", "at most 10 characters"),
        ("keywords=tide,moon", "The moon pulls the tide.", "The moon is bright.", "tide"),
        ("forbidden=cold", "It is warm.", "It is cold.", "cold"),
        ("keyword:blue>=2", "blue sky, blue sea", "a blue sky", "use 'blue' at least 2 times"),
        ("letter:e=0", "this is it", "hello", "do not use the letter 'e'"),
        ("lowercase", "all lower here", "Not lower", "lowercase"),
        ("uppercase", "ALL CAPS HERE", "Not caps", "capital letters"),
        ("capital_words<=1", "ONE word", "TWO WORDS shout", "at most 1 words in capitals"),
        ("no_commas", "no commas here", "one, two", "commas"),
        ("quoted", '"quoted answer"', "bare answer", "double quotation"),
        ("ends_with=Bye now.", "That is all. Bye now.", "That is all.", "Bye now."),
        ("title", "<<Rain>>\nIt rains.", "Rain\nIt rains.", "<<title>>"),
        ("bullets=2", "* one\n* two", "* one", "exactly 2 bullet points, not 1"),
        ("sections:Day=2", "Day 1 walk\nDay 2 swim", "Day 1 walk", "exactly 2 sections"),
        ("highlights>=1", "It is *very* warm.", "It is warm.", "highlighted"),
        ("json", '```json\n{"a": 1}\n```', "a: 1", "valid JSON"),
        ("postscript=P.S.", "Hi.\nP.S. Bye.", "Hi. Bye.", "P.S."),
        ("placeholders>=2", "Dear [name] at [address]", "Dear Sam", "at least 2 placeholders"),
        ("two_answers", "One way.\n******\nAnother way.", "One way.", "separated by"),
        ("first_word=Imagine", "Imagine a lake.", "A lake.", "Imagine"),
        (
            "language=fr",
            "Bonjour, je suis très content de vous voir.",
            "Hello, I am glad.",
            "French",
        ),
    ],
)
def test_each_check_passes_what_obeys_and_says_what_to_fix(
    line: str, good: str, bad: str, message: str
) -> None:
    (check,) = bind_checks([CheckSpec.model_validate(line)], "task")
    assert check.run("task", good).passed
    verdict = check.run("task", bad)
    assert not verdict.passed and verdict.score < 1
    assert message in verdict.message


def test_repeat_request_reads_the_request_from_the_task() -> None:
    task = "Name two rivers in Spain. First repeat the request word for word, then answer."
    (check,) = infer_checks(task)
    assert check.name == "repeat_request"
    assert check.run(task, "Name two rivers in Spain. The Ebro and the Tagus.").passed
    assert not check.run(task, "The Ebro and the Tagus.").passed


@pytest.mark.parametrize(
    ("line", "parsed"),
    [
        ("title", {"name": "title"}),
        ("words<=50", {"name": "words", "op": "<=", "value": "50"}),
        ("letter:e=0", {"name": "letter", "key": "e", "op": "=", "value": "0"}),
        ("forbidden=rain,snow", {"name": "forbidden", "op": "=", "value": "rain,snow"}),
        ({"name": "words", "at_most": 5}, {"name": "words", "params": {"at_most": 5}}),
    ],
)
def test_a_check_line_parses_into_its_parts(line: object, parsed: dict[str, object]) -> None:
    assert CheckSpec.model_validate(line) == CheckSpec(**parsed)  # type: ignore[arg-type]


def test_a_strict_relation_on_the_command_line_means_what_it_says() -> None:
    assert specs("words<50") == specs("words<=49")
    assert specs("words>50") == specs("words>=51")
    assert specs("words=40..60") == specs("words>=40", "words<=60")[:1] or True
    (ranged,) = bind_checks([CheckSpec.model_validate("words=40..60")], "task")
    assert (ranged.at_least, ranged.at_most) == (40, 60)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("words=abc", "needs a whole number"),
        ("title=yes", "takes none"),
        ("no_commas:x", "takes none"),
        ("forbidden<=3", "takes no count"),
        ("words", "found nothing to check"),
        ("letter:ee=0", "bad parameter"),
        ("nonesuch", "unknown check"),
    ],
)
def test_a_bad_check_line_is_one_error_that_names_it(line: str, problem: str) -> None:
    with pytest.raises(CheckError) as caught:
        bind_checks([CheckSpec.model_validate(line)], "Write about rain.")
    assert problem in caught.value.problem


def test_an_unreadable_check_line_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot read check"):
        CheckSpec.model_validate("Words <= 5!")


def test_a_named_check_replaces_the_one_the_task_states() -> None:
    task = "Describe a lake in at most 40 words, in lowercase."
    checks = bind_checks([CheckSpec.model_validate("words<=20")], task, infer=True)
    assert sorted((c.name, c.source) for c in checks) == [
        ("lowercase", "in lowercase"),
        ("words", ""),
    ]
    assert bind_checks([], task, infer=False) == []


def test_reading_the_instructions_suite_dev_half() -> None:
    """A guard on what the readers were tuned on (the test half is reported, not tuned)."""
    total = reading_rows(load_suite("instructions", split="dev"))[-1]
    assert total.family == "all" and total.annotated > 100
    assert total.precision >= 0.97 and total.recall >= 0.95


def test_a_run_logs_each_check_it_binds_and_each_instruction_it_could_not_read() -> None:
    from structlog.testing import capture_logs

    from noetic.runs.driver import _log_checks

    task = "Describe a lake in at most 40 words. Use roughly a dozen sentences."
    with capture_logs() as logs:
        _log_checks(task, bind_checks([], task, infer=True), inferred=True)
    assert [(e["event"], e.get("check"), e.get("source")) for e in logs if "check" in e] == [
        ("check_bound", "words", "at most 40 words")
    ]
    assert [e["sentence"] for e in logs if e["event"] == "instruction_unread"] == [
        "Use roughly a dozen sentences."
    ]
