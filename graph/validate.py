"""Validate a graph against the SHACL shapes in ``ontology/``."""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import SH

from .errors import ValidationError
from .namespaces import bind_prefixes
from .ontology import load_ontology, load_shapes

__all__ = ["ValidationReport", "check_graph", "validate_graph"]


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a SHACL validation: a flag, one line per violation, the full text."""

    conforms: bool
    violations: tuple[str, ...]
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
        raise ValidationError(report.text, list(report.violations))
    return report


def _violations(results: Graph) -> list[str]:
    """One line per top-level violation (nested ``sh:detail`` results are left out)."""
    bind_prefixes(results)
    lines = set()
    for result in results.objects(None, SH.result):
        if (result, SH.resultSeverity, SH.Violation) not in results:
            continue
        focus = results.value(result, SH.focusNode)
        message = results.value(result, SH.resultMessage) or "violates a shape"
        details = [
            f"{name} {_short(results, term)}"
            for name, term in (
                ("path", results.value(result, SH.resultPath)),
                ("value", results.value(result, SH.value)),
            )
            if term is not None
        ]
        suffix = f" ({', '.join(details)})" if details else ""
        lines.add(f"{_short(results, focus)}: {message}{suffix}")
    return sorted(lines)


def _short(graph: Graph, term: object) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)  # type: ignore[arg-type]
    except Exception:
        return str(term)
