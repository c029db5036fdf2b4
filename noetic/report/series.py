"""Per-round numbers drawn from a run's record, the one place the plots and summaries read them.

Scores are on the [0, 1] scale selection uses. A round whose candidates were all filtered still
has a mean (filters do not erase what the critic said) but no best selected score.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from noetic.agents.signals.names import MODEL_SIGNALS
from noetic.agents.signals.text import text_signals
from noetic.memory import RoundConcepts
from noetic.record import Candidate, RoundRecord

DIMENSIONS = (
    *(s.name for s in text_signals() if s.charted),
    *(name for name, shown in MODEL_SIGNALS.items() if shown.charted),
)
"""The signals the report charts per round (each signal says whether it is charted)."""
NOVELTY = "round_novelty"


@dataclass(frozen=True)
class RoundStats:
    """One round in numbers: best and mean overall, mean per dimension, the selected scores."""

    round: int
    mode: str
    best: float | None
    mean: float | None
    chosen: dict[str, float]
    dimensions: dict[str, float | None]
    novelty_low: float | None
    novelty_high: float | None


def _values(candidates: Sequence[Candidate], key: str) -> list[float]:
    return [c.scores[key] for c in candidates if key in c.scores]


def _mean(values: list[float]) -> float | None:
    return fmean(values) if values else None


def round_stats(record: RoundRecord) -> RoundStats:
    overall = _values(record.candidates, "overall")
    novelty = _values(record.candidates, NOVELTY)
    chosen = record.candidates[record.selected] if record.selected is not None else None
    return RoundStats(
        round=record.round,
        mode=record.mode,
        best=max(overall, default=None),
        mean=_mean(overall),
        chosen=dict(chosen.scores) if chosen else {},
        dimensions={dim: _mean(_values(record.candidates, dim)) for dim in (*DIMENSIONS, NOVELTY)},
        novelty_low=min(novelty, default=None),
        novelty_high=max(novelty, default=None),
    )


def concept_series(
    views: Sequence[RoundConcepts], rounds: Sequence[int], top: int = 6
) -> dict[str, list[float | None]]:
    """The `top` concepts by peak weight, each with its weight per round.

    None marks a round where the concept was not among the accumulator's recorded top concepts:
    its weight there is unknown, not zero, so plots leave a gap.
    """
    by_round = {view.round: {c.concept: c.weight for c in view.concepts} for view in views}
    peaks: dict[str, float] = {}
    for weights in by_round.values():
        for concept, weight in weights.items():
            peaks[concept] = max(weight, peaks.get(concept, 0.0))
    chosen = sorted(peaks, key=lambda c: (-peaks[c], c))[:top]
    return {c: [by_round.get(r, {}).get(c) for r in rounds] for c in chosen}
