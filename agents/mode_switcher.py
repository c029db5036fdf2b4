"""The mode switcher: picks safe or experimental for the next round, with a reason.

Deterministic guard rails decide the clear cases and the model judges the rest from the signals
it is shown (score trend and spread, novelty, risk flags, how much a few concepts dominate the
accumulator). A pinned mode is never asked about; risk flags force safe at once; a mode is kept
for at least the policy's `min_rounds_in_mode` rounds (hysteresis); after that, stagnation in
safe mode (the best score stalls while novelty is low or a few concepts dominate) forces
exploration, and a falling score while exploring returns to safe.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from noetic.agents.base import PromptTemplate, Role
from noetic.agents.schemas import ModeDecision
from noetic.record import Mode, ModeSwitch, RoundRecord

if TYPE_CHECKING:
    from langgraph.runtime import Runtime

    from noetic.agents.runtime import DeliberationContext
    from noetic.agents.state import DeliberationState


def rounds_in_mode(history: list[RoundRecord], mode: Mode) -> int:
    """How many of the latest rounds ran in `mode`."""
    count = 0
    for record in reversed(history):
        if record.mode != mode:
            break
        count += 1
    return count


def signals(history: list[RoundRecord]) -> dict[str, float]:
    """Numbers the switcher reasons from: score trend, spread, novelty, risk."""
    last = history[-1]
    scores = [c.scores.get("overall", 0.0) for c in last.candidates if c.scores]
    best = [
        r.candidates[r.selected].scores.get("overall", 0.0)
        for r in history
        if r.selected is not None
    ]
    mean = sum(scores) / len(scores) if scores else 0.0
    return {
        "best_score_trend": best[-1] - best[-2] if len(best) > 1 else 0.0,
        "score_spread": max(scores) - min(scores) if scores else 0.0,
        "mean_novelty": sum(_novelty(c.scores) for c in last.candidates)
        / max(len(last.candidates), 1),
        "mean_score": mean,
        "risk_flags": float(sum(len(c.critique.risk_flags) for c in last.candidates if c.critique)),
    }


STALLED_TREND = 0.01
LOW_NOVELTY = 0.5
DOMINANT_CONCEPTS = 0.5
FALLING_TREND = -0.05


def guard_rail(signal: dict[str, float], current: Mode) -> tuple[Mode, str] | None:
    """The switch the signals make plain, with its reason; None leaves it to the model."""
    trend = signal["best_score_trend"]
    if current == "safe" and trend <= STALLED_TREND:
        if signal["mean_novelty"] < LOW_NOVELTY:
            return "experimental", (
                f"stagnation: best score trend {trend:+.2f} with low novelty "
                f"{signal['mean_novelty']:.2f}; exploring"
            )
        if signal.get("concept_dominance", 0.0) >= DOMINANT_CONCEPTS:
            return "experimental", (
                f"stagnation: best score trend {trend:+.2f} while a few concepts hold "
                f"{signal['concept_dominance']:.0%} of the weight; exploring"
            )
    if current == "experimental" and trend < FALLING_TREND:
        return "safe", f"scores fell while exploring (best score trend {trend:+.2f})"
    return None


class ModeSwitcher(Role[ModeDecision]):
    name = "mode_switcher"
    description = "Chooses safe or experimental mode for the next round, within guard rails."
    output_schema = ModeDecision
    prompt = PromptTemplate.from_package(__package__, "mode_switcher")
    max_tokens = 100

    async def __call__(
        self, state: DeliberationState, runtime: Runtime[DeliberationContext]
    ) -> dict[str, Any]:
        context = runtime.context
        if context.settings.mode != "auto":
            return {}
        history = state.get("history", [])
        current: Mode = state["mode"]
        signal = signals(history)
        if context.accumulator is not None:
            signal["concept_dominance"] = context.accumulator.dominance()
        if signal["risk_flags"] > 0:
            return self._switch(state, current, "safe", "risk flags force safe mode")
        if rounds_in_mode(history, current) < context.policy(current).min_rounds_in_mode:
            return {}
        ruled = guard_rail(signal, current)
        if ruled is not None:
            return self._switch(state, current, *ruled)
        (decision,), usage = await self.ask(
            context,
            self.sampling(context, state),
            task=state["task"],
            mode=current,
            signals="\n".join(f"{k}: {v:.2f}" for k, v in signal.items()),
        )
        return {**self._switch(state, current, decision.mode, decision.reason), "usage": usage}

    @staticmethod
    def _switch(state: DeliberationState, current: Mode, new: Mode, reason: str) -> dict[str, Any]:
        if new == current:
            return {}
        switch = ModeSwitch(
            after_round=state["round"] - 1, from_mode=current, to_mode=new, reason=reason
        )
        return {"mode": new, "mode_switches": [switch]}


def _novelty(scores: dict[str, float]) -> float:
    """How new a candidate is: its distance from the round's others where the judge measured
    it (embeddings), else the critic's rating."""
    return scores.get("round_novelty", scores.get("novelty", 0.0))
