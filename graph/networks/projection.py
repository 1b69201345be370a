"""Project the RDF graph onto a NetworkX multigraph for analysis."""

from __future__ import annotations

from collections.abc import Collection

import networkx as nx
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from ..corpus import Corpus, Entity, Statement, record_bytes
from ..hashing import parts_digest
from ..namespaces import APG, DCTERMS, ENT, OA, OWL, PROV, RDF, RDFS, SKOS, SRC, WD
from ..ontology import snake_case, vocabulary
from ..rdf import (
    MODALITY_CONCEPTS,
    by_subject,
    confidence_literal,
    entity_iri,
    looks_up_in_triple_order,
    source_iri,
    when_datatype,
)

__all__ = ["Edge", "corpus_digest", "corpus_edges", "corpus_network", "to_networkx"]


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
    described = _described(graph)
    typed = (node for node, values in described.items() if _TYPE in values)
    # sorted by text: the order of rdflib's comparison of two IRIs, without its cost
    for node in sorted((n for n in typed if isinstance(n, URIRef)), key=str):
        values = described[node]
        types = sorted(
            type_keys[t] for t in values.get(_TYPE, ()) if isinstance(t, URIRef) and t in type_keys
        )
        if not types:
            continue
        entity_type = "official" if "official" in types else types[0]
        attributes: dict[str, object] = {
            "iri": str(node),
            "label": str(_first(values, _LABEL) or _local(node)),
            "type": entity_type,
        }
        aliases = sorted(str(a) for a in values.get(_ALT_LABEL, ()))
        if aliases:
            attributes["aliases"] = aliases
        for key, predicate in _FACTS:
            value = _first(values, predicate)
            if value is not None:
                attributes[key] = str(value)
        for same in sorted(str(s) for s in values.get(_SAME_AS, ())):
            if same.startswith("http://www.wikidata.org/entity/"):
                attributes["wikidata"] = str(same).rsplit("/", 1)[1]
        result.add_node(_local(node), **attributes)

    statements = (
        node
        for node, values in described.items()
        if isinstance(node, URIRef) and _STATEMENT in values.get(_TYPE, ())
    )
    for statement in sorted(statements, key=str):
        values = described[statement]
        subject = _first(values, _SUBJECT)
        relation = _first(values, _PREDICATE)
        obj = _first(values, _OBJECT)
        if subject is None or relation is None or obj is None:
            continue
        edge: dict[str, object] = {
            "relation": snake_case(str(relation).removeprefix(_RELATIONS)),
            "statement": str(statement),
            "source": str(_first(values, _DERIVED_FROM)),
            "quote": str(_first(values, _QUOTE)),
            "modality": _local(_first(values, _MODALITY)).lower(),
            "hedged": _python(values, _HEDGED) is True,
            "date": str(_first(values, _DATE)),
            **_offsets(described, _first(values, _EVIDENCE)),
        }
        for key, predicate in _ENTITY_KEYS:
            entity = _first(values, predicate)
            if entity is not None:
                edge[key] = _local(entity)
        for key, predicate in _LITERAL_KEYS:
            literal = _python(values, predicate)
            if literal is not None:
                edge[key] = literal if isinstance(literal, bool) else str(literal)
        reviewed = _python(values, _REVIEWED)
        if isinstance(reviewed, bool):
            edge["reviewed"] = reviewed
        confidence = _python(values, _CONFIDENCE)
        if confidence is not None:
            edge["confidence"] = float(str(confidence))
        result.add_edge(_local(subject), _local(obj), key=str(statement), **edge)
    return result


def corpus_network(corpus: Corpus) -> nx.MultiDiGraph:
    """``to_networkx`` of the graph of ``corpus`` (``build_dataset``), made from the
    corpus itself: the same nodes and edges, with the same attributes, in the same order.

    The graph of a corpus is a function of its records, and so is its projection;
    reading the records costs about a sixth of what reading the triples back does (at
    30,000 statements, 0.37 s against 2.25 s), so the build, ``apg render`` and
    ``apg analyze`` project a corpus they hold this way, once. Each attribute is what
    ``to_networkx`` reads back from the triple the builder writes for it (see
    ``graph.rdf``); the tests compare the two on every corpus they load.
    """
    vocab = vocabulary()
    type_keys = {iri: key for key, iri in vocab.entity_types.items()}
    written = {source.id for source in corpus.sources}  # only their records are in the graph
    result = nx.MultiDiGraph()
    entities = (
        entity for entity in corpus.entities.values() if written.intersection(entity.sources)
    )
    for iri, entity in sorted(((str(entity_iri(e.id)), e) for e in entities), key=_text):
        result.add_node(_local(iri), **_entity_attributes(iri, entity, type_keys))
    for subject, obj, iri, edge in corpus_edges(corpus):
        result.add_edge(subject, obj, key=iri, **edge)
    return result


Edge = tuple[str, str, str, dict[str, object]]
"""A statement as an edge: its subject's and object's nodes, its key and its attributes."""


def corpus_edges(corpus: Corpus, whole: Collection[str] | None = None) -> list[Edge]:
    """The edges ``corpus_network`` adds, in its order, each with its attributes; with
    ``whole``, only the edges of the sources it names (by IRI) with all of them, the
    others with their source alone (what orders and bends a page's lines, see
    ``graph.explorer.render.statement_texts``)."""
    vocab = vocabulary()
    relations = {
        key: snake_case(str(iri).removeprefix(_RELATIONS)) for key, iri in vocab.relations.items()
    }
    modalities = {key: _local(iri).lower() for key, iri in MODALITY_CONCEPTS.items()}
    dates = {source.id: source.date.isoformat() for source in corpus.sources}
    sources = {source.id: str(source_iri(source.id)) for source in corpus.sources}
    # ``statement_iri``'s text, and an entity's node (``_local`` of ``entity_iri``: its
    # id), made without making their terms (100,000 of them took a quarter of a second)
    statements = (
        (f"{_SOURCES}{s.source}/statement/{s.id}", s)
        for s in corpus.statements
        if s.source in sources
    )
    edges: list[Edge] = []
    for iri, statement in sorted(statements, key=_text):
        source = sources[statement.source]
        subject, obj = statement.subject, statement.object
        if whole is not None and source not in whole:
            edges.append((subject, obj, iri, {"source": source}))
            continue
        edge: dict[str, object] = {
            "relation": relations[statement.relation],
            "statement": iri,
            "source": source,
            "quote": statement.quote,
            "modality": modalities[statement.modality],
            "hedged": statement.hedged,
            "date": statement.when or dates[statement.source],
            "start": statement.evidence.start,
            "end": statement.evidence.end,
            **_statement_qualifiers(statement),
        }
        edges.append((subject, obj, iri, edge))
    return edges


def corpus_digest(corpus: Corpus) -> str:
    """The SHA-256 of all ``corpus_network`` reads of ``corpus``: each source's id and
    date (not its title, its text or its other metadata), every entity and every
    statement (``record_bytes``, in the corpus's order). Two corpora of the same digest have
    the same statement network (with the same code), so a build can know the network
    files of the build before to be its own without making the network (a retitled
    source changes no network).
    """
    described = repr([(source.id, source.date) for source in corpus.sources])
    return parts_digest(
        (
            described.encode("utf-8", "surrogatepass"),
            record_bytes(corpus.entities.values(), Entity),
            record_bytes(corpus.statements, Statement),
        )
    )


def _entity_attributes(iri: str, entity: Entity, type_keys: dict[URIRef, str]) -> dict[str, object]:
    """A node's attributes as ``to_networkx`` reads them from the triples of ``entity``:
    its one type, its label (an empty one is no label), its aliases once each."""
    attributes: dict[str, object] = {
        "iri": iri,
        "label": entity.label or _local(iri),
        "type": type_keys[vocabulary().entity_types[entity.type]],
    }
    if entity.aliases:
        attributes["aliases"] = sorted(set(entity.aliases))
    if entity.description:
        attributes["description"] = entity.description
    if entity.iso3166:
        attributes["iso3166"] = entity.iso3166
    if entity.wikidata:
        attributes["wikidata"] = str(WD[entity.wikidata]).rsplit("/", 1)[1]
    return attributes


def _statement_qualifiers(statement: Statement) -> dict[str, object]:
    """An edge's attributes beyond those every statement has, as ``to_networkx`` reads
    them: a date's text as its value gives it, a confidence as its decimal rounds it."""
    found: dict[str, object] = {}
    for key, _ in _ENTITY_KEYS:
        entity = getattr(statement, key)
        if entity:
            found[key] = entity  # its node: ``_local(entity_iri(entity))``
    if statement.when:
        found["when"] = str(_when_value(statement.when))
    if statement.role:
        found["role"] = statement.role
    if statement.former is not None:
        found["former"] = statement.former
    if statement.reviewed is not None:
        found["reviewed"] = statement.reviewed
    if statement.confidence is not None:
        found["confidence"] = float(str(confidence_literal(statement.confidence).toPython()))
    return found


def _when_value(when: str) -> object:
    return Literal(when, datatype=when_datatype(when)).toPython()


def _text(item: tuple[str, object]) -> str:
    return item[0]


_Values = dict[Node, list[Node]]


def _described(graph: Graph) -> dict[Node, _Values]:
    """The objects of each predicate of each subject of ``graph``: those of a predicate
    with one object read in one pass over the graph (``by_subject``), those of a
    predicate with several then asked of the graph, in the order it gives them
    (``_first`` of a subject's values is what ``graph.value`` would return).

    A look-up per predicate of every statement would cost several times more. For a
    graph whose look-ups give the objects in the order of its triples (the union of a
    built dataset: ``looks_up_in_triple_order``) the pass alone gives the same.
    """
    described = by_subject(graph)
    if looks_up_in_triple_order(graph):
        return described
    for subject, values in described.items():
        for predicate, objects in values.items():
            if len(objects) > 1:
                values[predicate] = list(graph.objects(subject, predicate))
    return described


def _first(values: _Values, predicate: Node) -> Node | None:
    found = values.get(predicate)
    return found[0] if found else None


def _python(values: _Values, predicate: URIRef) -> object:
    """The Python value of a literal, or None."""
    value = _first(values, predicate)
    return value.toPython() if isinstance(value, Literal) else None


def _offsets(described: dict[Node, _Values], evidence: Node | None) -> dict[str, int]:
    if evidence is None:
        return {}
    for selector in described.get(evidence, {}).get(_HAS_SELECTOR, ()):
        values = described.get(selector, {})
        if _POSITION in values.get(_TYPE, ()):
            start, end = _python(values, _START), _python(values, _END)
            if isinstance(start, int) and isinstance(end, int):
                return {"start": start, "end": end}
    return {}


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(word.title() for word in rest)


# the terms read for every entity and statement, made once (a namespace makes a new IRI
# each time one is asked for)
_TYPE, _LABEL, _ALT_LABEL, _SAME_AS = RDF.type, RDFS.label, SKOS.altLabel, OWL.sameAs
_FACTS = (("description", RDFS.comment), ("iso3166", APG.iso3166))
_STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = APG.Statement, RDF.subject, RDF.predicate, RDF.object
_DERIVED_FROM, _QUOTE, _MODALITY, _HEDGED = PROV.wasDerivedFrom, APG.quote, APG.modality, APG.hedged
_DATE, _EVIDENCE, _REVIEWED, _CONFIDENCE = DCTERMS.date, APG.evidence, APG.reviewed, APG.confidence
_ENTITY_KEYS = tuple((key, APG[_camel(key)]) for key in ("about", "where", "claimed_by"))
_LITERAL_KEYS = tuple((key, APG[key]) for key in ("when", "role", "former"))
_HAS_SELECTOR, _POSITION, _START, _END = OA.hasSelector, OA.TextPositionSelector, OA.start, OA.end
_RELATIONS, _ENTITIES, _SOURCES = str(APG), str(ENT), str(SRC)


def _local(term: object) -> str:
    text = str(term)
    if text.startswith(_ENTITIES):
        return text.removeprefix(_ENTITIES)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
