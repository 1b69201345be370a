"""Entity mentions in a parsed article and how each is linked (or kept apart)."""

from __future__ import annotations

from typing import Any

import pytest

from graph.annotations import load_corpus
from graph.article import read_article
from graph.confidence import ENTITY_CONFIDENCE
from graph.gazetteer import KnownEntity, base_gazetteer
from graph.language import load_pipeline
from graph.mentions import DraftEntity, Mentions, find_mentions
from tests.factories import DATA, REPO

PAGES = REPO / "tests" / "fixtures" / "pages"


def _mentions(page: str, corpus: Any = None) -> Mentions:
    nlp = load_pipeline()
    doc = nlp(read_article(PAGES / f"{page}.txt").body)
    return find_mentions(doc, base_gazetteer().with_corpus(corpus), nlp.make_doc)


@pytest.fixture(scope="module")
def seed() -> Mentions:
    """The seed page, nothing annotated known (as when it is extracted for evaluation)."""
    return _mentions("un-gge-talks-collapse-2017")


@pytest.fixture(scope="module")
def oewg() -> Mentions:
    """The OEWG fixture page, with the seed corpus known."""
    return _mentions("un-oewg-geneva-session-2023", load_corpus(DATA))


def _linked(mentions: Mentions, word: str) -> list[str | None]:
    """The entity id each occurrence of ``word`` is linked to (None when unlinked)."""
    found = []
    for token in mentions.doc:
        if token.text == word:
            entity = mentions.entity_at(token)
            found.append(entity.id if entity else None)
    assert found, f"{word!r} is not in the text"
    return found


def _span_texts(mentions: Mentions, entity_id: str) -> list[str]:
    return [mentions.doc[start:end].text for start, end in mentions.spans[entity_id]]


# --- people ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entity_id", "label"),
    [
        ("miguel-rodriguez", "Miguel Rodr\u00edguez"),
        ("michele-markoff", "Michele Markoff"),
        ("oleg-khramov", "Oleg Khramov"),
        ("mike-schmitt", "Mike Schmitt"),
        ("donald-trump", "Donald Trump"),
    ],
)
def test_the_seeds_people_are_found(seed, entity_id, label):
    person = seed.entities[entity_id]
    assert (person.type, person.label) == ("person", label)
    assert person.origin is None  # nothing annotated is known: new to the draft
    assert label in _span_texts(seed, entity_id)


def test_markoff_alone_is_michele_markoff(seed):
    assert _linked(seed, "Markoff") == ["michele-markoff", "michele-markoff"]
    assert "Markoff" in seed.entities["michele-markoff"].aliases


def test_schmitt_alone_is_mike_schmitt(seed):
    assert _linked(seed, "Schmitt") == ["mike-schmitt", "mike-schmitt"]
    assert _span_texts(seed, "mike-schmitt") == ["Mike Schmitt", "Schmitt"]


def test_no_surname_is_its_own_entity(seed):
    assert not {"markoff", "schmitt", "khramov", "rodriguez"} & set(seed.entities)


# --- places, bodies and organs --------------------------------------------------------


def test_tallinn_in_the_tallinn_manual_is_not_estonia(seed):
    assert "estonia" not in seed.entities
    (manual_id,) = set(_linked(seed, "Tallinn"))
    manual = seed.entities[manual_id]
    assert manual.type == "document"
    assert manual.label == "Tallinn Manual on International Law Applicable to Cyber Warfare"


@pytest.mark.parametrize(
    ("entity_id", "text"),
    [("us-air-force", "US air force"), ("russian-intelligence", "Russian intelligence")],
)
def test_organs_of_a_state_are_institutions(seed, entity_id, text):
    organ = seed.entities[entity_id]
    assert (organ.type, organ.label) == ("institution", text)
    assert _span_texts(seed, entity_id) == [text]


def test_force_in_punitive_force_is_no_organ(seed):
    assert _linked(seed, "force") == [None, "us-air-force", None]


def test_the_dnc_is_an_alias_of_the_democratic_national_committee(seed):
    committee = seed.entities["democratic-national-committee"]
    assert (committee.type, committee.label) == ("institution", "Democratic National Committee")
    assert committee.aliases == ["DNC"]
    assert _linked(seed, "DNC") == ["democratic-national-committee"] * 2
    assert "dnc" not in seed.entities


def test_states_and_bodies_are_linked_to_the_gazetteer(seed):
    for entity_id, iso in [("russia", "RU"), ("china", "CN"), ("cuba", "CU")]:
        state = seed.entities[entity_id]
        assert (state.type, state.iso3166, state.origin) == ("state", iso, "gazetteer")
    assert seed.entities["un-gge"].origin == "gazetteer"
    assert {"GGE", "UN GGE"} <= set(seed.entities["un-gge"].aliases)
    assert "Moscow" in seed.entities["russia"].aliases


def test_a_new_entity_never_takes_a_known_id(seed):
    scratch = Mentions(doc=seed.doc, gazetteer=seed.gazetteer)
    assert scratch.new_entity("state", "Russia", 0.5).id == "russia-2"
    fresh = scratch.new_entity("person", "Anna Vogel", 0.5)
    assert fresh.id == "anna-vogel"
    scratch.add(fresh, 0, 1, "Anna Vogel")
    assert scratch.new_entity("person", "Anna Vogel", 0.5) is fresh  # the same name again


def test_draft_entity_aliases_skip_the_label_and_repeats():
    entity = DraftEntity(id="russia", type="state", label="Russia")
    for name in ["Russia", " the Russia ", "Moscow", "moscow", "Russians", ""]:
        entity.add_alias(name)
    assert entity.aliases == ["Moscow", "Russians"]


def test_a_linked_entity_keeps_what_the_gazetteer_knows(seed):
    gru = KnownEntity("gru", "institution", "GRU", part_of="RU", origin="gazetteer")
    linked = seed.linked(gru)
    assert (linked.id, linked.part_of, linked.origin, linked.found_by) == (
        "gru",
        "RU",
        "gazetteer",
        "known-name",
    )
    assert linked.confidence == ENTITY_CONFIDENCE["known-name"]


# --- two people with one surname ------------------------------------------------------


def test_anke_schmitt_is_a_new_person_not_the_seeds_mike_schmitt(oewg):
    anke = oewg.entities["anke-schmitt"]
    assert (anke.label, anke.type, anke.origin) == ("Anke Schmitt", "person", None)
    assert "mike-schmitt" not in oewg.entities
    assert _linked(oewg, "Anke") == ["anke-schmitt"]


def test_schmitt_alone_is_then_anke_not_mike(oewg):
    assert _linked(oewg, "Schmitt") == ["anke-schmitt"] * 3
    assert _span_texts(oewg, "anke-schmitt") == ["Anke Schmitt", "Schmitt", "Schmitt"]


def test_the_oewg_page_links_the_seeds_states(oewg):
    russia = oewg.entities["russia"]
    assert russia.origin == "un-gge-talks-collapse-2017"
    assert "Moscow" in russia.aliases
    assert oewg.entities["united-nations"].origin == "un-gge-talks-collapse-2017"
