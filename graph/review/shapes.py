"""Check one changed statement against the ontology's shapes, as ``apg build`` would."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..corpus import Corpus, Entity, Source, Statement
from ..rdf import build_dataset, union_graph
from ..validate import validate_graph

__all__ = ["REFERENCES", "shape_problems"]

REFERENCES = ("subject", "object", "claimed_by", "about", "where")
"""The fields of a statement that name entities, whose types the shapes constrain."""


def shape_problems(
    path: Path, source: Source, statement: Statement, entities: Mapping[str, Entity]
) -> list[str]:
    """The shapes' violations of ``statement`` alone with the entities it names, each as
    ``apg build`` words it (the file, the statement, the shape's message); empty when
    it conforms.

    The statement is built and validated on its own: what the shapes say of one
    statement and the types of its entities (a relation's domain and range) is what a
    change to it can break.
    """
    named = {getattr(statement, field) for field in REFERENCES} - {None}
    corpus = Corpus(
        sources=(source,),
        entities={entity_id: entities[entity_id] for entity_id in sorted(named)},
        statements=(statement,),
    )
    report = validate_graph(union_graph(build_dataset(corpus)))
    return [
        f"{path}: statement {statement.id!r}: {violation.message}"
        for violation in report.violations
    ]
