"""Load the ontology and read from it the entity types and relations annotations may use."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from rdflib import Graph, URIRef

from .namespaces import APG, RDFS
from .resources import resource_dir

__all__ = ["Vocabulary", "load_ontology", "load_shapes", "ontology_dir", "vocabulary"]

ONTOLOGY_FILE = "apg.ttl"
SHAPES_FILE = "shapes.ttl"


def ontology_dir() -> Path:
    """Return the folder holding ``apg.ttl`` and ``shapes.ttl``.

    A wheel ships it inside the package; a source checkout keeps it at the top level.
    """
    return resource_dir("ontology", ONTOLOGY_FILE)


@cache
def _parse(name: str) -> Graph:
    graph = Graph()
    graph.parse(ontology_dir() / name, format="turtle")
    return graph


def load_ontology() -> Graph:
    """Return a fresh copy of the ontology graph."""
    copy = Graph()
    for triple in _parse(ONTOLOGY_FILE):
        copy.add(triple)
    return copy


def load_shapes() -> Graph:
    """Return a fresh copy of the SHACL shapes graph."""
    copy = Graph()
    for triple in _parse(SHAPES_FILE):
        copy.add(triple)
    return copy


def snake_case(name: str) -> str:
    """Turn a camelCase local name into the snake_case key used in annotations.

    >>> snake_case("affiliatedWith")
    'affiliated_with'
    """
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Vocabulary:
    """The entity types and relations annotations may use, keyed as annotations spell them."""

    entity_types: dict[str, URIRef]
    relations: dict[str, URIRef]
    labels: dict[URIRef, str]


@cache
def vocabulary() -> Vocabulary:
    """Read the entity types (subclasses of ``apg:Entity``) and relations
    (subproperties of ``apg:relation``) from the ontology."""
    graph = _parse(ONTOLOGY_FILE)
    types = {
        str(cls).removeprefix(str(APG)).lower(): cls
        for cls in graph.subjects(RDFS.subClassOf, APG.Entity)
        if isinstance(cls, URIRef) and str(cls).startswith(str(APG))
    }
    relations = {
        snake_case(str(prop).removeprefix(str(APG))): prop
        for prop in graph.subjects(RDFS.subPropertyOf, APG.relation)
        if isinstance(prop, URIRef) and str(prop).startswith(str(APG))
    }
    labels = {
        term: str(label)
        for term in (*types.values(), *relations.values())
        for label in graph.objects(term, RDFS.label)
    }
    return Vocabulary(
        entity_types=dict(sorted(types.items())),
        relations=dict(sorted(relations.items())),
        labels=labels,
    )
