"""Writing an evaluation's files: the table (Markdown, CSV), the rows as JSON, every item's
record as JSON lines (so any number in the table can be traced to the answers behind it), and
the quality-against-tokens plot (SVG and PNG)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import ValidationError

from noetic.errors import NoeticError
from noetic.evaluation import plot, tables
from noetic.evaluation.configs import REFERENCE
from noetic.evaluation.records import EvalReport, ItemRecord


def rows_json(report: EvalReport) -> dict[str, object]:
    """What `--json` prints: one object per configuration, and the paired differences."""
    return {
        "rows": [row.model_dump(mode="json") for row in report.rows],
        "paired": [row.model_dump(mode="json") for row in report.paired],
        "match_tokens": report.match_tokens,
    }


def prepare_folder(out: Path) -> None:
    """Create `out` before the evaluation starts, so an unwritable folder fails at once
    rather than after the last item."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise NoeticError(
            f"cannot create the output folder {out} ({exc.strerror or exc})",
            "pass --out a folder you can write to",
        ) from None


def write_outputs(report: EvalReport, out: Path) -> dict[str, Path]:
    """Write every file under `out` (created if needed); returns them by kind."""
    prepare_folder(out)
    drawing = plot.layout(report.rows, report.suite)
    files = {
        "markdown": (
            out / "results.md",
            tables.markdown(report.rows) + "\n" + tables.paired_markdown(report.paired),
        ),
        "csv": (out / "results.csv", tables.csv_text(report.rows)),
        "json": (out / "results.json", json.dumps(rows_json(report), indent=2) + "\n"),
        "records": (
            out / "records.jsonl",
            "".join(r.model_dump_json() + "\n" for r in report.records),
        ),
        "svg": (out / "quality_tokens.svg", plot.svg(drawing)),
    }
    for path, text in files.values():
        path.write_text(text, encoding="utf-8")
    png = out / "quality_tokens.png"
    png.write_bytes(plot.png(drawing))
    return {kind: path for kind, (path, _) in files.items()} | {"png": png}


JOURNAL = "progress.jsonl"
"""Each item's record, appended as it finishes: what `--resume` keeps of an interrupted eval."""


def read_records(folder: Path, *names: str) -> list[ItemRecord]:
    """The records an earlier eval left in `folder` (the first of `names` that exists)."""
    for name in names:
        path = folder / name
        if path.is_file():
            break
    else:
        raise NoeticError(
            f"no records in {folder} (looked for {', '.join(names)})",
            "pass the folder an earlier `noetic eval` wrote (its --out)",
        )
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            records.append(ItemRecord.model_validate_json(line))
        except ValidationError:
            if number == len(path.read_text(encoding="utf-8").splitlines()):
                break  # the line being written when the eval was stopped
            raise NoeticError(
                f"{path} line {number} is not an eval record", "pass a folder `noetic eval` wrote"
            ) from None
    return records


def token_targets(records: list[ItemRecord]) -> dict[str, int]:
    """What deliberate spent on each item: the budget `--match-tokens` gives the baselines."""
    return {r.item_id: r.tokens for r in records if r.config.split("@")[0] == REFERENCE}
