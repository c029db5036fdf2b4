"""The graph as PNG: our SVG, photographed by headless Chromium at its natural size."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

from noetic.report.chromium import screenshot
from noetic.report.graph import GraphDrawing, graph_svg

SCALE = 2.0
"""Device pixels per CSS pixel: sharp on high-density screens and in slides."""
PAGE = '<!DOCTYPE html><html><body style="margin:0;background:#fff">{svg}</body></html>'


def graph_png(drawing: GraphDrawing, out: Path) -> None:
    """Write `drawing` to `out` as PNG (needs Chromium)."""
    with tempfile.TemporaryDirectory(prefix="noetic-graph-") as tmp:
        page = Path(tmp) / "graph.html"
        page.write_text(PAGE.format(svg=graph_svg(drawing)), encoding="utf-8")
        width, height = (math.ceil(v) for v in (drawing.layout.width, drawing.layout.height))
        screenshot(page, out, width, height, SCALE)
