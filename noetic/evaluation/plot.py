"""Quality against tokens per item, one point per configuration with its 95% interval.

One geometry (`layout`) feeds two renderers: a hand-written SVG (crisp, with the full labels)
and a PNG drawn on the tiny raster canvas, so the plot needs neither a plotting library nor a
browser. Tokens go on a log axis: a deliberation costs tens of times a single answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from html import escape

from noetic.evaluation.raster import Canvas, hex_rgb
from noetic.evaluation.records import EvalRow

WIDTH, HEIGHT = 760, 460
LEFT, RIGHT, TOP, BOTTOM = 70, 30, 60, 56
LABEL_CHAR, LABEL_HEIGHT = 8, 12
"""A label's pixels per character (the raster font's advance, a fair estimate for the SVG's)
and its height with a little air."""
COLORS = {"single": "#4c78a8", "vote": "#f58518", "deliberate": "#54a24b"}
INK, GRID = "#333333", "#dddddd"


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    low: int | None
    high: int | None
    label: str
    color: str
    label_x: int = 0
    label_y: int = 0
    """The label's top-left corner, placed clear of the labels before it."""


@dataclass(frozen=True)
class Layout:
    title: str
    x_label: str
    y_label: str
    x_ticks: list[tuple[int, str]]
    y_ticks: list[tuple[int, str]]
    points: list[Point]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def _token_label(value: float) -> str:
    return f"{value / 1000:g}k" if value >= 1000 else f"{value:g}"


def layout(rows: Sequence[EvalRow], suite: str) -> Layout:
    plotted = [r for r in rows if r.score is not None and r.n and r.total_tokens > 0]
    accuracy = any(r.accuracy is not None for r in rows)
    judged = any(r.judge is not None for r in rows)
    y_max = 10.0 if judged and not accuracy else 1.0
    per_item = [r.total_tokens / r.n for r in plotted] or [1.0]
    lo = math.floor(math.log10(min(per_item)))
    hi = max(math.ceil(math.log10(max(per_item))), lo + 1)
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    def x_of(tokens: float) -> int:
        return round(left + (math.log10(tokens) - lo) / (hi - lo) * (right - left))

    def y_of(value: float) -> int:
        return round(bottom - value / y_max * (bottom - top))

    points = [
        Point(
            x=x_of(r.total_tokens / r.n),
            y=y_of(r.score or 0.0),
            low=None if r.ci_low is None else y_of(max(r.ci_low, 0.0)),
            high=None if r.ci_high is None else y_of(min(r.ci_high, y_max)),
            label=r.config,
            color=COLORS.get(r.strategy, INK),
        )
        for r in plotted
    ]
    n = max((r.n for r in rows), default=0)
    measure = "accuracy" if accuracy else "judge score (0-10)" if judged else "coverage"
    return Layout(
        title=f"{suite}: {measure} against tokens per item (n={n}, 95% CI)",
        x_label="tokens per item (log scale)",
        y_label=measure,
        x_ticks=[(x_of(10.0**e), _token_label(10.0**e)) for e in range(lo, hi + 1)],
        y_ticks=[(y_of(y_max * k / 4), f"{y_max * k / 4:g}") for k in range(5)],
        points=_place_labels(points),
    )


def _place_labels(points: list[Point]) -> list[Point]:
    """Each label beside its point, right of it unless it would run off the plot, and moved
    above or below where it would cover a label placed before it."""
    placed: list[tuple[int, int, int, int]] = []
    out = []
    for p in points:
        width = LABEL_CHAR * len(p.label)
        x = p.x - 10 - width if p.x + 10 + width > WIDTH - 4 else p.x + 10
        for dy in (-16, 8, -32, 24, -48, 40):
            box = (x, p.y + dy, x + width, p.y + dy + LABEL_HEIGHT)
            if not any(_overlap(box, other) for other in placed):
                break
        placed.append(box)
        out.append(replace(p, label_x=box[0], label_y=box[1]))
    return out


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def svg(plot: Layout) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        f'<text x="{WIDTH / 2}" y="26" text-anchor="middle" font-size="15" fill="{INK}">'
        f"{escape(plot.title)}</text>",
    ]
    for y, label in plot.y_ticks:
        parts.append(
            f'<line x1="{plot.left}" x2="{plot.right}" y1="{y}" y2="{y}" stroke="{GRID}"/>'
            f'<text x="{plot.left - 8}" y="{y + 4}" text-anchor="end" fill="{INK}">{label}</text>'
        )
    for x, label in plot.x_ticks:
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="{plot.top}" y2="{plot.bottom}" stroke="{GRID}"/>'
            f'<text x="{x}" y="{plot.bottom + 18}" text-anchor="middle" fill="{INK}">{label}</text>'
        )
    parts.append(
        f'<rect x="{plot.left}" y="{plot.top}" width="{plot.right - plot.left}" '
        f'height="{plot.bottom - plot.top}" fill="none" stroke="{INK}"/>'
        f'<text x="{(plot.left + plot.right) / 2}" y="{HEIGHT - 14}" text-anchor="middle" '
        f'fill="{INK}">{escape(plot.x_label)}</text>'
        f'<text transform="translate(18 {(plot.top + plot.bottom) / 2}) rotate(-90)" '
        f'text-anchor="middle" fill="{INK}">{escape(plot.y_label)}</text>'
    )
    for p in plot.points:
        if p.low is not None and p.high is not None:
            parts.append(
                f'<path d="M{p.x} {p.low}V{p.high}M{p.x - 5} {p.low}h10M{p.x - 5} {p.high}h10" '
                f'stroke="{p.color}" stroke-width="2" fill="none"/>'
            )
        parts.append(
            f'<circle cx="{p.x}" cy="{p.y}" r="6" fill="{p.color}"/>'
            f'<text x="{p.label_x}" y="{p.label_y + 10}" fill="{INK}">{escape(p.label)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def png(plot: Layout) -> bytes:
    canvas = Canvas(WIDTH, HEIGHT)
    ink, grid = hex_rgb(INK), hex_rgb(GRID)
    canvas.text((WIDTH - Canvas.text_width(plot.title)) // 2, 16, plot.title, ink)
    for y, label in plot.y_ticks:
        canvas.line(plot.left, y, plot.right, y, grid)
        canvas.text(plot.left - 8 - Canvas.text_width(label), y - 5, label, ink)
    for x, label in plot.x_ticks:
        canvas.line(x, plot.top, x, plot.bottom, grid)
        canvas.text(x - Canvas.text_width(label) // 2, plot.bottom + 10, label, ink)
    for x0, y0, x1, y1 in (
        (plot.left, plot.top, plot.right, plot.top),
        (plot.left, plot.bottom, plot.right, plot.bottom),
        (plot.left, plot.top, plot.left, plot.bottom),
        (plot.right, plot.top, plot.right, plot.bottom),
    ):
        canvas.line(x0, y0, x1, y1, ink)
    canvas.text((plot.left + plot.right - Canvas.text_width(plot.x_label)) // 2,
                HEIGHT - 22, plot.x_label, ink)  # fmt: skip
    canvas.text(8, plot.top - 26, plot.y_label, ink)
    for p in plot.points:
        color = hex_rgb(p.color)
        if p.low is not None and p.high is not None:
            canvas.line(p.x, p.low, p.x, p.high, color, width=2)
            canvas.line(p.x - 5, p.low, p.x + 5, p.low, color, width=2)
            canvas.line(p.x - 5, p.high, p.x + 5, p.high, color, width=2)
        canvas.disc(p.x, p.y, 6, color)
        canvas.text(p.label_x, p.label_y, p.label, ink)
    return canvas.png()
