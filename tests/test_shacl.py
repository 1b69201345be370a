"""The SHACL engine gives the violations pyshacl gives, on every form the shapes use."""

from collections.abc import Callable

import pytest
from rdflib import BNode, Graph, Literal, URIRef

from graph import build_graph, entity_iri, load_corpus, source_iri, statement_iri
from graph.namespaces import APG, OA, RDF, RDFS, XSD
from graph.ontology import load_ontology, load_shapes
from graph.shacl import Unsupported, compile_shapes
from graph.validate import Violation, reference_report, validate_graph

BLAME = statement_iri("tiny", "ruritania-blames-freedonia")
RURITANIA = entity_iri("ruritania")
SOURCE = source_iri("tiny")
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture
def tiny_graph(make_source) -> Graph:
    return build_graph(load_corpus(make_source()))


def _engine_violations(graph: Graph) -> tuple[Violation, ...]:
    found = compile_shapes(load_shapes(), load_ontology()).violations(graph)
    return tuple(sorted(Violation(*violation) for violation in found))


def _selector(graph: Graph, kind: URIRef) -> object:
    evidence = graph.value(BLAME, APG.evidence)
    return next(s for s in graph.objects(evidence, OA.hasSelector) if (s, RDF.type, kind) in graph)


def _set(predicate, *values) -> Callable[[Graph], None]:
    def change(graph: Graph, subject=None) -> None:
        graph.remove((BLAME, predicate, None))
        for value in values:
            graph.add((BLAME, predicate, value))

    return change


def _second_quote_selector(graph: Graph) -> None:
    extra = BNode()
    graph.add((graph.value(BLAME, APG.evidence), OA.hasSelector, extra))
    graph.add((extra, RDF.type, OA.TextQuoteSelector))
    graph.add((extra, OA.exact, Literal("Ruritania")))


CHANGES: dict[str, tuple[Callable[[Graph], None], str]] = {
    # cardinality
    "min count": (lambda g: g.remove((RURITANIA, RDFS.label, None)), "Entity has no label"),
    "max count": (
        lambda g: g.add((RURITANIA, RDFS.label, Literal("Ruritania 2"))),
        "more than one label",
    ),
    # datatype, string length, pattern, node kind
    "language tag": (
        lambda g: g.set((RURITANIA, RDFS.label, Literal("Ruritania", lang="en"))),
        "Entity label must be a non-empty string",
    ),
    "ill-typed date": (
        _set(APG.when, Literal("2017-13-45", datatype=XSD.date)),
        "`when` is not a year",
    ),
    "empty quote": (_set(APG.quote, Literal("")), "quote is not a non-empty string"),
    "long prefix": (
        lambda g: g.set((_selector(g, OA.TextQuoteSelector), OA.prefix, Literal("x" * 40))),
        "prefix (oa:prefix) is not a single string of at most 32",
    ),
    "pattern": (lambda g: g.add((RURITANIA, APG.iso3166, Literal("rus"))), "ISO 3166-1 alpha-2"),
    "node kind": (_set(APG.claimedBy, Literal("Ruritania")), "`claimed_by` is not an actor"),
    # classes and shapes: class, node, and, or, not, xone, in, has value
    "class": (_set(APG.about, APG.Asserted), "Statement `about` is not an entity"),
    "node": (
        lambda g: g.add((entity_iri("ruritania"), APG.blames, entity_iri("self-defence"))),
        "blames: the object must be an actor",
    ),
    "xone": (lambda g: g.add((RURITANIA, RDF.type, APG.Event)), "exactly one entity type"),
    "in": (_set(APG.modality, APG.Unknown), "modality is not one of"),
    "sequence path and has value": (
        _set(RDF.predicate, RDFS.label),
        "not a relation of the ontology",
    ),
    "qualified count, none": (
        lambda g: g.remove(
            (g.value(BLAME, APG.evidence), OA.hasSelector, _selector(g, OA.TextQuoteSelector))
        ),
        "exactly one text quote selector",
    ),
    "qualified count, two": (_second_quote_selector, "exactly one text quote selector"),
    # value ranges and pairs
    "min inclusive": (
        lambda g: g.set((_selector(g, OA.TextPositionSelector), OA.start, Literal(-1))),
        "start (oa:start) is not a non-negative integer",
    ),
    "max inclusive": (
        _set(APG.confidence, Literal("1.5", datatype=XSD.decimal)),
        "`confidence` is not an",
    ),
    "less than": (
        lambda g: g.set(
            (
                _selector(g, OA.TextPositionSelector),
                OA.start,
                Literal(10**6, datatype=XSD.nonNegativeInteger),
            )
        ),
        "is not less than its end",
    ),
    # SPARQL-based constraints, with the statement id in the message
    "sparql hedge": (_set(APG.hedged, Literal(True)), "hedged flag does not match the modality"),
    "sparql plain triple": (
        lambda g: g.remove((RURITANIA, APG.blames, entity_iri("freedonia"))),
        "Statement ruritania-blames-freedonia: the plain triple",
    ),
    "sparql text hash": (
        lambda g: g.set((SOURCE, APG.textSha256, Literal("0" * 64))),
        "is not the SHA-256 of its text",
    ),
}


def test_the_seed_graph_conforms_for_both(seed_graph):
    assert _engine_violations(seed_graph) == () == reference_report(seed_graph).violations


@pytest.mark.parametrize("name", sorted(CHANGES))
def test_the_engine_gives_the_violations_pyshacl_gives(tiny_graph, name):
    change, message = CHANGES[name]
    change(tiny_graph)
    expected = reference_report(tiny_graph).violations
    assert _engine_violations(tiny_graph) == expected
    assert expected, "the change must break a shape"
    if message is not None:
        assert any(message in violation.message for violation in expected)


def test_validate_graph_runs_the_engine(tiny_graph, monkeypatch):
    tiny_graph.set((BLAME, APG.hedged, Literal(True)))
    import graph.validate as validate

    def no_pyshacl(*arguments):
        raise AssertionError("pyshacl ran")

    monkeypatch.setattr(validate, "_pyshacl", no_pyshacl)
    assert validate_graph(tiny_graph).violations == _engine_violations(tiny_graph)


ENTITY_SHAPE = '[] a sh:NodeShape ; sh:targetClass apg:Entity ; sh:message "m" ; '
UNSUPPORTED = {
    "another constraint": ENTITY_SHAPE + "sh:closed true .",
    "a severity": ENTITY_SHAPE + "sh:severity sh:Warning ; sh:nodeKind sh:IRI .",
    "an alternative path": ENTITY_SHAPE
    + "sh:property [ sh:path [ sh:alternativePath ( rdfs:label rdfs:comment ) ] ; "
    + 'sh:minCount 1 ; sh:message "m" ] .',
    "no message": "[] a sh:NodeShape ; sh:targetClass apg:Entity ; sh:nodeKind sh:IRI .",
    "no message, on a shape another names": ENTITY_SHAPE
    + "sh:node apg:Inner . apg:Inner sh:targetClass apg:Event ; sh:nodeKind sh:IRI .",
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_a_form_the_engine_does_not_read_is_refused(name):
    shapes = Graph().parse(
        data=f"@prefix sh: <{SH}> . @prefix apg: <{APG}> . @prefix rdfs: <{RDFS}> . "
        + UNSUPPORTED[name],
        format="turtle",
    )
    with pytest.raises(Unsupported):
        compile_shapes(shapes, load_ontology())


def test_shapes_the_engine_does_not_read_are_run_by_pyshacl(tiny_graph, monkeypatch):
    import graph.validate as validate

    shapes = load_shapes()
    shapes.parse(
        data=f"@prefix sh: <{SH}> . @prefix apg: <{APG}> . @prefix rdfs: <{RDFS}> . "
        '[] a sh:NodeShape ; sh:targetClass apg:Entity ; sh:message "Entity has no comment" ; '
        "sh:property [ sh:path [ sh:alternativePath ( rdfs:comment apg:note ) ] ; sh:minCount 1 ; "
        'sh:message "Entity has no comment" ] .',
        format="turtle",
    )
    monkeypatch.setattr(validate, "load_shapes", lambda: shapes)
    validate._engine.cache_clear()
    try:
        messages = {v.message for v in validate_graph(tiny_graph).violations}
    finally:
        validate._engine.cache_clear()
    assert "Entity has no comment" in messages
