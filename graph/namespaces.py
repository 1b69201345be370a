"""The IRIs of the project's vocabulary and of the things it names."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from .iris import PREFIX_IRIS, compact_iri

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

APG = Namespace(PREFIX_IRIS["apg"])
ENT = Namespace(PREFIX_IRIS["ent"])
SRC = Namespace(PREFIX_IRIS["src"])
OA = Namespace(PREFIX_IRIS["oa"])
ORG = Namespace(PREFIX_IRIS["org"])
SCHEMA = Namespace(PREFIX_IRIS["schema"])
WD = Namespace(PREFIX_IRIS["wd"])

PREFIXES = {prefix: Namespace(iri) for prefix, iri in PREFIX_IRIS.items()}
"""The project's prefixes as rdflib namespaces (``graph.iris`` has them as strings)."""


def bind_prefixes(graph: Graph) -> None:
    """Bind the project's prefixes on an rdflib Graph or Dataset (replacing defaults)."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
