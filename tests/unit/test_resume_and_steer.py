"""Durable runs on the scripted model: crash and resume, refusals, listing, steering."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from noetic import HumanDecision, adeliberate, aresume, load_settings
from noetic.errors import RunStateError
from noetic.memory import ACCUMULATOR_FILE, VectorMemory, WeightAccumulator
from noetic.runs.stored import list_runs, load_result, thread_config
from noetic.stores.checkpoints import open_checkpointer
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel, ScriptedRequest


class Crash(Exception):
    pass


def crashing_after(calls: int) -> ScriptedModel:
    script = RoleScript()

    def answer(request: ScriptedRequest) -> str:
        if sum(script.calls.values()) >= calls:
            raise Crash("the process died here")
        return script(request)

    return ScriptedModel(answer)


async def start(model: ScriptedModel, run_id: str = "run-1", **kw):  # type: ignore[no-untyped-def]
    return await adeliberate(
        "A task", model=model, embedder=HashingEmbedder(), run_id=run_id, mode="safe", **kw
    )


async def resume(run_id: str = "run-1", **kw):  # type: ignore[no-untyped-def]
    return await aresume(run_id, model=RoleScript().model(), embedder=HashingEmbedder(), **kw)


@pytest.mark.parametrize("crash_after", [2, 5, 8])  # 8: in round 3, its last call
async def test_crash_then_resume_finishes_with_nothing_counted_twice(
    isolated_home: Path, crash_after: int
) -> None:
    with pytest.raises(Crash):
        await start(crashing_after(crash_after), rounds=3, candidates=2)
    (summary,) = await list_runs(load_settings())
    assert summary.status == "incomplete"

    result = await resume()
    assert result.stop_reason == "max_rounds"
    assert [r.round for r in result.rounds] == [1, 2, 3]
    settings = load_settings()
    with VectorMemory.open(settings.home, settings.memory, HashingEmbedder()) as memory:
        assert memory.count("run-1") == 3 * 3
    accumulator = WeightAccumulator.load(isolated_home / ACCUMULATOR_FILE)
    assert [r.round for r in accumulator.run_view("run-1")] == [1, 2, 3]


async def test_resume_uses_the_runs_own_settings(isolated_home: Path) -> None:
    with pytest.raises(Crash):
        await start(crashing_after(4), rounds=2, candidates=2)
    result = await resume(rounds=9, candidates=5)  # today's flags do not change a stored run
    assert len(result.rounds) == 2
    assert all(len(r.candidates) == 2 for r in result.rounds)


async def test_resuming_a_finished_run_is_refused(isolated_home: Path) -> None:
    await start(RoleScript().model(), rounds=1)
    with pytest.raises(RunStateError, match="already finished"):
        await resume()


async def test_unknown_run_is_refused(isolated_home: Path) -> None:
    with pytest.raises(RunStateError, match="no run 'nope'"):
        await resume("nope")
    with pytest.raises(RunStateError, match="no run 'nope'"):
        await load_result(load_settings(), "nope")


async def test_incompatible_version_is_refused(isolated_home: Path) -> None:
    with pytest.raises(Crash):
        await start(crashing_after(3), rounds=2)
    from noetic.graphs import build_deliberation_graph

    async with open_checkpointer(load_settings()) as saver:
        app = build_deliberation_graph().compile(checkpointer=saver)
        await app.aupdate_state(thread_config("run-1"), {"version": "0.0.1"})
    with pytest.raises(RunStateError, match="noetic 0.0.1, incompatible"):
        await resume()


async def test_the_run_store_commits_without_an_fsync_each(isolated_home: Path) -> None:
    """WAL with synchronous=NORMAL: a crashed process still loses nothing (kill_resume tests)."""
    async with open_checkpointer(load_settings()) as saver:
        async with saver.conn.execute("pragma journal_mode") as cursor:
            assert await cursor.fetchone() == ("wal",)
        async with saver.conn.execute("pragma synchronous") as cursor:
            assert await cursor.fetchone() == (1,)  # NORMAL


async def test_runs_lists_status_and_reads_back(isolated_home: Path) -> None:
    await start(RoleScript().model(), run_id="done", rounds=1)
    with pytest.raises(Crash):
        await start(crashing_after(3), run_id="broken", rounds=2)
    summaries = {s.run_id: s for s in await list_runs(load_settings())}
    assert summaries["done"].status == "finished"
    assert summaries["done"].stop_reason == "max_rounds"
    assert summaries["broken"].status == "incomplete"
    stored = await load_result(load_settings(), "done")
    (only,) = stored.rounds
    assert stored.answer == only.candidates[only.selected or 0].text


async def test_steering_pauses_then_pick_veto_and_note_apply(isolated_home: Path) -> None:
    paused = await start(RoleScript().model(), rounds=2, candidates=3, steer=True)
    assert paused.stop_reason == "paused"
    assert paused.steering is not None and len(paused.steering["candidates"]) == 3
    with pytest.raises(RunStateError, match="paused for a person"):
        await resume()

    second_model = RoleScript().model()
    second = await aresume(
        "run-1",
        answer=HumanDecision(pick=2, veto=[0], note="think about rivers"),
        model=second_model,
        embedder=HashingEmbedder(),
    )
    assert second.stop_reason == "paused" and second.steering["round"] == 2  # type: ignore[index]
    first_round = second.rounds[0]
    assert first_round.selected == 2
    assert first_round.candidates[0].filtered == "vetoed by a person"
    assert first_round.human == HumanDecision(pick=2, veto=[0], note="think about rivers")

    refine = next(
        r.messages[-1].content
        for r in second_model.requests
        if r.schema_title is None and "A draft answer" in r.messages[-1].content
    )
    assert "A person's note: think about rivers" in refine

    final = await resume(answer=HumanDecision())
    assert final.stop_reason == "max_rounds" and len(final.rounds) == 2
    assert final.rounds[1].human == HumanDecision()


async def test_answering_a_run_that_is_not_paused_is_refused(isolated_home: Path) -> None:
    with pytest.raises(Crash):
        await start(crashing_after(3), rounds=2)
    with pytest.raises(RunStateError, match="not paused"):
        await resume(answer=HumanDecision(pick=0))


async def test_resume_keeps_the_policies_the_run_began_with(
    isolated_home: Path, tmp_path: Path
) -> None:
    policy = tmp_path / "mine.toml"
    policy.write_text('name = "mine"\nextra_candidates = 2\n')
    with pytest.raises(Crash):
        await start(crashing_after(4), rounds=2, candidates=1, policies={"safe": policy})
    policy.write_text('name = "changed"\nextra_candidates = 0\n')
    result = await resume()
    assert [len(r.candidates) for r in result.rounds] == [3, 3]
    assert result.policies["safe"]["name"] == "mine"


async def test_stop_ends_the_run_after_the_current_step_and_resume_finishes(
    isolated_home: Path,
) -> None:
    stop = asyncio.Event()

    def on_event(event: dict[str, Any]) -> None:
        if event.get("stage") == "critique" and event.get("round") == 2:
            stop.set()

    stopped = await start(RoleScript().model(), rounds=3, on_event=on_event, stop=stop)
    assert stopped.stop_reason == "incomplete"
    assert [r.round for r in stopped.rounds] == [1]
    (summary,) = await list_runs(load_settings())
    assert summary.status == "incomplete"
    result = await resume()
    assert result.stop_reason == "max_rounds"
    assert [r.round for r in result.rounds] == [1, 2, 3]


async def test_a_run_can_live_in_a_checkpointer_of_ones_own(isolated_home: Path) -> None:
    from langgraph.checkpoint.memory import InMemorySaver

    saver = InMemorySaver()
    stop = asyncio.Event()
    stop.set()
    stopped = await start(RoleScript().model(), run_id="mine", checkpointer=saver, stop=stop)
    assert stopped.stop_reason == "incomplete"
    assert await list_runs(load_settings()) == []  # nothing went to NOETIC_HOME's run store
    with pytest.raises(RunStateError, match="no run 'mine'"):
        await resume("mine")
    finished = await resume("mine", checkpointer=saver)
    assert finished.stop_reason == "max_rounds"
