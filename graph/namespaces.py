"""The IRIs of the project's vocabulary and of the things it names."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

__all__ = [
    "APG",
    "DCTERMS",
    "ENT",
    "OA",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SRC",
    "WD",
    "XSD",
    "bind_prefixes",
]

BASE = "https://w3id.org/actor-position-graph/"
APG = Namespace(BASE + "ontology#")
ENT = Namespace(BASE + "id/")
SRC = Namespace(BASE + "source/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
WD = Namespace("http://www.wikidata.org/entity/")

PREFIXES = {
    "apg": APG,
    "ent": ENT,
    "src": SRC,
    "oa": OA,
    "org": ORG,
    "schema": SCHEMA,
    "wd": WD,
    "dcterms": DCTERMS,
    "owl": OWL,
    "prov": PROV,
    "rdf": RDF,
    "rdfs": RDFS,
    "skos": SKOS,
    "xsd": XSD,
}


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
