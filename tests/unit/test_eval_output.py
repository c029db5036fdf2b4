"""The evaluation's files: Markdown and CSV tables, JSON rows, item records, SVG and PNG plots."""

from __future__ import annotations

import csv
import io
import json
import struct
import zlib
from pathlib import Path
from xml.etree import ElementTree

from rich.console import Console

from noetic.evaluation import plot, tables
from noetic.evaluation.output import rows_json, write_outputs
from noetic.evaluation.raster import Canvas, hex_rgb
from noetic.evaluation.records import EvalReport, EvalRow, ItemRecord, PairedRow

ACCURACY_ROWS = [
    EvalRow(config="single", strategy="single", model="m.gguf", n=20, accuracy=0.1, correct=2,
            unreadable=1, ci_low=0.028, ci_high=0.301, total_tokens=2400, seconds=20.5),
    EvalRow(config="vote", strategy="vote", model="m.gguf", n=20, accuracy=0.15, correct=3,
            unreadable=0, ci_low=0.052, ci_high=0.36, total_tokens=9000, seconds=61.0),
    EvalRow(config="deliberate@big-model.q8_0", strategy="deliberate", model="big.gguf", n=20,
            accuracy=0.2, correct=4, unreadable=0, ci_low=0.081, ci_high=0.416,
            total_tokens=60000, seconds=400.0),
]  # fmt: skip
CREATIVE_ROWS = [
    EvalRow(config="single", strategy="single", model="m", n=3, judge=6.5, ci_low=4.0,
            ci_high=9.0, distinct_2=0.9, novelty=0.2, total_tokens=300, seconds=3.0),
    EvalRow(config="vote", strategy="vote", model="m", n=3, judge=7.0, ci_low=5.0, ci_high=9.0,
            distinct_2=0.8, dispersion=0.3, novelty=0.25, total_tokens=3000, seconds=20.0),
]  # fmt: skip


def report(rows: list[EvalRow], suite: str = "arithmetic") -> EvalReport:
    record = ItemRecord(
        config="single", model="m", item_id="arith-001", kind="level1", answer="It is 19.",
        candidates=["It is 19."], tokens=120, seconds=1.0, expected=19, extracted=19, correct=True,
    )  # fmt: skip
    return EvalReport(suite=suite, items=rows[0].n, rows=rows, records=[record], seconds=1.0)


def test_markdown_table_for_an_accuracy_suite() -> None:
    lines = tables.markdown(ACCURACY_ROWS).splitlines()
    assert lines[0].startswith("| config | n | accuracy | 95% CI | correct | no number | failed |")
    assert lines[1].startswith("| --- | ---: |")
    assert lines[2] == "| single | 20 | 0.10 | 0.03–0.30 | 2 | 1 | 0 | 2400 | 120 | 0 | 20.5 |"
    assert len(lines) == 2 + len(ACCURACY_ROWS)


def test_markdown_table_for_a_creative_suite_shows_the_measures() -> None:
    lines = tables.markdown(CREATIVE_ROWS).splitlines()
    assert "judge (0-10)" in lines[0] and "distinct-2" in lines[0] and "accuracy" not in lines[0]
    assert lines[2] == "| single | 3 | 6.5 | 4.0–9.0 | 0.90 | – | 0.200 | 0 | 300 | 100 | 0 | 3.0 |"


def test_csv_has_every_field_unrounded_and_blanks_for_none() -> None:
    parsed = list(csv.DictReader(io.StringIO(tables.csv_text(ACCURACY_ROWS))))
    assert list(parsed[0]) == list(EvalRow.model_fields)
    assert parsed[0]["ci_high"] == "0.301" and parsed[0]["judge"] == ""
    assert [r["config"] for r in parsed] == [r.config for r in ACCURACY_ROWS]


def test_rich_table_renders_every_config() -> None:
    console = Console(width=200, record=True)
    console.print(tables.rich_table(ACCURACY_ROWS, "title"))
    text = console.export_text()
    assert all(r.config in text for r in ACCURACY_ROWS) and "0.03–0.30" in text


def test_markdown_of_paired_differences_signs_them() -> None:
    row = PairedRow(
        reference="deliberate", config="single", n=30, difference=0.3, ci_low=0.12,
        ci_high=0.48, reference_tokens=640, config_tokens=70,
    )  # fmt: skip
    lines = tables.paired_markdown([row]).splitlines()
    assert lines[0].startswith("| deliberate vs | measure | n | difference | 95% CI |")
    assert lines[2] == "| single | score | 30 | +0.30 | +0.12–+0.48 | 640 | 70 |"
    assert tables.paired_markdown([]) == ""


def test_json_rows_carry_the_documented_keys() -> None:
    rows = rows_json(report(CREATIVE_ROWS, "creative"))["rows"]
    keys = {"config", "accuracy", "total_tokens", "seconds", "n", "ci_low", "ci_high", "judge"}
    assert all(keys <= set(r) for r in rows)
    assert rows[0]["accuracy"] is None and rows[1]["dispersion"] == 0.3


def test_plot_layout_puts_more_tokens_right_and_better_quality_up() -> None:
    drawing = plot.layout(ACCURACY_ROWS, "arithmetic")
    xs = [p.x for p in drawing.points]
    ys = [p.y for p in drawing.points]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)
    assert all(p.high < p.y < p.low for p in drawing.points)  # type: ignore[operator]
    assert [label for _, label in drawing.x_ticks] == ["100", "1k", "10k"]
    last = drawing.points[-1]  # a long label near the right edge goes to the left
    assert last.label_x + plot.LABEL_CHAR * len(last.label) < last.x
    assert "n=20" in drawing.title


def test_labels_of_points_in_one_place_do_not_cover_each_other() -> None:
    twins = [row.model_copy(update={"config": f"twin{i}"}) for i, row in enumerate(CREATIVE_ROWS)]
    twins = [row.model_copy(update={"judge": 7.0, "total_tokens": 300}) for row in twins]
    first, second = plot.layout(twins, "creative").points
    assert (first.x, first.y) == (second.x, second.y)
    assert abs(first.label_y - second.label_y) >= plot.LABEL_HEIGHT


def test_svg_plot_is_well_formed_with_a_point_per_config() -> None:
    root = ElementTree.fromstring(plot.svg(plot.layout(ACCURACY_ROWS, "arithmetic")))
    ns = "{http://www.w3.org/2000/svg}"
    assert len(root.findall(f"{ns}circle")) == len(ACCURACY_ROWS)
    labels = {t.text for t in root.findall(f"{ns}text")}
    assert {r.config for r in ACCURACY_ROWS} <= labels


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert crc == zlib.crc32(kind + body)
        chunks[kind] = body
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, color) == (8, 2) and b"IEND" in chunks
    return width, height, zlib.decompress(chunks[b"IDAT"])


def test_png_plot_decodes_and_shows_each_strategy_colour() -> None:
    width, height, raw = decode_png(plot.png(plot.layout(ACCURACY_ROWS, "arithmetic")))
    assert (width, height) == (plot.WIDTH, plot.HEIGHT)
    assert len(raw) == height * (1 + 3 * width)
    for strategy in ("single", "vote", "deliberate"):
        assert bytes(hex_rgb(plot.COLORS[strategy])) in raw


def test_canvas_draws_text_and_lines() -> None:
    canvas = Canvas(40, 12)
    canvas.text(1, 1, "A1", (0, 0, 0))
    canvas.line(0, 11, 39, 11, (255, 0, 0))
    assert canvas.pixels.count(bytes((255, 0, 0))) >= 40
    assert Canvas.text_width("A1") == 14
    assert decode_png(canvas.png())[:2] == (40, 12)


def test_write_outputs_writes_every_file(tmp_path: Path) -> None:
    files = write_outputs(report(ACCURACY_ROWS), tmp_path / "out")
    assert set(files) == {"markdown", "csv", "json", "records", "svg", "png"}
    assert all(path.is_file() and path.stat().st_size > 0 for path in files.values())
    assert json.loads(files["json"].read_text())["rows"][2]["config"] == "deliberate@big-model.q8_0"
    (record,) = files["records"].read_text().splitlines()
    assert json.loads(record)["correct"] is True


def test_a_checked_suite_shows_quality_and_no_number_column() -> None:
    rows = [
        row.model_copy(update={"unreadable": None, "quality": 0.8, "quality_ci_low": 0.7,
                               "quality_ci_high": 0.9, "median_tokens": 75})
        for row in ACCURACY_ROWS[:1]
    ]  # fmt: skip
    header, _, line = tables.markdown(rows).splitlines()
    assert "no number" not in header and "quality (signals)" in header
    assert (
        line
        == "| single | 20 | 0.10 | 0.03–0.30 | 2 | 0.80 | 0.70–0.90 | 0 | 2400 | 120 | 75 | 20.5 |"
    )
