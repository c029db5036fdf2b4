"""A run survives every failed command: a paused run stays answerable, a stopped one resumable.

The failing commands run as the user meets them (the CLI as a subprocess); the run is then taken
on to its end in process, on the scripted model.
"""

from __future__ import annotations

import asyncio
from functools import partial
from pathlib import Path
from typing import Any

import noetic_cli
import pytest
from noetic_cli import one_line_error

from noetic import HumanDecision, adeliberate, aresume, load_settings
from noetic.errors import RunStateError
from noetic.runs.stored import load_result
from noetic.testing import HashingEmbedder, RoleScript

noetic = partial(noetic_cli.noetic, NOETIC_LOG_LEVEL="warning")


async def paused_run(run_id: str = "p1") -> dict[str, Any]:
    result = await adeliberate(
        "A task",
        model=RoleScript().model(),
        embedder=HashingEmbedder(),
        run_id=run_id,
        rounds=2,
        candidates=3,
        mode="safe",
        steer=True,
    )
    assert result.steering is not None
    return result.steering


async def answer(run_id: str, decision: HumanDecision):  # type: ignore[no-untyped-def]
    return await aresume(
        run_id, answer=decision, model=RoleScript().model(), embedder=HashingEmbedder()
    )


@pytest.mark.parametrize("bad", [HumanDecision(pick=3), HumanDecision(veto=[0, 7])])
async def test_an_answer_that_does_not_fit_is_refused_before_the_graph(
    isolated_home: Path, bad: HumanDecision
) -> None:
    request = await paused_run()
    with pytest.raises(RunStateError, match="does not exist .*0-2.* stays paused"):
        await answer("p1", bad)
    still = await load_result(load_settings(), "p1")
    assert still.stop_reason == "paused" and still.steering == request
    after = await answer("p1", HumanDecision(pick=1))
    assert after.rounds[0].selected == 1 and after.steering is not None


async def test_a_bad_answer_that_reaches_the_graph_is_asked_again(
    isolated_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An answer arriving without the runner's check (a hand-made Command) is not kept as the
    round's answer: the pause asks again, saying why."""
    await paused_run()
    with monkeypatch.context() as unchecked:
        unchecked.setattr("noetic.runs.driver._check_answer", lambda *args: None)
        again = await answer("p1", HumanDecision(pick=5))
    assert again.stop_reason == "paused" and again.steering is not None
    assert again.steering["round"] == 1
    assert "candidate 5 does not exist" in again.steering["problem"]
    after = await answer("p1", HumanDecision(pick=2))
    assert after.rounds[0].selected == 2 and after.steering["round"] == 2  # type: ignore[index]


async def test_failed_commands_leave_a_paused_run_answerable(isolated_home: Path) -> None:
    request = await paused_run()
    failures = [
        (["steer", "p1", "--pick", "99"], "candidate 99 does not exist"),
        (["steer", "p1", "--veto", "7"], "candidate 7 does not exist"),
        (["steer", "p1", "--pick", "-1"], "--pick -1 is not a valid answer"),
        (["steer", "p1", "--veto", "0", "--veto", "-2"], "--veto -2 is not a valid answer"),
        (["steer", "p1", "--note", "n" * 1001], "--note"),
        (["resume", "p1"], "paused for a person"),
        (["run", "again", "--run-id", "p1"], "already exists"),
        (["report", "p1", "--out", str(isolated_home / "no" / "such" / "r.html")], "not exist"),
        (["report", "p1", "--out", str(isolated_home)], "is a folder"),
        (["steer", "nope", "--pick", "0"], "no run 'nope'"),
    ]
    for args, needle in failures:
        one_line_error(noetic(*args), needle)
        still = await load_result(load_settings(), "p1")
        assert still.stop_reason == "paused" and still.steering == request, args
    after = await answer("p1", HumanDecision(pick=0, veto=[2]))
    assert after.rounds[0].selected == 0 and after.steering is not None


async def test_failed_commands_leave_a_stopped_run_resumable(isolated_home: Path) -> None:
    stop = asyncio.Event()
    stop.set()  # stops after the first step, as a first Ctrl-C does
    stopped = await adeliberate(
        "A task", model=RoleScript().model(), embedder=HashingEmbedder(), run_id="s1", stop=stop
    )
    assert stopped.stop_reason == "incomplete"
    for args, needle in [
        (["steer", "s1", "--pick", "0"], "not paused"),
        (["steer", "s1", "--pick", "-1"], "not a valid answer"),
        (["run", "again", "--run-id", "s1"], "already exists"),
    ]:
        one_line_error(noetic(*args), needle)
        assert (await load_result(load_settings(), "s1")).stop_reason == "incomplete", args
    finished = await aresume("s1", model=RoleScript().model(), embedder=HashingEmbedder())
    assert finished.stop_reason == "max_rounds"


def test_the_prompt_asks_again_until_an_answer_fits(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from noetic.cli.run import _ask_person

    typed = iter(["9", "", "", "x", "", "", "1", "0, 2", " a note "])
    monkeypatch.setattr("typer.prompt", lambda *args, **kwargs: next(typed))
    request = {
        "round": 1,
        "candidates": [{"index": i, "text": f"c{i}", "scores": {}} for i in range(3)],
    }
    assert _ask_person(request) == HumanDecision(pick=1, veto=[0, 2], note="a note")
    said = capsys.readouterr().err
    assert "candidate 9 does not exist" in said and "not an answer" in said
