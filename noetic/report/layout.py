"""A layered drawing of a small directed graph, top to bottom, with no layout dependency.

The steps are Sugiyama's, kept simple for graphs of a dozen nodes: edges that close a loop are
set aside and routed around the side, nodes are layered by longest path, long edges get waypoints
in the layers they cross, barycentre sweeps order each layer, and each node sits above or below
the mean of its neighbours, pushed apart where nodes would overlap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

NODE_HEIGHT = 38
LAYER_GAP = 24
NODE_GAP = 28
LOOP_MARGIN = 36
PAD = 16


@dataclass(frozen=True)
class Box:
    """A node placed on the canvas; (x, y) is its centre."""

    id: str
    x: float
    y: float
    width: float


@dataclass(frozen=True)
class Route:
    """An edge as an SVG path; `loop` marks an edge drawn around the side to close a cycle."""

    source: str
    target: str
    path: str
    dashed: bool
    loop: bool


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    boxes: dict[str, Box]
    routes: list[Route]


Edge = tuple[str, str, bool]
"""(source, target, conditional)"""


def _back_edges(nodes: Sequence[str], edges: Sequence[Edge]) -> set[tuple[str, str]]:
    """Edges that point to a node still on the depth-first stack: each closes a cycle."""
    out: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t, _ in edges:
        out[s].append(t)
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()

    def visit(node: str) -> None:
        state[node] = 1
        for nxt in out[node]:
            if state.get(nxt) == 1:
                back.add((node, nxt))
            elif nxt not in state:
                visit(nxt)
        state[node] = 2

    for node in nodes:
        if node not in state:
            visit(node)
    return back


def _layers(nodes: Sequence[str], forward: Sequence[tuple[str, str]]) -> dict[str, int]:
    layer = {n: 0 for n in nodes}
    for _ in nodes:  # longest path on a DAG: at most len(nodes) relaxations
        for s, t in forward:
            layer[t] = max(layer[t], layer[s] + 1)
    return layer


def _sort_row(row: list[str], ref: list[str], neighbours: dict[str, list[str]]) -> None:
    """Order `row` by the mean position of each node's neighbours in the adjacent row `ref`."""
    pos = {n: k for k, n in enumerate(ref)}
    here = {n: k for k, n in enumerate(row)}
    row.sort(key=lambda n: fmean([pos[m] for m in neighbours.get(n, []) if m in pos] or [here[n]]))


def _order(rows: list[list[str]], links: list[tuple[str, str]]) -> None:
    """Barycentre sweeps, down then up, reordering each row in place."""
    up: dict[str, list[str]] = {}
    down: dict[str, list[str]] = {}
    for s, t in links:
        down.setdefault(s, []).append(t)
        up.setdefault(t, []).append(s)
    for _ in range(4):
        for i in range(1, len(rows)):
            _sort_row(rows[i], rows[i - 1], up)
        for i in range(len(rows) - 2, -1, -1):
            _sort_row(rows[i], rows[i + 1], down)


def _place(
    rows: list[list[str]], links: list[tuple[str, str]], width: dict[str, float]
) -> dict[str, float]:
    """x of every node: under the mean of the nodes above, then spread to avoid overlap."""
    above: dict[str, list[str]] = {}
    for s, t in links:
        above.setdefault(t, []).append(s)
    x: dict[str, float] = {}
    for row in rows:
        want = [fmean([x[m] for m in above.get(n, [])]) if above.get(n) else 0.0 for n in row]
        placed = list(want)
        for k in range(1, len(row)):
            least = placed[k - 1] + (width[row[k - 1]] + width[row[k]]) / 2 + NODE_GAP
            placed[k] = max(placed[k], least)
        shift = fmean(want) - fmean(placed)
        x.update({n: p + shift for n, p in zip(row, placed, strict=True)})
    return x


def _curve(points: list[tuple[float, float]]) -> str:
    """A smooth path through `points`, vertical at every point."""
    (x0, y0), rest = points[0], points[1:]
    parts = [f"M{x0:.1f},{y0:.1f}"]
    for x1, y1 in rest:
        mid = (y0 + y1) / 2
        parts.append(f"C{x0:.1f},{mid:.1f} {x1:.1f},{mid:.1f} {x1:.1f},{y1:.1f}")
        x0, y0 = x1, y1
    return " ".join(parts)


def _loop(source: Box, target: Box, side: float) -> str:
    """Out of the source's left side, up past everything, into the target's left side."""
    sx, tx = source.x - source.width / 2, target.x - target.width / 2
    r = 12
    sy, ty = source.y, target.y
    return (
        f"M{sx:.1f},{sy:.1f} H{side + r:.1f} Q{side:.1f},{sy:.1f} {side:.1f},{sy - r:.1f}"
        f" V{ty + r:.1f} Q{side:.1f},{ty:.1f} {side + r:.1f},{ty:.1f} H{tx:.1f}"
    )


def layout(nodes: Sequence[str], edges: Sequence[Edge], width: dict[str, float]) -> Layout:
    """Place `nodes` (each `width[n]` wide) and route `edges` between them."""
    back = _back_edges(nodes, edges)
    forward = [(s, t) for s, t, _ in edges if (s, t) not in back]
    layer = _layers(nodes, forward)
    rows: list[list[str]] = [[] for _ in range(max(layer.values(), default=0) + 1)]
    for n in nodes:
        rows[layer[n]].append(n)
    chains: dict[tuple[str, str], list[str]] = {}
    links: list[tuple[str, str]] = []
    sizes = dict(width)
    for s, t in forward:
        chain = [s]
        for depth in range(layer[s] + 1, layer[t]):
            waypoint = f"\0{s}>{t}@{depth}"
            rows[depth].append(waypoint)
            sizes[waypoint] = 0.0
            chain.append(waypoint)
        chain.append(t)
        links.extend(zip(chain, chain[1:], strict=False))
        chains[(s, t)] = chain
    _order(rows, links)
    x = _place(rows, links, sizes)
    pitch = NODE_HEIGHT + LAYER_GAP
    y = {n: PAD + NODE_HEIGHT / 2 + depth * pitch for depth, row in enumerate(rows) for n in row}
    side = min(x[n] - sizes[n] / 2 for n in x) - (LOOP_MARGIN if back else 0)
    dx = PAD - side
    boxes = {n: Box(n, x[n] + dx, y[n], width[n]) for n in nodes}
    routes = []
    for s, t, conditional in edges:
        if (s, t) in back:
            routes.append(Route(s, t, _loop(boxes[s], boxes[t], side + dx), conditional, True))
            continue
        chain = chains[(s, t)]
        points = [(x[n] + dx, y[n]) for n in chain]
        points[0] = (points[0][0], points[0][1] + NODE_HEIGHT / 2)
        points[-1] = (points[-1][0], points[-1][1] - NODE_HEIGHT / 2)
        routes.append(Route(s, t, _curve(points), conditional, False))
    right = max(b.x + b.width / 2 for b in boxes.values()) + PAD
    bottom = max(b.y for b in boxes.values()) + NODE_HEIGHT / 2 + PAD
    return Layout(round(right, 1), round(bottom, 1), boxes, routes)
