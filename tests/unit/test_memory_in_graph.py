"""The shared memory and accumulator inside deliberations (real Qdrant on disk, fake embedder)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from noetic import adeliberate, load_settings
from noetic.memory import ACCUMULATOR_FILE, VectorMemory, WeightAccumulator
from noetic.report.tree import run_tree
from noetic.testing import HashingEmbedder, RoleScript


async def deliberate(task: str, run_id: str, script: RoleScript | None = None, **kw):  # type: ignore[no-untyped-def]
    model = (script or RoleScript()).model()
    result = await adeliberate(
        task, model=model, embedder=HashingEmbedder(), run_id=run_id, mode="safe", **kw
    )
    return result, model


async def test_second_run_recalls_the_first(isolated_home: Path) -> None:
    await deliberate("How glaciers carve fjords and yeast ferments sugar", "first", rounds=2)
    # the hashing embedder is cruder than a model's: a bag of words half shared
    related = {"min_relevance": 0.3}
    result, model = await deliberate(
        "How glaciers carve fjords and yeast ferments sugar, again",
        "second",
        rounds=2,
        memory=related,
    )
    recalled = result.rounds[0].recalled
    assert recalled and {r.run_id for r in recalled} == {"first"}
    # Round 1 asks the task alone (this run continues no work of the user's own: no name in
    # common); a refinement shows what was recalled on the same subject, task and answer.
    prompts = [r.messages[-1].content for r in model.requests if r.schema_title is None]
    assert prompts[0].strip() == "How glaciers carve fjords and yeast ferments sugar, again"
    refine = next(p for p in prompts if "A draft answer" in p)
    shown = result.rounds[1].recalled  # what round 2's recall found
    assert shown and shown[0].text[:40] in refine
    assert "Asked: How glaciers carve fjords" in refine
    assert "first" not in refine  # provenance stays in the record, out of the prompt


async def test_continuing_work_is_recalled_by_the_name_it_shares(isolated_home: Path) -> None:
    """A later task names the user's own place without its facts: the earlier run that set
    them is recalled whatever its embedding relevance, and its task reaches round 1."""
    await deliberate(
        "Describe the harbor town of Brannoch: its lighthouse keeper is named Odrevan.",
        "first",
        rounds=1,
    )
    strict = {"min_relevance": 0.99}  # no embedding relevance clears this
    result, model = await deliberate(
        "Write a letter from the lighthouse keeper of Brannoch, signed with his name.",
        "second",
        rounds=1,
        memory=strict,
    )
    assert [r.run_id for r in result.rounds[0].recalled] == ["first"]
    first_round = [r.messages[-1].content for r in model.requests if r.schema_title is None]
    assert first_round and all("Odrevan" in p for p in first_round)
    console = Console(width=300, record=True)
    console.print(run_tree(result))
    assert "recalled first r1: Describe the harbor town of Brannoch" in console.export_text()
    other, _ = await deliberate(
        "Write a letter from a lighthouse keeper, signed with his name.",
        "third",
        rounds=1,
        memory=strict,
    )
    assert other.rounds[0].recalled == []  # the same form, no name in common


async def test_memories_that_fail_the_runs_checks_are_not_recalled(isolated_home: Path) -> None:
    first, _ = await deliberate(
        "How glaciers carve fjords and yeast ferments sugar", "first", rounds=2
    )
    related = {"min_relevance": 0.3}
    # The first run stored one selected thought a round, each "thought number N: ..." (no zebra).
    kept = first.rounds[0].candidates[first.rounds[0].selected or 0].text
    needs = [{"name": "form", "must_contain": [kept.split(":")[0]]}]
    result, _ = await deliberate(
        "How glaciers carve fjords and yeast ferments sugar, again",
        "second",
        rounds=1,
        memory=related,
        checks=needs,
    )
    recalled = result.rounds[0].recalled
    assert [r.text for r in recalled] == [kept]
    zebra = [{"name": "form", "must_contain": ["zebra"]}]
    result, _ = await deliberate(
        "How glaciers carve fjords and yeast ferments sugar, once more",
        "third",
        rounds=1,
        memory=related,
        checks=zebra,
    )
    assert result.rounds[0].recalled == []


async def test_memories_unrelated_to_the_task_are_not_recalled(isolated_home: Path) -> None:
    await deliberate("How glaciers carve fjords and yeast ferments sugar", "first", rounds=1)
    result, _ = await deliberate("the myth of Sisyphus and learning", "second", rounds=1)
    assert result.rounds[0].recalled == []
    assert result.rounds[0].anchors == []  # the first run's concepts are not about this task


async def test_each_round_is_stored_once_with_provenance(isolated_home: Path) -> None:
    await deliberate("a task", "run-a", rounds=2)
    settings = load_settings()
    with VectorMemory.open(settings.home, settings.memory, HashingEmbedder()) as memory:
        assert memory.count("run-a") == 2 * 3  # thought, critique, reflection per round
        hits = await memory.search("thought number", 10, run_id="run-a", kind="thought")
        assert {h.record.round for h in hits} == {1, 2}
        assert all(h.record.role == "generator" and h.record.mode == "safe" for h in hits)


async def test_accumulator_is_reinforced_and_persisted_across_runs(isolated_home: Path) -> None:
    await deliberate("How glaciers carve fjords and yeast ferments sugar", "run-a", rounds=2)
    first = WeightAccumulator.load(isolated_home / ACCUMULATOR_FILE)
    # Concepts are keyphrases read from the selected text ("glaciers carve valleys").
    glacial = next(c.concept for c in first.top(20) if "glaciers" in c.concept)
    weight_after_first = first.weight(glacial)
    assert weight_after_first > 0
    assert [r.round for r in first.run_view("run-a")] == [1, 2]
    result, _ = await deliberate(
        "How glaciers carve fjords and yeast ferments sugar", "run-b", rounds=1
    )
    second = WeightAccumulator.load(isolated_home / ACCUMULATOR_FILE)
    assert second.weight(glacial) != weight_after_first
    assert glacial in result.rounds[0].anchors


async def test_resonance_enters_selection(isolated_home: Path) -> None:
    await deliberate("a task", "run-a", rounds=1)
    result, _ = await deliberate("a task", "run-b", rounds=1)
    assert all("resonance" in c.scores for c in result.rounds[0].candidates)


async def test_memory_can_be_disabled(isolated_home: Path) -> None:
    result, _ = await deliberate("a task", "run-a", rounds=1, memory={"enabled": False})
    assert result.rounds[0].recalled == [] and result.rounds[0].anchors == []
    assert not (isolated_home / ACCUMULATOR_FILE).exists()
