"""A script for the built-in roles, with knobs a test turns: how the critic rates each text,
what the meta-thinker decides, where the mode switcher goes.

Valid filler (`FillerModel`) runs a graph; a test of what the graph does with its judgments
needs the judgments chosen. `RoleScript` answers each request by its schema title, scores
text so the critic's signals come out as `critique` says, and fills any other schema.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from noetic.agents.signals.geval import QUESTIONS
from noetic.agents.signals.likelihood import NEUTRAL, PMI_SCALE
from noetic.models.base import ScoreRequest, TokenScores
from noetic.testing.filler import filler_reply
from noetic.testing.scripted import ScriptedModel, ScriptedRequest

SYNTHESIS = (
    "The final synthesis: glaciers carve valleys while yeast ferments sugar for the keepers."
)
"""The synthesizer's scripted answer."""


def thought(n: int) -> str:
    """The generator's scripted candidate number `n`: specific enough words that the
    substance signals read it as an answer, so `critique` alone decides how it scores."""
    return (
        f"thought number {n}: glaciers carve fjords, yeast ferments sugar, "
        "lighthouses guide trawlers."
    )


def _task(prompt: str) -> str:
    """The task line of a role's prompt."""
    return prompt.split("Task:", 1)[1].splitlines()[0].strip()


@dataclass
class RoleScript:
    """Answers each role's request by the schema title it carries; other schemas get filler.

    Thoughts (the generator's plain text, or a JSON `Thought`) are numbered (`thought(3)`; a
    test that needs other texts passes `thoughts`). `critique` maps a candidate's
    text to its (relevance, coherence, novelty) ratings, which `score` turns into
    log-probabilities; the synthesis rates `synthesis`. `decisions` are the meta-thinker's,
    round by round (then "continue"); the mode switcher always picks `switch_to`. `calls`
    counts requests by schema title.
    """

    critique: Callable[[str], tuple[int, int, int]] = lambda text: (6, 6, 6)
    decisions: list[str] = field(default_factory=list)
    switch_to: str = "experimental"
    synthesis: tuple[int, int, int] = (9, 9, 9)
    calls: dict[str, int] = field(default_factory=dict)
    thoughts: Callable[[int], str] = thought

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
        if title == "free":  # the generator answers in plain text
            return self.thoughts(self.calls[title])
        if title == "Thought":  # a role that proposes in JSON, as plugin roles may
            n = self.calls[title]
            return json.dumps({"text": self.thoughts(n), "concepts": [f"number {n}", "task"]})
        if title == "Reflection":
            index = self.calls[title] - 1
            decision = self.decisions[index] if index < len(self.decisions) else "continue"
            return json.dumps(
                {
                    "decision": decision,
                    "reason": "scripted",
                    "next_focus": f"focus {index + 2} on {_task(user)}",
                }
            )
        if title == "ModeDecision":
            return json.dumps({"mode": self.switch_to, "reason": "scripted switch"})
        if title == "Synthesis":
            return json.dumps({"answer": SYNTHESIS})
        return filler_reply(request, self.calls[title])
