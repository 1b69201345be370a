"""Load a corpus, build its graph and validate it, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from .annotations import load_corpus
from .corpus import Corpus, Statement
from .errors import ValidationError
from .namespaces import ENT
from .rdf import build_dataset, statement_iri, union_graph
from .validate import ValidationReport, Violation, validate_graph

__all__ = ["CheckedGraph", "load_checked", "load_graph"]


@dataclass(frozen=True)
class CheckedGraph:
    """A corpus and its graphs, validated: one named graph per source, and their union."""

    corpus: Corpus
    dataset: Dataset
    graph: Graph
    report: ValidationReport


def load_checked(data_dir: Path | str = "data") -> CheckedGraph:
    """Load the annotated sources of ``data_dir``, build their graph and validate it.

    Raises ``AnnotationError`` or ``ValidationError`` (whose lines name the annotation
    file and item behind each violation); writes nothing.
    """
    corpus = load_corpus(data_dir)
    dataset = build_dataset(corpus)
    graph = union_graph(dataset)
    return CheckedGraph(corpus, dataset, graph, _check(corpus, graph))


def load_graph(data_dir: Path | str = "data") -> Graph:
    """Build and validate the graph of ``data_dir`` in memory, writing nothing."""
    return load_checked(data_dir).graph


def _check(corpus: Corpus, graph: Graph) -> ValidationReport:
    """Validate; on failure, name the annotation file and item behind each violation."""
    report = validate_graph(graph)
    if not report.conforms:
        statements = {str(statement_iri(s.source, s.id)): s for s in corpus.statements}
        lines = [_explain(corpus, statements, v) for v in report.violations]
        raise ValidationError(report.text, lines)
    return report


def _explain(corpus: Corpus, statements: dict[str, Statement], violation: Violation) -> str:
    """Say which annotation file and item a violation comes from, when it can be told."""
    for term in (violation.focus, violation.value):
        if term in statements:
            statement = statements[term]
            path = corpus.source(statement.source).annotation_path
            return f"{path}: statement {statement.id!r}: {violation.message}"
    entity_id = violation.focus.removeprefix(str(ENT))
    if violation.focus.startswith(str(ENT)) and entity_id in corpus.entities:
        relation, _, rest = violation.message.partition(":")
        end = "subject" if "subject" in rest.split()[:3] else "object"
        for statement in corpus.statements:
            if statement.relation == relation and getattr(statement, end) == entity_id:
                path = corpus.source(statement.source).annotation_path
                return f"{path}: statement {statement.id!r}: {violation.message}"
        entity = corpus.entities[entity_id]
        path = corpus.source(entity.sources[0]).annotation_path
        return f"{path}: entity {entity_id!r}: {violation.message}"
    return str(violation)
