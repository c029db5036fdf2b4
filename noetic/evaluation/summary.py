"""From item records to one row per configuration, each rate or mean with its 95% interval."""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from noetic.evaluation.configs import ConfigSpec
from noetic.evaluation.records import EvalRow, ItemRecord
from noetic.evaluation.stats import mean_ci, wilson


def _mean(values: Sequence[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return sum(known) / len(known) if known else None


def summarize(config: ConfigSpec, records: Sequence[ItemRecord]) -> EvalRow:
    n = len(records)
    row = EvalRow(
        config=config.name,
        strategy=config.strategy,
        model=records[0].model if records else "",
        n=n,
        failed=sum(r.error is not None for r in records),
        total_tokens=sum(r.tokens for r in records),
        median_tokens=statistics.median(r.tokens for r in records) if records else 0,
        seconds=round(sum(r.seconds for r in records), 3),
        distinct_2=_mean([r.distinct_2 for r in records]),
        dispersion=_mean([r.dispersion for r in records]),
        novelty=_mean([r.novelty for r in records]),
    )
    for measure in ("coverage", "reference_f1"):
        values = [getattr(r, measure) for r in records if getattr(r, measure) is not None]
        if values:
            spread = mean_ci(values, (0.0, 1.0))
            row = row.model_copy(
                update={
                    measure: _mean(values),
                    f"{measure}_ci_low": spread[0] if spread else None,
                    f"{measure}_ci_high": spread[1] if spread else None,
                }
            )
    if any(r.hollow is not None for r in records):
        row = row.model_copy(
            update={
                "hollow": _mean([float(r.hollow) for r in records if r.hollow is not None]),
                "words": _mean([r.words for r in records]),
            }
        )
    qualities = [r.quality for r in records if r.quality is not None]
    if qualities:
        spread = mean_ci(qualities, (0.0, 1.0))
        row = row.model_copy(
            update={
                "quality": _mean(qualities),
                "quality_ci_low": spread[0] if spread else None,
                "quality_ci_high": spread[1] if spread else None,
            }
        )
    if any(r.correct is not None for r in records):
        correct = sum(bool(r.correct) for r in records)
        interval = wilson(correct, n)
        numeric = any(r.expected is not None for r in records)
        return row.model_copy(
            update={
                "accuracy": correct / n,
                "correct": correct,
                "unreadable": sum(r.extracted is None for r in records) if numeric else None,
                "ci_low": interval[0] if interval else None,
                "ci_high": interval[1] if interval else None,
            }
        )
    scores = [r.judge for r in records if r.judge is not None]
    interval = mean_ci(scores, (0.0, 10.0))
    return row.model_copy(
        update={
            "judge": _mean(scores),
            "ci_low": interval[0] if interval else None,
            "ci_high": interval[1] if interval else None,
        }
    )
