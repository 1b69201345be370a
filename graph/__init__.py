"""actor-position graph: a knowledge graph of actors and their positions, from texts.

The package is the core, the corpus and its RDF graph: reading files that stay inside
the data folder (``inputs``), the records of a corpus (``corpus``), loading and checking
annotations (``annotations``), one entity across sources (``merging``), quote offsets
(``evidence``), the vocabulary (``iris``, ``namespaces``, ``ontology``), building RDF
(``rdf``), loading and validating a corpus's graph (``checked``, ``validate``),
serialisations (``export``), the output folder (``output``) and the ``Host`` rule of the
web servers (``hosts``). Around it, four parts import the core and never each other:

- ``graph.extraction``: drafting annotations from raw text, and scoring drafts;
- ``graph.sparql``: the store, queries, the endpoint, pushing to a server;
- ``graph.networks``: the NetworkX projection, discourse networks, camps, exchange formats;
- ``graph.explorer``: the subgraph a reader asks for, its layout, the HTML page.

On top, ``pipeline`` runs the main jobs across the parts and ``cli`` parses the command
line. The names below are the public API; each is imported when first used, so
``import graph`` loads neither spaCy, pyshacl, igraph nor pyvis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_names

if TYPE_CHECKING:
    from .annotations import load_corpus as load_corpus, load_source as load_source
    from .corpus import (
        Ambiguity as Ambiguity,
        Corpus as Corpus,
        Entity as Entity,
        Source as Source,
        Statement as Statement,
    )
    from .errors import (
        AnnotationError as AnnotationError,
        BuildError as BuildError,
        ExtractionError as ExtractionError,
        SelectionError as SelectionError,
        ValidationError as ValidationError,
    )
    from .evidence import Evidence as Evidence, locate_quote as locate_quote
    from .explorer import (
        find_entity as find_entity,
        render_html as render_html,
        select_subgraph as select_subgraph,
    )
    from .extraction import (
        Article as Article,
        Draft as Draft,
        Evaluation as Evaluation,
        evaluate as evaluate,
        extract_file as extract_file,
        read_article as read_article,
        read_meta as read_meta,
        write_draft as write_draft,
    )
    from .networks import (
        Analysis as Analysis,
        Camp as Camp,
        affiliation_network as affiliation_network,
        analyse as analyse,
        attribution_network as attribution_network,
        blame_network as blame_network,
        calendar_windows as calendar_windows,
        conflict_network as conflict_network,
        congruence_network as congruence_network,
        network_files as network_files,
        sanctions_network as sanctions_network,
        speakers as speakers,
        time_windows as time_windows,
        to_networkx as to_networkx,
    )
    from .pipeline import (
        BuildResult as BuildResult,
        analyse_data as analyse_data,
        build as build,
        load_graph as load_graph,
        render as render,
        show as show,
    )
    from .rdf import (
        build_dataset as build_dataset,
        build_graph as build_graph,
        entity_iri as entity_iri,
        source_iri as source_iri,
        statement_iri as statement_iri,
    )
    from .validate import ValidationReport as ValidationReport, validate_graph as validate_graph

# Where each public name lives, relative to this package.
_PUBLIC = {
    ".annotations": "load_corpus load_source",
    ".corpus": "Ambiguity Corpus Entity Source Statement",
    ".rdf": "build_dataset build_graph entity_iri source_iri statement_iri",
    ".errors": "AnnotationError BuildError ExtractionError SelectionError ValidationError",
    ".evidence": "Evidence locate_quote",
    ".explorer": "find_entity render_html select_subgraph",
    ".extraction": "Article Draft Evaluation evaluate extract_file read_article read_meta"
    " write_draft",
    ".networks": "Analysis Camp affiliation_network analyse attribution_network blame_network"
    " calendar_windows conflict_network congruence_network network_files sanctions_network"
    " speakers time_windows to_networkx",
    ".pipeline": "BuildResult analyse_data build load_graph render show",
    ".validate": "ValidationReport validate_graph",
}
__all__ = sorted(name for names in _PUBLIC.values() for name in names.split())
__version__ = "0.1.0"


__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
