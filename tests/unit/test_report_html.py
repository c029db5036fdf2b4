"""The HTML report of a real scripted run: escaping, every round, the plots, no network."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from noetic import adeliberate
from noetic.memory import ACCUMULATOR_FILE, WeightAccumulator
from noetic.report.html import render_report
from noetic.runs.result import DeliberationResult
from noetic.testing import HashingEmbedder, RoleScript, ScriptedRequest

HOSTILE = "a thought <script>alert(1)</script><img src=x onerror=alert(2)> \"quoted\" 'single'"
HOSTILE_CONCEPT = '"><svg onload=alert(3)>'
LINK = "see https://example.org/x and http://example.org/y"


class HostileScript(RoleScript):
    """The second thought carries HTML (in its text and concepts); reflections carry quotes, a
    closing tag and a link."""

    def __call__(self, request: ScriptedRequest) -> str:
        reply = super().__call__(request)
        if request.schema_title is None and self.calls["free"] == 2:
            return f"{HOSTILE} {HOSTILE_CONCEPT} shared."
        if request.schema_title == "Reflection":
            data = json.loads(reply)
            # The markup is not prose, so the meta-thinker keeps the sentence before it only.
            return json.dumps({**data, "reason": f'{LINK}. it\'s "fine" </style>'})
        return reply


@pytest.fixture
async def run(isolated_home: Path) -> DeliberationResult:
    return await adeliberate(
        "Join <b>acoustics</b> & politics",
        model=HostileScript(critique=lambda t: (7, len(t) % 5 + 4, len(t) % 7 + 3)).model(),
        embedder=HashingEmbedder(),
        run_id="r1",
        rounds=3,
        mode="auto",
    )


@pytest.fixture
def page(run: DeliberationResult, isolated_home: Path) -> str:
    concepts = WeightAccumulator.load(isolated_home / ACCUMULATOR_FILE).run_view("r1")
    return render_report(run, concepts)


def model_texts(result: DeliberationResult) -> list[str]:
    """Everything a model or a person wrote into the record."""
    texts = [result.task, result.answer]
    for r in result.rounds:
        texts += [r.focus, *r.anchors, *(m.text for m in r.recalled)]
        if r.reflection:
            texts += [r.reflection.reason, r.reflection.next_focus]
        for c in r.candidates:
            texts += [c.text, *c.concepts]
            if c.critique:
                texts += [c.critique.rationale, *c.critique.risk_flags]
    return texts


def test_model_text_is_escaped(page: str) -> None:
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "<svg onload" not in page.lower()
    assert str(escape(HOSTILE)) in page
    assert "&#34;quoted&#34; &#39;single&#39;" in page
    assert "&lt;b&gt;acoustics&lt;/b&gt; &amp; politics" in page
    assert str(escape(HOSTILE_CONCEPT)) in page
    assert page.count("</style>") == 1


def test_every_round_and_candidate_is_shown(run: DeliberationResult, page: str) -> None:
    assert len(run.rounds) == 3
    for record in run.rounds:
        assert f'id="round-{record.round}"' in page
        assert f"Round {record.round}</h3>" in page
        for c in record.candidates:
            assert f'id="cand-{c.id}"' in page
    assert page.count("✓ selected") == sum(r.selected is not None for r in run.rounds)
    assert '<span class="mode experimental">experimental</span>' in page


def test_plots_are_drawn(page: str) -> None:
    captions = re.findall(r"<figcaption>(.*?)</figcaption>", page)
    assert captions == [
        "Overall score",
        "Judge and memory signals (mean over candidates)",
        "Novelty against the other candidates",
        "Accumulator: top concept weights",
        "Mode per round",
    ]
    charts = page.split('<figure class="chart')[1:]
    for chart in charts[:4]:
        assert "<polyline" in chart and chart.count("<circle") >= 3
    assert 'class="band"' in charts[2]
    assert "glaciers" in charts[3]  # concepts are keyphrases of the selected thoughts
    assert charts[4].count('<rect class="cell') == 3


def test_graph_is_drawn_with_timings(page: str) -> None:
    graph = page.split('<svg class="graph"', 1)[1].split("</svg>", 1)[0]
    for stage in ("recall", "diverge", "critique", "select", "reflect", "converge"):
        assert f">{stage}</text>" in graph
    assert re.search(r'class="note"[^>]*>\d+\.\d\d s</text>', graph)


def test_no_network_reference_outside_model_text(run: DeliberationResult, page: str) -> None:
    assert LINK in "".join(model_texts(run))
    stripped = page
    for text in sorted(set(model_texts(run)), key=len, reverse=True):
        stripped = stripped.replace(str(escape(text)), "")
    assert "http://" not in stripped and "https://" not in stripped
    assert re.findall(r"url\((.)", stripped) == ["#"] * stripped.count("url(")
    assert "@import" not in stripped
    assert "default-src 'none'" in page


def test_unfinished_run_says_so(run: DeliberationResult) -> None:
    partial = run.model_copy(update={"stop_reason": "incomplete", "answer": "", "sources": []})
    page = render_report(partial, [])
    assert "This run has not finished (incomplete)" in page
    assert "noetic resume r1" in page
    assert "No answer yet." in page
    assert "no concept weights recorded for this run" in page


def test_one_round_run_still_plots(run: DeliberationResult) -> None:
    one = run.model_copy(update={"rounds": run.rounds[:1], "mode_switches": []})
    page = render_report(one, [])
    assert page.count("<circle") >= 3
    assert "The mode never changed." in page
