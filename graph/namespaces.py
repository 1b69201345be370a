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
    "PREFIX_IRIS",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SKOS",
    "SRC",
    "WD",
    "XSD",
    "bind_prefixes",
    "compact_iri",
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


PREFIX_IRIS: dict[str, str] = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}


def compact_iri(iri: str) -> str:
    """Write an IRI with the project's prefixes where one fits.

    >>> compact_iri("https://w3id.org/actor-position-graph/id/russia")
    'ent:russia'
    """
    for prefix, namespace in PREFIX_IRIS.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
