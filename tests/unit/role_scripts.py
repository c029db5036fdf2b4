"""Scripts for the scripted model: valid replies per role, with knobs a test can turn."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from noetic.models.scripted import ScriptedRequest


@dataclass
class RoleScript:
    """Answers each role's request by the schema title it carries.

    `critique` maps a candidate's text to its (relevance, coherence, novelty) scores;
    `risky` texts get a risk flag; `decisions` are the meta-thinker's, round by round.
    """

    critique: Callable[[str], tuple[int, int, int]] = lambda text: (6, 6, 6)
    risky: set[str] = field(default_factory=set)
    decisions: list[str] = field(default_factory=list)
    switch_to: str = "experimental"
    calls: dict[str, int] = field(default_factory=dict)

    def __call__(self, request: ScriptedRequest) -> str:
        title = request.schema_title or "free"
        self.calls[title] = self.calls.get(title, 0) + 1
        user = request.messages[-1].content
        if title == "Thought":
            n = self.calls[title]
            return json.dumps(
                {"text": f"thought number {n} about the task", "concepts": [f"c{n}", "shared"]}
            )
        if title == "Critique":
            candidate = user.split("Candidate:", 1)[1].strip()
            rel, coh, nov = self.critique(candidate)
            flags = ["harmful", "offensive"] if candidate in self.risky else []
            return json.dumps(
                {
                    "relevance": rel,
                    "coherence": coh,
                    "novelty": nov,
                    "risk_flags": flags,
                    "rationale": "scripted",
                }
            )
        if title == "Reflection":
            index = self.calls[title] - 1
            decision = self.decisions[index] if index < len(self.decisions) else "continue"
            return json.dumps(
                {"decision": decision, "reason": "scripted", "next_focus": f"focus {index + 2}"}
            )
        if title == "ModeDecision":
            return json.dumps({"mode": self.switch_to, "reason": "scripted switch"})
        if title == "Synthesis":
            return json.dumps({"answer": "the final synthesized answer"})
        raise AssertionError(f"unexpected request for {title}")
