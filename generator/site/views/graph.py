"""Co-mention graphs laid out at build time and drawn as inline SVG, escaped (pure).

The layout is deterministic (no physics, no randomness): nodes sit on a circle in order of
weight, heaviest at the top, clockwise; labels point outwards along the radius, so they do
not collide however many neighbours there are. The SVG is text built here rather than in a
template: thousands of actor pages each draw one, and this is several times faster.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from markupsafe import Markup, escape

MAX_NEIGHBOURS = 25
MIN_SHARED = 2
"""A neighbour is drawn when it shares at least this many briefings (one is coincidence)."""
SITE_ACTORS = 40
SITE_EDGES = 120
LABEL_CHARS = 28
"""Longer labels are cut with an ellipsis (the full name is in the node's tooltip)."""
CHAR_WIDTH = 7.5
"""Rough width of one label character at the theme's graph font size, for the viewBox."""
PAD = 8.0


@dataclass(frozen=True)
class GraphNode:
    """A node: its circle, its label's anchor point and rotation, and the page it links to."""

    x: float
    y: float
    r: float
    label: str
    name: str
    url: str
    count: int
    lx: float
    ly: float
    angle: float
    anchor: str
    center: bool = False


@dataclass(frozen=True)
class GraphEdge:
    """A line between two nodes (by index); its width grows with the briefings they share."""

    a: int
    b: int
    width: float
    title: str


@dataclass(frozen=True)
class GraphView:
    """A laid-out graph: SVG viewBox size, edges (drawn first) and nodes."""

    width: float
    height: float
    left: float
    """Where the viewBox starts: node coordinates are centred on (0, 0)."""
    top: float
    edges: tuple[GraphEdge, ...]
    nodes: tuple[GraphNode, ...]
    title: str
    description: str


def short(label: str) -> str:
    """A label cut to LABEL_CHARS characters."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


@cache
def _angles(k: int) -> tuple[tuple[float, float, float], ...]:
    """(cos, sin, degrees) of k points on a circle, the first at the top, clockwise."""
    out = []
    for i in range(k):
        theta = -math.pi / 2 + 2 * math.pi * i / k
        out.append((math.cos(theta), math.sin(theta), math.degrees(theta)))
    return tuple(out)


def _ring(items: Sequence[tuple[str, str, int]], radius: float, sizes: float) -> list[GraphNode]:
    """Nodes for (name, url, count) on a circle around (0, 0), labels pointing outwards."""
    top = max((c for _, _, c in items), default=1) or 1
    nodes = []
    for (name, url, count), (cos, sin, degrees) in zip(items, _angles(len(items)), strict=True):
        r = 4.0 + sizes * math.sqrt(count / top)
        gap = radius + r + 6.0
        left = cos < -1e-9
        nodes.append(
            GraphNode(
                x=radius * cos,
                y=radius * sin,
                r=r,
                label=short(name),
                name=name,
                url=url,
                count=count,
                lx=gap * cos,
                ly=gap * sin,
                # Labels on the left half turn the other way so they never read upside down.
                angle=(degrees + 180.0 if left else degrees) % 360.0,
                anchor="end" if left else "start",
            )
        )
    return nodes


def _box(nodes: Sequence[GraphNode]) -> tuple[float, float, float, float]:
    """(min x, min y, max x, max y) of the circles and the (estimated) label extents."""
    xs: list[float] = []
    ys: list[float] = []
    for n in nodes:
        length = CHAR_WIDTH * len(n.label)
        xs += (n.x - n.r, n.x + n.r)
        ys += (n.y - n.r, n.y + n.r)
        if n.anchor == "middle":
            xs += (n.lx - length / 2, n.lx + length / 2)
            ys += (n.ly - 8, n.ly + 8)
        else:
            # A label runs from its anchor along its rotation (backwards when anchored at
            # its end, which the rotation by 180 degrees turns outwards again).
            rad = math.radians(n.angle)
            sign = -1.0 if n.anchor == "end" else 1.0
            xs += (n.lx, n.lx + sign * length * math.cos(rad))
            ys += (n.ly - 8, n.ly + 8, n.ly + sign * length * math.sin(rad))
    return min(xs), min(ys), max(xs), max(ys)


def _view(nodes: list[GraphNode], edges: tuple[GraphEdge, ...], title: str, desc: str) -> GraphView:
    """The graph in a viewBox just big enough for it (coordinates stay centred on 0, 0)."""
    x0, y0, x1, y1 = _box(nodes)
    return GraphView(
        x1 - x0 + 2 * PAD, y1 - y0 + 2 * PAD, x0 - PAD, y0 - PAD, edges, tuple(nodes), title, desc
    )


def _plural(n: int) -> str:
    """'1 briefing', '2 briefings'."""
    return f"{n} briefing{'' if n == 1 else 's'}"


def build_actor_graph(
    name: str, url: str, count: int, neighbours: Sequence[tuple[str, str, int]]
) -> GraphView | None:
    """An actor (centre) and its most co-mentioned actors (name, url, shared briefings).

    None when fewer than two neighbours share MIN_SHARED briefings: a star of one-off
    co-mentions says nothing the list below it does not.
    """
    items = [n for n in neighbours if n[2] >= MIN_SHARED][:MAX_NEIGHBOURS]
    if len(items) < 2:
        return None
    radius = 110.0 + 4.0 * len(items)
    ring = _ring(items, radius, 8.0)
    centre = GraphNode(
        0.0, 0.0, 14.0, short(name), name, url, count, 0.0, 30.0, 0.0, "middle", True
    )
    top = max(c for _, _, c in items)
    k = len(ring)
    edges = tuple(
        GraphEdge(k, i, 1.0 + 5.0 * n.count / top, f"{name} and {n.name}: {_plural(n.count)}")
        for i, n in enumerate(ring)
    )
    desc = ", ".join(f"{n.name} ({n.count})" for n in ring)
    return _view([*ring, centre], edges, f"Actors most often mentioned with {name}", desc)


def build_site_graph(
    actors: Sequence[tuple[str, str, int]], pairs: Sequence[tuple[int, int, int]]
) -> GraphView | None:
    """The most-covered actors (name, url, briefings) and the co-mentions among them.

    `pairs` are (index, index, shared briefings) into `actors`; the SITE_EDGES strongest
    are drawn.
    """
    items = list(actors[:SITE_ACTORS])
    if len(items) < 2:
        return None
    ring = _ring(items, 60.0 + 7.0 * len(items), 10.0)
    kept = sorted(
        ((a, b, w) for a, b, w in pairs if a < len(ring) and b < len(ring) and a != b),
        key=lambda p: (-p[2], p[0], p[1]),
    )[:SITE_EDGES]
    top = max((w for _, _, w in kept), default=1)
    edges = tuple(
        GraphEdge(a, b, 0.6 + 4.0 * w / top, f"{ring[a].name} and {ring[b].name}: {_plural(w)}")
        for a, b, w in kept
    )
    desc = ", ".join(f"{n.name} ({_plural(n.count)})" for n in ring)
    return _view(ring, edges, "The most-covered actors and who is mentioned with whom", desc)


def render_graph_svg(g: GraphView, root: str, key: str) -> Markup:
    """The graph as an inline <svg> whose links start with `root`; every label is escaped.

    `key` makes the element ids unique on the page.
    """
    nodes = g.nodes
    dx, dy = -g.left, -g.top
    out = [
        f'<svg class="graph-svg" viewBox="0 0 {g.width:.1f} {g.height:.1f}" '
        f'width="{g.width:.1f}" height="{g.height:.1f}" aria-labelledby="{key}-t" '
        f'aria-describedby="{key}-d" xmlns="http://www.w3.org/2000/svg">\n'
        f'<title id="{key}-t">{escape(g.title)}</title>\n'
        f'<desc id="{key}-d">{escape(g.description)}</desc>\n<g class="edges">\n'
    ]
    for e in g.edges:
        a, b = nodes[e.a], nodes[e.b]
        out.append(
            f'<line x1="{a.x + dx:.1f}" y1="{a.y + dy:.1f}" x2="{b.x + dx:.1f}" '
            f'y2="{b.y + dy:.1f}" stroke-width="{e.width:.1f}"><title>{escape(e.title)}'
            "</title></line>\n"
        )
    out.append("</g>\n")
    for n in nodes:
        lx, ly = n.lx + dx, n.ly + dy
        turn = f' transform="rotate({n.angle:.1f} {lx:.1f} {ly:.1f})"' if n.angle else ""
        out.append(
            f'<a href="{escape(root + n.url)}" class="node{" centre" if n.center else ""}">'
            f'<circle cx="{n.x + dx:.1f}" cy="{n.y + dy:.1f}" r="{n.r:.1f}"><title>'
            f"{escape(n.name)}: {_plural(n.count)}</title></circle>"
            f'<text x="{lx:.1f}" y="{ly:.1f}" text-anchor="{n.anchor}" '
            f'dominant-baseline="middle"{turn}>{escape(n.label)}</text></a>\n'
        )
    out.append("</svg>")
    return Markup("".join(out))
