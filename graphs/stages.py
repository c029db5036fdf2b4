"""The stages that are plain logic rather than a model's judgment: recall from the shared memory,
selection, reinforcement of what was selected, and the end of a round (record it, apply the stop
rules, set the next focus)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Literal

import structlog
from langgraph.runtime import Runtime

from noetic.agents.checks import passes_hard, run_checks, task_kind
from noetic.agents.concepts import content_words, grounded_focus, is_label, occurs
from noetic.agents.history import best_so_far
from noetic.agents.lessons import new_lessons
from noetic.agents.runtime import DeliberationContext
from noetic.agents.signals.similarity import task_relevance
from noetic.agents.signals.substance import continues, echoes, same_subject
from noetic.agents.state import DeliberationState
from noetic.memory import MemoryRecord, Recalled
from noetic.memory.accumulator import StrategyOutcome
from noetic.models.base import Usage
from noetic.policies.stop_rules import judge_round
from noetic.record import Candidate, Lesson, Recollection, Reflection, RoundRecord

log = structlog.get_logger("noetic.stage")
ANCHORS = 5


async def recall(state: DeliberationState, runtime: Runtime[DeliberationContext]) -> dict[str, Any]:
    """Thoughts from memory on the task, lessons of its kind, and the accumulator's strongest
    concepts on it.

    The memory and the accumulator span every run, so what they return is kept only if it is
    about this task: a memory comes from an earlier run on the same subject (another task's
    content, copied by a small model, was the harm memory did; see `_recall_thoughts`); a
    concept shares a content word with the task or with a concept this run has selected, and is
    no id or label. Otherwise an earlier run's ideas pull a small model off the task. Lessons
    (what failed and what fixed it, `noetic.agents.lessons`) hold no answer to copy: they come
    from other runs of the same kind of task, whatever its subject.
    """
    context = runtime.context
    update: dict[str, Any] = {"recalled": [], "lessons": [], "anchors": []}
    task_words = content_words(state["task"])
    if context.accumulator is not None:
        own = {
            word
            for record in state.get("history", [])
            if record.selected is not None
            for concept in record.candidates[record.selected].concepts
            for word in content_words(concept)
        }
        update["anchors"] = [
            c.concept
            for c in context.accumulator.top(ANCHORS * 4)
            if not is_label(c.concept) and content_words(c.concept) & (task_words | own)
        ][:ANCHORS]
    k = context.settings.memory.recall_k
    if context.memory is not None and k:
        update["recalled"] = await _recall_thoughts(state, context, k)
    if context.memory is not None and context.settings.memory.lessons:
        update["lessons"] = await _recall_lessons(state, context)
    return update


async def _recall_lessons(state: DeliberationState, context: DeliberationContext) -> list[Lesson]:
    """Distinct lessons of other runs on the same kind of task (`memory.lessons` at most)."""
    assert context.memory is not None
    kind = task_kind(context.checks)
    most = context.settings.memory.lessons
    hits = await context.memory.search(
        state["task"], 2 * most, kind="lesson", task_kind=kind, exclude_run_id=state["run_id"]
    )
    lessons: dict[str, Lesson] = {}
    for h in hits:
        provenance = h.record.model_dump(include={"text", "task_kind", "run_id", "task", "round"})
        lessons.setdefault(h.record.text, Lesson(**provenance, score=round(h.score, 4)))
    recalled = list(lessons.values())[:most]
    log.info("lessons_recalled", round=state["round"], task_kind=kind, lessons=len(recalled))
    return recalled


async def _recall_thoughts(
    state: DeliberationState, context: DeliberationContext, k: int
) -> list[Recollection]:
    """Thoughts of earlier runs on this task's subject (of a run this task continues, its best).

    A run that names the same thing of the user's own (a place, a character, a product) is
    continuing work: its thought is kept as it is, since it carries the facts this task needs.
    Any other must clear `memory.min_relevance` by embedding and pass this run's hard checks:
    shown a thought, a small model copies it, and one that fails what this task verifiably asks
    (another task's answer, usually) would pull the round toward failing too.
    """
    task = state["task"]
    assert context.memory is not None
    query = f"{task} {state.get('focus') or ''}"
    # Thoughts only: critiques and reflections are the overlay's own notes, not ideas.
    found = [
        h
        for h in await context.memory.search(query, k + state["round"], kind="thought")
        if h.record.run_id != state["run_id"]
    ]
    continuing = [h for h in found if continues(task, h.record.task)]
    others = [h for h in found if h not in continuing and same_subject(task, h.record.task)]
    if context.embedder is not None and others:
        relevance = await task_relevance(context.embedder, task, [h.record.text for h in others])
        floor = context.settings.memory.min_relevance
        others = [h for h, r in zip(others, relevance, strict=True) if r >= floor]
    if context.checks:
        others = [h for h in others if passes_hard(run_checks(context.checks, task, h.record.text))]
    # The rounds of one continued run repeat its facts: its best thought is enough.
    best: dict[str, Recalled] = {}
    for hit in sorted(continuing, key=lambda h: -h.score):
        best.setdefault(hit.record.run_id, hit)
    hits = sorted([*best.values(), *others], key=lambda h: -h.score)
    if len(hits) < len(found):
        log.info("recall_filtered", round=state["round"], dropped=len(found) - len(hits))
    log.info(
        "recalled",
        round=state["round"],
        memories=len(hits),
        from_runs=sorted({h.record.run_id for h in hits}),
        continuing=len(best),
    )
    return [
        Recollection(
            run_id=h.record.run_id,
            round=h.record.round,
            kind=h.record.kind,
            role=h.record.role,
            text=h.record.text,
            score=round(h.score, 4),
            task=h.record.task,
        )
        for h in hits
    ]


async def select(state: DeliberationState, runtime: Runtime[DeliberationContext]) -> dict[str, Any]:
    """Filter, then score each candidate by the active policy and pick the best one left; one
    that fails a hard check is picked only when none passes.

    Resonance comes from the accumulator: the policy says whether it rewards reinforced concepts
    (safe) or under-explored ones (experimental). An echo of the task counts as a failed hard check.
    `verified` says the pick passes every check, is no echo, and clears the policy's threshold
    both with and without its checks (a pick that passes its checks but says nothing is no
    answer): the run can stop there (`checks_passed`).
    """
    context = runtime.context
    mode = state["mode"]
    policy = context.policy(mode)
    accumulator = context.accumulator
    scored: list[Candidate] = []
    for candidate in state["candidates"]:
        scores = dict(candidate.scores)
        if accumulator is not None:
            resonance = (
                accumulator.novelty(candidate.concepts)
                if policy.explores
                else accumulator.resonance(candidate.concepts)
            )
            scores["resonance"] = round(resonance, 4)
        scores["overall"] = round(policy.weights.combine(scores), 4)
        scored.append(
            candidate.model_copy(
                update={
                    "scores": scores,
                    "filtered": candidate.filtered or policy.filters.verdict(candidate),
                }
            )
        )
    eligible = [i for i, c in enumerate(scored) if c.filtered is None]
    eligible = [i for i in eligible if sound(scored[i])] or eligible
    selected = max(eligible, key=lambda i: scored[i].scores["overall"], default=None)
    human = state.get("human")
    if human is not None and human.pick is not None and human.pick in eligible:
        selected = human.pick
    chosen = scored[selected] if selected is not None else None
    # The judge's own signals, without what the checks or the accumulator add.
    unchecked = (
        {k: v for k, v in chosen.scores.items() if k not in ("checks", "resonance")}
        if chosen
        else {}
    )
    verified = (
        chosen is not None
        and bool(chosen.checks)
        and all(c.passed for c in chosen.checks)
        and not echoes(chosen.scores)
        and chosen.scores["overall"] >= policy.accept_threshold
        and policy.weights.combine(unchecked) >= policy.accept_threshold
    )
    return {"candidates": scored, "selected": selected, "verified": verified}


def sound(candidate: Candidate) -> bool:
    """Passes its hard checks and is no echo of the task: an answer the run may end on."""
    return passes_hard(candidate.checks) and not echoes(candidate.scores)


def _round_memories(state: DeliberationState, chosen: Candidate, kind: str) -> list[MemoryRecord]:
    base = {
        "run_id": state["run_id"],
        "task": state["task"],
        "round": state["round"],
        "mode": state["mode"],
        "task_kind": kind,
    }
    records = [
        MemoryRecord(
            **base,
            role="generator",
            kind="thought",
            text=chosen.text,
            scores=chosen.scores,
            concepts=chosen.concepts,
        )
    ]
    if chosen.critique is not None:
        records.append(
            MemoryRecord(
                **base,
                role="critic",
                kind="critique",
                text=chosen.critique.rationale or "-",
                scores=chosen.scores,
                concepts=chosen.concepts,
            )
        )
    reflection = steering(state.get("reflection"), state["task"])
    if reflection is not None:
        focus = f" Next: {reflection.next_focus}" if reflection.next_focus else ""
        records.append(
            MemoryRecord(
                **base,
                role="meta_thinker",
                kind="reflection",
                text=f"{reflection.decision}: {reflection.reason}{focus}",
            )
        )
    lessons = new_lessons(state.get("history", []), state["candidates"], state.get("selected"))
    records += [
        MemoryRecord(**base, role="reinforce", kind="lesson", text=text, index=i)
        for i, text in enumerate(lessons)
    ]
    return records


async def reinforce(
    state: DeliberationState, runtime: Runtime[DeliberationContext]
) -> dict[str, Any]:
    """Reward the selected concepts and the strategy that drew it (the kind of task's tally of
    what was tried and what won), and store the round in memory, once per run and round.

    Both writes are keyed by (run, round), so a round replayed after a crash counts nothing twice.
    Memory also keeps the lessons the round teaches (what failed, what fixed it) with the task's
    kind, each in the first round that teaches it, so a run stores a lesson once.
    """
    context = runtime.context
    selected = state.get("selected")
    if selected is None:
        return {}
    chosen = state["candidates"][selected]
    writes: list[Awaitable[None]] = []
    if context.accumulator is not None:
        # Any role's candidate, built-in or plugged in: only phrases of its text are learned.
        grounded = [c for c in chosen.concepts if occurs(c, chosen.text) and not is_label(c)]
        fresh = context.accumulator.reinforce(
            grounded,
            chosen.scores.get("overall", 0.0),
            run_id=state["run_id"],
            round=state["round"],
            strategies=StrategyOutcome(
                kind=task_kind(context.checks),
                tried=frozenset(c.strategy for c in state["candidates"] if c.strategy),
                won=chosen.strategy,
            ),
        )
        if fresh:
            writes.append(context.accumulator.asave())
    if context.memory is not None:
        writes.append(context.memory.add(_round_memories(state, chosen, task_kind(context.checks))))
    await asyncio.gather(*writes)  # the accumulator's disk wait overlaps the memories' embedding
    return {}


async def close_round(
    state: DeliberationState, runtime: Runtime[DeliberationContext]
) -> dict[str, Any]:
    """Record the round, then stop (with the rule that stopped it), extend, or advance."""
    context = runtime.context
    round_ = state["round"]
    proposed = state.get("reflection")
    reflection = steering(proposed, state["task"])
    if proposed is not None and reflection is not proposed:
        log.info("focus_rejected", round=round_, rejected=proposed.next_focus[:80])
    record = RoundRecord(
        round=round_,
        mode=state["mode"],
        focus=state.get("focus") or state["task"],
        candidates=state["candidates"],
        selected=state.get("selected"),
        reflection=reflection,
        recalled=state.get("recalled", []),
        lessons=state.get("lessons", []),
        anchors=state.get("anchors", []),
        human=state.get("human"),
    )
    usage: Usage = state.get("usage", Usage())
    verdict = judge_round(
        [*state.get("history", []), record],
        reflection,
        round_=round_,
        max_rounds=state["max_rounds"],
        extensions=state.get("extensions", 0),
        threshold=context.policy(state["mode"]).accept_threshold,
        budget=context.settings.budget,
        tokens=usage.total_tokens,
        seconds=sum(state.get("timings", {}).values()),
        verified=bool(state.get("verified")),
        sound=(best := best_so_far([*state.get("history", []), record])) is not None
        and sound(best),
    )
    update: dict[str, Any] = {"history": [record], "human": None}
    if verdict.stop_reason:
        update["stop_reason"] = verdict.stop_reason
        return update
    if verdict.extend:
        update["max_rounds"] = state["max_rounds"] + 1
        update["extensions"] = state.get("extensions", 0) + 1
        log.info("think_longer", round=round_, max_rounds=update["max_rounds"])
    update["round"] = round_ + 1
    if reflection is not None and reflection.next_focus:
        update["focus"] = reflection.next_focus.strip()
    return update


def steering(reflection: Reflection | None, task: str) -> Reflection | None:
    """`reflection` without a next focus that cannot steer the next round (`grounded_focus`):
    the record, memory and `show` keep only a focus the run follows."""
    if reflection is None or not reflection.next_focus:
        return reflection
    if grounded_focus(reflection.next_focus.strip(), task):
        return reflection
    return reflection.model_copy(update={"next_focus": ""})


def after_select(state: DeliberationState) -> Literal["reflect", "reinforce"]:
    """A verified pick ends the run: no reflection is needed to decide that."""
    return "reinforce" if state.get("verified") else "reflect"


def after_round(state: DeliberationState) -> Literal["converge", "switch"]:
    return "converge" if state.get("stop_reason") else "switch"
