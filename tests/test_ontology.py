from rdflib import URIRef

from graph.namespaces import APG, RDFS
from graph.ontology import load_ontology, load_shapes, snake_case, vocabulary


def test_entity_types_are_the_subclasses_of_entity():
    assert sorted(vocabulary().entity_types) == [
        "document", "event", "group", "incident", "institution", "official", "person",
        "position", "state",
    ]  # fmt: skip


def test_relations_are_the_subproperties_of_relation():
    relations = vocabulary().relations
    assert relations["blames"] == APG.blames
    assert relations["affiliated_with"] == APG.affiliatedWith
    assert relations["supports_position"] == APG.supportsPosition
    assert {
        "represents",
        "leads",
        "participates_in",
        "part_of",
        "opposes_position",
        "attributed_to",
        "targets",
        "endorses",
        "speaks_at",
    } <= set(relations)
    assert "modality" not in relations and "quote" not in relations


def test_every_term_has_an_english_label_and_comment():
    ontology = load_ontology()
    terms = {
        s for s in ontology.subjects() if isinstance(s, URIRef) and str(s).startswith(str(APG))
    }
    assert len(terms) > 40
    for term in terms:
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term


def test_shapes_parse():
    assert len(load_shapes()) > 50


def test_snake_case():
    assert snake_case("intendedToBenefit") == "intended_to_benefit"
    assert snake_case("blames") == "blames"
