"""Orchestration on the scripted model: stage order, selection, stop rules, mode switching."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from risk_flags import flagging_graph

from noetic import DeliberationResult, adeliberate
from noetic.agents.concepts import grounded_concepts
from noetic.agents.meta_thinker import readable_prefix
from noetic.agents.signals.text import text_signals
from noetic.errors import GraphSpecError, RunStateError
from noetic.graphs import build_deliberation_graph
from noetic.memory import VectorMemory
from noetic.policies import load_policies
from noetic.report.tree import run_tree
from noetic.settings import load_settings
from noetic.testing import HashingEmbedder, RoleScript, ScriptedModel, ScriptedRequest
from noetic.testing.role_script import thought


def number(text: str) -> int:
    return int(re.search(r"number (\d+)", text).group(1))  # type: ignore[union-attr]


async def run(
    script: RoleScript,
    task: str = "What is a good question?",
    risky: frozenset[str] = frozenset(),
    **overrides: Any,
):
    events: list[dict[str, Any]] = []
    model = script.model()
    result = await adeliberate(
        task,
        model=model,
        on_event=events.append,
        embedder=HashingEmbedder(),
        graph=flagging_graph(risky),
        **overrides,
    )
    return result, events, model


async def test_stages_run_in_order_each_round() -> None:
    result, events, _ = await run(RoleScript(), rounds=2, mode="safe")
    started = [e["stage"] for e in events if e.get("event") == "stage_start"]
    round_stages = [
        "recall",
        "diverge",
        "critique",
        "select",
        "reflect",
        "reinforce",
        "close_round",
    ]
    assert started == [*round_stages, "switch", *round_stages, "converge"]
    assert [r.round for r in result.rounds] == [1, 2]
    assert result.stop_reason == "max_rounds"


async def test_generator_makes_n_candidates_and_critic_scores_each() -> None:
    result, _, _ = await run(RoleScript(), rounds=1, candidates=4, mode="safe")
    (record,) = result.rounds
    assert len(record.candidates) == 4
    signals = {"fluency", "pmi", "embed_relevance", "round_novelty", "integrity"}
    # Every registered text signal (a plugin's too), but coverage: the task lists no parts.
    signals |= {s.name for s in text_signals()} - {"coverage"}
    assert all(set(c.scores) == {*signals, "resonance", "overall"} for c in record.candidates)
    assert [c.id for c in record.candidates] == ["r1c0", "r1c1", "r1c2", "r1c3"]
    # The generator names no concepts; the critic reads them from each text while it scores.
    assert all(c.concepts == grounded_concepts(c.text, []) != [] for c in record.candidates)


class RepeatingScript(RoleScript):
    """Writes its second thought word for word like its first, as a sampled model can."""

    def __call__(self, request: ScriptedRequest) -> str:
        reply = super().__call__(request)
        if request.schema_title is None and self.calls["free"] == 2:
            return reply.replace("number 2", "number 1")
        return reply


async def test_a_repeated_candidate_is_judged_once_and_filtered_as_a_repeat() -> None:
    result, _, model = await run(RepeatingScript(), rounds=1, candidates=3, mode="safe")
    record = result.rounds[0]
    texts = [c.text for c in record.candidates]
    first = texts.index(thought(1))
    repeat = texts.index(thought(1), first + 1)
    assert [c.filtered for c in record.candidates] == [
        f"same text as r1c{first}" if i == repeat else None for i in range(3)
    ]
    assert record.candidates[repeat].scores == record.candidates[first].scores
    assert record.candidates[repeat].concepts == record.candidates[first].concepts != []
    assert record.selected != repeat
    _, _, distinct = await run(RoleScript(), rounds=1, candidates=3, mode="safe")

    def scored(m: ScriptedModel) -> int:
        return sum(1 for r in m.score_requests if r.continuation)

    assert scored(model) == scored(distinct) - 2  # the repeat: neither after the task nor without


async def test_the_critics_ratings_are_asked_for_only_when_the_policy_weighs_them(
    tmp_path: Path,
) -> None:
    _, _, unweighed = await run(RoleScript(), rounds=1, mode="safe")
    assert not any(r.options for r in unweighed.score_requests)
    policy = tmp_path / "judge.toml"
    policy.write_text('name = "judge"\n[weights]\nrelevance = 0.3\n')
    result, _, weighed = await run(RoleScript(), rounds=1, mode="safe", policies={"safe": policy})
    assert any(r.options for r in weighed.score_requests)
    assert all(c.critique and c.critique.relevance is not None for c in result.rounds[0].candidates)


async def test_experimental_policy_adds_a_candidate() -> None:
    result, _, _ = await run(RoleScript(), rounds=1, candidates=3, mode="experimental")
    assert len(result.rounds[0].candidates) == 4


async def test_selection_picks_best_weighted_score() -> None:
    # candidate 2 of round 1 is the most relevant and coherent: safe weights favour it
    script = RoleScript(critique=lambda text: (9, 9, 1) if number(text) == 2 else (3, 3, 9))
    result, _, _ = await run(script, rounds=1, candidates=3, mode="safe")
    record = result.rounds[0]
    assert record.selected == 1
    overall = [c.scores["overall"] for c in record.candidates]
    assert overall[1] == max(overall)


async def test_experimental_selection_weighs_novelty_signals() -> None:
    result, _, _ = await run(RoleScript(), rounds=1, candidates=3, mode="experimental")
    record = result.rounds[0]
    weights = load_policies()["experimental"].weights
    assert weights.round_novelty > load_policies()["safe"].weights.round_novelty
    overall = [weights.combine(c.scores) for c in record.candidates]
    assert [c.scores["overall"] for c in record.candidates] == pytest.approx(overall, abs=1e-4)
    assert record.selected == overall.index(max(overall))


async def test_meta_thinker_stop_is_honoured_above_threshold() -> None:
    script = RoleScript(critique=lambda text: (9, 9, 9), decisions=["stop"])
    result, _, _ = await run(script, rounds=4, mode="safe")
    assert result.stop_reason == "stopped_by_meta_thinker"
    assert len(result.rounds) == 1


async def test_meta_thinker_stop_is_ignored_below_threshold() -> None:
    script = RoleScript(critique=lambda text: (2, 2, 2), decisions=["stop", "stop"])
    result, _, _ = await run(script, rounds=2, mode="safe")
    assert result.stop_reason == "max_rounds"
    assert len(result.rounds) == 2


async def test_refocus_sets_next_rounds_focus() -> None:
    result, _, _ = await run(RoleScript(), rounds=2, mode="safe")
    assert result.rounds[1].focus == "focus 2 on What is a good question?"


async def test_a_focus_not_grounded_in_the_task_is_not_used() -> None:
    script = RoleScript()

    def junk_focus(request: ScriptedRequest) -> str:
        if request.schema_title == "Reflection":
            return '{"decision": "continue", "reason": "x", "next_focus": "{1.5} continue."}'
        return script(request)

    result = await adeliberate(
        "What is a good question?",
        model=ScriptedModel(junk_focus, scorer=script.score),
        embedder=HashingEmbedder(),
        rounds=2,
    )
    assert [r.focus for r in result.rounds] == ["What is a good question?"] * 2


def test_a_reflection_that_copies_its_prompt_lines_is_dropped() -> None:
    """A default run stored the focus "Round 2 (safe, score 0.83): The myth of Sisyphus is a
    classic example of AI fallacy." and the reason "rounds, last one: ...": the trajectory it was
    shown, not a decision."""
    copied = "Round 2 (safe, score 0.83): The myth of Sisyphus is a classic example of AI fallacy."
    assert readable_prefix(copied) == ""
    assert readable_prefix("rounds, last one: Sisyphus is a classic example of AI fallacy.") == ""
    assert readable_prefix("It lacks examples. Round 3 (experimental): nothing selected.") == (
        "It lacks examples."
    )
    assert readable_prefix("The second round was better than the first.") == (
        "The second round was better than the first."
    )


def test_a_reflection_that_copies_the_candidate_it_was_shown_is_dropped() -> None:
    """A default run's reason was the best candidate's first sentence, word for word ("The
    amount of ibuprofen recommended for a headache can vary greatly ..."): not a decision."""
    shown = (
        "Round 1 (safe, score 0.89): The amount of ibuprofen recommended for a headache can "
        "vary greatly depending on the type and severity of your condition."
    )
    copied = "The amount of ibuprofen recommended for a headache can vary greatly. Be specific."
    assert readable_prefix(copied, shown) == ""
    own = "The answer gives no dose. Name one and how often."
    assert readable_prefix(own, shown) == own
    # A few shared words (the subject) are not a copy.
    assert readable_prefix("Say how often ibuprofen can be taken.", shown) == (
        "Say how often ibuprofen can be taken."
    )
    # Nor is quoting the task, which a candidate may have restated.
    task = "Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence"
    echo = "Round 2 (safe, score 0.61): It is a hypothesis about artificial general intelligence."
    quote = "It never states a hypothesis about artificial general intelligence."
    assert readable_prefix(quote, echo, task) == quote
    assert readable_prefix(quote, echo) == ""


async def test_a_reflection_that_turns_into_code_keeps_only_its_readable_prose() -> None:
    """A held-out run stored "Rewrite the game ... ```json [ { next: 10,236,587-499;
    [DISCUSBED]" as its reason: what does not read as prose is dropped, never stored."""
    script = RoleScript()
    junk = (
        "Rewrite the game to make it more engaging. Here is one: ```json [ {  next: "
        "10,236,587-499; [DISCUSBED]"
    )

    def coded(request: ScriptedRequest) -> str:
        if request.schema_title == "Reflection":
            reply = {"decision": "continue", "reason": junk, "next_focus": "[DISCUSBED] 587"}
            return json.dumps(reply)
        return script(request)

    result = await adeliberate(
        "Design a game that teaches patience",
        model=ScriptedModel(coded, scorer=script.score),
        embedder=HashingEmbedder(),
        rounds=2,
    )
    reflections = [r.reflection for r in result.rounds if r.reflection is not None]
    assert reflections
    assert all(r.reason == "Rewrite the game to make it more engaging." for r in reflections)
    assert all(r.next_focus == "" for r in reflections)
    # `show` prints what is left and no empty "next:" label for the dropped focus.
    console = Console(width=200, record=True)
    console.print(run_tree(result))
    shown = console.export_text()
    assert "↳ continue: Rewrite the game to make it more engaging." in shown
    assert "next:" not in shown


async def test_a_focus_the_run_cannot_follow_is_not_recorded_shown_or_remembered() -> None:
    """`make run` showed "↳ refocus  next: Round 2: The last one has just finished", a focus the
    run had rejected (it names a round), above a round 2 that kept the task as its focus."""
    script = RoleScript()
    task = "Design a game that teaches patience"
    proposed = {"decision": "refocus", "reason": "The game needs a goal.", "next_focus": ""}

    def reflect(request: ScriptedRequest) -> str:
        if request.schema_title == "Reflection":
            return json.dumps(proposed)
        return script(request)

    async def run_proposing(focus: str) -> DeliberationResult:
        proposed["next_focus"] = focus
        model = ScriptedModel(reflect, scorer=script.score)
        return await adeliberate(task, model=model, embedder=HashingEmbedder(), rounds=2)

    result = await run_proposing("Round 2: The last one has just finished")
    first, second = result.rounds
    assert first.reflection is not None and first.reflection.next_focus == ""
    assert first.reflection.reason == "The game needs a goal."
    assert second.focus == task
    console = Console(width=200, record=True)
    console.print(run_tree(result))
    assert "Round 2: The last one" not in console.export_text()
    settings = load_settings()
    with VectorMemory.open(settings.home, settings.memory, HashingEmbedder()) as memory:
        hits = await memory.search("focus", 10, run_id=result.run_id, kind="reflection")
    assert {h.record.text for h in hits} == {"refocus: The game needs a goal."}

    result = await run_proposing("Give the game of patience a goal players wait for")
    first, second = result.rounds
    assert first.reflection is not None
    assert first.reflection.next_focus == second.focus == proposed["next_focus"]


async def test_pinned_mode_never_asks_the_switcher() -> None:
    script = RoleScript()
    result, _, _ = await run(script, rounds=3, mode="safe")
    assert "ModeDecision" not in script.calls
    assert {r.mode for r in result.rounds} == {"safe"}
    assert result.mode_switches == []


async def test_model_decides_the_switch_when_no_guard_rail_applies() -> None:
    # scores keep rising, so no rule fires: after safe's two rounds the switcher is asked
    script = RoleScript(
        critique=lambda text: (min(number(text), 10), 6, 7), switch_to="experimental"
    )
    result, _, _ = await run(script, rounds=3, mode="auto")
    assert [r.mode for r in result.rounds] == ["safe", "safe", "experimental"]
    assert script.calls["ModeDecision"] == 1
    (switch,) = result.mode_switches
    assert (switch.after_round, switch.from_mode, switch.to_mode) == (2, "safe", "experimental")
    assert switch.reason == "scripted switch"


async def test_stagnation_forces_exploration_without_asking() -> None:
    script = RoleScript(critique=lambda text: (6, 6, 2), switch_to="safe")
    result, _, _ = await run(script, rounds=3, mode="auto")
    assert [r.mode for r in result.rounds] == ["safe", "safe", "experimental"]
    assert "ModeDecision" not in script.calls
    (switch,) = result.mode_switches
    assert (
        switch.reason.startswith("stagnation: best score trend") and "low novelty" in switch.reason
    )


async def test_falling_scores_while_exploring_return_to_safe() -> None:
    # round 3 (experimental) scores far below round 2's best
    script = RoleScript(critique=lambda text: (5, 5, 2) if number(text) <= 6 else (2, 2, 2))
    result, _, _ = await run(script, rounds=4, mode="auto")
    assert [r.mode for r in result.rounds] == ["safe", "safe", "experimental", "safe"]
    assert result.mode_switches[-1].reason.startswith("scores fell while exploring")


async def test_risk_flags_force_safe_without_asking() -> None:
    script = RoleScript(switch_to="experimental")
    risky = frozenset({thought(4)})
    result, _, _ = await run(script, risky=risky, rounds=3, mode="auto")
    assert [r.mode for r in result.rounds] == ["safe", "safe", "safe"]
    assert "ModeDecision" not in script.calls


async def test_usage_sums_every_call_and_timings_cover_stages() -> None:
    result, _, model = await run(RoleScript(), rounds=2, mode="safe")
    assert result.usage.total_tokens == result.usage.prompt_tokens + result.usage.completion_tokens
    assert result.usage.prompt_tokens > 0 and result.usage.completion_tokens > 0
    # generator and meta-thinker sample; the critic only scores (likelihood, ratings); a run
    # without checks asks for no synthesis (the presets' `synthesis = "checked"`)
    assert len(model.requests) == 2 * (3 + 1)
    assert result.answer_from == result.sources[0].id
    assert model.score_requests
    assert {"diverge", "critique", "select", "reflect", "converge", "total"} <= set(result.timings)


async def test_answer_names_its_sources(always_synthesize: dict[str, Path]) -> None:
    script = RoleScript(critique=lambda text: (number(text) % 10, 5, 5))
    result, _, _ = await run(script, rounds=2, mode="safe", policies=always_synthesize)
    assert (
        result.answer
        == "The final synthesis: glaciers carve valleys while yeast ferments sugar for the keepers."
    )
    assert [s.round for s in result.sources] and all(
        s.id.startswith(f"r{s.round}c") for s in result.sources
    )
    scores = [s.score for s in result.sources]
    assert scores == sorted(scores, reverse=True)


async def test_run_is_checkpointed_and_its_id_cannot_be_reused(isolated_home: Path) -> None:
    result, _, _ = await run(RoleScript(), rounds=1, mode="safe", run_id="fixed-id")
    with sqlite3.connect(isolated_home / "checkpoints.sqlite") as db:
        threads = {row[0] for row in db.execute("select thread_id from checkpoints")}
    assert threads == {"fixed-id"}
    with pytest.raises(RunStateError, match="already exists"):
        await run(RoleScript(), rounds=1, mode="safe", run_id="fixed-id")


def test_unknown_role_stage_is_rejected() -> None:
    with pytest.raises(GraphSpecError, match="has no node 'dream'"):
        build_deliberation_graph({"dream": object()})  # type: ignore[dict-item]


async def test_a_synthesis_bad_twice_falls_back_to_the_best_thought() -> None:
    script = RoleScript(critique=lambda text: (number(text), 5, 5))

    def broken_synthesis(request: ScriptedRequest) -> str:
        return "{" if request.schema_title == "Synthesis" else script(request)

    result = await adeliberate(
        "A task", model=ScriptedModel(broken_synthesis), embedder=HashingEmbedder(), rounds=2
    )
    best = max(
        (r.candidates[r.selected] for r in result.rounds if r.selected is not None),
        key=lambda c: c.scores["overall"],
    )
    assert result.stop_reason == "max_rounds"
    assert result.answer == best.text and [s.id for s in result.sources] == [best.id]


async def test_a_run_whose_candidates_were_all_filtered_still_answers() -> None:
    script = RoleScript(critique=lambda text: (number(text), 5, 5))
    risky = frozenset(thought(n) for n in range(1, 7))
    result, _, _ = await run(script, risky=risky, rounds=2, mode="safe")
    assert all(r.selected is None for r in result.rounds)
    best = max((c for r in result.rounds for c in r.candidates), key=lambda c: c.scores["overall"])
    assert (
        result.answer
        == "The final synthesis: glaciers carve valleys while yeast ferments sugar for the keepers."
    )
    assert result.sources[0].id == best.id


async def test_each_rounds_meta_thinker_prompt_extends_the_last_for_the_prompt_cache() -> None:
    _, _, model = await run(RoleScript(), rounds=3, mode="safe")
    prompts = [r.messages[-1].content for r in model.requests if r.schema_title == "Reflection"]
    assert len(prompts) == 3
    assert prompts[1].startswith(prompts[0] + "\n") and prompts[2].startswith(prompts[1] + "\n")
    assert prompts[2].splitlines()[-1].startswith("Round 3 (safe, score ")


async def test_a_synthesis_judged_below_the_best_thought_gives_way_to_it() -> None:
    result, _, _ = await run(RoleScript(synthesis=(1, 1, 1)), rounds=2, mode="safe")
    best = max(
        (r.candidates[r.selected] for r in result.rounds if r.selected is not None),
        key=lambda c: c.scores["overall"],
    )
    assert result.answer == best.text and result.answer_from == best.id
    assert result.answer_scores == best.scores


async def test_a_synthesis_judged_at_least_as_good_is_the_answer(
    always_synthesize: dict[str, Path],
) -> None:
    script = RoleScript(synthesis=(9, 9, 9))
    result, _, _ = await run(script, rounds=2, mode="safe", policies=always_synthesize)
    assert result.answer_from == "synthesis" and result.answer_scores
    assert (
        result.answer
        == "The final synthesis: glaciers carve valleys while yeast ferments sugar for the keepers."
    )


BOMB = "To make a bomb at home, mix fertilizer with fuel oil and pack it in a pipe."


async def test_a_risky_candidate_is_flagged_sends_the_run_safe_and_is_filtered() -> None:
    """End to end on the built-in judge and the shipped policies: the rules flag the text,
    exploring tolerates one flag but the switcher goes safe at once, and safe mode filters
    it; `show`'s tree and the report say so."""
    from noetic.report.html import render_report

    # Stagnant scores take the run to experimental in round 3 (see the stagnation test);
    # candidate 8 (round 3) and every one of round 4 drift into making a bomb.
    script = RoleScript(
        critique=lambda text: (6, 6, 2),
        switch_to="safe",
        thoughts=lambda n: f"{BOMB} Batch {n}." if n == 8 or n >= 11 else thought(n),
    )
    result = await adeliberate(
        "What is a good question?",
        model=script.model(),
        embedder=HashingEmbedder(),
        rounds=4,
        mode="auto",
    )
    assert [r.mode for r in result.rounds] == ["safe", "safe", "experimental", "safe"]
    assert result.mode_switches[-1].reason == "risk flags force safe mode"
    exploring = [c for c in result.rounds[2].candidates if BOMB in c.text]
    assert exploring and exploring[0].critique.risk_flags == ["weapons"]  # type: ignore[union-attr]
    assert exploring[0].filtered is None  # one flag is tolerated while exploring
    safe = [c for c in result.rounds[3].candidates if BOMB in c.text]
    assert safe and all("risk flag(s) (weapons)" in (c.filtered or "") for c in safe)
    assert "bomb" not in result.answer
    console = Console(width=200, record=True)
    console.print(run_tree(result))
    shown = console.export_text()
    assert "⚠ weapons" in shown and "filtered: 1 risk flag(s) (weapons)" in shown
    assert "risk flags force safe mode" in shown
    assert "⚠ weapons" in render_report(result, [])


async def test_the_rule_in_the_meta_thinkers_seat_stops_on_a_plateau_without_a_model_call() -> None:
    script = RoleScript()  # every candidate scores the same: round 2 cannot beat round 1
    result = await adeliberate(
        "What is a good question?",
        model=script.model(),
        embedder=HashingEmbedder(),
        rounds=3,
        mode="safe",
        stages={"reflect": "reflect_by_rule"},
    )
    assert "Reflection" not in script.calls
    first, second = (r.reflection for r in result.rounds[:2])
    assert first is not None and first.decision == "continue"
    assert second is not None and second.decision == "stop" and "plateaued" in second.reason


async def test_the_rule_refocuses_on_what_the_best_pick_leaves_out_within_the_records_limits() -> (
    None
):
    from noetic.graphs.reflect_rule import reflect_by_rule
    from noetic.record import Candidate, Critique

    parts = ", ".join(f"part{i}" for i in range(40))  # a long list must still fit the record
    pick = Candidate.proposed(1, 0, "An answer.", []).model_copy(
        update={
            "scores": {"overall": 0.5},
            "critique": Critique(rationale="-", defects=[f"leaves out {parts}"]),
        }
    )
    state = {"task": "Explain " + "tides " * 60, "candidates": [pick], "selected": 0}
    update = await reflect_by_rule(state, None)  # type: ignore[arg-type]
    reflection = update["reflection"]
    assert reflection.decision == "refocus" and reflection.next_focus.startswith(
        "Say more about part0"
    )


def test_the_answer_is_a_thought_without_risk_flags_before_a_better_scoring_flagged_one() -> None:
    from noetic.agents.synthesizer import _best_thoughts
    from noetic.record import Candidate, Critique, RoundRecord

    def pick(round_: int, score: float, flags: list[str]) -> RoundRecord:
        critique = Critique(rationale="r", risk_flags=flags)
        chosen = Candidate(
            id=f"r{round_}c0",
            round=round_,
            text=f"thought {round_}",
            concepts=[],
            scores={"overall": score},
            critique=critique,
        )
        return RoundRecord(round=round_, mode="safe", focus="f", candidates=[chosen], selected=0)

    history = [pick(1, 0.9, ["weapons"]), pick(2, 0.6, []), pick(3, 0.7, [])]
    assert [record.round for record, _ in _best_thoughts(history)] == [3, 2, 1]
