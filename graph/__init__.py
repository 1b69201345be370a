"""actor-position graph: a knowledge graph of actors and their positions, from texts.

The package is the core, the corpus and its RDF graph: reading files that stay inside the
data folder (``inputs``), loading and checking annotations (``annotations``), one entity
across sources (``merging``), quote offsets (``evidence``), the vocabulary (``namespaces``,
``ontology``), building RDF (``build``), SHACL validation (``validate``), serialisations
(``export``) and the output folder (``output``). Around it, four parts import the core and
never each other:

- ``graph.extraction``: drafting annotations from raw text, and scoring drafts;
- ``graph.sparql``: the store, queries, the endpoint, pushing to a server;
- ``graph.networks``: the NetworkX projection, discourse networks, camps, exchange formats;
- ``graph.explorer``: the subgraph a reader asks for, its layout, the HTML page.

On top, ``pipeline`` runs the main jobs across the parts and ``cli`` parses the command
line. The names below are the public API; each is imported when first used, so
``import graph`` loads neither spaCy, pyshacl, igraph nor pyvis.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .annotations import Corpus, Entity, Source, Statement, load_corpus, load_source
    from .errors import (
        AnnotationError,
        BuildError,
        ExtractionError,
        SelectionError,
        ValidationError,
    )
    from .evidence import Evidence, locate_quote
    from .explorer import find_entity, render_html, select_subgraph
    from .extraction import (
        Article,
        Draft,
        Evaluation,
        evaluate,
        extract_file,
        read_article,
        read_meta,
        write_draft,
    )
    from .merging import Ambiguity
    from .networks import (
        Analysis,
        Camp,
        affiliation_network,
        analyse,
        attribution_network,
        blame_network,
        calendar_windows,
        conflict_network,
        congruence_network,
        network_files,
        speakers,
        time_windows,
        to_networkx,
    )
    from .pipeline import BuildResult, analyse_data, build, load_graph, render
    from .rdf import build_dataset, build_graph, entity_iri, source_iri, statement_iri
    from .validate import ValidationReport, validate_graph

# Where each public name lives, relative to this package.
_PUBLIC = {
    ".annotations": ["Corpus", "Entity", "Source", "Statement", "load_corpus", "load_source"],
    ".rdf": ["build_dataset", "build_graph", "entity_iri", "source_iri", "statement_iri"],
    ".errors": [
        "AnnotationError",
        "BuildError",
        "ExtractionError",
        "SelectionError",
        "ValidationError",
    ],
    ".evidence": ["Evidence", "locate_quote"],
    ".explorer": ["find_entity", "render_html", "select_subgraph"],
    ".extraction": [
        "Article",
        "Draft",
        "Evaluation",
        "evaluate",
        "extract_file",
        "read_article",
        "read_meta",
        "write_draft",
    ],
    ".merging": ["Ambiguity"],
    ".networks": [
        "Analysis",
        "Camp",
        "affiliation_network",
        "analyse",
        "attribution_network",
        "blame_network",
        "calendar_windows",
        "conflict_network",
        "congruence_network",
        "network_files",
        "speakers",
        "time_windows",
        "to_networkx",
    ],
    ".pipeline": ["BuildResult", "analyse_data", "build", "load_graph", "render"],
    ".validate": ["ValidationReport", "validate_graph"],
}
_HOME = {name: module for module, names in _PUBLIC.items() for name in names}

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


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is asked for."""
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module 'graph' has no attribute {name!r}")
    value = getattr(import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
