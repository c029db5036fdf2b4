"""Lessons memory on the scripted model: what a run learned (what failed, what fixed it) is
stored once with its kind of task, recalled by later runs of that kind only, and reaches their
refinement prompt; `noetic show` and `noetic memory search` tell lessons from thoughts."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

import pytest
from rich.console import Console
from typer.testing import CliRunner

from noetic import DeliberationResult, adeliberate, aresume, load_settings
from noetic.agents.lessons import check_lesson, defect_lesson, new_lessons
from noetic.cli.commands import app
from noetic.cli.memory import MemoryKindChoice
from noetic.memory import MemoryKind, VectorMemory
from noetic.record import Candidate, CheckResult, Critique, RoundRecord
from noetic.report.html import render_report
from noetic.report.tree import run_tree
from noetic.settings import CheckSpec
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel, ScriptedRequest

FOUR = "Glaciers grind rock. Ice flows downhill. Fjords flood with sea. Valleys deepen slowly."
TWO = "Glaciers grind valleys below sea level. The sea then floods them into narrow fjords."
LESSON = "An answer with too many sentences failed; the chosen answer kept to the count asked."
SENTENCES = [CheckSpec(name="sentences")]


def fails_then_passes(n: int) -> str:
    """Round 1's two candidates write four sentences; from round 2 on, two."""
    return FOUR if n <= 2 else TWO


async def deliberate(
    task: str, run_id: str, model: Any = None, **kw: Any
) -> tuple[DeliberationResult, ScriptedModel]:
    model = model or RoleScript(thoughts=fails_then_passes).model()
    result = await adeliberate(
        task,
        model=model,
        embedder=HashingEmbedder(),
        run_id=run_id,
        mode="safe",
        candidates=2,
        **kw,
    )
    return result, model


async def lessons_of(run_id: str) -> list[tuple[str, str]]:
    settings = load_settings()
    with VectorMemory.open(settings.home, settings.memory, HashingEmbedder()) as memory:
        hits = await memory.search("answer failed chosen", 20, run_id=run_id, kind="lesson")
    return [(h.record.text, h.record.task_kind) for h in hits]


async def first_run() -> DeliberationResult:
    """A run whose round 1 fails `exactly two sentences` and whose round 2 passes it."""
    task = "Explain how glaciers carve fjords in exactly two sentences."
    result, _ = await deliberate(task, "first", rounds=2, checks=SENTENCES)
    return result


def refine_prompts(model: ScriptedModel) -> list[str]:
    prompts = [r.messages[-1].content for r in model.requests if r.schema_title is None]
    return [p for p in prompts if "A draft answer" in p]


async def test_a_run_stores_what_failed_and_what_fixed_it_once(isolated_home: Path) -> None:
    task = "Explain how glaciers carve fjords in exactly two sentences."
    result, _ = await deliberate(task, "first", rounds=3, checks=SENTENCES)
    assert not all(c.checks[0].passed for c in result.rounds[0].candidates)
    assert len(result.rounds) == 3
    # Round 2 picks a passing answer and teaches the lesson; round 3 does not teach it again.
    assert await lessons_of("first") == [(LESSON, "sentences")]
    assert result.rounds[0].lessons == []  # nothing learned before it


async def test_a_later_run_of_the_same_kind_recalls_the_lesson_into_refinement(
    isolated_home: Path,
) -> None:
    await first_run()
    # Another subject, the same kind of task: what its hard checks verify.
    task = "Describe how yeast ferments sugar in exactly two sentences."
    result, model = await deliberate(task, "second", rounds=2, checks=SENTENCES)
    recalled = result.rounds[0].lessons
    assert [(r.text, r.run_id, r.task_kind) for r in recalled] == [(LESSON, "first", "sentences")]
    assert result.rounds[0].recalled == []  # no thought of the other subject
    (refine,) = refine_prompts(model)
    assert f"Lessons from earlier tasks like this:\n- {LESSON}" in refine
    console = Console(width=300, record=True)
    console.print(run_tree(result))
    assert f"lesson first: {LESSON}" in console.export_text()
    page = render_report(result, [])
    assert "1 lesson from earlier tasks of this kind" in page
    assert "An answer with too many sentences failed" in page

    # Two runs taught the same line: a third recalls it once.
    third, _ = await deliberate(
        "Describe how tides rise in exactly two sentences.", "third", rounds=1, checks=SENTENCES
    )
    assert [r.text for r in third.rounds[0].lessons] == [LESSON]
    off, _ = await deliberate(
        "Describe how tides rise in exactly two sentences.",
        "fourth",
        rounds=1,
        checks=SENTENCES,
        memory={"lessons": 0},
    )
    assert off.rounds[0].lessons == []


async def test_another_kind_of_task_recalls_no_lesson(isolated_home: Path) -> None:
    await first_run()
    words, model = await deliberate(
        "Explain how glaciers carve fjords in at most 40 words.",
        "second",
        rounds=2,
        checks=[CheckSpec(name="words")],
    )
    assert all(r.lessons == [] for r in words.rounds)
    assert not any("Lessons from earlier" in p for p in refine_prompts(model))
    open_task, _ = await deliberate("Explain how glaciers carve fjords.", "third", rounds=1)
    assert open_task.rounds[0].lessons == []


class Crash(Exception):
    pass


@pytest.mark.parametrize(("crash_after", "stored"), [(4, 0), (7, 1)])
async def test_a_resumed_run_stores_its_lesson_once(
    isolated_home: Path, crash_after: int, stored: int
) -> None:
    """Three requests a round (two candidates, a reflection; the mode is pinned): after 4 the
    run dies in round 2 before its pick is reinforced, after 7 in round 3, after."""
    script = RoleScript(thoughts=fails_then_passes, critique=lambda t: (2, 2, 2))

    def answer(request: ScriptedRequest) -> str:
        if sum(script.calls.values()) >= crash_after:
            raise Crash("the process died here")
        return script(request)

    task = "Explain how glaciers carve fjords in exactly two sentences."
    with pytest.raises(Crash):
        await deliberate(task, "run-1", ScriptedModel(answer), rounds=3, checks=SENTENCES)
    assert len(await lessons_of("run-1")) == stored
    resumed = RoleScript(thoughts=lambda n: TWO, critique=lambda t: (2, 2, 2))
    result = await aresume("run-1", model=resumed.model(), embedder=HashingEmbedder())
    assert [r.round for r in result.rounds] == [1, 2, 3]
    assert await lessons_of("run-1") == [(LESSON, "sentences")]


def _candidate(id_: str, checks: list[CheckResult], defects: Sequence[str] = ()) -> Candidate:
    critique = Critique(rationale="r", defects=list(defects))
    return Candidate(
        id=id_, round=1, text="t", concepts=[], checks=checks, critique=critique, scores={}
    )


def test_lessons_are_made_by_rule_from_the_verdicts() -> None:
    failed = CheckResult(
        name="form", passed=False, score=0.5, message="use the word 'zebra'", source=""
    )
    passed = CheckResult(name="form", passed=True, score=1.0, message="meets the stated form")
    # Not this task's words or counts: another task of the kind asks for others.
    assert check_lesson(failed, passed) == (
        "An answer failed the form check (use the word …); the chosen answer met it."
    )
    over = failed.model_copy(update={"message": "write 1 to 2 sentences, not 0"})
    assert check_lesson(over, passed) == (
        "An answer with too few sentences failed; the chosen answer kept to the count asked."
    )
    assert defect_lesson("only restates the task") == (
        "An answer that only restates the task lost; the chosen answer avoided that."
    )
    assert defect_lesson("says little beyond the task: add specific facts") == (
        "An answer that says little beyond the task lost; the chosen answer avoided that: "
        "add specific facts."
    )
    # Nothing failed: no lesson. A pick that fails: no lesson.
    assert new_lessons([], [_candidate("r1c0", [passed]), _candidate("r1c1", [passed])], 0) == []
    assert new_lessons([], [_candidate("r1c0", [failed]), _candidate("r1c1", [passed])], 0) == []
    assert new_lessons([], [_candidate("r1c0", [failed]), _candidate("r1c1", [passed])], 1) == [
        check_lesson(failed, passed)
    ]


def test_an_open_task_learns_from_defects_the_pick_avoided() -> None:
    echo = _candidate("r1c0", [], ["only restates the task", "leaves out yeast"])
    chosen = _candidate("r1c1", [], ["leaves out glaciers"])
    first = RoundRecord(round=1, mode="safe", focus="f", candidates=[echo, chosen], selected=1)
    assert new_lessons([], first.candidates, 1) == [defect_lesson("only restates the task")]
    # Taught in round 1, not again in round 2.
    again = _candidate("r2c0", [], [])
    assert new_lessons([first], [again], 0) == []


def test_memory_search_tells_lessons_from_thoughts(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert {c.value for c in MemoryKindChoice} == set(get_args(MemoryKind))
    asyncio.run(first_run())
    monkeypatch.setattr("noetic.stores.shared.load_embedder", lambda settings: HashingEmbedder())
    found = CliRunner().invoke(app, ["memory", "search", "sentences failed", "--kind", "lesson"])
    assert found.exit_code == 0, found.output
    (line,) = found.stdout.splitlines()
    assert "lesson" in line and "[sentences]" in line and "too many sentences" in line
    thoughts = CliRunner().invoke(app, ["memory", "search", "glaciers", "--kind", "thought"])
    assert thoughts.exit_code == 0 and "lesson" not in thoughts.stdout
    stats = CliRunner().invoke(app, ["memory", "stats", "--json"])
    assert json.loads(stats.stdout)["kinds"] == {
        "thought": 2,
        "critique": 2,
        "reflection": 2,
        "lesson": 1,
    }
