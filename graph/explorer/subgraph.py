"""Select the part of the graph a reader asks for: around an entity, by relation, by type."""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx

from ..errors import SelectionError
from ..ontology import vocabulary

__all__ = ["find_entity", "select_subgraph"]


def find_entity(graph: nx.MultiDiGraph, name: str) -> str:
    """Return the node whose id, label or alias is ``name`` (case-insensitive).

    Raises ``SelectionError`` with a readable message when no entity, or more than one,
    answers to the name.
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
        raise SelectionError(f"no entity has the id, label or alias {name!r}")
    raise SelectionError(f"{name!r} names {len(matches)} entities: {', '.join(matches)}; use an id")


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
    return selected.subgraph(reach).copy()
