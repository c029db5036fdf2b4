"""Paired comparison: the reference deliberation against each other configuration on the same
items. Separate intervals overlap long before a difference is doubtful; the interval of the
per-item difference is the one that says whether the deliberation did better."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence

from noetic.evaluation.configs import REFERENCE, ConfigSpec
from noetic.evaluation.records import ItemRecord, PairedRow
from noetic.evaluation.stats import mean_ci

OPEN_MEASURES = ("coverage", "reference_f1")
"""What an open item is compared on: judge-independent, from its parts and reference."""


def item_score(record: ItemRecord, measure: str = "score") -> float | None:
    """1/0 for an answer that can be right, else the judge's score on 0..1; or one of the
    open measures by name."""
    if measure != "score":
        return getattr(record, measure)
    if record.correct is not None:
        return float(record.correct)
    return None if record.judge is None else record.judge / 10


def paired_rows(
    configs: Sequence[ConfigSpec], done: Mapping[str, Sequence[ItemRecord]]
) -> list[PairedRow]:
    """One row per configuration on the reference's model and measure, when the reference
    ran."""
    rows = []
    for reference in (c for c in configs if c.base == REFERENCE):
        suffix = reference.name[len(REFERENCE) :]
        mine = {r.item_id: r for r in done[reference.name]}
        for other, measure in ((o, m) for m in ("score", *OPEN_MEASURES) for o in configs):
            if other is reference or not other.name.endswith(suffix):
                continue
            pairs = [
                (
                    item_score(mine[r.item_id], measure),
                    item_score(r, measure),
                    mine[r.item_id].tokens,
                    r.tokens,
                )
                for r in done[other.name]
                if r.item_id in mine
            ]
            known = [p for p in pairs if p[0] is not None and p[1] is not None]
            if not known:
                continue
            diffs = [a - b for a, b, _, _ in known]  # type: ignore[operator]
            interval = mean_ci(diffs, (-1.0, 1.0))
            rows.append(
                PairedRow(
                    reference=reference.name,
                    config=other.name,
                    measure=measure,
                    n=len(diffs),
                    difference=sum(diffs) / len(diffs),
                    ci_low=interval[0] if interval else None,
                    ci_high=interval[1] if interval else None,
                    reference_tokens=statistics.median(p[2] for p in known),
                    config_tokens=statistics.median(p[3] for p in known),
                )
            )
    return rows
