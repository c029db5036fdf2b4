"""The comparison table, three ways: Markdown (for a README), CSV (for a spreadsheet) and a
rich table on the terminal. All three show the same columns, chosen by the suite: accuracy with
its Wilson interval for answers that can be checked, the judge and the diversity measures for
open tasks; every row shows n, tokens and seconds."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from typing import Any

from rich.table import Table

from noetic.evaluation.records import EvalRow, PairedRow

Column = tuple[str, Callable[[EvalRow], str]]


def _num(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _interval(row: EvalRow, digits: int = 2) -> str:
    if row.ci_low is None or row.ci_high is None:
        return "–"
    return f"{row.ci_low:.{digits}f}–{row.ci_high:.{digits}f}"


def _per_item(row: EvalRow) -> str:
    return f"{row.total_tokens / row.n:.0f}" if row.n else "–"


_COMMON_HEAD: list[Column] = [("config", lambda r: r.config), ("n", lambda r: str(r.n))]
_COMMON_TAIL: list[Column] = [
    ("failed", lambda r: str(r.failed)),
    ("tokens", lambda r: str(r.total_tokens)),
    ("tokens/item", _per_item),
    ("median tokens", lambda r: f"{r.median_tokens:.0f}"),
    ("seconds", lambda r: f"{r.seconds:.1f}"),
]
_ACCURACY: list[Column] = [
    ("accuracy", lambda r: _num(r.accuracy)),
    ("95% CI", _interval),
    ("correct", lambda r: str(r.correct)),
    ("no number", lambda r: str(r.unreadable)),
]
_CREATIVE: list[Column] = [
    ("judge (0-10)", lambda r: _num(r.judge, 1)),
    ("95% CI", lambda r: _interval(r, 1)),
    ("distinct-2", lambda r: _num(r.distinct_2)),
    ("dispersion", lambda r: _num(r.dispersion, 3)),
    ("novelty", lambda r: _num(r.novelty, 3)),
]


def _spread(low: float | None, high: float | None) -> str:
    return "–" if low is None or high is None else f"{low:.2f}–{high:.2f}"


_OPEN: list[Column] = [
    ("coverage", lambda r: _num(r.coverage)),
    ("95% CI", lambda r: _spread(r.coverage_ci_low, r.coverage_ci_high)),
    ("reference F1", lambda r: _num(r.reference_f1)),
    ("F1 95% CI", lambda r: _spread(r.reference_f1_ci_low, r.reference_f1_ci_high)),
    ("loops/echoes", lambda r: _num(r.hollow)),
    ("words", lambda r: _num(r.words, 0)),
]
_QUALITY: list[Column] = [
    ("quality (signals)", lambda r: _num(r.quality)),
    ("quality 95% CI", lambda r: _spread(r.quality_ci_low, r.quality_ci_high)),
]
PAIRED: list[tuple[str, Callable[[PairedRow], str]]] = [
    ("deliberate vs", lambda p: p.config),
    ("measure", lambda p: p.measure),
    ("n", lambda p: str(p.n)),
    ("difference", lambda p: f"{p.difference:+.2f}"),
    (
        "95% CI",
        lambda p: (
            "–" if p.ci_low is None or p.ci_high is None else f"{p.ci_low:+.2f}–{p.ci_high:+.2f}"
        ),
    ),
    ("median tokens (deliberate)", lambda p: f"{p.reference_tokens:.0f}"),
    ("median tokens (config)", lambda p: f"{p.config_tokens:.0f}"),
]


def columns(rows: Sequence[EvalRow]) -> list[Column]:
    """Accuracy (with "no number" where answers are numbers), the open measures, or the
    judge's; the signals' quality where the suite has checks; then the costs."""
    accuracy = [c for c in _ACCURACY if c[0] != "no number" or _numeric(rows)]
    if any(r.accuracy is not None for r in rows):
        measured = accuracy
    elif any(r.coverage is not None or r.reference_f1 is not None for r in rows):
        measured = [*_OPEN, *(_CREATIVE[:2] if any(r.judge is not None for r in rows) else [])]
    else:
        measured = _CREATIVE
    quality = _QUALITY if any(r.quality is not None for r in rows) else []
    return [*_COMMON_HEAD, *measured, *quality, *_COMMON_TAIL]


def _numeric(rows: Sequence[EvalRow]) -> bool:
    return any(r.unreadable is not None for r in rows)


def markdown(rows: Sequence[EvalRow]) -> str:
    return _markdown(columns(rows), rows)


def paired_markdown(rows: Sequence[PairedRow]) -> str:
    """The paired differences (score of deliberate minus the config, per item) as Markdown."""
    return _markdown(PAIRED, rows) if rows else ""


def _markdown(cols: Sequence[tuple[str, Callable[[Any], str]]], rows: Sequence[Any]) -> str:
    lines = [
        "| " + " | ".join(name for name, _ in cols) + " |",
        "| " + " | ".join("---" if i == 0 else "---:" for i in range(len(cols))) + " |",
    ]
    lines += ["| " + " | ".join(cell(r) for _, cell in cols) + " |" for r in rows]
    return "\n".join(lines) + "\n"


CSV_FIELDS = list(EvalRow.model_fields)


def csv_text(rows: Sequence[EvalRow]) -> str:
    """Every field of every row, unrounded, empty where it does not apply."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.model_dump().items()})
    return out.getvalue()


def rich_table(rows: Sequence[EvalRow] | Sequence[PairedRow], title: str) -> Table:
    paired = bool(rows) and isinstance(rows[0], PairedRow)
    cols: Sequence[tuple[str, Callable[[Any], str]]] = PAIRED if paired else columns(rows)  # type: ignore[arg-type]
    table = Table(title=title)
    for index, (name, _) in enumerate(cols):
        table.add_column(name, justify="left" if index == 0 else "right")
    for row in rows:
        table.add_row(*(cell(row) for _, cell in cols))
    return table
