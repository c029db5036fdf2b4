"""The critic: judges every candidate with the overlay's signals and explains the judgment.

A small model is a poor judge of its own output: asked for a JSON critique, a 135M model copies
the example in its prompt and gives every candidate the same scores. So the critic does not ask
for a verdict. It reads signals (`noetic.agents.signals`): the model's likelihood of each
candidate given the task and against a neutral request (PMI), the expected rating under the
model's digit probabilities (G-Eval), embedding relevance and novelty, and degeneracy seen in
the text; and the run's checks (`noetic.agents.checks`), verifiable logic with messages the
generator can act on. Each lands in the candidate's `scores`; the policy weighs them into
`overall`.

A candidate that repeats an earlier one word for word is judged once: it carries its twin's
scores and is filtered as a repeat.

A candidate that comes without concepts (the associative generator names none) gets the
keyphrases the overlay reads from its text (`noetic.agents.concepts`), read in a worker thread
while the model scores: on a GPU the reading costs no time, and a role that names its own
concepts keeps them.

A subclass with another `prompt` (placeholders `$task`, `$candidate`, `$question`; asked for one
digit) changes how the ratings are asked for, and keeps every other signal.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from noetic.agents.base import Role
from noetic.agents.concepts import grounded_concepts
from noetic.agents.signals import Judge
from noetic.agents.signals.geval import PROMPT
from noetic.record import Critique

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState


def policy_rates(context: DeliberationContext, state: DeliberationState) -> bool:
    return context.policy(state["mode"]).weights.rates


class Critic(Role[Critique]):
    name = "critic"
    description = "Judges each candidate by likelihood, relevance, novelty, degeneracy, ratings."
    output_schema = Critique
    prompt = PROMPT
    rates: bool | None = None
    """Whether to ask for the ratings: None follows the policy (only when it weighs them, since
    each costs prompt evaluation); True always (a critic whose ratings are its point)."""

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        candidates = state["candidates"]
        rates = self.rates if self.rates is not None else policy_rates(context, state)
        judge = Judge(
            context.model_for(self.name),
            context.embedder,
            self.prompt,
            ratings=rates,
            checks=context.checks,
            risk=context.policy(state["mode"]).risk,
        )
        first = first_of_each_text([c.text for c in candidates])
        distinct = sorted(set(first))
        unread = [i for i in distinct if not candidates[i].concepts]
        (judgments, usage), concepts = await asyncio.gather(
            judge.judge(
                state["task"],
                [candidates[i].text for i in distinct],
                memories=[r.text for r in state.get("recalled", [])],
                earlier=[r.task for r in state.get("recalled", [])],
            ),
            asyncio.to_thread(read_concepts, [candidates[i].text for i in unread]),
        )
        judged = dict(zip(distinct, judgments, strict=True))
        read = dict(zip(unread, concepts, strict=True))
        scored = []
        for i, candidate in enumerate(candidates):
            j = judged[first[i]]
            update: dict[str, Any] = {
                "critique": j.critique,
                "scores": j.scores,
                "checks": j.checks,
            }
            if first[i] in read:
                update["concepts"] = read[first[i]]
            if first[i] != i:
                update["filtered"] = candidate.filtered or f"same text as {candidates[first[i]].id}"
            scored.append(candidate.model_copy(update=update))
        return {"candidates": scored, "usage": usage}


def read_concepts(texts: list[str]) -> list[list[str]]:
    return [grounded_concepts(text, []) for text in texts]


def first_of_each_text(texts: list[str]) -> list[int]:
    """For each text, the index of the first text equal to it (case and spacing aside): a
    sampled model can repeat a candidate word for word, and a repeat is judged once and kept
    in the record as filtered."""
    seen: dict[str, int] = {}
    return [seen.setdefault(" ".join(t.lower().split()), i) for i, t in enumerate(texts)]
