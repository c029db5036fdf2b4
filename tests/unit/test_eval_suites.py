"""The shipped suites: valid, interleaved, and (arithmetic) exactly what the generator makes."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from noetic.errors import NoeticError
from noetic.evaluation import arithmetic_gen, constraints_gen
from noetic.evaluation.open_measures import part_coverage
from noetic.evaluation.suites import SUITES, load_suite, suite_text, to_jsonl


def test_arithmetic_generation_is_deterministic_and_is_what_ships() -> None:
    first, second = arithmetic_gen.generate(), arithmetic_gen.generate()
    assert first == second
    assert to_jsonl(first) == suite_text("arithmetic")
    assert arithmetic_gen.generate(seed=1) != first


def test_constraints_generation_is_deterministic_split_and_is_what_ships() -> None:
    items = constraints_gen.generate()
    assert to_jsonl(items) == suite_text("constraints") and len(items) == 120
    assert all(item.checks for item in items)
    kinds = [kind for kind, _ in constraints_gen.KINDS]
    # Fifteen blocks of one item per kind, alternating: eight go to dev, seven to test.
    assert Counter(i.kind for i in items if i.split == "dev") == {k: 8 for k in kinds}
    assert Counter(i.kind for i in items if i.split == "test") == {k: 7 for k in kinds}


def test_arithmetic_answers_are_right_and_levels_interleave() -> None:
    items = load_suite("arithmetic")
    assert len({i.id for i in items}) == len(items) == 100
    assert Counter(i.kind for i in items) == {f"level{n}": 25 for n in range(1, 5)}
    assert [i.kind for i in items[:4]] == ["level1", "level2", "level3", "level4"]
    assert all(i.answer is not None and i.answer >= 0 for i in items)
    first = items[0]
    assert first.answer == 19 and "29 cards" in first.task and "gives 10 away" in first.task


def test_open_suite_has_references_that_meet_their_own_parts() -> None:
    items = load_suite("open")
    kinds = {"join", "myth", "polysemy", "explanation", "proposal", "advice"}
    assert len(items) >= 40 and {i.kind for i in items} == kinds
    for split in ("dev", "test"):
        assert {i.kind for i in load_suite("open", split=split)} == kinds
    assert all(i.answer is None and not i.checks and i.reference and i.parts for i in items)
    # A reference is what a good answer looks like: it addresses every part by the same rule.
    assert all(part_coverage(i.parts, i.reference or "") == 1.0 for i in items)
    assert part_coverage(items[0].parts, items[0].task.split(":")[0]) == 0.0


def test_limit_takes_a_prefix() -> None:
    assert [i.id for i in load_suite("arithmetic", 3)] == ["arith-001", "arith-002", "arith-003"]


def test_every_suite_ships_as_package_data() -> None:
    for name in SUITES:
        assert (resources.files("noetic.evaluation") / "suites" / f"{name}.jsonl").is_file()
    assert (resources.files("noetic.evaluation") / "prompts" / "judge.toml").is_file()


def test_unknown_suite_names_the_known_ones() -> None:
    with pytest.raises(NoeticError, match="unknown suite 'poetry'.*arithmetic, constraints"):
        load_suite("poetry")
