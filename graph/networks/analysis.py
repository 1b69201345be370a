"""Find the camps in the coded positions, how polarised they are, and who matters.

The signed network joins two actors by how many positions they share a side on
(congruence) minus how many they are on opposite sides of (conflict). Camps are groups
held together by net agreement and split where their members are in net conflict (see
:func:`camps`); an actor whose stances nobody shares is in no camp.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import combinations
from typing import TYPE_CHECKING

import networkx as nx

from .discourse import (
    ACTOR_TYPES,
    SUPPORTS,
    Level,
    Shared,
    affiliation_network,
    attribution_network,
    blame_network,
    sanctions_network,
    stances,
)

if TYPE_CHECKING:
    from .brandes import Arcs

__all__ = [
    "CENTRAL_PARTS",
    "Analysis",
    "Camp",
    "analyse",
    "analysis_document",
    "betweenness",
    "betweenness_part",
    "betweenness_parts",
    "camp_members",
    "camps",
    "format_analysis",
    "polarisation",
    "ranked",
    "signed_camp_members",
    "signed_network",
    "ties_network",
    "twin_classes",
    "with_central",
]

TOP = 5  # actors listed per ranking


@dataclass(frozen=True)
class Camp:
    """Actors that take the same sides, with the positions they hold together."""

    members: tuple[str, ...]
    labels: tuple[str, ...]
    supports: tuple[str, ...] = ()  # positions two or more members support, none opposing
    opposes: tuple[str, ...] = ()  # positions two or more members oppose, none supporting


@dataclass(frozen=True)
class Analysis:
    """The camps of a graph, its polarisation and its most prominent actors.

    ``polarisation`` is the share of the conflict weight that runs between camps rather
    than inside one (1: every disagreement is between camps; 0 when nobody disagrees).
    ``balance`` is the share of all tie weight the camps explain: congruence inside a
    camp and conflict between camps. ``rankings`` maps a measure to ``(actor, score)``
    pairs, highest first.
    """

    level: Level
    camps: tuple[Camp, ...]
    unaligned: tuple[str, ...]
    polarisation: float
    balance: float
    rankings: dict[str, tuple[tuple[str, float], ...]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # entity id -> label


def signed_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
) -> nx.Graph:
    """Return the actor network weighted by congruence minus conflict.

    Each edge keeps ``congruence`` and ``conflict`` (numbers of positions, as the weights
    of :func:`congruence_network` and :func:`conflict_network`) and their difference as
    ``weight``; pairs with neither have no edge. Nodes are the actors that take a side,
    with ``label`` and ``type``.
    """
    sides: dict[str, tuple[set[str], set[str]]] = {}
    for stance in stances(network, level, modalities):
        supporters, opposers = sides.setdefault(stance.position, (set(), set()))
        (supporters if stance.side == SUPPORTS else opposers).add(stance.actor)
    congruence: Counter[tuple[str, str]] = Counter()
    conflict: Counter[tuple[str, str]] = Counter()
    actors: set[str] = set()
    for supporters, opposers in sides.values():
        actors |= supporters | opposers
        # a pair counts a position once, even when both take both sides of it
        congruence.update(
            {*combinations(sorted(supporters), 2), *combinations(sorted(opposers), 2)}
        )
        conflict.update(
            {(a, b) if a < b else (b, a) for a in supporters for b in opposers if a != b}
        )
    result = nx.Graph()
    for actor in sorted(actors):
        data = network.nodes[actor] if actor in network else {}
        result.add_node(actor, label=str(data.get("label", actor)), type=str(data.get("type", "")))
    for a, b in sorted(congruence.keys() | conflict.keys()):
        agree, disagree = congruence[a, b], conflict[a, b]
        result.add_edge(a, b, congruence=agree, conflict=disagree, weight=agree - disagree)
    return result


def camps(signed: nx.Graph) -> list[frozenset[str]]:
    """Return the camps of a signed network, largest first; single actors are left out.

    Actors linked by net agreement, directly or through others, form a camp, unless some
    of them are in net conflict: such a group is split into its communities (Louvain on
    the agreement ties, with a fixed seed).
    """
    allies = nx.Graph()
    allies.add_nodes_from(sorted(signed.nodes))
    allies.add_weighted_edges_from(
        (a, b, w) for a, b, w in sorted(signed.edges(data="weight")) if w > 0
    )
    groups: list[frozenset[str]] = []
    for component in nx.connected_components(allies):
        if len(component) < 2:
            continue
        torn = any(w < 0 and b in component for _, b, w in signed.edges(component, data="weight"))
        if not torn:
            groups.append(frozenset(component))
            continue
        # Louvain on a graph of its own, the actors numbered in sorted order and the ties
        # added in order: the order of a subgraph's nodes, and of the sets Louvain keeps,
        # follows the hashes of names, which change from one run to the next
        # (PYTHONHASHSEED), and so would the camps where gains tie; that of numbers does not
        members = sorted(component)
        number = {actor: n for n, actor in enumerate(members)}
        numbered = nx.Graph()
        numbered.add_nodes_from(range(len(members)))
        numbered.add_weighted_edges_from(
            sorted(
                (min(number[a], number[b]), max(number[a], number[b]), w)
                for a, b, w in allies.edges(members, data="weight")
            )
        )
        parts = nx.community.louvain_communities(numbered, weight="weight", seed=0)
        groups.extend(frozenset(members[n] for n in part) for part in parts if len(part) > 1)
    return sorted(groups, key=lambda group: (-len(group), sorted(group)))


def camp_members(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
) -> tuple[tuple[str, ...], ...]:
    """Return the members of each camp of a statement network, sorted, largest camp first.

    These are the ``members`` of :func:`analyse`'s camps, without the rankings, whose
    betweenness costs far more than the camps on a large corpus.
    """
    return signed_camp_members(signed_network(network, level, modalities))


def signed_camp_members(signed: nx.Graph) -> tuple[tuple[str, ...], ...]:
    """``camp_members`` of the signed network ``signed`` (``signed_network``)."""
    return tuple(tuple(sorted(group)) for group in camps(signed))


def polarisation(signed: nx.Graph, groups: list[frozenset[str]]) -> tuple[float, float]:
    """Return ``(polarisation, balance)`` of a partition into camps (see :class:`Analysis`)."""
    camp_of = {actor: number for number, group in enumerate(groups) for actor in group}
    conflict_between = conflict_total = explained = total = 0.0
    for a, b, data in signed.edges(data=True):
        same = a in camp_of and camp_of.get(a) == camp_of.get(b)
        congruence, conflict = data["congruence"], data["conflict"]
        conflict_total += conflict
        total += congruence + conflict
        if same:
            explained += congruence
        else:
            conflict_between += conflict
            explained += conflict
    return (
        conflict_between / conflict_total if conflict_total else 0.0,
        explained / total if total else 0.0,
    )


def analyse(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
) -> Analysis:
    """Return the camps, polarisation and rankings of a statement network.

    Rankings: ``blames`` and ``blamed`` (blame statements made and received),
    ``sanctions`` and ``sanctioned`` (sanctions statements made and received),
    ``attributed`` (statements attributing an incident or event to the actor), ``allies``
    (positions shared with others, summed over them), ``bridges`` (net agreement with
    actors outside one's own camp) and ``central`` (betweenness in the network of all
    ties, agreement or conflict: who stands between the others in the debate).

    The same as ``with_central(ranked(network, level, modalities, signed), ties,
    parts)``, the parts made by ``betweenness_parts`` (``graph.pipeline.analyse_data``
    makes them in several processes).
    """
    signed = signed_network(network, level, modalities)
    ties = ties_network(signed)
    parts = [part() for part in betweenness_parts(ties, "distance")]
    return with_central(ranked(network, level, modalities, signed), ties, parts)


def ranked(
    network: nx.MultiDiGraph,
    level: Level,
    modalities: Collection[str] | None,
    signed: nx.Graph,
) -> Analysis:
    """The analysis of ``analyse`` but for its ``central`` ranking, left empty (see
    ``with_central``); ``signed`` is ``signed_network(network, level, modalities)``."""
    groups = camps(signed)
    polar, balance = polarisation(signed, groups)
    labels = {node: str(data.get("label", node)) for node, data in network.nodes(data=True)}
    shared = Shared(network)
    two_mode = affiliation_network(network, level, modalities, shared=shared)
    found = tuple(_camp(two_mode, group, labels) for group in groups)
    aligned = set().union(*groups) if groups else set()
    blame = blame_network(network, level, modalities, shared=shared)
    sanctions = sanctions_network(network, level, modalities, shared=shared)
    attribution = attribution_network(network, level, modalities, shared=shared)
    camp_of = {actor: number for number, group in enumerate(groups) for actor in group}
    bridges: dict[str, float] = {}
    for a, b, data in sorted(signed.edges(data=True)):
        if data["weight"] > 0 and camp_of.get(a, a) != camp_of.get(b, b):
            for actor in (a, b):
                bridges[actor] = bridges.get(actor, 0) + data["weight"]
    scores = {
        "blames": dict(blame.out_degree(weight="weight")),
        "blamed": dict(blame.in_degree(weight="weight")),
        "sanctions": dict(sanctions.out_degree(weight="weight")),
        "sanctioned": dict(sanctions.in_degree(weight="weight")),
        "attributed": {
            actor: float(count)
            for actor, count in attribution.in_degree(weight="weight")
            if attribution.nodes[actor].get("type") in ACTOR_TYPES
        },
        "allies": {
            actor: float(sum(w for *_, w in signed.edges(actor, data="weight") if w > 0))
            for actor in signed
        },
        "bridges": bridges,
        "central": {},
    }
    return Analysis(
        level=level,
        camps=found,
        unaligned=tuple(sorted(set(signed.nodes) - aligned)),
        polarisation=round(polar, 4),
        balance=round(balance, 4),
        rankings={name: _top(score) for name, score in scores.items()},
        labels=labels,
    )


def ties_network(signed: nx.Graph) -> nx.Graph:
    """The network of all ties of ``signed``, agreement or conflict, each as long as one
    over the positions behind it (``distance``): the network of the ``central`` ranking."""
    ties = nx.Graph()
    ties.add_nodes_from(sorted(signed.nodes))
    for a, b, data in sorted(signed.edges(data=True)):
        ties.add_edge(a, b, distance=1 / (data["congruence"] + data["conflict"]))
    return ties


def with_central(analysis: Analysis, ties: nx.Graph, parts: Sequence[Sequence[float]]) -> Analysis:
    """``analysis`` with its ``central`` ranking: the betweenness of ``ties`` summed from
    its ``CENTRAL_PARTS`` parts (``betweenness_part``), in order."""
    central = _summed(ties, parts)
    return replace(analysis, rankings={**analysis.rankings, "central": _top(central)})


CENTRAL_PARTS = 4
"""The parts a betweenness is summed from, each over every ``CENTRAL_PARTS``-th class of
twins as the start of the shortest paths: always this many, and summed in the same order,
so that the values do not depend on how many processes made the parts."""


def betweenness(network: nx.Graph, distance: str) -> dict[str, float]:
    """Return the normalised betweenness of every node of an undirected network.

    The values of ``networkx.betweenness_centrality(network, weight=distance,
    normalized=True)``, computed by ``graph.networks.brandes`` in compiled code, which
    takes a second where NetworkX takes minutes on a corpus of 10,000 statements.
    ``distance`` names the edge attribute that gives an edge's length (positive;
    ``ValueError`` otherwise). Paths whose lengths differ only by rounding (say ``1/2 +
    1/3 + 1/3`` and ``1 + 1/6``) are equally short here, as they are in exact arithmetic,
    where NetworkX in floating point keeps only one of them.

    The sum of the parts of ``betweenness_part``, which may be made apart.
    """
    return _summed(network, [part() for part in betweenness_parts(network, distance)])


def betweenness_parts(network: nx.Graph, distance: str) -> list[Callable[[], list[float]]]:
    """The ``CENTRAL_PARTS`` parts of the betweenness of ``network`` (``betweenness_part``),
    in order, as pieces of work to run here or in processes forked after: they share the
    network's twin classes and arcs, made once, and the compiled code, loaded now."""
    from .brandes import arcs, compiled  # loads the compiler: when an analysis runs

    compiled()
    classes, found = twin_classes(network, distance), arcs(network, distance)
    return [
        partial(betweenness_part, network, distance, part, classes, found)
        for part in range(CENTRAL_PARTS)
    ]


def betweenness_part(
    network: nx.Graph,
    distance: str,
    part: int,
    classes: Sequence[Sequence[int]] | None = None,
    found: Arcs | None = None,
) -> list[float]:
    """One of the ``CENTRAL_PARTS`` parts of the betweenness of ``network``, unscaled, in
    the order of its nodes: the shortest paths that start at the nodes of every
    ``CENTRAL_PARTS``-th class of twins (``twin_classes``) from ``part`` on (every path
    is counted from one of its two ends).

    The paths from each member of a class of twins count for the other nodes what those
    from any one member count, and never pass through another member: the class's
    first member stands for all, its paths counted once for each member. ``classes``
    are ``twin_classes(network, distance)`` and ``found`` ``graph.networks.brandes.arcs(
    network, distance)``, when made already (the parts of a betweenness share them).
    """
    from .brandes import arcs, dependencies  # compiled when an analysis first runs

    if found is None:
        found = arcs(network, distance)
    if classes is None:
        classes = twin_classes(network, distance)
    chosen = classes[part::CENTRAL_PARTS]
    values = dependencies(found, [members[0] for members in chosen], [len(m) for m in chosen])
    # every start counts each path from one of its ends: half, for a pair counted once
    return (values / 2).tolist()


def twin_classes(network: nx.Graph, distance: str) -> list[list[int]]:
    """The classes of twins of ``network``, each as the indices of its nodes in the order
    of the network's nodes, in the order of their first nodes; every node is in one.

    Twins are nodes that swapping leaves the network as it was, lengths included: nodes
    with the same neighbours at the same lengths (never joined), or nodes joined to each
    other, all at one length, and to the same others at the same lengths. An actor of a
    debate who took one side of one position, and another who took the same, are twins.
    """
    nodes = list(network)
    index = {node: number for number, node in enumerate(nodes)}
    member_of: dict[object, list[object]] = {}
    for node in nodes:  # the same neighbours at the same lengths
        key = frozenset((other, data[distance]) for other, data in network[node].items())
        member_of.setdefault(key, []).append(node)
    classes = [members for members in member_of.values() if len(members) > 1]
    placed = {node for members in classes for node in members}
    joined: dict[frozenset[object], list[object]] = {}
    for node in nodes:  # joined to each other and to the same others
        if node not in placed and network[node]:
            joined.setdefault(frozenset(network[node]) | {node}, []).append(node)
    for pending in joined.values():
        while len(pending) > 1:  # the twins of the first; then of the first left, ...
            first, *rest = pending
            near = network[first]
            members, pending, joining = [first], [], None
            for node in rest:
                own = network[node]
                length = own[first][distance]
                if (joining is None or length == joining) and all(
                    other == first or data[distance] == near[other][distance]
                    for other, data in own.items()
                ):
                    members.append(node)
                    joining = length
                else:
                    pending.append(node)
            if len(members) > 1:
                classes.append(members)
                placed.update(members)
    classes += [[node] for node in nodes if node not in placed]
    return sorted([index[node] for node in members] for members in classes)


def _summed(network: nx.Graph, parts: Sequence[Sequence[float]]) -> dict[str, float]:
    """The normalised betweenness of each node of ``network`` from its parts, summed in
    order."""
    raw = [sum(values) for values in zip(*parts, strict=True)]
    count = len(network)
    # each pair of ends counted once; normalised by the (n-1)(n-2)/2 pairs of others
    scale = 2 / ((count - 1) * (count - 2)) if count > 2 else 1.0
    return {node: value * scale for node, value in zip(network, raw, strict=True)}


def _top(scores: dict[str, float]) -> tuple[tuple[str, float], ...]:
    ranked = sorted(
        ((actor, float(score)) for actor, score in scores.items() if score > 0),
        key=lambda pair: (-_tied(pair[1]), pair[0]),
    )
    return tuple((actor, round(score, 4)) for actor, score in ranked[:TOP])


def _tied(score: float) -> float:
    """The score to 10 significant digits, so that equal scores rank by name.

    Two actors with the same betweenness get it by different sums, which may differ in
    their last bits; unrounded, that noise would order them.
    """
    return float(f"{score:.10g}")


def _camp(two_mode: nx.Graph, group: frozenset[str], labels: dict[str, str]) -> Camp:
    signs: dict[str, list[int]] = {}
    for actor in group:
        for position in two_mode.neighbors(actor):
            signs.setdefault(position, []).append(two_mode.edges[actor, position]["sign"])
    shared = {position: s for position, s in signs.items() if len(s) >= 2}
    members = tuple(sorted(group))
    return Camp(
        members=members,
        labels=tuple(labels.get(m, m) for m in members),
        supports=tuple(sorted(p for p, s in shared.items() if min(s) > 0)),
        opposes=tuple(sorted(p for p, s in shared.items() if max(s) < 0)),
    )


def analysis_document(analysis: Analysis) -> dict[str, object]:
    """Return an analysis as plain data, ready for ``json.dumps``."""
    return {
        "level": analysis.level,
        "polarisation": analysis.polarisation,
        "balance": analysis.balance,
        "camps": [
            {
                "members": list(camp.members),
                "labels": list(camp.labels),
                "supports": list(camp.supports),
                "opposes": list(camp.opposes),
            }
            for camp in analysis.camps
        ],
        "unaligned": list(analysis.unaligned),
        "rankings": {
            name: [{"actor": actor, "score": score} for actor, score in ranked]
            for name, ranked in analysis.rankings.items()
        },
    }


def format_analysis(analysis: Analysis, form: str = "table") -> str:
    """Render an analysis as a plain-text report (``table``) or as JSON (``json``)."""
    if form == "json":
        return json.dumps(analysis_document(analysis), ensure_ascii=False, indent=2) + "\n"
    lines = [
        f"level: {analysis.level}",
        f"polarisation: {analysis.polarisation:.2f}   balance: {analysis.balance:.2f}",
        "",
    ]
    for number, camp in enumerate(analysis.camps, 1):
        lines.append(f"camp {number}: {', '.join(camp.labels)}")
        if camp.supports:
            lines.append(f"  supports: {', '.join(camp.supports)}")
        if camp.opposes:
            lines.append(f"  opposes:  {', '.join(camp.opposes)}")
    if analysis.unaligned:
        unaligned = (analysis.labels.get(actor, actor) for actor in analysis.unaligned)
        lines.append(f"unaligned: {', '.join(unaligned)}")
    lines.append("")
    for name, ranked in analysis.rankings.items():
        shown = ", ".join(
            f"{analysis.labels.get(actor, actor)} ({score:g})" for actor, score in ranked
        )
        shown = shown or "-"
        lines.append(f"{name + ':':12s}{shown}")
    return "\n".join(lines) + "\n"
