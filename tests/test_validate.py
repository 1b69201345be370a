"""The SHACL shapes accept the built graphs and name what is wrong in broken ones."""

import pytest
from rdflib import Graph, Literal

from graph import ValidationError, build_graph, entity_iri, load_corpus, statement_iri
from graph.checked import load_checked
from graph.namespaces import APG, OA, RDF, XSD
from graph.validate import check_graph, validate_graph
from tests.factories import SANCTIONS_TEXT, sanctions_annotation

BLAME = statement_iri("tiny", "ruritania-blames-freedonia")


@pytest.fixture
def tiny_graph(make_source) -> Graph:
    return build_graph(load_corpus(make_source()))


def test_seed_graph_conforms(seed_graph):
    report = validate_graph(seed_graph)
    assert report.conforms, report.violations
    assert report.violations == ()


def test_tiny_graph_conforms(tiny_graph):
    assert validate_graph(tiny_graph).conforms


def _violations(graph: Graph) -> str:
    report = validate_graph(graph)
    assert not report.conforms
    return "\n".join(str(v) for v in report.violations)


def test_missing_quote(tiny_graph):
    tiny_graph.remove((BLAME, APG.quote, None))
    assert "no quote" in _violations(tiny_graph).lower()


def test_blame_aimed_at_a_position(tiny_graph):
    position = entity_iri("self-defence")
    tiny_graph.add((entity_iri("ruritania"), APG.blames, position))
    tiny_graph.set((BLAME, RDF.object, position))
    assert "blames: the object must be an actor" in _violations(tiny_graph)


def test_bad_iso_code(tiny_graph):
    tiny_graph.add((entity_iri("ruritania"), APG.iso3166, Literal("rus")))
    assert "iso3166" in _violations(tiny_graph)


def test_hedge_that_contradicts_the_modality(tiny_graph):
    tiny_graph.set((BLAME, APG.hedged, Literal(True)))
    assert "hedged" in _violations(tiny_graph)


def test_missing_plain_triple(tiny_graph):
    tiny_graph.remove((entity_iri("ruritania"), APG.blames, entity_iri("freedonia")))
    assert "plain triple" in _violations(tiny_graph)


def test_offsets_that_do_not_select_the_quote(tiny_graph):
    selector = next(
        s
        for s in tiny_graph.objects(tiny_graph.value(BLAME, APG.evidence), OA.hasSelector)
        if (s, RDF.type, OA.TextPositionSelector) in tiny_graph
    )
    tiny_graph.set((selector, OA.start, Literal(1, datatype=XSD.nonNegativeInteger)))
    assert "offsets" in _violations(tiny_graph)


def test_check_graph_raises_with_every_violation(tiny_graph):
    tiny_graph.remove((BLAME, APG.quote, None))
    tiny_graph.set((BLAME, APG.hedged, Literal(True)))
    with pytest.raises(ValidationError) as caught:
        check_graph(tiny_graph)
    assert len(caught.value.violations) >= 2
    assert "graph does not conform to the shapes" in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("relation", "subject", "obj", "message"),
    [
        ("causedBy", "ruritania", "freedonia", "caused_by: the subject must be an event"),
        ("codifies", "ruritania", "self-defence", "codifies: the subject must be a document"),
        ("concernedAbout", "ruritania", "self-defence", "concerned_about: the object must be"),
    ],
)
def test_domain_and_range_of_added_relations(tiny_graph, relation, subject, obj, message):
    tiny_graph.add((entity_iri(subject), APG[relation], entity_iri(obj)))
    assert message in _violations(tiny_graph)


@pytest.mark.parametrize(
    ("predicate", "values", "message"),
    [
        (APG.confidence, [Literal("1.5", datatype=XSD.decimal)], "`confidence` is not an"),
        (APG.confidence, [Literal("-0.1", datatype=XSD.decimal)], "`confidence` is not an"),
        (APG.confidence, [Literal("high")], "`confidence` is not an xsd:decimal"),
        (
            APG.confidence,
            [Literal("0.5", datatype=XSD.decimal), Literal("0.6", datatype=XSD.decimal)],
            "more than one `confidence`",
        ),
        (APG.reviewed, [Literal("no")], "`reviewed` is not an xsd:boolean"),
        (APG.reviewed, [Literal(True), Literal(False)], "more than one `reviewed`"),
    ],
)
def test_bad_review_state_or_confidence(tiny_graph, predicate, values, message):
    for value in values:
        tiny_graph.add((BLAME, predicate, value))
    assert message in _violations(tiny_graph)


def test_sanctions_and_denials_of_the_right_kinds_conform(make_source):
    checked = load_checked(make_source(sanctions_annotation(), text=SANCTIONS_TEXT))
    assert checked.report.conforms
    relations = [s.relation for s in checked.corpus.statements]
    assert relations.count("sanctions") == 3 and relations.count("denies") == 2
    union, fis, blackout = (
        entity_iri("northern-union"),
        entity_iri("fis"),
        entity_iri("blackout-attack"),
    )
    assert (union, APG.sanctions, fis) in checked.graph
    assert (entity_iri("boris-kral"), APG.denies, blackout) in checked.graph
    sanction = statement_iri("sanctions", "union-sanctions-fis")
    assert checked.graph.value(sanction, APG.about) == blackout


@pytest.mark.parametrize(
    ("statement", "field", "entity", "message"),
    [
        # sanctions on an incident, not on an actor
        ("union-sanctions-fis", "object", "harbour-hack", "sanctions: the object must be an actor"),
        # an incident cannot impose sanctions
        (
            "union-sanctions-fis",
            "subject",
            "harbour-hack",
            "sanctions: the subject must be an actor",
        ),
        # a denial is of an incident, not of a state
        ("kral-denies-blackout", "object", "freedonia", "denies: the object must be an incident"),
        (
            "kral-denies-blackout",
            "subject",
            "blackout-attack",
            "denies: the subject must be an actor",
        ),
    ],
)
def test_sanctions_or_denial_of_the_wrong_kind_is_one_line_naming_file_and_statement(
    make_source, statement, field, entity, message
):
    annotation = sanctions_annotation()
    (coded,) = [s for s in annotation["statements"] if s["id"] == statement]
    coded[field] = entity
    data = make_source(annotation, text=SANCTIONS_TEXT)
    with pytest.raises(ValidationError) as caught:
        load_checked(data)
    error = str(caught.value)
    assert "\n" not in error
    assert f"{data / 'tiny' / 'annotation.yaml'}: statement {statement!r}: {message}" in error
