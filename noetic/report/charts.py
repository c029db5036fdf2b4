"""Geometry of the report's plots: numbers in, coordinates out; the markup lives in templates.

Every chart shares one x scale, a column per round, so charts stacked at the same width line up
round for round, and the mode of each round can shade its column.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

WIDTH = 560
HEIGHT = 210
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 40, 14, 12, 26
STRIP_WIDTH = 1100
MAX_X_TICKS = 12
LineStyle = Literal["solid", "dashed", "rings"]


@dataclass(frozen=True)
class Series:
    """A named line: one value per round, None where there is nothing to plot.

    "rings" draws open markers and no line, to stay visible on top of a line it often equals.
    """

    label: str
    values: Sequence[float | None]
    color: str
    style: LineStyle = "solid"


@dataclass(frozen=True)
class Band:
    """A shaded range between two series, e.g. the lowest and highest novelty of each round."""

    low: Sequence[float | None]
    high: Sequence[float | None]
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    tip: str


@dataclass(frozen=True)
class Line:
    label: str
    color: str
    style: LineStyle
    segments: list[str]
    dots: list[Dot]


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Column:
    """One round's column, shaded by its mode."""

    x: float
    width: float
    mode: str
    tip: str


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    columns: list[Column]
    lines: list[Line] = field(default_factory=list)
    area: str | None = None
    area_label: str = ""
    empty: str = ""


def _nice_max(value: float) -> float:
    """The smallest of 1, 2, 2.5 or 5 times a power of ten at or above `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value - 1e-12)


class Scale:
    """Rounds to column centres on x, values to pixels on y (0 at the bottom)."""

    def __init__(self, rounds: int, y_max: float, width: int, height: int) -> None:
        self.left, self.right = MARGIN_LEFT, width - MARGIN_RIGHT
        self.top, self.bottom = MARGIN_TOP, height - MARGIN_BOTTOM
        self.step = (self.right - self.left) / max(rounds, 1)
        self.y_max = y_max

    def x(self, index: int) -> float:
        return round(self.left + (index + 0.5) * self.step, 1)

    def y(self, value: float) -> float:
        return round(self.bottom - value / self.y_max * (self.bottom - self.top), 1)


def _x_ticks(scale: Scale, rounds: Sequence[int]) -> list[Tick]:
    every = math.ceil(len(rounds) / MAX_X_TICKS) or 1
    return [Tick(scale.x(i), str(r)) for i, r in enumerate(rounds) if i % every == 0]


def _y_ticks(scale: Scale) -> list[Tick]:
    return [Tick(scale.y(scale.y_max * k / 4), f"{scale.y_max * k / 4:g}") for k in range(5)]


def _columns(scale: Scale, rounds: Sequence[int], modes: Sequence[str]) -> list[Column]:
    return [
        Column(round(scale.x(i) - scale.step / 2, 1), round(scale.step, 1), m, f"round {r}: {m}")
        for i, (r, m) in enumerate(zip(rounds, modes, strict=True))
    ]


def _line(series: Series, scale: Scale, rounds: Sequence[int]) -> Line:
    segments: list[str] = []
    current: list[str] = []
    dots = []
    for i, value in enumerate(series.values):
        if value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        x, y = scale.x(i), scale.y(value)
        current.append(f"{x},{y}")
        dots.append(Dot(x, y, f"{series.label}, round {rounds[i]}: {value:.2f}"))
    if current:
        segments.append(" ".join(current))
    return Line(series.label, series.color, series.style, segments, dots)


def _area(band: Band, scale: Scale) -> str | None:
    """The band's polygon, over the rounds where both of its edges are known."""
    known = [
        (i, low, high)
        for i, (low, high) in enumerate(zip(band.low, band.high, strict=True))
        if low is not None and high is not None
    ]
    if not known:
        return None
    top = [f"{scale.x(i)},{scale.y(high)}" for i, _, high in known]
    bottom = [f"{scale.x(i)},{scale.y(low)}" for i, low, _ in reversed(known)]
    return " ".join(top + bottom)


def line_chart(
    title: str,
    rounds: Sequence[int],
    modes: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float | None = None,
    band: Band | None = None,
    empty: str = "nothing recorded",
) -> Chart:
    """A line chart over rounds; the y axis reaches `y_max`, or higher if the data does."""
    peak = max((v for s in series for v in s.values if v is not None), default=0.0)
    scale = Scale(len(rounds), _nice_max(max(peak, y_max or 0.0)), WIDTH, HEIGHT)
    lines = [_line(s, scale, rounds) for s in series]
    return Chart(
        title=title,
        width=WIDTH,
        height=HEIGHT,
        left=scale.left,
        top=scale.top,
        right=scale.right,
        bottom=scale.bottom,
        x_ticks=_x_ticks(scale, rounds),
        y_ticks=_y_ticks(scale),
        columns=_columns(scale, rounds, modes),
        lines=lines,
        area=_area(band, scale) if band else None,
        area_label=band.label if band else "",
        empty="" if any(line.dots for line in lines) else empty,
    )


@dataclass(frozen=True)
class Switch:
    """A mode switch, drawn on the boundary after its round."""

    x: float
    tip: str


@dataclass(frozen=True)
class ModeStrip:
    width: int
    height: int
    left: float
    right: float
    columns: list[Column]
    x_ticks: list[Tick]
    switches: list[Switch]


def mode_strip(
    rounds: Sequence[int],
    modes: Sequence[str],
    switches: Sequence[tuple[int, str]],
    width: int = STRIP_WIDTH,
) -> ModeStrip:
    """The mode of every round as a row of cells, one column per round like the line charts.

    `switches` are (after_round, why) pairs.
    """
    height = 62
    scale = Scale(len(rounds), 1.0, width, height)
    index = {r: i for i, r in enumerate(rounds)}
    return ModeStrip(
        width=width,
        height=height,
        left=scale.left,
        right=scale.right,
        columns=_columns(scale, rounds, modes),
        x_ticks=_x_ticks(scale, rounds),
        switches=[
            Switch(round(scale.x(index[after]) + scale.step / 2, 1), tip)
            for after, tip in switches
            if after in index and index[after] + 1 < len(rounds)
        ],
    )
