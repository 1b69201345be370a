"""Project the RDF graph onto a NetworkX multigraph for analysis."""

from __future__ import annotations

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..namespaces import APG, DCTERMS, ENT, OA, OWL, PROV, RDF, RDFS, SKOS
from ..ontology import snake_case, vocabulary

__all__ = ["to_networkx"]


def to_networkx(graph: Graph) -> nx.MultiDiGraph:
    """Return the entities as nodes and the statements as edges.

    Nodes are keyed by entity id, with attributes ``label``, ``type`` (``state``,
    ``official``, ...), ``iri``, and ``wikidata``, ``iso3166``, ``description``,
    ``aliases`` where known. Each statement gives one edge from subject to object, keyed
    by the statement IRI, with attributes ``relation`` (the annotation key, such as
    ``blames``), ``statement``, ``source``, ``quote``, ``start``, ``end``, ``modality``,
    ``hedged``, ``date`` and, where given, ``about``, ``where``, ``when``, ``role``,
    ``reviewed`` and ``confidence`` (drafts),
    ``former``.
    """
    vocab = vocabulary()
    type_keys = {iri: key for key, iri in vocab.entity_types.items()}
    result = nx.MultiDiGraph()
    for node in sorted(n for n in set(graph.subjects(RDF.type, None)) if isinstance(n, URIRef)):
        types = sorted(
            type_keys[t]
            for t in graph.objects(node, RDF.type)
            if isinstance(t, URIRef) and t in type_keys
        )
        if not types:
            continue
        entity_type = "official" if "official" in types else types[0]
        attributes: dict[str, object] = {
            "iri": str(node),
            "label": str(graph.value(node, RDFS.label) or _local(node)),
            "type": entity_type,
        }
        aliases = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
        if aliases:
            attributes["aliases"] = aliases
        for key, predicate in (("description", RDFS.comment), ("iso3166", APG.iso3166)):
            value = graph.value(node, predicate)
            if value is not None:
                attributes[key] = str(value)
        for same in sorted(str(s) for s in graph.objects(node, OWL.sameAs)):
            if same.startswith("http://www.wikidata.org/entity/"):
                attributes["wikidata"] = str(same).rsplit("/", 1)[1]
        result.add_node(_local(node), **attributes)

    statements = (s for s in graph.subjects(RDF.type, APG.Statement) if isinstance(s, URIRef))
    for statement in sorted(statements):
        subject = graph.value(statement, RDF.subject)
        relation = graph.value(statement, RDF.predicate)
        obj = graph.value(statement, RDF.object)
        if subject is None or relation is None or obj is None:
            continue
        edge: dict[str, object] = {
            "relation": snake_case(str(relation).removeprefix(str(APG))),
            "statement": str(statement),
            "source": str(graph.value(statement, PROV.wasDerivedFrom)),
            "quote": str(graph.value(statement, APG.quote)),
            "modality": _local(graph.value(statement, APG.modality)).lower(),
            "hedged": _python(graph, statement, APG.hedged) is True,
            "date": str(graph.value(statement, DCTERMS.date)),
            **_offsets(graph, statement),
        }
        for key in ("about", "where", "claimed_by"):
            entity = graph.value(statement, APG[_camel(key)])
            if entity is not None:
                edge[key] = _local(entity)
        for key in ("when", "role", "former"):
            literal = _python(graph, statement, APG[key])
            if literal is not None:
                edge[key] = literal if isinstance(literal, bool) else str(literal)
        reviewed = _python(graph, statement, APG.reviewed)
        if isinstance(reviewed, bool):
            edge["reviewed"] = reviewed
        confidence = _python(graph, statement, APG.confidence)
        if confidence is not None:
            edge["confidence"] = float(str(confidence))
        result.add_edge(_local(subject), _local(obj), key=str(statement), **edge)
    return result


def _python(graph: Graph, subject: Node, predicate: URIRef) -> object:
    """The Python value of a literal, or None."""
    value = graph.value(subject, predicate)
    return value.toPython() if isinstance(value, Literal) else None


def _offsets(graph: Graph, statement: Node) -> dict[str, int]:
    evidence = graph.value(statement, APG.evidence)
    for selector in graph.objects(evidence, OA.hasSelector):
        if (selector, RDF.type, OA.TextPositionSelector) in graph:
            start, end = _python(graph, selector, OA.start), _python(graph, selector, OA.end)
            if isinstance(start, int) and isinstance(end, int):
                return {"start": start, "end": end}
    return {}


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(word.title() for word in rest)


def _local(term: object) -> str:
    text = str(term)
    if text.startswith(str(ENT)):
        return text.removeprefix(str(ENT))
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
