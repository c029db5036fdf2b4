"""The numbers behind the plots, and the plots' geometry."""

from __future__ import annotations

from noetic.memory import ConceptWeight, RoundConcepts
from noetic.record import Candidate, RoundRecord
from noetic.report.charts import Series, line_chart, mode_strip
from noetic.report.series import concept_series, round_stats


def candidate(i: int, overall: float, novelty: float, filtered: str | None = None) -> Candidate:
    return Candidate(
        id=f"r1c{i}",
        round=1,
        text="t",
        concepts=["x"],
        scores={"overall": overall, "round_novelty": novelty, "pmi": 0.5},
        filtered=filtered,
    )


def test_round_stats() -> None:
    record = RoundRecord(
        round=1,
        mode="safe",
        focus="f",
        candidates=[candidate(0, 0.4, 0.2), candidate(1, 0.6, 0.8), candidate(2, 0.9, 0.5, "risk")],
        selected=1,
    )
    stats = round_stats(record)
    assert stats.best == 0.9  # the filtered one was still the best the generator made
    assert abs(stats.mean - 0.6333) < 1e-3
    assert stats.chosen["overall"] == 0.6
    assert (stats.novelty_low, stats.novelty_high) == (0.2, 0.8)
    assert stats.dimensions["fluency"] is None and stats.dimensions["pmi"] == 0.5


def test_round_without_selection_or_scores() -> None:
    record = RoundRecord(round=2, mode="experimental", focus="f", candidates=[], selected=None)
    stats = round_stats(record)
    assert stats.best is None and stats.mean is None and stats.chosen == {}


def test_concept_series_keeps_the_strongest_and_leaves_gaps() -> None:
    views = [
        RoundConcepts(round=1, concepts=[ConceptWeight(concept="a", weight=0.1)]),
        RoundConcepts(
            round=3,
            concepts=[
                ConceptWeight(concept="b", weight=0.9),
                ConceptWeight(concept="a", weight=0.3),
            ],
        ),
    ]
    series = concept_series(views, [1, 2, 3], top=1)
    assert series == {"b": [None, None, 0.9]}
    assert concept_series(views, [1, 2, 3])["a"] == [0.1, None, 0.3]


def test_line_chart_breaks_lines_at_gaps_and_fits_the_axis() -> None:
    chart = line_chart(
        "w", [1, 2, 3, 4], ["safe"] * 4, [Series("a", [0.2, None, 0.3, 0.35], "#000")]
    )
    assert len(chart.lines[0].segments) == 2 and len(chart.lines[0].dots) == 3
    assert chart.y_ticks[-1].label == "0.5"
    assert chart.empty == ""
    assert [c.mode for c in chart.columns] == ["safe"] * 4


def test_axis_grows_past_y_max_when_the_data_does() -> None:
    chart = line_chart("w", [1, 2], ["safe"] * 2, [Series("a", [0.5, 1.7], "#000")], y_max=1.0)
    assert chart.y_ticks[-1].label == "2"
    assert min(d.y for d in chart.lines[0].dots) >= chart.top


def test_empty_chart_says_so() -> None:
    chart = line_chart("w", [1], ["safe"], [], empty="nothing here")
    assert chart.empty == "nothing here"


def test_many_rounds_thin_the_ticks() -> None:
    rounds = list(range(1, 101))
    chart = line_chart("s", rounds, ["safe"] * 100, [Series("a", [0.5] * 100, "#000")], y_max=1.0)
    assert 6 <= len(chart.x_ticks) <= 12
    strip = mode_strip(rounds, ["safe"] * 50 + ["experimental"] * 50, [(50, "why")])
    assert len(strip.columns) == 100 and len(strip.switches) == 1
    assert strip.columns[49].x < strip.switches[0].x < strip.columns[50].x + 1
