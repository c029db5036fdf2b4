"""The synthesizer: writes the final answer from the best selected thoughts, with provenance."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import structlog

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.checks import passes_hard
from noetic.agents.schemas import Synthesis
from noetic.agents.signals import Judge
from noetic.agents.signals.substance import echoes
from noetic.agents.signals.task_parts import answer_tokens
from noetic.errors import StructuredOutputError
from noetic.record import SETTLED_REASONS, RoundRecord, Source

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState

SOURCES = 3
NOVELTY_SIGNALS = ("round_novelty", "memory_novelty")
log = structlog.get_logger(__name__)


class Synthesizer(Role[Synthesis]):
    """The synthesis is judged like a candidate, checks included; where it fails a hard check
    the best selected thought passes, or scores below it, that thought is the answer
    (`answer_from` says which). A policy with `synthesis = "checked"` asks for one only in runs
    with checks: on open tasks the default model's synthesis never beat the best thought."""

    name = "synthesizer"
    description = "Writes the final answer from the best selected thoughts and names them."
    output_schema = Synthesis
    prompt = PromptTemplate.from_package(__package__, "synthesizer")
    max_tokens = 320

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        best = _best_thoughts(state.get("history", []))
        if not best:
            return {"answer": "", "sources": []}
        sources = [
            Source(
                round=record.round,
                candidate=index,
                id=record.candidates[index].id,
                score=round(record.candidates[index].scores.get("overall", 0.0), 4),
            )
            for record, index in best
        ]
        top = best[0][0].candidates[best[0][1]]
        best_thought = {
            "answer": top.text,
            "answer_from": top.id,
            "answer_scores": top.scores,
            "answer_checks": top.checks,
            "sources": sources[:1],
        }
        if state.get("stop_reason") in SETTLED_REASONS:
            return best_thought  # budget spent, or the thought is verified: no further call
        checked = context.policy(state["mode"]).synthesis == "checked"
        if checked and not context.checks and _any_selected(state.get("history", [])):
            return best_thought  # no check a synthesis could pass that the thoughts failed
        thoughts = "\n".join(f"- {record.candidates[index].text}" for record, index in best)
        try:
            sampling = self.sampling(context, state)
            sampling = sampling.model_copy(
                update={"max_tokens": answer_tokens(state["task"], sampling.max_tokens)}
            )
            (synthesis,), usage = await self.ask(
                context, sampling, task=state["task"], thoughts=thoughts
            )
        except StructuredOutputError as exc:
            # Hours of deliberation are not lost to one bad reply: answer with the best thought.
            log.warning("synthesis_failed", problem=exc.problem, fallback=best_thought["sources"])
            return best_thought
        # Judged side by side on the quality signals only: novelty is not what an answer is for.
        weights = context.policy(state["mode"]).weights
        judge = Judge(
            context.model_for(self.name),
            context.embedder,
            ratings=weights.rates,
            checks=context.checks,
        )
        judgments, judged = await judge.judge(
            state["task"],
            [synthesis.answer, top.text],
            earlier=[r.task for r in state.get("recalled", [])],
        )
        mine, theirs = (
            {k: v for k, v in j.scores.items() if k not in NOVELTY_SIGNALS} for j in judgments
        )
        overall = weights.combine(mine)
        scores = {**mine, "overall": round(overall, 4)}
        ranks = [
            (passes_hard(j.checks) and not echoes(j.scores), weights.combine(s))
            for j, s in zip(judgments, (mine, theirs), strict=True)
        ]
        if ranks[0] < ranks[1]:
            log.info("synthesis_below_best", synthesis=scores["overall"], best=top.id)
            return {**best_thought, "usage": usage + judged}
        return {
            "answer": synthesis.answer,
            "answer_from": "synthesis",
            "answer_scores": scores,
            "answer_checks": judgments[0].checks,
            "sources": sources,
            "usage": usage + judged,
        }


def _any_selected(history: list[RoundRecord]) -> bool:
    return any(record.selected is not None for record in history)


def _best_thoughts(history: list[RoundRecord]) -> list[tuple[RoundRecord, int]]:
    """The top selected thoughts, best first: those without risk flags before flagged ones (an
    exploring round tolerates a flag, an answer should not carry one), then by score.

    When every candidate of every round was filtered out (a short, budget-capped run can end
    so), the run still answers: with the best-scoring candidates, filtered or not.
    """
    pairs = [(record, record.selected) for record in history if record.selected is not None]
    if not pairs:
        pairs = [(record, i) for record in history for i in range(len(record.candidates))]
        if pairs:
            log.warning("no_thought_selected", fallback="best filtered candidate")
    pairs.sort(key=lambda pair: _rank(*pair), reverse=True)
    return pairs[:SOURCES]


def _rank(record: RoundRecord, index: int) -> tuple[bool, float]:
    candidate = record.candidates[index]
    flagged = candidate.critique is not None and bool(candidate.critique.risk_flags)
    return not flagged, candidate.scores.get("overall", 0.0)
