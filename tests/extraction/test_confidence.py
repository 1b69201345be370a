"""Tests of the confidences (graph/extraction/confidence.py and confidence.yaml)."""

from __future__ import annotations

import pytest

from graph.errors import AnnotationError
from graph.extraction.confidence import (
    CONFIDENCE_FILE,
    ENTITY_CONFIDENCE,
    RULE_CONFIDENCE,
    read_confidence,
)
from graph.extraction.mentions import DraftEntity


def test_the_shipped_file_gives_a_confidence_from_0_to_1_for_each_name():
    rules, entities = read_confidence(CONFIDENCE_FILE)
    assert rules == RULE_CONFIDENCE and entities == ENTITY_CONFIDENCE
    assert all(0 <= value <= 1 for value in [*rules.values(), *entities.values()])


def test_every_way_of_finding_an_entity_has_a_confidence():
    entity = DraftEntity(id="x", type="state", label="X", found_by="known-name")
    assert entity.confidence == ENTITY_CONFIDENCE["known-name"]
    assert {"known-name", "person", "phrase", "organisation", "position"} <= set(ENTITY_CONFIDENCE)


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- a list\n", "must be a mapping with statement_rules and entities_found_by"),
        ("entities_found_by: {person: 0.9}\n", "statement_rules: must map names to confidences"),
        (
            "statement_rules: {view: 1.5}\nentities_found_by: {person: 0.9}\n",
            "statement_rules: 'view': the confidence must be a number from 0 to 1",
        ),
        (
            "statement_rules: {view: high}\nentities_found_by: {person: 0.9}\n",
            "statement_rules: 'view': the confidence must be a number from 0 to 1",
        ),
        (
            "statement_rules: {view: 0.5}\nentities_found_by: {person: true}\n",
            "entities_found_by: 'person': the confidence must be a number from 0 to 1",
        ),
    ],
)
def test_a_bad_file_is_one_line_naming_it_and_the_item(tmp_path, text, problem):
    path = tmp_path / "confidence.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(AnnotationError) as raised:
        read_confidence(path)
    assert str(raised.value) == f"{path}: {problem}"
