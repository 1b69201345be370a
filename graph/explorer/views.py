"""What the page's tables and actor view show, computed from the statement graph.

The tables answer *who blames whom*, *what is attributed to whom* (beside the denials that
answer each attribution) and *who sanctions whom*; the actor view draws actors only, with
blame, agreement, disagreement and attribution between them, per actor or rolled up to the
states and bodies they speak for. Rows and links list the statements behind them by edge
key, so the page finds their quotes among its edges.

The definitions follow the discourse networks of ``graph.networks.discourse``, which the
explorer may not import: the roll-up to states comes in as a mapping (``speakers``), and
``graph.pipeline`` passes ``graph.networks.speakers``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from .layout import layout_positions

__all__ = [
    "ACTOR_LINKS",
    "ACTOR_TYPES",
    "ACTOR_VIEW_LIMIT",
    "actor_view",
    "attribution_rows",
    "explorer_views",
    "statement_rows",
]

ACTOR_TYPES = frozenset({"state", "official", "person", "institution", "group"})
"""Entity types the actor view holds (as ``graph.networks.discourse.ACTOR_TYPES``)."""

ACTOR_LINKS = {
    "blames": "blames",
    "agrees": "supports_position",
    "disagrees": "opposes_position",
    "attributes": "attributed_to",
}
"""The actor view's kinds of link, each with the relation whose colour it is drawn in."""

RING_LIMIT = 40
"""Actors up to which the actor view puts them on a ring, where no label hides another."""
RING_SPACING = 160.0
"""Distance between neighbours on the ring, in canvas units."""

ACTOR_VIEW_LIMIT = 500
"""Actors above which the page has no actor view: a view that large is not read at a glance,
and laying it out and carrying it would slow the page."""

Row = dict[str, object]
Edge = tuple[str, str, str, dict[str, object]]
"""A statement of the graph as ``graph.edges(keys=True, data=True)`` gives it."""


def _edges_of(graph: nx.MultiDiGraph, edges: Sequence[Edge] | None) -> Sequence[Edge]:
    """``edges``, or those of ``graph`` when None: a caller that asks for several views
    walks the graph's edges once (NetworkX's walk is a call in Python for each edge)."""
    return list(graph.edges(keys=True, data=True)) if edges is None else edges


def explorer_views(
    graph: nx.MultiDiGraph,
    speakers: Mapping[str, str] | None = None,
    *,
    edges: Sequence[Edge] | None = None,
) -> dict[str, object]:
    """Return the tables and actor views of ``graph``, ready to be put in the page as JSON.

    ``tables`` holds the rows of ``blames``, ``attributions`` and ``sanctions``; ``actors``
    the actor view at the ``actor`` level and, with ``speakers``, rolled up to ``state``; each
    is None above ``ACTOR_VIEW_LIMIT`` actors. ``edges``, when given, are the graph's
    (as ``graph.edges(keys=True, data=True)`` gives them), walked once for all.
    """
    roll = dict(speakers or {})
    edges = _edges_of(graph, edges)
    levels = {"actor": actor_view(graph, edges=edges)}
    if roll:
        levels["state"] = actor_view(graph, roll, edges=edges)
    return {
        "tables": {
            "blames": statement_rows(graph, "blames", edges=edges),
            "attributions": attribution_rows(graph, roll, edges=edges),
            "sanctions": statement_rows(graph, "sanctions", edges=edges),
        },
        "actors": levels,
    }


def statement_rows(
    graph: nx.MultiDiGraph, relation: str, *, edges: Sequence[Edge] | None = None
) -> list[Row]:
    """Return one row per subject and object of ``relation``'s statements, with their keys.

    Rows are sorted by the subject's label, then the object's. ``edges``: as
    ``explorer_views`` takes them.
    """
    found: dict[tuple[str, str], list[str]] = defaultdict(list)
    for subject, obj, key, data in _edges_of(graph, edges):
        if data.get("relation") == relation:
            found[subject, obj].append(key)
    return [
        {"subject": subject, "object": obj, "statements": sorted(keys)}
        for (subject, obj), keys in sorted(
            found.items(), key=lambda item: _by_label(graph, item[0])
        )
    ]


def attribution_rows(
    graph: nx.MultiDiGraph,
    speakers: Mapping[str, str] | None = None,
    *,
    edges: Sequence[Edge] | None = None,
) -> list[Row]:
    """Return one row per incident and the actor it is attributed to, with the denials.

    A row lists its ``attributed_to`` statements (``statements``) and the ``denies``
    statements that answer them (``denials``): a denial of the incident by the actor itself,
    or by one who speaks for it (``speakers`` maps an official to its state). A denial that
    answers no attribution in the graph gets a row of its own, with no ``statements``.
    Rows are sorted by the incident's label, then the actor's. ``edges``: as
    ``explorer_views`` takes them.
    """
    roll = speakers or {}
    relations: list[Any] = [(a, b, k, d.get("relation")) for a, b, k, d in _edges_of(graph, edges)]
    by_relation = {
        relation: sorted((edge for edge in relations if edge[3] == relation), key=_key)
        for relation in ("attributed_to", "denies")
    }
    rows: dict[tuple[str, str], dict[str, list[str]]] = {}
    for incident, actor, key, _ in by_relation["attributed_to"]:
        rows.setdefault((incident, actor), {"statements": [], "denials": []})
        rows[incident, actor]["statements"].append(key)
    for denier, incident, key, _ in by_relation["denies"]:
        answered = [(incident, actor) for actor in dict.fromkeys((denier, roll.get(denier)))]
        answered = [pair for pair in answered if pair in rows]
        for pair in answered or [(incident, denier)]:
            rows.setdefault(pair, {"statements": [], "denials": []})
            rows[pair]["denials"].append(key)
    return [
        {"incident": incident, "actor": actor, **keys}
        for (incident, actor), keys in sorted(
            rows.items(), key=lambda item: _by_label(graph, item[0])
        )
    ]


def actor_view(
    graph: nx.MultiDiGraph,
    speakers: Mapping[str, str] | None = None,
    *,
    edges: Sequence[Edge] | None = None,
) -> dict[str, object] | None:
    """Return the actor view of ``graph``: actors, the links between them, and a layout.

    Links, one per kind and pair of actors, list their statements:

    - ``blames``: from the actor who blames to the actor blamed;
    - ``attributes``: from the actor who claims an attribution (its ``claimed_by``) to the
      actor the incident is attributed to;
    - ``agrees`` and ``disagrees``: two actors on the same side, or on opposite sides, of
      ``positions`` (``supports_position``, ``opposes_position``, and ``endorses`` of a
      position as support), undirected, from the actor first in id order.

    With ``speakers``, each actor is replaced by the state or body it speaks for, where that
    is in ``graph``. Only actors with a link are kept, each with ``x`` and ``y`` from
    ``layout_positions``, moved onto a ring in the order of their angles (so that linked
    actors stay close) up to ``RING_LIMIT`` actors; returns None when more than
    ``ACTOR_VIEW_LIMIT`` would be kept, as soon as the actors of the blames and
    attributions read so far are more (at 100,000 statements, after a few hundred of
    them rather than all). ``edges``: as ``explorer_views`` takes them.
    """
    roll = {a: s for a, s in (speakers or {}).items() if s in graph}
    actors = {n for n, data in graph.nodes(data=True) if data.get("type") in ACTOR_TYPES}

    def up(actor: str) -> str:
        return roll.get(actor, actor)

    links: dict[tuple[str, str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"statements": set(), "positions": set()}
    )
    sides: dict[str, dict[str, dict[str, set[str]]]] = defaultdict(
        lambda: {"supports": defaultdict(set), "opposes": defaultdict(set)}
    )
    edges = _edges_of(graph, edges)
    linked: set[str] = set()  # the actors of the links so far: all shown, and more may be
    for subject, obj, key, data in edges:
        relation = data.get("relation")
        claimer = str(data.get("claimed_by", ""))
        if relation == "blames" and subject in actors and obj in actors:
            links["blames", up(subject), up(obj)]["statements"].add(key)
            linked.update((up(subject), up(obj)))
        elif relation == "attributed_to" and claimer in actors and obj in actors:
            links["attributes", up(claimer), up(obj)]["statements"].add(key)
            linked.update((up(claimer), up(obj)))
        elif subject in actors and graph.nodes[obj].get("type") == "position":
            side = {"opposes_position": "opposes", "supports_position": "supports"}.get(
                str(relation), "supports" if relation == "endorses" else None
            )
            if side is not None:
                sides[obj][side][up(subject)].add(key)
        if len(linked) > ACTOR_VIEW_LIMIT:  # too many to show whatever follows
            return None
    shown = {node for _, a, b in links for node in (a, b)}
    shown.update(
        a for on in sides.values() if _held_by_two(on) for side in on.values() for a in side
    )
    if len(shown) > ACTOR_VIEW_LIMIT:
        return None
    for position, on in sorted(sides.items()):
        for kind, pairs in _pairs(on["supports"], on["opposes"]):
            for a, b, keys in pairs:
                links[kind, a, b]["statements"].update(keys)
                links[kind, a, b]["positions"].add(position)
    drawn = nx.MultiDiGraph()
    drawn.add_nodes_from(sorted(shown))
    drawn.add_edges_from((a, b) for _, a, b in links)
    positions = (
        _ring(layout_positions(drawn)) if len(shown) <= RING_LIMIT else layout_positions(drawn)
    )
    hedged = {key for _, _, key, data in edges if data.get("hedged")}
    return {
        "nodes": [_actor(graph, node, positions[node]) for node in sorted(shown)],
        "edges": [
            {
                "id": f"{kind} {a} {b}",
                "from": a,
                "to": b,
                "kind": kind,
                "statements": sorted(found["statements"]),
                "positions": sorted(found["positions"]),
                "hedged": found["statements"] <= hedged,
            }
            for (kind, a, b), found in sorted(links.items())
        ],
    }


def _ring(positions: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """``positions`` moved onto a circle, in the order of their angles around the centre.

    >>> _ring({"a": (0.0, 0.0)})
    {'a': (0.0, 0.0)}
    """
    if len(positions) < 2:
        return {node: (0.0, 0.0) for node in positions}
    centre_x = math.fsum(x for x, _ in positions.values()) / len(positions)
    centre_y = math.fsum(y for _, y in positions.values()) / len(positions)
    order = sorted(
        positions,
        key=lambda node: (
            math.atan2(positions[node][1] - centre_y, positions[node][0] - centre_x),
            node,
        ),
    )
    radius = max(RING_SPACING * len(order) / (2 * math.pi), RING_SPACING)
    step = 2 * math.pi / len(order)
    return {
        node: (
            round(radius * math.cos(number * step - math.pi / 2), 1) + 0.0,
            round(radius * math.sin(number * step - math.pi / 2), 1) + 0.0,
        )
        for number, node in enumerate(order)
    }


def _held_by_two(sides: Mapping[str, Mapping[str, object]]) -> bool:
    """Whether two actors or more take a side on a position (and so are linked)."""
    return len({actor for side in sides.values() for actor in side}) > 1


def _pairs(
    supports: Mapping[str, set[str]], opposes: Mapping[str, set[str]]
) -> Iterable[tuple[str, list[tuple[str, str, set[str]]]]]:
    """The pairs of actors that agree and disagree on one position, with their statements."""
    agree = [
        (a, b, side[a] | side[b])
        for side in (supports, opposes)
        for a, b in combinations(sorted(side), 2)
    ]
    disagree = [
        (min(a, b), max(a, b), supports[a] | opposes[b])
        for a in sorted(supports)
        for b in sorted(opposes)
        if a != b
    ]
    return (("agrees", agree), ("disagrees", disagree))


def _actor(graph: nx.MultiDiGraph, node: str, position: tuple[float, float]) -> Row:
    data = graph.nodes[node]
    return {
        "id": node,
        "label": str(data.get("label", node)),
        "entityType": str(data.get("type", "")),
        "x": position[0],
        "y": position[1],
    }


def _key(edge: tuple[str, str, str, object]) -> str:
    return edge[2]


def _by_label(graph: nx.MultiDiGraph, pair: tuple[str, str]) -> tuple[str, str, str, str]:
    first, second = (str(graph.nodes[n].get("label", n)).casefold() for n in pair)
    return first, second, *pair
