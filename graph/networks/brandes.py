"""Count the shortest paths through each node: Brandes' betweenness, compiled.

Brandes' algorithm with Dijkstra's search (U. Brandes, "A faster algorithm for
betweenness centrality", 2001), in code that numba compiles to machine code the first
time it runs (and keeps, beside this module or in the user's cache, for the next
process; where numba can write neither, each process compiles it). igraph's C code
does the same work, but keeps each node's predecessors in lists it grows for every
start; here the arcs are walked a second time instead, from the farthest node back,
and a start at 100,000 statements takes about half igraph's time.

Lengths are compared as igraph compares them: two path lengths that differ by less than
``1e-10`` of their sum are equal, so that paths whose lengths differ only by rounding
(``1/2 + 1/3 + 1/3`` and ``1 + 1/6``) are equally short, as they are in exact arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import networkx as nx
import numba
import numpy as np

__all__ = ["Arcs", "arcs", "compiled", "dependencies"]

EPSILON = 1e-10
"""Path lengths closer than this share of their sum are equal (igraph's tolerance)."""


@dataclass(frozen=True, eq=False)
class Arcs:
    """The arcs of an undirected network, each edge both ways, grouped by their tail.

    ``heads[first[v]:first[v + 1]]`` are the nodes one arc from the ``v``-th node of
    ``nodes``, and ``lengths`` their lengths: first the arcs of the edges the node begins,
    then of those it ends, each in the order of the network's edges.
    """

    nodes: list[Hashable]
    first: np.ndarray
    heads: np.ndarray
    lengths: np.ndarray


def arcs(network: nx.Graph, distance: str) -> Arcs:
    """The arcs of ``network``, each as long as its edge's ``distance`` attribute.

    Raises ``ValueError`` naming an edge whose length is not a positive finite number.
    """
    nodes = list(network)
    index = {node: number for number, node in enumerate(nodes)}
    count = network.number_of_edges()
    ends = np.fromiter(
        (index[end] for edge in network.edges() for end in edge), dtype=np.int32, count=2 * count
    )
    try:
        lengths = np.fromiter(
            (float(length) for *_, length in network.edges(data=distance)),
            dtype=np.float64,
            count=count,
        )
    except (TypeError, ValueError):
        lengths = np.full(count, np.nan)
    if not (np.isfinite(lengths) & (lengths > 0)).all():
        raise ValueError(_wrong_length(network, distance))
    tails = np.concatenate((ends[0::2], ends[1::2]))
    heads = np.concatenate((ends[1::2], ends[0::2]))
    order = np.argsort(tails, kind="stable")
    first = np.zeros(len(nodes) + 1, dtype=np.int64)
    np.cumsum(np.bincount(tails, minlength=len(nodes)), out=first[1:])
    return Arcs(nodes, first, heads[order], np.concatenate((lengths, lengths))[order])


def _wrong_length(network: nx.Graph, distance: str) -> str:
    """What is wrong with the first edge whose length is not a positive finite number."""
    for a, b, value in network.edges(data=distance):
        try:
            length = float(value)
        except (TypeError, ValueError):
            length = math.nan
        if not (math.isfinite(length) and length > 0):
            return f"edge {a!r} - {b!r}: {distance} must be a positive number, not {value!r}"
    raise AssertionError("every length is a positive number")


def dependencies(found: Arcs, starts: Sequence[int], counts: Sequence[float]) -> np.ndarray:
    """The dependencies of each node on the starts: for every node ``v``, the sum over the
    ``i``-th start ``s`` (an index into ``found.nodes``) of ``counts[i]`` times the share
    of the shortest paths from ``s`` to each other node that pass through ``v`` (``v``
    other than ``s``, and than the path's end).

    Summed over every node as a start, this is twice the betweenness of an undirected
    network (each path counted from both its ends); in the order of ``found.nodes``.
    """
    return _dependencies(
        found.first,
        found.heads,
        found.lengths,
        np.asarray(starts, dtype=np.int64),
        np.asarray(counts, dtype=np.float64),
    )


def compiled() -> None:
    """Compile ``dependencies``'s code now (or load it from numba's cache), so that the
    processes forked after share it: each would otherwise load it again (about 0.3 s)."""
    nothing = np.zeros(0, dtype=np.int64)
    _dependencies(
        np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32), np.zeros(0), nothing, np.zeros(0)
    )


def _compiled(inline: Literal["never", "always"] = "never") -> Callable[[Callable[..., Any]], Any]:
    """numba's compiler, keeping what it compiles for the next process where it finds a
    folder it can write (beside this module, or the user's cache); compiling in each
    process where it finds none, rather than failing to import."""

    def compile_(function: Callable[..., Any]) -> Any:
        try:
            return numba.njit(cache=True, inline=inline)(function)
        except RuntimeError:  # "cannot cache function ...: no locator available"
            return numba.njit(inline=inline)(function)

    return compile_


@_compiled(inline="always")
def _order(a: float, b: float) -> int:
    """-1, 0 or 1 as ``a`` is shorter than, as long as (within ``EPSILON``) or longer
    than ``b``."""
    if a == b:
        return 0
    difference = a - b
    if abs(difference) < EPSILON * (abs(a) + abs(b)):
        return 0
    return -1 if difference < 0 else 1


@_compiled(inline="always")
def _push(keys, values, held, key, value):
    """Put ``key`` and ``value`` into the heap of the first ``held`` entries."""
    place = held
    while place > 0:
        parent = (place - 1) // 2
        if keys[parent] <= key:
            break
        keys[place] = keys[parent]
        values[place] = values[parent]
        place = parent
    keys[place] = key
    values[place] = value


@_compiled(inline="always")
def _sift_down(keys, values, held):
    """Put the entry after the first ``held`` in place of the root, just taken, and down
    to its place in the heap of ``held`` entries."""
    key, value = keys[held], values[held]
    place = 0
    while True:
        child = 2 * place + 1
        if child >= held:
            break
        if child + 1 < held and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= key:
            break
        keys[place] = keys[child]
        values[place] = values[child]
        place = child
    keys[place] = key
    values[place] = value


@_compiled()
def _dependencies(first, heads, lengths, starts, counts):
    size = first.shape[0] - 1
    total = np.zeros(size)
    distance = np.empty(size)
    paths = np.empty(size)  # the number of shortest paths from the start
    dependency = np.empty(size)
    settled = np.empty(size, dtype=np.bool_)
    order = np.empty(size, dtype=np.int64)  # the nodes as they were settled
    # a heap of (length, node), each node pushed again when a shorter path is found
    keys = np.empty(heads.shape[0] + 1)
    values = np.empty(heads.shape[0] + 1, dtype=np.int64)
    for number in range(starts.shape[0]):
        start = starts[number]
        distance[:] = -1.0
        paths[:] = 0.0
        settled[:] = False
        distance[start] = 0.0
        paths[start] = 1.0
        keys[0] = 0.0
        values[0] = start
        held = 1
        reached = 0
        while held > 0:
            near, node = keys[0], values[0]
            held -= 1
            if held > 0:
                _sift_down(keys, values, held)
            if settled[node] or near != distance[node]:
                continue  # pushed before a shorter path was found
            settled[node] = True
            order[reached] = node
            reached += 1
            through = paths[node]
            for arc in range(first[node], first[node + 1]):
                other = heads[arc]
                if settled[other]:
                    continue
                length = near + lengths[arc]
                known = distance[other]
                compared = -1 if known < 0 else _order(length, known)
                if compared < 0:
                    distance[other] = length
                    paths[other] = through
                    _push(keys, values, held, length, other)
                    held += 1
                elif compared == 0:
                    paths[other] += through
        weight = counts[number]
        for back in range(reached - 1, -1, -1):
            node = order[back]
            near = distance[node]
            share = 0.0
            for arc in range(first[node], first[node + 1]):
                other = heads[arc]
                far = distance[other]
                if far > near and _order(near + lengths[arc], far) == 0:
                    share += paths[node] / paths[other] * (1.0 + dependency[other])
            dependency[node] = share
            if node != start:
                total[node] += weight * share
    return total
