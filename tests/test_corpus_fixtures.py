"""The annotated corpus for measuring drafts: each split loads, validates and stays apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import load_corpus, load_graph
from graph.corpus import HEDGED_MODALITIES
from tests.factories import REPO

CORPUS = REPO / "tests" / "fixtures" / "corpus"
SPLITS = ("dev", "test")
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
DATE = re.compile(
    rf"(?:(?:{DAYS})(?: (?:morning|afternoon|evening|night))?|\d{{4}}|(?:\d{{1,2}} )?(?:{MONTHS})"
    rf"(?: \d{{1,2}},?)?(?: \d{{4}})?|last (?:week|month|year)|yesterday|today)",
    re.IGNORECASE,
)


def sources(split: str) -> list[Path]:
    return sorted(path.parent for path in (CORPUS / split).glob("*/annotation.yaml"))


@pytest.mark.parametrize("split", SPLITS)
def test_a_split_builds_and_validates(split):
    corpus = load_corpus(CORPUS / split)
    assert [source.id for source in corpus.sources] == [path.name for path in sources(split)]
    assert len(load_graph(CORPUS / split)) > 1000


def test_the_test_split_has_at_least_eight_articles_and_no_source_of_the_dev_split():
    test, dev = sources("test"), sources("dev")
    assert len(test) >= 8 and len(dev) >= 4
    assert not {path.name for path in test} & {path.name for path in dev}


def test_the_test_split_codes_what_the_figures_are_reported_on():
    corpus = load_corpus(CORPUS / "test")
    relations = {statement.relation for statement in corpus.statements}
    assert {"attributed_to", "blames", "sanctions", "denies", "represents"} <= relations
    hedged = [s for s in corpus.statements if s.modality in HEDGED_MODALITIES]
    assert len(hedged) >= 30


@pytest.mark.parametrize("split", SPLITS)
def test_no_entity_is_a_date_or_a_sentence(split):
    for entity in load_corpus(CORPUS / split).entities.values():
        assert not DATE.fullmatch(entity.label), entity
        sentence = len(entity.label.split()) >= 6 and entity.label.endswith((".", "!", "?"))
        assert not sentence, entity
