"""actor-position graph: a knowledge graph of actors and their positions, from texts."""

from .analysis import Analysis, Camp, analyse
from .annotations import Corpus, Entity, Source, Statement, load_corpus, load_source
from .article import Article, read_article
from .build import build_dataset, build_graph, entity_iri, source_iri, statement_iri
from .errors import (
    AnnotationError,
    BuildError,
    ExtractionError,
    SelectionError,
    ValidationError,
)
from .evaluate import Evaluation, evaluate
from .evidence import Evidence, locate_quote
from .exchange import network_files
from .extract import Draft, extract_file, read_meta, write_draft
from .merging import Ambiguity
from .networks import (
    affiliation_network,
    attribution_network,
    blame_network,
    calendar_windows,
    conflict_network,
    congruence_network,
    speakers,
    time_windows,
)
from .pipeline import BuildResult, analyse_data, build, load_graph, render
from .projection import to_networkx
from .render import render_html
from .subgraph import find_entity, select_subgraph
from .validate import ValidationReport, validate_graph

__all__ = [
    "Ambiguity",
    "Analysis",
    "AnnotationError",
    "Article",
    "BuildError",
    "BuildResult",
    "Camp",
    "Corpus",
    "Draft",
    "Entity",
    "Evaluation",
    "Evidence",
    "ExtractionError",
    "SelectionError",
    "Source",
    "Statement",
    "ValidationError",
    "ValidationReport",
    "affiliation_network",
    "analyse",
    "analyse_data",
    "attribution_network",
    "blame_network",
    "build",
    "build_dataset",
    "build_graph",
    "calendar_windows",
    "conflict_network",
    "congruence_network",
    "entity_iri",
    "evaluate",
    "extract_file",
    "find_entity",
    "load_corpus",
    "load_graph",
    "load_source",
    "locate_quote",
    "network_files",
    "read_article",
    "read_meta",
    "render",
    "render_html",
    "select_subgraph",
    "source_iri",
    "speakers",
    "statement_iri",
    "time_windows",
    "to_networkx",
    "validate_graph",
    "write_draft",
]

__version__ = "0.1.0"
