"""The judge: every signal for the candidates of one task, and the critique they add up to.

Each signal is a small component scoring 0..1 under its own name in a candidate's `scores`;
the policy weighs them into `overall` (`SelectionWeights`). A signal the backend cannot give is
left out, not faked: a model without token log-probabilities (most HTTP servers) gets no
likelihood or critic signals, a run without an embedder no embedding signals.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import structlog
from pydantic import BaseModel

from noetic.agents.base import PromptTemplate
from noetic.agents.checks import Check, run_checks
from noetic.agents.signals.continuity import continuity, earlier_facts
from noetic.agents.signals.degeneracy import degeneracy
from noetic.agents.signals.geval import PROMPT, QUESTIONS, rating_requests, ratings
from noetic.agents.signals.likelihood import (
    likelihood_groups,
    likelihood_requests,
    likelihood_signals,
)
from noetic.agents.signals.names import MODEL_SIGNALS
from noetic.agents.signals.risk import risk_flags
from noetic.agents.signals.similarity import similarity
from noetic.agents.signals.task_parts import TaskReading
from noetic.agents.signals.text import TextSignal, read_all, text_signals
from noetic.models.base import ChatModel, Embedder, ScoringModel, TokenScores, Usage
from noetic.policies.risk import RiskRules
from noetic.record import CheckResult, Critique

log = structlog.get_logger(__name__)

NAMES = {name: shown.label for name, shown in MODEL_SIGNALS.items() if shown.named}
"""How a rationale names a model signal that stands out."""


class Judgment(BaseModel):
    """One candidate's signals, its checks' verdicts, and the critique they read as."""

    scores: dict[str, float]
    critique: Critique
    checks: list[CheckResult] = []


def rationale(
    scores: dict[str, float],
    defects: Sequence[str],
    checks: Sequence[CheckResult] = (),
    labels: dict[str, str] = NAMES,
) -> str:
    """One line a person or a model can act on: failed checks, the defects, then the weakest
    and strongest signals (those `labels` names)."""
    named = sorted((v, k) for k, v in scores.items() if k in labels)
    parts = [f"{c.message[0].upper()}{c.message[1:].rstrip('.')}." for c in checks if not c.passed]
    parts += [f"It {d}." for d in defects]
    if named:
        low, high = named[0], named[-1]
        parts.append(f"Weakest: {labels[low[1]]} ({low[0]:.2f}).")
        if high != low:
            parts.append(f"Strongest: {labels[high[1]]} ({high[0]:.2f}).")
    return " ".join(parts)[:240] or "No signal available."


class Judge:
    """Scores texts as answers to a task with every signal the backends allow, and runs the
    `checks` (their mean score is the `checks` signal) and every registered text signal
    (`noetic.signals`); `ratings=False` leaves out the critic's ratings (a policy that gives
    them no weight); `risk` (the policy's rules) fills each critique's risk flags."""

    def __init__(
        self,
        model: ChatModel,
        embedder: Embedder | None = None,
        critic_prompt: PromptTemplate = PROMPT,
        *,
        ratings: bool = True,
        checks: Sequence[Check] = (),
        signals: Sequence[TextSignal] | None = None,
        risk: RiskRules | None = None,
    ) -> None:
        self.model = model
        self.embedder = embedder
        self.critic_prompt = critic_prompt
        self.ratings = ratings
        self.checks = list(checks)
        self.signals = text_signals() if signals is None else tuple(signals)
        self.labels = NAMES | {s.name: s.label for s in self.signals}
        self.risk = risk

    @property
    def scoring(self) -> ScoringModel | None:
        return self.model if isinstance(self.model, ScoringModel) else None

    async def judge(
        self,
        task: str,
        texts: Sequence[str],
        memories: Sequence[str] = (),
        earlier: Sequence[str] = (),
    ) -> tuple[list[Judgment], Usage]:
        """A judgment per text, in order, and the tokens the judging evaluated; `memories` are
        recalled thoughts (for novelty), `earlier` the tasks they answered (for continuity).

        What reads the text alone (degeneracy, the text signals, continuity, the checks, risk)
        runs in a worker thread while the models score: it leaves the path between model calls.
        """
        if not texts:
            return [], Usage()
        (signals, usage), readings = await asyncio.gather(
            self._model_signals(task, texts, memories),
            asyncio.to_thread(self._read_texts, task, list(texts), list(earlier)),
        )
        judgments = []
        for signal, (read, defects, checked, flags) in zip(signals, readings, strict=True):
            signal.update(read)
            judgments.append(
                Judgment(
                    scores=signal,
                    checks=checked,
                    critique=Critique(
                        **{d: round(10 * signal[d], 2) for d in QUESTIONS if d in signal},
                        defects=defects,
                        rationale=rationale(signal, defects, checked, self.labels),
                        risk_flags=flags[:3],
                    ),
                )
            )
        return judgments, usage

    async def _model_signals(
        self, task: str, texts: Sequence[str], memories: Sequence[str]
    ) -> tuple[list[dict[str, float]], Usage]:
        """The signals the scoring model and the embedder give, and the tokens they evaluated."""
        signals: list[dict[str, float]] = [{} for _ in texts]
        usage = Usage()
        model = self.scoring
        if model is not None:
            asked = likelihood_requests(task, texts)
            rate = rating_requests(task, texts, self.critic_prompt) if self.ratings else []
            # One call per prompt family: a backend caches only what a call's texts share, so
            # the task's texts keep the whole task prompt (the generator's own, found cached)
            # and the neutral ones theirs, not just the chat header common to both.
            scored: list[TokenScores] = []
            for group in [*likelihood_groups(asked), rate]:
                if group:
                    scored += await model.score_each(group)
            usage = sum((s.usage for s in scored), Usage())
            likely = likelihood_signals(scored[: len(asked)])
            rated = ratings(scored[len(asked) :]) if rate else [{} for _ in texts]
            for signal, extra, rating in zip(signals, likely, rated, strict=True):
                signal.update(extra)
                signal.update(rating)
        else:
            log.info(
                "signals_skipped",
                model=self.model.name,
                skipped=["fluency", "pmi", *QUESTIONS],
                reason="the backend gives no token log-probabilities",
            )
        if self.embedder is None:
            log.info(
                "signals_skipped",
                skipped=["embed_relevance", "round_novelty", "memory_novelty"],
                reason="no embedder (memory off over a model server)",
            )
        else:
            for signal, extra in zip(
                signals, await similarity(self.embedder, task, texts, memories), strict=True
            ):
                signal.update(extra)
        return signals, usage

    def _read_texts(
        self, task: str, texts: list[str], earlier: list[str]
    ) -> list[tuple[dict[str, float], list[str], list[CheckResult], list[str]]]:
        """Per text, what reading it alone gives: its signals, defects, checks and risk flags."""
        reading = TaskReading.of(task)
        flagged = risk_flags(self.risk, texts) if self.risk else [[] for _ in texts]
        facts = earlier_facts(task, earlier)
        readings = []
        for text, flags in zip(texts, flagged, strict=True):
            found = degeneracy(text, task)
            signal = {"integrity": found.integrity}
            substance, lacking = read_all(self.signals, reading, text)
            signal.update(substance)
            defects = [*found.defects, *(d for d in lacking if d not in found.defects)]
            if facts:
                signal["continuity"], missing = continuity(text, facts)
                if missing:
                    defects.append(f"leaves out {', '.join(missing)} from the earlier work")
            checked = run_checks(self.checks, task, text)
            if checked:
                signal["checks"] = round(sum(c.score for c in checked) / len(checked), 4)
            readings.append((signal, defects, checked, flags))
        return readings
