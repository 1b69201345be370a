"""Lay out large graphs beforehand, so the page can draw them without physics.

vis-network's physics needs minutes to settle a graph of thousands of nodes in the browser;
igraph's Fruchterman-Reingold lays out 20,000 nodes in about two seconds in C. Above
``LAYOUT_THRESHOLD`` nodes the page draws nodes where ``layout_positions`` puts them.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from contextlib import contextmanager

import networkx as nx

__all__ = ["LAYOUT_THRESHOLD", "NEIGHBOUR_DISTANCE", "layout_positions"]

LAYOUT_THRESHOLD = 300
"""Nodes above which the page uses precomputed positions and turns physics off."""

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
    nodes = sorted(graph)
    if not nodes:
        return {}
    index = {node: number for number, node in enumerate(nodes)}
    pairs = sorted(
        {(min(index[a], index[b]), max(index[a], index[b])) for a, b in graph.edges() if a != b}
    )
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
