"""Scripts for the scripted model: valid replies per role, with knobs a test can turn."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from noetic.agents.critic import Critic
from noetic.agents.signals.geval import QUESTIONS
from noetic.agents.signals.likelihood import NEUTRAL, PMI_SCALE
from noetic.graphs import DeliberationGraph, build_deliberation_graph
from noetic.models.base import ScoreRequest, TokenScores
from noetic.models.scripted import ScriptedModel, ScriptedRequest

SYNTHESIS = "The final synthesized answer joins every thought about the task."


def task(prompt: str) -> str:
    """The task line of a role's prompt."""
    return prompt.split("Task:", 1)[1].splitlines()[0].strip()


@dataclass
class RoleScript:
    """Answers each role's request by the schema title it carries.

    `critique` maps a candidate's text to its (relevance, coherence, novelty) ratings, which
    `score` turns into log-probabilities; `risky` texts get risk flags from `graph()`'s critic;
    `decisions` are the meta-thinker's, round by round.
    """

    critique: Callable[[str], tuple[int, int, int]] = lambda text: (6, 6, 6)
    risky: set[str] = field(default_factory=set)
    decisions: list[str] = field(default_factory=list)
    switch_to: str = "experimental"
    synthesis: tuple[int, int, int] = (9, 9, 9)
    calls: dict[str, int] = field(default_factory=dict)

    def graph(self) -> DeliberationGraph:
        """The prebuilt graph with a critic that flags this script's `risky` texts."""
        return build_deliberation_graph({"critique": FlaggingCritic(self.risky)})

    def model(self, name: str = "scripted") -> ScriptedModel:
        """A scripted model answering with this script and scoring with `score`."""
        return ScriptedModel(self, name=name, scorer=self.score)

    def rating(self, text: str) -> tuple[int, int, int]:
        """`critique` of a candidate; the synthesis rates `synthesis`."""
        return self.synthesis if text == SYNTHESIS else self.critique(text)

    def score(self, request: ScoreRequest) -> TokenScores:
        """Log-probabilities that express `critique`: the critic's digits sit on the scripted
        rating, fluency follows coherence and PMI relevance."""
        user = request.messages[-1].content
        if request.options:
            text = user.split("Answer:", 1)[1].split("\n\n", 1)[0].strip()
            rating = dict(zip(QUESTIONS, self.rating(text), strict=True))
            dim = next(d for d, q in QUESTIONS.items() if q in user)
            digit = str(min(9, round(rating[dim] * 9 / 10)))
            return TokenScores(options={o: 0.0 if o == digit else -50.0 for o in request.options})
        rel, coh, _ = self.rating(request.continuation)
        words = len(request.continuation.split())
        given = -8.0 * (1 - coh / 10)
        pmi = min(0.95, max(0.05, rel / 10))
        gain = PMI_SCALE * math.atanh(2 * pmi - 1) / max(words, 1)  # per token, for that pmi
        logprob = given - gain if user == NEUTRAL else given
        return TokenScores(logprobs=[logprob] * words)

    def __call__(self, request: ScriptedRequest) -> str:
        title = request.schema_title or "free"
        self.calls[title] = self.calls.get(title, 0) + 1
        user = request.messages[-1].content
        if title == "Thought":
            n = self.calls[title]
            return json.dumps(
                {"text": f"thought number {n} about the task.", "concepts": [f"number {n}", "task"]}
            )
        if title == "Reflection":
            index = self.calls[title] - 1
            decision = self.decisions[index] if index < len(self.decisions) else "continue"
            return json.dumps(
                {
                    "decision": decision,
                    "reason": "scripted",
                    "next_focus": f"focus {index + 2} on {task(user)}",
                }
            )
        if title == "ModeDecision":
            return json.dumps({"mode": self.switch_to, "reason": "scripted switch"})
        if title == "Synthesis":
            return json.dumps(
                {"answer": "The final synthesized answer joins every thought about the task."}
            )
        raise AssertionError(f"unexpected request for {title}")


class FlaggingCritic(Critic):
    """The built-in critic, plus risk flags on given texts: how a plugged-in critic that can
    judge harm (the built-in one leaves flags to such roles) drives filters and the switcher."""

    def __init__(self, risky: set[str]) -> None:
        self.risky = risky

    async def __call__(self, state: Any, runtime: Any) -> dict[str, Any]:
        update = await super().__call__(state, runtime)
        update["candidates"] = [
            c.model_copy(
                update={
                    "critique": c.critique.model_copy(
                        update={"risk_flags": ["harmful", "offensive"]}
                    )
                }
            )
            if c.text in self.risky and c.critique is not None
            else c
            for c in update["candidates"]
        ]
        return update
