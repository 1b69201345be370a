"""Validate a graph against the SHACL shapes in ``ontology/``."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph
from rdflib.namespace import SH

from .errors import ValidationError
from .namespaces import compact_iri
from .ontology import load_ontology, load_shapes

__all__ = ["ValidationReport", "Violation", "check_graph", "validate_graph"]


@dataclass(frozen=True, order=True)
class Violation:
    """One top-level SHACL result of severity Violation; terms are full IRIs or literals."""

    focus: str
    message: str
    path: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        details = [
            f"{name} {compact_iri(term)}"
            for name, term in (("path", self.path), ("value", self.value))
            if term
        ]
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{compact_iri(self.focus)}: {self.message}{suffix}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a SHACL validation: a flag, the violations, pyshacl's full text."""

    conforms: bool
    violations: tuple[Violation, ...]
    text: str


def validate_graph(graph: Graph) -> ValidationReport:
    """Check ``graph`` against the project's shapes.

    The ontology is added to a copy of the graph so that ``sh:class`` and
    ``sh:targetClass`` follow ``rdfs:subClassOf``; this is what RDFS inference would give
    the shapes, at a fraction of the cost of pyshacl's own ontology mixing.
    """
    data = Graph()
    for triple in graph:
        data.add(triple)
    for triple in load_ontology():
        data.add(triple)
    from pyshacl import validate as shacl_validate  # loaded when a graph is validated

    conforms, results, text = shacl_validate(
        data,
        shacl_graph=load_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        inplace=True,
    )
    return ValidationReport(bool(conforms), tuple(_violations(results)), str(text))


def check_graph(graph: Graph) -> ValidationReport:
    """Validate ``graph`` and raise ``ValidationError`` when it does not conform."""
    report = validate_graph(graph)
    if not report.conforms:
        raise ValidationError(report.text, [str(v) for v in report.violations])
    return report


def _violations(results: Graph) -> list[Violation]:
    """The top-level violations (nested ``sh:detail`` results are left out), sorted."""
    found = set()
    for result in results.objects(None, SH.result):
        if (result, SH.resultSeverity, SH.Violation) not in results:
            continue
        path, value = results.value(result, SH.resultPath), results.value(result, SH.value)
        found.add(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                message=str(results.value(result, SH.resultMessage) or "violates a shape"),
                path=None if path is None else str(path),
                value=None if value is None else str(value),
            )
        )
    return sorted(found)
