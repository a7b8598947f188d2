"""Co-mention graphs laid out at build time for inline SVG: a circle sorted by weight (pure).

The layout is deterministic (no physics, no randomness): nodes sit on a circle in order of
weight, heaviest at the top, clockwise; labels point outwards along the radius, so they do
not collide however many neighbours there are. Templates draw the SVG and escape labels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

MAX_NEIGHBOURS = 25
SITE_ACTORS = 40
SITE_EDGES = 120
LABEL_CHARS = 28
"""Longer labels are cut with an ellipsis (the full name is in the node's tooltip)."""
CHAR_WIDTH = 7.5
"""Rough width of one label character at the theme's graph font size, for the margins."""


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
    """A line between two nodes; its width grows with the briefings they share."""

    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    title: str


@dataclass(frozen=True)
class GraphView:
    """A laid-out graph: SVG viewBox size, edges (drawn first) and nodes."""

    width: float
    height: float
    edges: tuple[GraphEdge, ...]
    nodes: tuple[GraphNode, ...]
    title: str
    description: str


def short(label: str) -> str:
    """A label cut to LABEL_CHARS characters."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _ring(
    items: Sequence[tuple[str, str, int]], radius: float, cx: float, cy: float, sizes: float
) -> list[GraphNode]:
    """Nodes for (name, url, count) on a circle, first at the top, clockwise."""
    top = max((c for _, _, c in items), default=1) or 1
    nodes = []
    for k, (name, url, count) in enumerate(items):
        theta = -math.pi / 2 + 2 * math.pi * k / max(len(items), 1)
        x, y = cx + radius * math.cos(theta), cy + radius * math.sin(theta)
        r = 4.0 + sizes * math.sqrt(count / top)
        gap = radius + r + 6.0
        degrees = math.degrees(theta)
        left = math.cos(theta) < -1e-9
        nodes.append(
            GraphNode(
                x=round(x, 1),
                y=round(y, 1),
                r=round(r, 1),
                label=short(name),
                name=name,
                url=url,
                count=count,
                lx=round(cx + gap * math.cos(theta), 1),
                ly=round(cy + gap * math.sin(theta), 1),
                # Labels on the left half are turned the other way so they never read upside down.
                angle=round((degrees + 180 if left else degrees) % 360, 1),
                anchor="end" if left else "start",
            )
        )
    return nodes


def _fit(
    nodes: Sequence[GraphNode], edges: Sequence[GraphEdge], title: str, description: str
) -> GraphView:
    """The graph moved into a viewBox just big enough for its circles and labels."""
    xs: list[float] = []
    ys: list[float] = []
    for n in nodes:
        xs += [n.x - n.r, n.x + n.r]
        ys += [n.y - n.r, n.y + n.r]
        # A label runs from its anchor along its rotation (reversed when anchored at its end).
        length = CHAR_WIDTH * len(n.label) * (-1 if n.anchor == "end" else 1)
        if n.anchor == "middle":
            xs += [n.lx - length / 2, n.lx + length / 2]
            ys += [n.ly - 8, n.ly + 8]
            continue
        rad = math.radians(n.angle)
        xs += [n.lx, n.lx + length * math.cos(rad)]
        ys += [n.ly - 8, n.ly + 8, n.ly + length * math.sin(rad)]
    pad = 8.0
    dx, dy = pad - min(xs), pad - min(ys)

    def move(n: GraphNode) -> GraphNode:
        """A node shifted by (dx, dy)."""
        return replace(
            n,
            x=round(n.x + dx, 1),
            y=round(n.y + dy, 1),
            lx=round(n.lx + dx, 1),
            ly=round(n.ly + dy, 1),
        )

    return GraphView(
        width=round(max(xs) - min(xs) + 2 * pad, 1),
        height=round(max(ys) - min(ys) + 2 * pad, 1),
        edges=tuple(
            replace(
                e,
                x1=round(e.x1 + dx, 1),
                y1=round(e.y1 + dy, 1),
                x2=round(e.x2 + dx, 1),
                y2=round(e.y2 + dy, 1),
            )
            for e in edges
        ),
        nodes=tuple(move(n) for n in nodes),
        title=title,
        description=description,
    )


def _margin(names: Sequence[str]) -> float:
    """Room for the longest label outside the circle."""
    return 16.0 + CHAR_WIDTH * max((len(short(n)) for n in names), default=0)


def build_actor_graph(
    name: str, url: str, count: int, neighbours: Sequence[tuple[str, str, int]]
) -> GraphView | None:
    """An actor (centre) and its most co-mentioned actors (name, url, shared briefings)."""
    items = list(neighbours[:MAX_NEIGHBOURS])
    if not items:
        return None
    radius = 110.0 + 4.0 * len(items)
    half = radius + _margin([n for n, _, _ in items])
    ring = _ring(items, radius, half, half, 8.0)
    centre = GraphNode(
        half, half, 14.0, short(name), name, url, count, half, half + 30, 0, "middle", True
    )
    top = max(c for _, _, c in items)
    edges = tuple(
        GraphEdge(half, half, n.x, n.y, round(1.0 + 5.0 * n.count / top, 1),
                  f"{name} and {n.name}: {n.count} briefing{'s' if n.count != 1 else ''}")
        for n in ring
    )  # fmt: skip
    return _fit(
        (*ring, centre),
        edges,
        f"Actors most often mentioned with {name}",
        ", ".join(f"{n.name} ({n.count})" for n in ring),
    )


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
    radius = 60.0 + 7.0 * len(items)
    half = radius + _margin([n for n, _, _ in items])
    ring = _ring(items, radius, half, half, 10.0)
    kept = sorted(
        ((a, b, w) for a, b, w in pairs if a < len(ring) and b < len(ring) and a != b),
        key=lambda p: (-p[2], p[0], p[1]),
    )[:SITE_EDGES]
    top = max((w for _, _, w in kept), default=1)
    edges = tuple(
        GraphEdge(ring[a].x, ring[a].y, ring[b].x, ring[b].y, round(0.6 + 4.0 * w / top, 1),
                  f"{ring[a].name} and {ring[b].name}: {w} briefing{'s' if w != 1 else ''}")
        for a, b, w in kept
    )  # fmt: skip
    return _fit(
        ring,
        edges,
        "The most-covered actors and who is mentioned with whom",
        ", ".join(f"{n.name} ({n.count} briefings)" for n in ring),
    )
