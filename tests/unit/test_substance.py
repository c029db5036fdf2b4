"""The substance signals and the task reading they share, by rule on hand-made texts."""

from __future__ import annotations

import pytest

from noetic.agents.signals.substance import (
    Coverage,
    Informativeness,
    NoEcho,
    NoMeta,
    echoes,
    names,
    same_subject,
)
from noetic.agents.signals.task_parts import TaskReading, answer_tokens
from noetic.agents.signals.text import text_signals

SALT = "Explain to a ten-year-old why the ocean is salty."
GOOD = (
    "Rain slowly dissolves minerals such as sodium and chloride out of rocks, and rivers carry "
    "them to the sea. The sun evaporates the water but leaves the salt behind, so over millions "
    "of years it builds up."
)
GENERIC = "The ocean is salty, and this is an important topic that scientists have studied."
PARAPHRASE = "This is about why the ocean is salty, explained for a ten-year-old."
META = "This explanation makes a tricky science topic easy for a child to understand."
JOIN = "Join these four concepts into one philosophy: canoe, cartography, improvisation, fossil."


def score(signal: object, task: str, text: str) -> float:
    reading = signal.read(TaskReading.of(task), text)  # type: ignore[attr-defined]
    assert reading is not None
    return reading.score


def test_informativeness_counts_specific_new_words_not_vague_ones() -> None:
    good, generic, echo = (score(Informativeness(), SALT, t) for t in (GOOD, GENERIC, PARAPHRASE))
    assert good > 0.7 and generic < 0.3 and echo < 0.1


def test_an_echo_of_the_task_is_caught_and_named() -> None:
    reading = NoEcho().read(TaskReading.of(SALT), PARAPHRASE)
    assert reading.score < 0.5 and reading.defect == "only restates the task"
    assert echoes({"no_echo": reading.score}) and not echoes({"no_echo": 1.0})
    assert score(NoEcho(), SALT, GOOD) == 1.0


def test_meta_commentary_is_caught_and_an_answer_is_not() -> None:
    assert score(NoMeta(), SALT, META) == 0.0
    assert score(NoMeta(), SALT, "To answer this, one would need to think about rivers.") == 0.0
    assert score(NoMeta(), SALT, GOOD) == 1.0
    half = f"{GOOD} This answer brings the ideas together in a new way."
    assert 0.5 <= score(NoMeta(), SALT, half) < 1.0


@pytest.mark.parametrize(
    "judged",
    [
        "A: The answer I provided earlier was incorrect.",  # appended by a real refine round
        "My previous answer was wrong about the rivers.",
        "The explanation we gave above is mistaken.",
    ],
)
def test_a_verdict_on_an_earlier_answer_is_meta(judged: str) -> None:
    assert score(NoMeta(), SALT, judged) == 0.0
    assert score(NoMeta(), SALT, f"{GOOD} {judged}") < 1.0
    assert score(NoMeta(), SALT, "The first answer to the riddle was 'salt'.") == 1.0


@pytest.mark.parametrize(
    ("task", "parts"),
    [
        (JOIN, {"canoe", "cartography", "improvisation", "fossil"}),
        (
            'Read the word "field" across three domains at once: physics, agriculture and '
            "sociology. What single idea do the three readings share?",
            {"field", "physics", "agriculture", "sociology"},
        ),
        (
            "Retell the myth of Icarus as a hypothesis about climate science.",
            {"icarus", "hypothesis", "climate science"},
        ),
        ("Propose a board game about vaccines: give its goal and two rules.", {"goal", "rules"}),
        (SALT, set()),
    ],
)
def test_the_parts_a_task_names_are_read_by_rule(task: str, parts: set[str]) -> None:
    assert {p.text for p in TaskReading.of(task).parts} == parts


def test_coverage_names_what_is_left_out_and_is_absent_without_parts() -> None:
    partial = "A canoe meets the river with improvisation at every bend, reading the current."
    reading = Coverage().read(TaskReading.of(JOIN), partial)
    assert reading is not None and reading.score == 0.5
    assert reading.defect == "leaves out cartography, fossil"
    assert Coverage().read(TaskReading.of(SALT), GOOD) is None  # nothing to cover: no signal


def test_only_tasks_on_the_same_subject_share_memories() -> None:
    assert same_subject(SALT, "Why is the ocean salty? Explain it simply.")
    assert not same_subject(SALT, "Explain to a ten-year-old why the sky is blue.")
    assert not same_subject(SALT, JOIN)
    icarus = "Retell the myth of Icarus as a hypothesis about artificial intelligence."
    assert not same_subject(icarus, icarus.replace("Icarus", "Prometheus"))


def test_tasks_that_name_the_same_thing_of_the_users_own_continue_one_subject() -> None:
    town = "Describe the harbor town of Brannoch: its lighthouse keeper is named Odrevan."
    assert names(town) == {"brannoch", "odrevan"}
    assert same_subject("Write a letter from the lighthouse keeper of Brannoch.", town)
    # Common capitalized words name nothing of the user's own.
    assert names("On Monday in Paris, John wrote to the Queen.") == set()
    assert not same_subject("Write a letter from a lighthouse keeper.", town)


def test_answer_length_follows_the_task() -> None:
    assert answer_tokens("Write at least 300 words on rivers.", 256) == 512
    assert answer_tokens("Write a haiku.", 256) == 256
    assert answer_tokens("Summarize in 50 words.", 256) == 256  # never below the setting


def test_the_built_in_signals_are_registered() -> None:
    names = {s.name for s in text_signals()}
    assert {"informativeness", "coverage", "no_echo", "no_meta"} <= names
