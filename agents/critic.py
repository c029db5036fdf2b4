"""The critic: scores every candidate for relevance, coherence and novelty, flags risks.

A small model judges its own output poorly, so the critic sees one candidate per prompt, at low
temperature, and its reply is constrained to the `Critique` schema. The prompts share their prefix
(instructions and task) and decode together where the backend batches.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.schemas import Critique
from noetic.models.base import Sampling

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.graphs.context import DeliberationContext
    from noetic.graphs.state import DeliberationState


class Critic(Role[Critique]):
    name = "critic"
    description = "Scores each candidate (relevance, coherence, novelty), flags risks, explains."
    output_schema = Critique
    prompt = PromptTemplate.from_package(__package__, "critic")
    max_tokens = 140

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        policy = context.policy(state["mode"])
        candidates = state["candidates"]
        critiques, usage = await self.ask_each(
            context,
            [
                (
                    Sampling(
                        temperature=policy.critic_temperature,
                        max_tokens=self.max_tokens,
                        seed=context.seed(state["round"], f"{self.name}{index}"),
                    ),
                    {"task": state["task"], "candidate": candidate.text},
                )
                for index, candidate in enumerate(candidates)
            ],
        )
        scored = [
            candidate.model_copy(update={"critique": critique, "scores": critique.scores()})
            for candidate, critique in zip(candidates, critiques, strict=True)
        ]
        return {"candidates": scored, "usage": usage}
