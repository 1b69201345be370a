"""Load a corpus, build its graph and validate it, writing nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from . import collector
from .annotations import load_corpus
from .corpus import Corpus, Statement
from .errors import ValidationError
from .namespaces import ENT
from .rdf import build_dataset, statement_iri, union_view
from .validate import ValidationCache, ValidationReport, Violation, validate_dataset

__all__ = ["CheckedGraph", "load_checked", "load_graph"]


@dataclass(frozen=True)
class CheckedGraph:
    """A corpus and its graphs, validated: one named graph per source, and their union.

    ``graph`` is a read-only view of the union over the dataset's own store (see
    ``graph.rdf.union_view``): the triples are held once.
    """

    corpus: Corpus
    dataset: Dataset
    graph: Graph
    report: ValidationReport


def load_checked(
    data_dir: Path | str = "data",
    *,
    cache: ValidationCache | None = None,
    jobs: int | None = None,
) -> CheckedGraph:
    """Load the annotated sources of ``data_dir``, build their graph and validate it.

    Each source is validated on its own, and what looks across sources by SPARQL (see
    ``graph.validate.validate_dataset``); with ``cache``, a source whose graph was
    validated before is not validated again. A large corpus is checked by up to ``jobs``
    worker processes (by default one per CPU). Raises ``AnnotationError`` or
    ``ValidationError`` (whose lines name the annotation file and item behind each
    violation); writes nothing but the cache's entries.
    """
    with collector.paused():
        corpus = load_corpus(data_dir)
        dataset = build_dataset(corpus)
        report = _check(corpus, validate_dataset(dataset, cache, jobs=jobs))
    return CheckedGraph(corpus, dataset, union_view(dataset), report)


def load_graph(data_dir: Path | str = "data") -> Graph:
    """Build and validate the graph of ``data_dir`` in memory, writing nothing."""
    return load_checked(data_dir).graph


def _check(corpus: Corpus, report: ValidationReport) -> ValidationReport:
    """Pass ``report`` on; on failure, name the annotation file and item behind each
    violation."""
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
