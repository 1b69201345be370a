"""How far to trust what ``apg extract`` drafts: per statement rule and per way of finding
an entity, read from ``confidence.yaml`` beside this module.

Each figure is the share of a rule's drafts that the curated annotations hold, smoothed as
(matched + 1) / (drafted + 2), over the texts the rules were written on;
``python3 scripts/rule_precision.py SPLIT... --write`` measures them and rewrites the file.
On an article no rule was tuned on, expect less: docs/extraction.md gives the reliability
measured on the test split.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import AnnotationError
from ..inputs import read_yaml

__all__ = ["CONFIDENCE_FILE", "ENTITY_CONFIDENCE", "RULE_CONFIDENCE", "read_confidence"]

CONFIDENCE_FILE = Path(__file__).resolve().with_name("confidence.yaml")
"""The confidences shipped with the package."""

_SECTIONS = ("statement_rules", "entities_found_by")


def read_confidence(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    """The confidence of each statement rule and of each way of finding an entity.

    Raises ``AnnotationError`` naming the file and the item for a missing section, a
    name that is not text, or a value that is not a number from 0 to 1.
    """
    data = read_yaml(path)
    if not isinstance(data, Mapping):
        raise AnnotationError(path, f"must be a mapping with {' and '.join(_SECTIONS)}")
    tables = []
    for section in _SECTIONS:
        table = data.get(section)
        if not isinstance(table, Mapping) or not table:
            raise AnnotationError(path, "must map names to confidences", section)
        for name, value in table.items():
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if not isinstance(name, str) or not number or not 0 <= value <= 1:
                raise AnnotationError(
                    path, f"{name!r}: the confidence must be a number from 0 to 1", section
                )
        tables.append({name: float(value) for name, value in table.items()})
    return tables[0], tables[1]


RULE_CONFIDENCE, ENTITY_CONFIDENCE = read_confidence(CONFIDENCE_FILE)
"""Per statement rule (``Rule.name``) and per ``DraftEntity.found_by``."""
