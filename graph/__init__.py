"""actor-position graph: a knowledge graph of actors and their positions, from texts."""

from .annotations import Corpus, Entity, Source, Statement, load_corpus
from .build import build_dataset, build_graph, entity_iri, source_iri, statement_iri
from .errors import AnnotationError, BuildError, SelectionError, ValidationError
from .evidence import Evidence, locate_quote
from .pipeline import BuildResult, build, load_graph, render
from .projection import to_networkx
from .render import render_html
from .subgraph import find_entity, select_subgraph
from .validate import ValidationReport, validate_graph

__all__ = [
    "AnnotationError",
    "BuildError",
    "BuildResult",
    "Corpus",
    "Entity",
    "Evidence",
    "SelectionError",
    "Source",
    "Statement",
    "ValidationError",
    "ValidationReport",
    "build",
    "build_dataset",
    "build_graph",
    "entity_iri",
    "find_entity",
    "load_corpus",
    "load_graph",
    "locate_quote",
    "render",
    "render_html",
    "select_subgraph",
    "source_iri",
    "statement_iri",
    "to_networkx",
    "validate_graph",
]

__version__ = "0.1.0"
