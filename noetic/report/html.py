"""The HTML report of one run: the record, its plots and the graph, in one self-contained file."""

from __future__ import annotations

from collections.abc import Sequence

from noetic import __version__
from noetic.graphs import GraphSpec
from noetic.memory import RoundConcepts
from noetic.report.charts import Band, Chart, ModeStrip, Series, line_chart, mode_strip
from noetic.report.graph import draw_graph
from noetic.report.series import DIMENSIONS, NOVELTY, RoundStats, concept_series, round_stats
from noetic.report.templates import render
from noetic.runs.result import DeliberationResult

CONCEPT_COLORS = ("#6c5ce7", "#2f80ed", "#0f9d8a", "#e08a00", "#d14d8b", "#7a8699")
UNFINISHED = ("incomplete", "paused")


def _score_charts(stats: Sequence[RoundStats], rounds: list[int], modes: list[str]) -> list[Chart]:
    def dim(name: str) -> list[float | None]:
        return [s.dimensions[name] for s in stats]

    def chosen(name: str) -> list[float | None]:
        return [s.chosen.get(name) for s in stats]

    overall = line_chart(
        "Overall score",
        rounds,
        modes,
        [
            Series("best", [s.best for s in stats], "#6c5ce7"),
            Series("mean", [s.mean for s in stats], "#9b93e8", "dashed"),
            Series("selected", chosen("overall"), "#1a9c5b", "rings"),
        ],
        y_max=1.0,
    )
    dimensions = line_chart(
        "Judge and memory signals (mean over candidates)",
        rounds,
        modes,
        [
            Series(name, dim(name), color)
            for name, color in zip(
                DIMENSIONS,
                ("#1b7f3b", "#8a5a00", "#2f80ed", "#0f9d8a", "#6a4fc9", "#e08a00", "#d14d8b"),
                strict=True,
            )
        ],
        y_max=1.0,
    )
    novelty = line_chart(
        "Novelty against the other candidates",
        rounds,
        modes,
        [
            Series("mean", dim(NOVELTY), "#e08a00"),
            Series("selected", chosen(NOVELTY), "#8a5200", "rings"),
        ],
        y_max=1.0,
        band=Band([s.novelty_low for s in stats], [s.novelty_high for s in stats], "min–max"),
    )
    return [overall, dimensions, novelty]


def _mode_strip(result: DeliberationResult, rounds: list[int], modes: list[str]) -> ModeStrip:
    switches = [
        (m.after_round, f"after round {m.after_round}: {m.from_mode} → {m.to_mode}: {m.reason}")
        for m in result.mode_switches
    ]
    return mode_strip(rounds, modes, switches)


def render_report(result: DeliberationResult, concepts: Sequence[RoundConcepts]) -> str:
    """The report as one HTML document; `concepts` are the accumulator's view of this run."""
    stats = [round_stats(r) for r in result.rounds]
    rounds = [s.round for s in stats]
    modes = [s.mode for s in stats]
    weights = concept_series(concepts, rounds)
    concept_chart = line_chart(
        "Accumulator: top concept weights",
        rounds,
        modes,
        [Series(c, v, CONCEPT_COLORS[i]) for i, (c, v) in enumerate(weights.items())],
        empty="no concept weights recorded for this run",
    )
    timings = {k: v for k, v in result.timings.items() if k != "total"}
    total = sum(timings.values())
    candidates = [c for r in result.rounds for c in r.candidates]
    return render(
        "report.html.j2",
        r=result,
        finished=result.stop_reason not in UNFINISHED,
        candidates=len(candidates),
        filtered=sum(1 for c in candidates if c.filtered),
        charts=[*_score_charts(stats, rounds, modes), concept_chart],
        strip=_mode_strip(result, rounds, modes),
        g=draw_graph(GraphSpec.model_validate(result.graph), timings) if result.graph else None,
        stages=[(k, v, v / total if total else 0.0) for k, v in timings.items()],
        dimensions=("overall", *DIMENSIONS),
        version=__version__,
    )
