"""Select the part of the graph a reader asks for: around an entity, by relation, by type."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable

import networkx as nx

from ..errors import SelectionError
from ..ontology import vocabulary

__all__ = ["find_entity", "select_subgraph", "selection_title"]

SUGGESTIONS = 3
"""How many close names an unknown name's error suggests."""


def find_entity(graph: nx.MultiDiGraph, name: str) -> str:
    """Return the node whose id, label or alias is ``name`` (case-insensitive).

    Raises ``SelectionError`` with a readable message when no entity, or more than one,
    answers to the name; for none, the message suggests the closest labels (``difflib``).
    """
    if name in graph:
        return name
    wanted = name.casefold().strip()
    matches = sorted(
        node
        for node, data in graph.nodes(data=True)
        if wanted
        in {str(data.get("label", "")).casefold(), *(a.casefold() for a in data.get("aliases", ()))}
    )
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise SelectionError(
            f"no entity has the id, label or alias {name!r}{_suggest(graph, name)}"
        )
    raise SelectionError(f"{name!r} names {len(matches)} entities: {', '.join(matches)}; use an id")


def _suggest(graph: nx.MultiDiGraph, name: str) -> str:
    """'; did you mean ...?' with the labels of the entities whose names are closest to ``name``.

    Ids, labels and aliases are compared case-insensitively; an entity is suggested by its label.
    """
    label_of: dict[str, str] = {}
    for node, data in sorted(graph.nodes(data=True)):
        label = str(data.get("label", node))
        for known in (label, node, *data.get("aliases", ())):
            label_of.setdefault(str(known).casefold(), label)
    close = difflib.get_close_matches(name.casefold().strip(), label_of, n=SUGGESTIONS * 2)
    labels = list(dict.fromkeys(label_of[known] for known in close))[:SUGGESTIONS]
    if not labels:
        return ""
    quoted = [repr(label) for label in labels]
    listed = quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    return f"; did you mean {listed}?"


def select_subgraph(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
) -> nx.MultiDiGraph:
    """Return a copy of the part of ``graph`` that is asked for.

    Edges are first kept by ``relations`` and nodes by ``types`` (None keeps all); then,
    with ``focus`` (an id, label or alias), only the entities within ``depth`` steps of
    it, following edges either way, remain. The focus itself is always kept.
    """
    if depth < 0:
        raise SelectionError(f"depth must be 0 or more, got {depth}")
    vocab = vocabulary()
    for asked, known, what in (
        (relations, vocab.relations, "relation"),
        (types, vocab.entity_types, "type"),
    ):
        unknown = sorted(set(asked or ()) - set(known))
        if unknown:
            raise SelectionError(f"unknown {what} {unknown[0]!r} (known: {', '.join(known)})")
    centre = find_entity(graph, focus) if focus is not None else None
    selected = nx.MultiDiGraph()
    selected.add_nodes_from(
        (node, data)
        for node, data in graph.nodes(data=True)
        if types is None or data.get("type") in types or node == centre
    )
    selected.add_edges_from(
        (subject, obj, key, data)
        for subject, obj, key, data in graph.edges(keys=True, data=True)
        if (relations is None or data["relation"] in relations)
        and subject in selected
        and obj in selected
    )
    if centre is None:
        return selected
    reach = nx.single_source_shortest_path_length(
        selected.to_undirected(as_view=True), centre, cutoff=depth
    )
    # not selected.subgraph(reach): a subgraph of few nodes lists them in the order of a
    # set, which follows the hashes of names and so changes from one run to the next
    selected.remove_nodes_from([node for node in selected if node not in reach])
    return selected


# types whose plural is not the type and an s
_PLURALS = {"person": "persons"}


def selection_title(
    graph: nx.MultiDiGraph,
    *,
    focus: str | None = None,
    depth: int = 1,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
) -> str | None:
    """Return the title of the part of ``graph`` that ``select_subgraph`` selects, or None for
    the whole graph.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("khramov", label="Oleg Khramov")
    >>> selection_title(g, focus="khramov", depth=1)
    'Around Oleg Khramov, 1 step'
    >>> selection_title(g, relations=["blames"])
    'Blames only'
    >>> selection_title(g, focus="khramov", depth=2, relations=["blames", "supports_position"])
    'Around Oleg Khramov, 2 steps; blames and supports position only'
    """
    parts = []
    if focus is not None:
        centre = find_entity(graph, focus)
        steps = "step" if depth == 1 else "steps"
        parts.append(f"Around {graph.nodes[centre].get('label', centre)}, {depth} {steps}")
    if relations is not None:
        parts.append(_listed(r.replace("_", " ") for r in relations) + " only")
    if types is not None:
        parts.append(_listed(_PLURALS.get(t, f"{t}s") for t in types) + " only")
    if not parts:
        return None
    title = "; ".join(parts)
    return title[0].upper() + title[1:]


def _listed(names: Iterable[str]) -> str:
    """'a', 'a and b', 'a, b and c', in the order given, each name once."""
    unique = list(dict.fromkeys(names))
    return unique[0] if len(unique) == 1 else f"{', '.join(unique[:-1])} and {unique[-1]}"
