"""Project coded statements onto the networks of discourse network analysis.

Every function here takes the statement multigraph of :func:`graph.networks.projection.to_networkx`
(entities as nodes, one edge per statement) and returns a NetworkX graph whose edges list
the statements behind them, so that any edge can be traced back to its quotes:

- :func:`affiliation_network`: the two-mode actor-by-position network, signed;
- :func:`congruence_network` and :func:`conflict_network`: actors that take the same side,
  or opposite sides, on positions;
- :func:`blame_network`: who blames whom;
- :func:`sanctions_network`: who imposes sanctions on whom;
- :func:`attribution_network`: which incident is attributed to whom, and the denials that
  count against each attribution.

``level="state"`` rolls actors up to the state or body they speak for
(:func:`speakers`), and :func:`time_windows` cuts the statements into periods.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

import networkx as nx

__all__ = [
    "ACTOR_TYPES",
    "NODE_FIELDS",
    "SPEAKS_FOR",
    "STANCE_RELATIONS",
    "Shared",
    "Stance",
    "affiliation_network",
    "attribution_network",
    "blame_network",
    "calendar_windows",
    "conflict_network",
    "congruence_network",
    "relations_read",
    "sanctions_network",
    "speakers",
    "stances",
    "time_windows",
]

Level = Literal["actor", "state"]
Normalisation = Literal["jaccard"] | None

ACTOR_TYPES = frozenset({"state", "official", "person", "institution", "group"})
SUPPORTS, OPPOSES = "supports", "opposes"
SPEAKS_FOR = frozenset({"represents", "leads", "part_of"})
"""The relations along which an actor speaks for another when rolling up to states and
bodies (:func:`speakers`)."""
STANCE_RELATIONS = frozenset({"supports_position", "opposes_position", "endorses"})
"""The relations of the statements :func:`stances` reads."""
NODE_FIELDS = ("label", "type")
"""The only attributes of the statement network's nodes that this module's networks (and
``graph.networks.analysis.signed_network``) read."""


def relations_read(relations: Collection[str], level: Level) -> frozenset[str]:
    """The relations of every statement a network made of the statements of ``relations``
    reads at ``level``: those, and at the level of states the relations along which
    actors speak for states and bodies.

    Such a network is a function of those statements (each edge with all its attributes)
    and of the ``NODE_FIELDS`` of the nodes alone: an edit of a statement of another
    relation, or of another attribute of a node, leaves it as it was.

    >>> sorted(relations_read({"blames"}, "state"))
    ['blames', 'leads', 'part_of', 'represents']
    """
    return frozenset(relations) | (SPEAKS_FOR if level == "state" else frozenset())


@dataclass(frozen=True, order=True)
class Stance:
    """One actor's side on one position, as one statement codes it.

    ``actor`` is the entity the statement names, or, rolled up, the state or body it
    speaks for; ``via`` is then the entity the statement names.
    """

    actor: str
    position: str
    side: str  # "supports" or "opposes"
    statement: str
    modality: str
    hedged: bool
    date: str
    via: str | None = None


def speakers(
    network: nx.MultiDiGraph, edges: Sequence[tuple[str, str, str, dict[str, Any]]] | None = None
) -> dict[str, str]:
    """Map each actor to the state or body it speaks for (itself when none).

    An actor speaks for what it ``represents``, ``leads`` or is ``part_of``, unless the
    statement says ``former``; the chain is followed to the nearest state, or, when no
    state is reached, to the farthest body reached through ``represents`` or ``leads``.
    Membership of a bloc (``member_of``) is not speaking for it. Hedged statements count:
    "the UK government" is only implicitly the UK's voice, but it is. ``edges``, where
    given, are the network's, as ``edges(keys=True, data=True)`` lists them.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("khramov", {"type": "official"}), ("russia", {"type": "state"})])
    >>> _ = g.add_edge("khramov", "russia", relation="represents")
    >>> speakers(g)
    {'khramov': 'russia', 'russia': 'russia'}
    """
    voices: dict[str, list[tuple[str, str]]] = defaultdict(list)
    listed: Iterable[tuple[str, str, str, Any]] = (
        network.edges(keys=True, data=True) if edges is None else edges
    )
    for subject, obj, _, data in listed:
        relation = data.get("relation")
        speaks = relation in SPEAKS_FOR and not data.get("former")
        if speaks and network.nodes[obj].get("type") in ACTOR_TYPES:
            voices[subject].append((relation, obj))
    result: dict[str, str] = {}
    for actor in sorted(n for n, d in network.nodes(data=True) if d.get("type") in ACTOR_TYPES):
        result[actor] = _speaker(network, voices, actor)
    return result


def _speaker(network: nx.MultiDiGraph, voices: dict[str, list[tuple[str, str]]], actor: str) -> str:
    """Breadth-first along speaking-for edges: the nearest state, else the last body."""
    if network.nodes[actor].get("type") == "state":
        return actor
    seen, frontier, body = {actor}, [actor], actor
    while frontier:
        following = []
        for node in frontier:
            for relation, target in sorted(voices.get(node, ())):
                if target in seen:
                    continue
                seen.add(target)
                if network.nodes[target].get("type") == "state":
                    return target
                following.append(target)
                if relation != "part_of" and body == node:
                    body = target
        frontier = sorted(following)
    return body


class Shared:
    """What the networks of one statement multigraph share, each made once when first
    asked: who speaks for whom, the stances at each level, the statements of each
    relation in order.

    Give one to several of this module's functions (``shared=``) that read the same
    network, which must not change meanwhile; without, each function makes its own.
    """

    def __init__(self, network: nx.MultiDiGraph) -> None:
        self.network = network
        self._speakers: dict[str, str] | None = None
        self._stances: dict[tuple[Level, frozenset[str] | None], list[Stance]] = {}
        self._relations: dict[object, list[tuple[str, str, dict[str, object]]]] | None = None
        self._sorted: set[object] = set()  # the relations whose statements are in order

    def speakers(self) -> dict[str, str]:
        """``speakers(network)``."""
        if self._speakers is None:
            self._speakers = speakers(self.network)
        return self._speakers

    def stances(self, level: Level, modalities: Collection[str] | None) -> list[Stance]:
        """``stances(network, level, modalities)``, not to be changed."""
        key = (level, None if modalities is None else frozenset(modalities))
        if key not in self._stances:
            self._stances[key] = stances(self.network, level, modalities, shared=self)
        return self._stances[key]

    def statements_of(self, relation: str) -> list[tuple[str, str, dict[str, object]]]:
        """The edges of ``relation``'s statements, by subject, object and statement IRI."""
        if self._relations is None:
            grouped: dict[object, list[tuple[str, str, dict[str, object]]]] = defaultdict(list)
            for edge in self.network.edges(data=True):
                grouped[edge[2].get("relation")].append(edge)
            self._relations = dict(grouped)
        found = self._relations.get(relation, [])
        if relation not in self._sorted:  # each relation's put in order when first asked
            found.sort(key=_edge_key)
            self._sorted.add(relation)
        return found


def stances(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    *,
    shared: Shared | None = None,
) -> list[Stance]:
    """Return every stance the statements code, sorted.

    A stance is a ``supports_position`` or ``opposes_position`` statement, or an
    ``endorses`` statement whose object is a position. ``modalities`` keeps only the
    statements of those modalities (say, ``{"asserted", "reported"}`` to leave out hedged
    claims).
    """
    speaker = (shared or Shared(network)).speakers() if level == "state" else {}
    result = []
    for subject, obj, data in network.edges(data=True):
        side = _side(network, obj, data)
        if side is None or (modalities is not None and data.get("modality") not in modalities):
            continue
        actor = speaker.get(subject, subject)
        result.append(
            Stance(
                actor=actor,
                position=obj,
                side=side,
                statement=str(data.get("statement", "")),
                modality=str(data.get("modality", "")),
                hedged=bool(data.get("hedged")),
                date=str(data.get("date", "")),
                via=subject if actor != subject else None,
            )
        )
    return sorted(result)


def _side(network: nx.MultiDiGraph, obj: str, data: dict[str, object]) -> str | None:
    relation = data.get("relation")
    if relation == "opposes_position":
        return OPPOSES
    if relation == "supports_position":
        return SUPPORTS
    if relation == "endorses" and network.nodes[obj].get("type") == "position":
        return SUPPORTS
    return None


def affiliation_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    *,
    shared: Shared | None = None,
) -> nx.Graph:
    """Return the two-mode actor-by-position network.

    Nodes have ``bipartite`` 0 (actors) or 1 (positions), ``label`` and ``type``. An edge
    joins an actor to a position it takes a side on, with ``supports`` and ``opposes``
    (numbers of statements), ``weight`` (their sum), ``sign`` (+1 when it only supports,
    -1 when it only opposes, 0 when it does both) and ``statements`` (their IRIs, sorted).
    """
    result = nx.Graph()
    for stance in (shared or Shared(network)).stances(level, modalities):
        for node, part in ((stance.actor, 0), (stance.position, 1)):
            if node not in result:
                result.add_node(node, bipartite=part, **_describe(network, node))
        if not result.has_edge(stance.actor, stance.position):
            result.add_edge(
                stance.actor, stance.position, supports=0, opposes=0, weight=0, statements=[]
            )
        edge = result.edges[stance.actor, stance.position]
        edge[stance.side] += 1
        edge["weight"] += 1
        edge["statements"].append(stance.statement)
    for _, _, edge in result.edges(data=True):
        edge["sign"] = (edge["supports"] > 0) - (edge["opposes"] > 0)
        edge["statements"] = sorted(edge["statements"])
    return result


def congruence_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    normalise: Normalisation = None,
    *,
    shared: Shared | None = None,
) -> nx.Graph:
    """Return the network of actors that take the same side on the same positions.

    An edge's ``weight`` is the number of positions on which the two actors take a same
    side; ``positions`` names them and ``statements`` lists the statements of both actors
    on them. ``normalise="jaccard"`` divides the weight by the number of positions either
    actor takes a side on.
    """
    return _one_mode(network, level, modalities, normalise, agree=True, shared=shared)


def conflict_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    normalise: Normalisation = None,
    *,
    shared: Shared | None = None,
) -> nx.Graph:
    """Return the network of actors on opposite sides of the same positions.

    Edges are as in :func:`congruence_network`, counting positions on which one actor
    supports what the other opposes.
    """
    return _one_mode(network, level, modalities, normalise, agree=False, shared=shared)


def _one_mode(
    network: nx.MultiDiGraph,
    level: Level,
    modalities: Collection[str] | None,
    normalise: Normalisation,
    agree: bool,
    shared: Shared | None,
) -> nx.Graph:
    # (actor, position, side) -> statements
    coded: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for stance in (shared or Shared(network)).stances(level, modalities):
        coded[stance.actor, stance.position, stance.side].append(stance.statement)
    taken: dict[str, set[str]] = defaultdict(set)
    sides: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for actor, position, side in coded:
        taken[actor].add(position)
        sides[position][side].add(actor)
    result = nx.Graph()
    for actor in sorted(taken):
        result.add_node(actor, **_describe(network, actor))
    common: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(
        lambda: {"positions": set(), "statements": set()}
    )
    for position in sorted(sides):
        if agree:
            pairs = [
                (pair, side, side)
                for side in (SUPPORTS, OPPOSES)
                for pair in combinations(sorted(sides[position][side]), 2)
            ]
        else:
            pairs = [
                ((a, b), SUPPORTS, OPPOSES) if a < b else ((b, a), OPPOSES, SUPPORTS)
                for a in sorted(sides[position][SUPPORTS])
                for b in sorted(sides[position][OPPOSES])
                if a != b
            ]
        for (a, b), side_a, side_b in pairs:
            common[a, b]["positions"].add(position)
            common[a, b]["statements"].update(coded[a, position, side_a])
            common[a, b]["statements"].update(coded[b, position, side_b])
    for (a, b), found in sorted(common.items()):
        weight: float = len(found["positions"])
        if normalise == "jaccard":
            weight /= len(taken[a] | taken[b])
        result.add_edge(
            a,
            b,
            weight=weight,
            positions=sorted(found["positions"]),
            statements=sorted(found["statements"]),
        )
    return result


def blame_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    *,
    shared: Shared | None = None,
) -> nx.DiGraph:
    """Return who blames whom: an edge from the actor who blames to the one blamed.

    ``weight`` is the number of ``blames`` statements, ``statements`` their IRIs and
    ``hedged`` whether all of them are hedged. Rolled up, a state's officials' blame is
    the state's, and blame of an official falls on the state it speaks for.
    """
    return _directed(network, "blames", level, modalities, shared, roll_objects=True)


def sanctions_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    *,
    shared: Shared | None = None,
) -> nx.DiGraph:
    """Return who imposes sanctions on whom: an edge from the sanctioning actor to its target.

    Edges are as in :func:`blame_network`, from ``sanctions`` statements, with
    ``incidents``: what the sanctions answer (the statements' ``about``, sorted; empty when
    no statement says). Rolled up, sanctions on an official or an organ fall on the state
    or body it speaks for, and sanctions announced by an official are its state's.
    """
    return _directed(
        network, "sanctions", level, modalities, shared, roll_objects=True, incidents=True
    )


def attribution_network(
    network: nx.MultiDiGraph,
    level: Level = "actor",
    modalities: Collection[str] | None = None,
    *,
    shared: Shared | None = None,
) -> nx.DiGraph:
    """Return which incident is attributed to whom: an edge from incident to actor.

    Edges are as in :func:`blame_network`, from ``attributed_to`` statements, with
    ``modalities`` listing how firmly each attribution is made (``alleged``, ...);
    ``weight``, ``statements``, ``modalities`` and ``hedged`` describe the attributions.

    Denials count against the attribution: ``denials`` is the number of ``denies``
    statements in which the actor (rolled up, anyone who speaks for it) denies a part in
    the incident, ``denial_statements`` their IRIs, and ``net`` is ``weight`` minus
    ``denials``. A denial of an incident that no statement attributes to the denier still
    gives an edge, with ``weight`` 0, ``hedged`` false and a negative ``net``: the text
    answers an accusation the graph does not hold (made elsewhere, or not coded), and the
    denial is a claim about that tie all the same.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("hack", {"type": "incident"}), ("ruritania", {"type": "state"})])
    >>> _ = g.add_edge("hack", "ruritania", relation="attributed_to", statement="s1")
    >>> _ = g.add_edge("ruritania", "hack", relation="denies", statement="s2")
    >>> edge = attribution_network(g).edges["hack", "ruritania"]
    >>> edge["weight"], edge["denials"], edge["net"], edge["denial_statements"]
    (1, 1, 0, ['s2'])
    """
    shared = shared or Shared(network)
    result = _directed(network, "attributed_to", level, modalities, shared, roll_objects=True)
    denials = _directed(network, "denies", level, modalities, shared, roll_objects=False)
    for denier, incident in denials.edges:
        for node in (incident, denier):
            if node not in result:
                result.add_node(node, **_describe(network, node))
        if not result.has_edge(incident, denier):
            result.add_edge(incident, denier, weight=0, statements=[], modalities=[], hedged=False)
    for incident, actor, edge in result.edges(data=True):
        denial = denials.edges[actor, incident] if denials.has_edge(actor, incident) else {}
        edge["denials"] = denial.get("weight", 0)
        edge["denial_statements"] = denial.get("statements", [])
        edge["net"] = edge["weight"] - edge["denials"]
    return result


def _directed(
    network: nx.MultiDiGraph,
    relation: str,
    level: Level,
    modalities: Collection[str] | None,
    shared: Shared | None,
    roll_objects: bool,
    incidents: bool = False,
) -> nx.DiGraph:
    """One edge per subject and object of ``relation``'s statements, rolled up at ``level``.

    ``incidents`` adds the statements' ``about`` to each edge, as the list ``incidents``.
    """
    shared = shared or Shared(network)
    speaker = shared.speakers() if level == "state" else {}
    result = nx.DiGraph()
    for subject, obj, data in shared.statements_of(relation):
        if modalities is not None and data.get("modality") not in modalities:
            continue
        source = speaker.get(subject, subject)
        target = speaker.get(obj, obj) if roll_objects else obj
        for node in (source, target):
            if node not in result:
                result.add_node(node, **_describe(network, node))
        if not result.has_edge(source, target):
            result.add_edge(source, target, weight=0, statements=[], modalities=[], hedged=True)
            if incidents:
                result.edges[source, target]["incidents"] = []
        edge = result.edges[source, target]
        edge["weight"] += 1
        edge["statements"].append(str(data.get("statement", "")))
        edge["modalities"] = sorted(set(edge["modalities"]) | {str(data.get("modality", ""))})
        edge["hedged"] = edge["hedged"] and bool(data.get("hedged"))
        if incidents and data.get("about"):
            edge["incidents"] = sorted(set(edge["incidents"]) | {str(data["about"])})
    for _, _, edge in result.edges(data=True):
        edge["statements"] = sorted(edge["statements"])
    return result


def _edge_key(edge: tuple[str, str, dict[str, object]]) -> tuple[str, str, str]:
    return edge[0], edge[1], str(edge[2].get("statement", ""))


def _describe(network: nx.MultiDiGraph, node: str) -> dict[str, object]:
    data = network.nodes[node] if node in network else {}
    return {"label": str(data.get("label", node)), "type": str(data.get("type", ""))}


def time_windows(
    network: nx.MultiDiGraph,
    days: int,
    step: int | None = None,
    start: datetime.date | None = None,
) -> Iterator[tuple[datetime.date, datetime.date, nx.MultiDiGraph]]:
    """Cut the statements into windows of ``days`` days, every ``step`` days (default: no
    overlap), from ``start`` (default: the earliest statement date) to the latest
    statement date. Give ``start`` to align windows on the calendar (say, 1 January).

    Yields ``(first, last, sub_network)``: every entity, and the statements dated from
    ``first`` to ``last`` inclusive. A statement dated to a month or a year
    (``2017-06``, ``2017``) counts from its first day. Statements without a date are in no
    window.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", date="2017-06-23")
    >>> _ = g.add_edge("a", "b", date="2017-08")
    >>> [(str(first), g.number_of_edges()) for first, _, g in time_windows(g, days=30)]
    [('2017-06-23', 1), ('2017-07-23', 1)]
    """
    if days < 1 or (step is not None and step < 1):
        raise ValueError("window length and step must be at least one day")
    dated = [(d, e) for e in network.edges(keys=True, data=True) if (d := _day(e[3])) is not None]
    if not dated:
        return
    first = start or min(d for d, _ in dated)
    end = max(d for d, _ in dated)
    stride = datetime.timedelta(days=step or days)
    while first <= end:
        last = first + datetime.timedelta(days=days - 1)
        yield first, last, _window(network, [e for day, e in dated if first <= day <= last])
        first += stride


def calendar_windows(
    network: nx.MultiDiGraph, unit: Literal["year", "month"]
) -> Iterator[tuple[datetime.date, datetime.date, nx.MultiDiGraph]]:
    """Cut the statements into calendar years or months, as :func:`time_windows` does
    into runs of days; only the years or months that hold a statement are yielded.

    >>> g = nx.MultiDiGraph()
    >>> _ = g.add_edge("a", "b", date="2016-12-31")
    >>> _ = g.add_edge("a", "b", date="2017-06")
    >>> [(str(first), str(last)) for first, last, _ in calendar_windows(g, "year")]
    [('2016-01-01', '2016-12-31'), ('2017-01-01', '2017-12-31')]
    """
    if unit not in ("year", "month"):
        raise ValueError(f"unit must be 'year' or 'month', not {unit!r}")
    by_period: dict[datetime.date, list[tuple[str, str, str, dict[str, object]]]] = {}
    for edge in network.edges(keys=True, data=True):
        day = _day(edge[3])
        if day is not None:
            first = day.replace(month=1 if unit == "year" else day.month, day=1)
            by_period.setdefault(first, []).append(edge)
    for first in sorted(by_period):
        if unit == "year":
            last = first.replace(month=12, day=31)
        else:
            following = first.replace(day=28) + datetime.timedelta(days=4)
            last = following.replace(day=1) - datetime.timedelta(days=1)
        yield first, last, _window(network, by_period[first])


def _window(
    network: nx.MultiDiGraph, edges: list[tuple[str, str, str, dict[str, object]]]
) -> nx.MultiDiGraph:
    """Every entity of ``network``, and the statement edges given."""
    window = nx.MultiDiGraph()
    window.add_nodes_from(network.nodes(data=True))
    window.add_edges_from(edges)
    return window


def _day(data: dict[str, object]) -> datetime.date | None:
    text = str(data.get("date") or "")
    parts = text.split("-")
    try:
        numbers = [int(part) for part in parts[:3]] + [1] * (3 - len(parts[:3]))
        return datetime.date(*numbers)
    except ValueError:
        return None
