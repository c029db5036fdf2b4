"""Drawings of the deliberation graph: the layered layout, the SVG and the mermaid text."""

from __future__ import annotations

import itertools
import re

from langgraph.graph import END, START

from noetic.graphs import DELIBERATION, GraphSpec
from noetic.report.graph import draw_graph, graph_mermaid, graph_svg
from noetic.report.layout import NODE_HEIGHT, layout


def test_every_stage_is_placed_without_overlap() -> None:
    drawing = draw_graph()
    boxes = drawing.layout.boxes
    assert set(boxes) == {*DELIBERATION.nodes, START, END}
    for a, b in itertools.combinations(boxes.values(), 2):
        apart_x = abs(a.x - b.x) >= (a.width + b.width) / 2
        apart_y = abs(a.y - b.y) >= NODE_HEIGHT
        assert apart_x or apart_y, (a.id, b.id)
    for box in boxes.values():
        assert box.x - box.width / 2 >= 0 and box.x + box.width / 2 <= drawing.layout.width


def test_edges_flow_down_and_the_round_loop_goes_around() -> None:
    drawing = draw_graph()
    boxes = drawing.layout.boxes
    loops = [(r.source, r.target) for r in drawing.layout.routes if r.loop]
    assert loops == [("switch", "recall")]
    for route in drawing.layout.routes:
        if not route.loop:
            assert boxes[route.target].y > boxes[route.source].y, route
    assert boxes[START].y < boxes["recall"].y < boxes["converge"].y < boxes[END].y
    conditional = {(r.source, r.target) for r in drawing.layout.routes if r.dashed}
    assert ("close_round", "converge") in conditional and ("critique", "steer") in conditional


def test_timings_annotate_the_stages() -> None:
    drawing = draw_graph(timings={"diverge": 3.0, "critique": 1.0, "total": 4.0})
    assert drawing.stages["diverge"].note == "3.00 s"
    assert drawing.stages["diverge"].share == 0.75
    assert drawing.stages["recall"].note == ""
    assert drawing.stages["diverge"].kind == "role" and drawing.stages["select"].kind == "logic"


def test_svg_is_a_standalone_document() -> None:
    svg = graph_svg(draw_graph())
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert svg.rstrip().endswith("</svg>")
    assert "<style>" in svg
    labels = set(re.findall(r"<text[^>]*>([^<]+)</text>", svg))
    assert labels == {*DELIBERATION.nodes, "start", "end"}


def test_a_custom_graph_is_drawn_from_its_spec() -> None:
    spec = GraphSpec(
        name="tiny",
        nodes={"think": "generator", "pick": "select", "answer": "synthesizer"},
        edges=[("START", "think"), ("think", "pick"), ("pick", "answer"), ("answer", "END")],
    )
    drawing = draw_graph(spec)
    assert set(drawing.layout.boxes) == {"think", "pick", "answer", START, END}
    kinds = [drawing.stages[node].kind for node in ("think", "pick", "answer")]
    assert kinds == ["role", "logic", "role"]
    assert "think --> pick;" in graph_mermaid(spec)


def test_mermaid_comes_from_langgraph() -> None:
    text = graph_mermaid()
    assert "recall --> diverge;" in text
    assert "close_round -.-> converge;" in text


def test_layout_of_a_long_edge_routes_through_the_layers_between() -> None:
    nodes = ["a", "b", "c", "d"]
    drawn = layout(
        nodes,
        [
            ("a", "b", False),
            ("b", "c", False),
            ("a", "c", True),
            ("c", "d", False),
            ("d", "a", False),
        ],
        {n: 40.0 for n in nodes},
    )
    skip = next(r for r in drawn.routes if (r.source, r.target) == ("a", "c"))
    assert skip.path.count("C") == 2  # one curve per layer crossed
    assert [r.loop for r in drawn.routes] == [False, False, False, False, True]
