"""The project's prefixes as strings agree with the RDF vocabulary they stand for."""

from __future__ import annotations

from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from graph.iris import PREFIX_IRIS, compact_iri
from graph.namespaces import APG, ENT, PREFIXES, SRC


def test_the_w3c_prefixes_are_rdflib_s_namespaces():
    standard = {"dcterms": DCTERMS, "owl": OWL, "prov": PROV, "rdf": RDF, "rdfs": RDFS}
    standard |= {"skos": SKOS, "xsd": XSD}
    for prefix, namespace in standard.items():
        assert PREFIX_IRIS[prefix] == str(namespace), prefix


def test_the_rdf_namespaces_are_made_from_the_strings_in_the_same_order():
    assert list(PREFIXES) == list(PREFIX_IRIS)
    assert {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} == PREFIX_IRIS
    assert str(APG.Statement) == "https://w3id.org/actor-position-graph/ontology#Statement"
    assert str(ENT.russia) == PREFIX_IRIS["ent"] + "russia"
    assert str(SRC["un-gge"]) == "https://w3id.org/actor-position-graph/source/un-gge"


def test_an_iri_under_no_prefix_is_left_whole():
    assert compact_iri("http://example.org/x") == "http://example.org/x"
    assert compact_iri(str(RDFS.label)) == "rdfs:label"
