"""The HTML report and the PNG graph in a real headless Chromium (Debian's `chromium` package).

Each page load uses a fresh profile and no network. The report carries no scripts and a
Content-Security-Policy, so any console message at all (a script error, a blocked fetch, a blocked
inline script that slipped past escaping) is a failure.
"""

from __future__ import annotations

import struct
import subprocess
import zlib
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from noetic_cli import noetic

from noetic.memory import ConceptWeight, RoundConcepts
from noetic.record import Candidate, Critique, ModeSwitch, Reflection, RoundRecord, Source
from noetic.report.chromium import find_chromium, headless_command
from noetic.report.html import render_report
from noetic.runs.result import DeliberationResult, UsageReport

CHROMIUM = find_chromium()
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (Debian: apt-get install chromium)"
)
HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ROUNDS = 4


def _candidate(round_: int, index: int, text: str) -> Candidate:
    rel, coh, nov = 4 + (round_ + index) % 6, 5 + index % 4, 3 + (round_ * 2 + index) % 7
    critique = Critique(
        relevance=rel, coherence=coh, novelty=nov, rationale=f"rationale {round_}.{index}"
    )
    scores = {"pmi": rel / 10, "fluency": coh / 10, "round_novelty": nov / 10}
    scores["resonance"] = min(round_ / 10, 1.0)
    scores["overall"] = round(sum(scores.values()) / 4, 4)
    return Candidate(
        id=f"r{round_}c{index}",
        round=round_,
        text=text,
        concepts=[f"concept {index}", "shared"],
        scores=scores,
        critique=critique,
        filtered="1 risk flag(s) over the limit of 0" if index == 2 else None,
    )


def hostile_run() -> tuple[DeliberationResult, list[RoundConcepts]]:
    """Four rounds, two modes; candidate r1c1 carries HTML."""
    rounds = [
        RoundRecord(
            round=r,
            mode="safe" if r < 3 else "experimental",
            focus=f"focus {r}",
            candidates=[
                _candidate(r, i, HOSTILE if (r, i) == (1, 1) else f"a thought {r}.{i} about tides")
                for i in range(3)
            ],
            selected=1,
            reflection=Reflection(decision="continue", reason="keep going", next_focus="more"),
            anchors=["shared"],
        )
        for r in range(1, ROUNDS + 1)
    ]
    result = DeliberationResult(
        run_id="hostile",
        task="Join acoustics, politics and biology",
        answer="A synthesis.",
        stop_reason="max_rounds",
        rounds=rounds,
        sources=[Source(round=1, candidate=1, id="r1c1", score=0.6)],
        mode_switches=[
            ModeSwitch(after_round=2, from_mode="safe", to_mode="experimental", reason="stagnation")
        ],
        usage=UsageReport(prompt_tokens=100, completion_tokens=50, total_tokens=150),
        timings={"diverge": 1.0, "critique": 2.0, "total": 3.0},
        model="scripted",
        version="0.1.0",
    )
    concepts = [
        RoundConcepts(
            round=r,
            concepts=[
                ConceptWeight(concept="shared", weight=0.2 * r),
                ConceptWeight(concept="tide", weight=0.1),
            ],
        )
        for r in range(1, ROUNDS + 1)
    ]
    return result, concepts


@pytest.fixture
def report(tmp_path: Path) -> Path:
    path = tmp_path / "report.html"
    path.write_text(render_report(*hostile_run()), encoding="utf-8")
    return path


def chromium(tmp_path: Path, page: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = headless_command(
        CHROMIUM, profile, "--enable-logging=stderr", "--v=0", *args, page.as_uri()
    )
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def console_messages(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


def png_pixels(path: Path) -> Iterator[bytes]:
    """Every pixel of an 8-bit RGB or RGBA PNG (what Chromium writes), rows unfiltered."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,), kind = struct.unpack(">I", data[pos : pos + 4]), data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6), (depth, color)
    bpp = 3 if color == 2 else 4
    raw, stride, prev = zlib.decompress(idat), width * bpp, bytearray(width * bpp)
    for y in range(height):
        start = y * (stride + 1)
        kind, row = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            a = row[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pred = (
                0,
                a,
                b,
                (a + b) // 2,
                a
                if abs(p - a) <= abs(p - b) and abs(p - a) <= abs(p - c)
                else b
                if abs(p - b) <= abs(p - c)
                else c,
            )[kind]
            row[i] = (row[i] + pred) & 0xFF
        prev = row
        for x in range(0, stride, bpp):
            yield bytes(row[x : x + 3])


def assert_not_blank(path: Path) -> None:
    pixels = list(png_pixels(path))
    background = max(set(pixels[::97]), key=pixels[::97].count)
    inked = sum(1 for p in pixels if p != background) / len(pixels)
    assert len(set(pixels)) > 50, "too few colours: a blank or broken page"
    assert inked > 0.05, f"only {inked:.1%} of the picture differs from the background"


class _Collector(HTMLParser):
    """Tag names in the DOM, and the text inside the element with a given id."""

    def __init__(self, target: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.target, self.depth, self.text = target, 0, ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if self.depth or ("id", self.target) in attrs:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(self.depth - 1, 0)

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text += data


def test_console_detector_sees_errors(tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text('<p>x</p><script>console.error("boom"); missing();</script>')
    proc = chromium(tmp_path, page, "--dump-dom")
    assert any("boom" in m for m in console_messages(proc.stderr))
    assert any("Uncaught ReferenceError" in m for m in console_messages(proc.stderr))


def test_report_loads_without_console_messages(tmp_path: Path, report: Path) -> None:
    proc = chromium(tmp_path, report, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Round 4" in proc.stdout
    assert console_messages(proc.stderr) == []


def test_report_screenshot_is_not_blank(tmp_path: Path, report: Path) -> None:
    shot = tmp_path / "report.png"
    proc = chromium(tmp_path, report, f"--screenshot={shot}", "--window-size=1280,2000")
    assert shot.exists(), proc.stderr[-2000:]
    assert shot.stat().st_size > 40_000
    assert_not_blank(shot)


def test_html_in_a_candidate_shows_as_text(tmp_path: Path, report: Path) -> None:
    dom = chromium(tmp_path, report, "--dump-dom").stdout
    parser = _Collector("cand-r1c1")
    parser.feed(dom)
    assert HOSTILE in parser.text
    assert "script" not in parser.tags and "img" not in parser.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;" in dom


def test_graph_png_through_the_cli(tmp_path: Path) -> None:
    out = tmp_path / "graph.png"
    proc = noetic("graph", "--format", "png", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert_not_blank(out)
