"""Lay out graphs beforehand, so the page opens the same way every time, without physics.

vis-network's physics moves nodes on every load and needs minutes to settle a graph of
thousands of nodes in the browser; igraph's Fruchterman-Reingold lays out 20,000 nodes in
about two seconds in C, the same way for the same graph. The page draws every node where
``layout_positions`` puts it, scaled by ``fit_to_pane`` so that a small graph fills the
page's graph pane at zoom 1, and ``place_labels`` decides which labels the first view shows
and where.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

import networkx as nx
import numpy as np

from ..hashing import parts_digest

__all__ = [
    "HIDDEN_LABEL_SIZE",
    "LABEL_GAP",
    "LABEL_LIMIT",
    "LINE_HEIGHT",
    "MIN_NEIGHBOUR_DISTANCE",
    "NEIGHBOUR_DISTANCE",
    "PANE",
    "LabelPlace",
    "LabelledNode",
    "fit_to_pane",
    "layout_digest",
    "layout_positions",
    "place_labels",
    "spread_apart",
]

PANE = (790.0, 520.0)
"""Width and height in pixels of the page's graph pane in a 1400x900 browser window."""

MIN_NEIGHBOUR_DISTANCE = 60.0
"""Closest mean distance between neighbours ``fit_to_pane`` scales a drawing down to."""

HIDDEN_LABEL_SIZE = 6.0
"""Font size, in canvas units, of labels that the first view leaves out.

The page draws no label smaller than 7 pixels on screen, so these labels appear once the
reader zooms in past about 1.2 times the fitted view.
"""

SPREAD_LIMIT = 300
"""Most nodes ``spread_apart`` moves; larger graphs are left as laid out."""

SPREAD_LABELS = 25
"""Labels, of the heaviest nodes, that ``spread_apart`` makes room for."""

LABEL_LIMIT = 300
"""Most labels the first view shows, the heaviest nodes' (checking more for overlaps is slow)."""

NEIGHBOUR_DISTANCE = 120.0
"""Mean distance between neighbours, in vis-network canvas units, after scaling."""

# left, top, width, height of a component's drawing
_Box = tuple[float, float, float, float]


def layout_positions(
    graph: nx.MultiDiGraph, *, seed: int = 1, scale: float | None = None
) -> dict[str, tuple[float, float]]:
    """Return an ``(x, y)`` position in canvas units for every node of ``graph``.

    Fruchterman-Reingold on the graph taken as undirected, with parallel edges collapsed and
    self-loops dropped. Each connected component is laid out on its own and the components
    are packed in rows, largest first, one mean neighbour distance apart (laid out together,
    small components and isolated nodes drift far from the rest). The drawing is centred on
    the origin and coordinates are rounded to one decimal. The same graph and ``seed`` give
    the same positions in any process, whatever the order nodes and edges were added in.

    Parameters
    ----------
    graph
        Graph as made by ``to_networkx``; node ids must be strings.
    seed
        Seed of the layout's random numbers.
    scale
        Canvas units per igraph layout unit. By default, chosen so that the mean distance
        between neighbours is ``NEIGHBOUR_DISTANCE``; with no edges, ``NEIGHBOUR_DISTANCE``,
        which puts isolated nodes that far apart.

    Raises
    ------
    ValueError
        If ``scale`` is not positive.

    Notes
    -----
    igraph draws its random numbers from a process-wide generator, which igraph offers no way
    to read. During the layout it is replaced by a private ``random.Random(seed)``; afterwards
    it is reset to the ``random`` module, igraph's default. Not safe to run while another
    thread uses igraph's random numbers.

    Examples
    --------
    >>> graph = nx.MultiDiGraph([("a", "b"), ("b", "c")])
    >>> sorted(layout_positions(graph)) == ["a", "b", "c"]
    True
    >>> layout_positions(nx.MultiDiGraph())
    {}
    """
    if scale is not None and not scale > 0:
        raise ValueError(f"scale must be positive, not {scale}")
    nodes, pairs = _read(graph)
    if not nodes:
        return {}
    components = _components(len(nodes), pairs)
    coords = _component_layouts(components, pairs, seed)
    length = _mean_length(coords, pairs) if pairs else 1.0
    if scale is None:
        scale = NEIGHBOUR_DISTANCE / length
    placed = _pack(coords, components, scale, gap=scale * length)
    xs = [x for x, _ in placed]
    ys = [y for _, y in placed]
    centre_x = (min(xs) + max(xs)) / 2
    centre_y = (min(ys) + max(ys)) / 2
    return {
        node: (_rounded(x - centre_x), _rounded(y - centre_y))
        for node, (x, y) in zip(nodes, placed, strict=True)
    }


def layout_digest(graph: nx.MultiDiGraph, edges: Sequence[tuple[Any, ...]] | None = None) -> str:
    """The SHA-256 of all ``layout_positions`` reads of ``graph``: its nodes, sorted,
    and the pairs of them its edges join (``edges``, where given: the graph's, each
    beginning with its two ends). Two graphs of the same digest have the same layout
    (an edit of a quote, a modality or a date leaves it as it was)."""
    nodes, pairs = _numbered(graph, edges)
    text = json.dumps(nodes, ensure_ascii=False, separators=(",", ":"))
    return parts_digest((text.encode("utf-8", "surrogatepass"), pairs.tobytes()))


def _read(graph: nx.MultiDiGraph) -> tuple[list[str], list[tuple[int, int]]]:
    """The nodes of ``graph``, sorted, and the pairs of their numbers its edges join
    (each pair once, the smaller number first, no node with itself), sorted."""
    nodes, pairs = _numbered(graph)
    return nodes, [divmod(pair, len(nodes)) for pair in pairs.tolist()]


def _numbered(
    graph: nx.MultiDiGraph, edges: Sequence[tuple[Any, ...]] | None = None
) -> tuple[list[str], np.ndarray]:
    """The nodes of ``graph``, sorted, and each pair of their numbers its edges (or
    ``edges``, each beginning with its two ends) join, once, no node with itself, as the
    number ``low * len(nodes) + high``: sorted, the pairs sorted."""
    nodes = sorted(graph)
    index = {node: number for number, node in enumerate(nodes)}
    joined = list(graph.edges()) if edges is None else edges
    first, second = (
        np.fromiter(map(index.__getitem__, map(itemgetter(end), joined)), np.int64, len(joined))
        for end in (0, 1)
    )
    low, high = np.minimum(first, second), np.maximum(first, second)
    return nodes, np.unique((low * len(nodes) + high)[low != high]).astype("<i8")


def fit_to_pane(
    positions: dict[str, tuple[float, float]],
    pane: tuple[float, float] = PANE,
    *,
    margin: tuple[float, float] = (170.0, 90.0),
) -> dict[str, tuple[float, float]]:
    """Scale ``positions`` (from ``layout_positions``) to fill ``pane`` at zoom 1.

    The drawing's box becomes ``pane`` less ``margin`` (room for the labels and shapes at its
    edges), keeping its proportions, unless that brings neighbours closer on average than
    ``MIN_NEIGHBOUR_DISTANCE``: large graphs keep that distance and open zoomed out. A canvas
    unit is then a screen pixel in the fitted first view of a small graph, so font sizes
    chosen in pixels hold on screen.
    """
    if len(positions) < 2:
        return dict(positions)
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    room_x, room_y = pane[0] - margin[0], pane[1] - margin[1]
    factor = min(room_x / width if width else math.inf, room_y / height if height else math.inf)
    factor = max(factor, MIN_NEIGHBOUR_DISTANCE / NEIGHBOUR_DISTANCE)
    return {
        node: (_rounded(x * factor), _rounded(y * factor)) for node, (x, y) in positions.items()
    }


@dataclass(frozen=True)
class LabelledNode:
    """A node as the page draws it, in canvas units: where, how big, and its label.

    ``inside`` says the label is drawn inside the shape (box, ellipse); else it hangs below
    the shape, whose radius is ``size``.
    """

    node: str
    x: float
    y: float
    size: float
    font: float
    label_width: float
    label_height: float
    inside: bool = False

    def label_box(self, raised: float = 0.0) -> _Box:
        """Left, top, width and height of the label, ``raised`` canvas units up.

        A label below its shape starts ``LABEL_GAP`` and half a line below the shape's
        edge, where vis-network draws it.
        """
        if self.inside:
            top = self.y - self.label_height / 2
        else:
            top = self.y + self.size + LABEL_GAP + self.font / 2
        return (self.x - self.label_width / 2, top - raised, self.label_width, self.label_height)

    def raise_above(self) -> float:
        """How far up the label must move to sit above the shape instead of below it."""
        return 2 * self.size + 2 * LABEL_GAP + self.font / 2 + self.label_height

    def shape_box(self) -> _Box:
        """The box of the node's shape (with its label, for shapes that hold it)."""
        if self.inside:
            left, top, width, height = self.label_box()
            return (left - 5, top - 5, width + 10, height + 10)
        return (self.x - self.size, self.y - self.size, 2 * self.size, 2 * self.size)


LINE_HEIGHT = 1.25
"""Height of a line of label text, in font sizes (vis-network's lines are 1.0; a margin)."""
LABEL_GAP = 4.0
"""Canvas units between a shape and the half line above its label, as vis-network draws it."""


@dataclass(frozen=True)
class LabelPlace:
    """How the first view draws a node's label: its font size, and how far it is raised.

    ``raised`` is in canvas units, upwards (vis-network's ``font.vadjust`` is its negative).
    """

    size: float
    raised: float = 0.0


def place_labels(nodes: Sequence[LabelledNode]) -> dict[str, LabelPlace]:
    """Where each node's label goes: below its shape, above it, or left out of the first view.

    Nodes are taken in the order given (heaviest first), greedily: a label goes below its
    shape, or above it when below it would overlap a label already placed or the shape of
    another node; when both overlap, it is left out (``HIDDEN_LABEL_SIZE``, shown once
    zoomed in). A label goes above only where it stays below the topmost shape, inside
    the view that fits the drawing. Labels drawn inside their shape have no other place.
    Only the first ``LABEL_LIMIT`` nodes can keep their labels. Sizes are in canvas units,
    so overlaps found here hold at every zoom.
    """
    places = {labelled.node: LabelPlace(HIDDEN_LABEL_SIZE) for labelled in nodes}
    shapes = _Grid(labelled.shape_box() for labelled in nodes)
    ceiling = min((top for _, top, _, _ in shapes.boxes), default=0.0)
    kept = _Grid()
    for number, labelled in enumerate(nodes[:LABEL_LIMIT]):
        heights = [0.0] if labelled.inside else [0.0, labelled.raise_above()]
        for raised in heights:
            box = labelled.label_box(raised)
            if box[1] < ceiling:
                continue
            if not kept.overlaps(box) and not shapes.overlaps(box, besides=number):
                kept.add(box)
                places[labelled.node] = LabelPlace(labelled.font, raised)
                break
    return places


def spread_apart(
    nodes: Sequence[LabelledNode],
    pane: tuple[float, float] = PANE,
    *,
    labelled: int = SPREAD_LABELS,
    rounds: int = 300,
) -> dict[str, tuple[float, float]]:
    """Move nodes apart so that the first ``labelled`` labels overlap no shape or label.

    Nodes come heaviest first; of two that overlap, the lighter one moves the more, along
    the axis where they overlap least, and every node stays inside ``pane`` (centred on the
    origin). A few overlaps may remain after ``rounds`` rounds, when the pane is too small
    (``place_labels`` then moves those labels or leaves them out). Graphs of more than
    ``SPREAD_LIMIT`` nodes are returned as they are. Deterministic: no random numbers.
    """
    positions = {labelled_node.node: (labelled_node.x, labelled_node.y) for labelled_node in nodes}
    if len(nodes) > SPREAD_LIMIT:
        return positions
    xs = [node.x for node in nodes]
    ys = [node.y for node in nodes]
    # footprints relative to the node's centre: the shape, and the label for the first ones
    footprints = [_footprint(node, number < labelled) for number, node in enumerate(nodes)]
    half_width, half_height = pane[0] / 2 - 4, pane[1] / 2 - 4
    gap = 4.0
    for _ in range(rounds):
        moved = False
        for first in range(min(labelled, len(nodes))):
            for second in range(first + 1, len(nodes)):
                a_left, a_top, a_right, a_bottom = footprints[first]
                b_left, b_top, b_right, b_bottom = footprints[second]
                across = min(xs[first] + a_right, xs[second] + b_right) - max(
                    xs[first] + a_left, xs[second] + b_left
                )
                down = min(ys[first] + a_bottom, ys[second] + b_bottom) - max(
                    ys[first] + a_top, ys[second] + b_top
                )
                if across + gap <= 0 or down + gap <= 0:
                    continue
                moved = True
                # the heavier node (first) moves a quarter of the way, the lighter the rest,
                # along the axis of least overlap, relative to the pane's side
                if across / pane[0] < down / pane[1]:
                    push = (across + gap) * (1 if xs[second] >= xs[first] else -1)
                    xs[first] -= push / 4
                    xs[second] += 3 * push / 4
                else:
                    push = (down + gap) * (1 if ys[second] >= ys[first] else -1)
                    ys[first] -= push / 4
                    ys[second] += 3 * push / 4
        for number, (left, top, right, bottom) in enumerate(footprints):
            xs[number] = min(max(xs[number], -half_width - left), half_width - right)
            ys[number] = min(max(ys[number], -half_height - top), half_height - bottom)
        if not moved:
            break
    return {node.node: (_rounded(x), _rounded(y)) for node, x, y in zip(nodes, xs, ys, strict=True)}


def _footprint(node: LabelledNode, with_label: bool) -> tuple[float, float, float, float]:
    """Left, top, right and bottom of the node's shape (and label), from its centre."""
    boxes = [node.shape_box()] + ([node.label_box()] if with_label else [])
    return (
        min(left for left, _, _, _ in boxes) - node.x,
        min(top for _, top, _, _ in boxes) - node.y,
        max(left + width for left, _, width, _ in boxes) - node.x,
        max(top + height for _, top, _, height in boxes) - node.y,
    )


class _Grid:
    """Boxes in square cells, to find the ones a box overlaps without checking them all."""

    CELL = 200.0

    def __init__(self, boxes: Iterable[_Box] = ()) -> None:
        self.boxes: list[_Box] = []
        self.cells: dict[tuple[int, int], list[int]] = {}
        for box in boxes:
            self.add(box)

    def _cells(self, box: _Box) -> Iterator[tuple[int, int]]:
        left, top, width, height = box
        for column in range(
            math.floor(left / self.CELL), math.floor((left + width) / self.CELL) + 1
        ):
            for row in range(
                math.floor(top / self.CELL), math.floor((top + height) / self.CELL) + 1
            ):
                yield column, row

    def add(self, box: _Box) -> None:
        for cell in self._cells(box):
            self.cells.setdefault(cell, []).append(len(self.boxes))
        self.boxes.append(box)

    def overlaps(self, box: _Box, besides: int = -1) -> bool:
        """Whether ``box`` overlaps a box of the grid other than the one numbered ``besides``."""
        left, top, width, height = box
        for cell in self._cells(box):
            for number in self.cells.get(cell, ()):
                other_left, other_top, other_width, other_height = self.boxes[number]
                if (
                    number != besides
                    and left < other_left + other_width
                    and other_left < left + width
                    and top < other_top + other_height
                    and other_top < top + height
                ):
                    return True
        return False


def _components(count: int, pairs: list[tuple[int, int]]) -> list[list[int]]:
    """Vertex lists of the connected components, ordered by their smallest vertex."""
    import igraph  # loaded when a layout is drawn

    membership = igraph.Graph(n=count, edges=pairs).connected_components().membership
    components: list[list[int]] = [[] for _ in range(max(membership) + 1)]
    for vertex, component in enumerate(membership):
        components[component].append(vertex)
    return components


def _component_layouts(
    components: list[list[int]], pairs: list[tuple[int, int]], seed: int
) -> list[list[float]]:
    """Fruchterman-Reingold coordinates of each vertex, every component laid out alone."""
    import igraph  # loaded when a layout is drawn

    count = sum(len(vertices) for vertices in components)
    membership = [0] * count
    local = [0] * count
    for number, vertices in enumerate(components):
        for position, vertex in enumerate(vertices):
            membership[vertex], local[vertex] = number, position
    edges: list[list[tuple[int, int]]] = [[] for _ in components]
    for a, b in pairs:
        edges[membership[a]].append((local[a], local[b]))
    coords = [[0.0, 0.0] for _ in range(count)]
    with _private_random(seed):
        for vertices, component_edges in zip(components, edges, strict=True):
            if len(vertices) == 1:
                continue
            drawing = igraph.Graph(n=len(vertices), edges=component_edges)
            for vertex, xy in zip(
                vertices, drawing.layout_fruchterman_reingold().coords, strict=True
            ):
                coords[vertex] = xy
    return coords


def _pack(
    coords: list[list[float]], components: list[list[int]], scale: float, gap: float
) -> list[tuple[float, float]]:
    """Scale ``coords`` and shelve the components' boxes in rows, largest component first.

    Rows are as wide as the widest component or the side of a square holding all boxes.
    """
    boxes: list[_Box] = []
    for vertices in components:
        xs = [coords[v][0] * scale for v in vertices]
        ys = [coords[v][1] * scale for v in vertices]
        boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    order = sorted(range(len(components)), key=lambda c: (-len(components[c]), c))
    area = math.fsum((width + gap) * (height + gap) for *_, width, height in boxes)
    row_width = max(math.sqrt(area), max(width for *_, width, _ in boxes))
    placed = [(0.0, 0.0)] * len(coords)
    x = y = row_height = 0.0
    for component in order:
        left, top, width, height = boxes[component]
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        for vertex in components[component]:
            placed[vertex] = (
                coords[vertex][0] * scale - left + x,
                coords[vertex][1] * scale - top + y,
            )
        x += width + gap
        row_height = max(row_height, height)
    return placed


def _mean_length(coords: list[list[float]], pairs: list[tuple[int, int]]) -> float:
    """Mean Euclidean length of the edges ``pairs`` drawn at ``coords``."""
    total = math.fsum(math.dist(coords[a], coords[b]) for a, b in pairs)
    return total / len(pairs) or 1.0


def _rounded(coordinate: float) -> float:
    # adding 0.0 turns -0.0 into 0.0, so the page never shows both for one layout
    return round(coordinate, 1) + 0.0


@contextmanager
def _private_random(seed: int) -> Iterator[None]:
    """Make igraph draw from ``random.Random(seed)`` for the duration of the block."""
    import igraph  # loaded when a layout is drawn

    igraph.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        igraph.set_random_number_generator(random)
