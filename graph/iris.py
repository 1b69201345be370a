"""The project's IRIs and prefixes as plain strings, for code that needs no RDF library."""

from __future__ import annotations

__all__ = ["BASE", "PREFIX_IRIS", "compact_iri"]

BASE = "https://w3id.org/actor-position-graph/"

PREFIX_IRIS: dict[str, str] = {
    "apg": BASE + "ontology#",
    "ent": BASE + "id/",
    "src": BASE + "source/",
    "oa": "http://www.w3.org/ns/oa#",
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "wd": "http://www.wikidata.org/entity/",
    "dcterms": "http://purl.org/dc/terms/",
    "owl": "http://www.w3.org/2002/07/owl#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
"""Each prefix the project binds, in the order it binds them, and its namespace IRI."""


def compact_iri(iri: str) -> str:
    """Write an IRI with the project's prefixes where one fits.

    >>> compact_iri("https://w3id.org/actor-position-graph/id/russia")
    'ent:russia'
    """
    for prefix, namespace in PREFIX_IRIS.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri.removeprefix(namespace)}"
    return iri
