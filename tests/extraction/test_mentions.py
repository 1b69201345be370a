"""Entity mentions in a parsed article and how each is linked (or kept apart)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from graph.extraction.article import read_article
from graph.extraction.confidence import ENTITY_CONFIDENCE
from graph.extraction.gazetteer import KnownEntity, base_gazetteer
from graph.extraction.language import load_pipeline
from graph.extraction.mentions import (
    _PLACES,
    DraftEntity,
    Mentions,
    _inside_longer_name,
    _recognised_names,
    find_mentions,
)
from graph.extraction.rules import apply_rules
from graph.names import normalise_name
from tests.factories import REPO

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
def oewg(seed_corpus) -> Mentions:
    """The OEWG fixture page, with the seed corpus known."""
    return _mentions("un-oewg-geneva-session-2023", seed_corpus)


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


# --- the indexes answer as a scan of every mention or entity would ----------------------


@pytest.fixture(scope="module")
def drafted() -> Mentions:
    """The seed page's mentions once the statement rules have added theirs."""
    mentions = _mentions("un-gge-talks-collapse-2017")
    apply_rules(mentions)
    return mentions


def _last_by_scan(
    mentions: Mentions, before: int, accept: Callable[[DraftEntity], bool]
) -> DraftEntity | None:
    """The entity mentioned last before a token, read off every recorded span in turn."""
    best: tuple[int, DraftEntity] | None = None
    for entity_id, spans in mentions.spans.items():
        entity = mentions.entities.get(entity_id)
        if entity is None or not accept(entity):
            continue
        for start, _ in spans:
            if start < before and (best is None or start > best[0]):
                best = (start, entity)
    return best[1] if best else None


def _inside_longer_name_by_scan(span: Any) -> bool:
    """``_inside_longer_name`` as a loop over every name the recogniser found."""
    doc = span.doc
    last = doc[span.end - 1]
    if last.ent_iob_ in ("B", "I") and span.end < len(doc) and doc[span.end].ent_iob_ == "I":
        return True
    for ent in doc.ents:
        if not (ent.start <= span.start and span.end <= ent.end) or ent.label_ in _PLACES:
            continue
        core = [t.i for t in ent if t.pos_ not in ("DET", "PUNCT", "PART")]
        if core and core[0] >= span.start and core[-1] < span.end:
            return False
        return ent.label_ in ("PERSON", "ORG", "FAC", "LAW", "WORK_OF_ART", "EVENT")
    return False


@pytest.mark.parametrize(
    "entity_type",
    ["person", "group", "event", "document", "incident", "institution", "position", "state"],
)
def test_last_mentioned_is_the_mention_a_scan_finds_last(drafted, entity_type):
    kinds = ("person", "official") if entity_type == "person" else (entity_type,)
    found = 0
    for before in range(len(drafted.doc) + 1):
        expected = _last_by_scan(drafted, before, lambda e: e.type in kinds)
        assert drafted.last_mentioned(before, entity_type) is expected, before
        found += expected is not None
    assert found > 0  # the seed mentions each of these types


def test_last_mentioned_with_a_test_of_its_own(drafted):
    def named_talks(entity: DraftEntity) -> bool:
        return "talks" in entity.label.lower() or "negotiations" in entity.label.lower()

    answers = [drafted.last_mentioned(i, "event", named_talks) for i in range(len(drafted.doc))]
    assert answers == [
        _last_by_scan(drafted, i, lambda e: e.type == "event" and named_talks(e))
        for i in range(len(drafted.doc))
    ]
    assert {a.id for a in answers if a} >= {"negotiations-at-the-united-nations"}


def test_first_mention_in_a_sentence_is_the_first_span_a_scan_finds(drafted):
    checked = 0
    for sentence in drafted.doc.sents:
        for entity_id, spans in drafted.spans.items():
            entity = drafted.entities[entity_id]
            expected = next(((s, e) for s, e in spans if sentence.start <= s < sentence.end), None)
            assert drafted.first_mention_in(entity, sentence.start, sentence.end) == expected
            checked += expected is not None
    assert checked > 50


@pytest.mark.parametrize("page", ["un-gge-talks-collapse-2017", "un-oewg-geneva-session-2023"])
def test_a_name_inside_a_longer_one_is_found_as_a_scan_finds_it(page):
    doc = _mentions(page).doc
    names = _recognised_names(doc)
    inside = 0
    for start in range(len(doc)):
        for end in range(start + 1, min(start + 5, len(doc)) + 1):
            span = doc[start:end]
            expected = _inside_longer_name_by_scan(span)
            assert _inside_longer_name(span, names) == expected, span.text
            inside += expected
    assert inside > 20


def test_a_new_entity_is_the_first_entity_of_its_type_and_name(drafted):
    for entity in list(drafted.entities.values()):
        expected = next(
            e
            for e in drafted.entities.values()
            if e.type == entity.type and normalise_name(e.label) == normalise_name(entity.label)
        )
        assert drafted.new_entity(entity.type, entity.label, "phrase") is expected


def test_merging_moves_every_mention_as_a_scan_of_all_tokens_would():
    mentions = _mentions("un-gge-talks-collapse-2017")
    keep, drop = mentions.entities["democratic-national-committee"], mentions.entities["un-gge"]
    expected_tokens = {
        index: keep.id if entity_id == drop.id else entity_id
        for index, entity_id in mentions.token_entity.items()
    }
    expected_spans = mentions.spans[keep.id] + mentions.spans[drop.id]
    mentions.merge(keep, drop)
    assert mentions.token_entity == expected_tokens
    assert mentions.spans[keep.id] == expected_spans
    assert drop.id not in mentions.entities and drop.id not in mentions.spans
    assert normalise_name(drop.label) in {normalise_name(a) for a in keep.aliases}
    for before in range(len(mentions.doc) + 1):
        expected = _last_by_scan(mentions, before, lambda e: e.type == "institution")
        assert mentions.last_mentioned(before, "institution") is expected
    assert mentions.new_entity("institution", drop.label, "phrase") is not drop


def _text_mentions(text: str) -> Mentions:
    nlp = load_pipeline()
    return find_mentions(nlp(text), base_gazetteer(), nlp.make_doc)


def test_a_peers_title_is_part_of_the_name():
    mentions = _text_mentions("Lord Marsh, a minister at the Foreign Office, spoke.")
    assert {e.label: e.type for e in mentions.entities.values()}["Lord Marsh"] == "person"


def test_a_name_beside_a_role_is_a_persons_even_when_taken_for_a_body():
    mentions = _text_mentions(
        "Poland's deputy minister for digital affairs, Tomasz Rybak, said the sanctions were "
        "long overdue."
    )
    assert {e.label: e.type for e in mentions.entities.values()}["Tomasz Rybak"] == "person"


def test_a_body_is_found_in_either_spelling():
    mentions = _text_mentions(
        "The Organisation for Security and Co-operation in Europe condemned the attack."
    )
    assert "osce" in mentions.entities


def test_an_organ_phrase_around_a_known_bodys_name_is_that_body():
    mentions = _text_mentions(
        "The group works on behalf of Russia's GRU military intelligence agency. The GRU denied it."
    )
    institutions = [e for e in mentions.entities.values() if e.type == "institution"]
    assert [e.id for e in institutions] == ["gru"]
    assert "Russia's GRU military intelligence agency" in institutions[0].aliases


def test_a_name_after_a_role_noun_is_a_persons_even_when_taken_for_a_body():
    mentions = _text_mentions(
        'The Russian embassy in Prague denied it. "Russia has nothing to do with these '
        'attacks," embassy spokeswoman Irina Dolgova said in a statement.'
    )
    assert {e.label: e.type for e in mentions.entities.values()}["Irina Dolgova"] == "person"


def _labels(text: str) -> dict[str, list[str]]:
    nlp = load_pipeline()
    mentions = find_mentions(nlp(text), base_gazetteer(), nlp.make_doc)
    return {e.label: e.aliases for e in mentions.entities.values()}


@pytest.mark.parametrize(
    ("text", "wanted", "unwanted"),
    [
        # a date is no part of a name, nor a name
        ("The Interior Ministry on Friday charged two men.", "Interior Ministry", "Friday"),
        # a name cut at an opening bracket keeps no bracket
        ("The Bureau of Export Security (BES) acted.", "Bureau of Export Security", "("),
        # a clause opened by a verb is no name
        ("Addressing the Assembly, the envoy spoke.", None, "Addressing"),
        # a possessive after the state is not part of the organ's name
        ("Agents of China\u2019s Ministry of Public Works left.", "Ministry of Public Works", "s "),
        # two names of one body the recogniser cut at "for"
        ("said Anna Berg, a cyber policy researcher at the Atlantic Council for Digital "
         "Security in Madrid.", "Atlantic Council for Digital Security", "Digital Security"),
    ],
)  # fmt: skip
def test_labels_hold_names_only(text: str, wanted: str | None, unwanted: str) -> None:
    labels = _labels(text)
    if wanted is not None:
        assert wanted in labels
    assert not [label for label in labels if label != wanted and unwanted in label]


def test_a_dateline_is_no_alias_of_its_state() -> None:
    labels = _labels("BERLIN \u2013 Germany said the attack came from abroad. Berlin denied it.")
    assert "BERLIN" not in labels["Germany"]
    assert "Berlin" in labels["Germany"]


def test_one_word_of_a_body_named_in_full_is_that_body() -> None:
    labels = _labels("The Council of the EU met on Monday. The Council agreed the sanctions.")
    assert labels == {"Council of the European Union": ["Council of the EU", "Council"]}


@pytest.mark.parametrize(
    ("text", "label", "entity_type"),
    [
        ("The acts were published in the Official Journal of the European Union.",
         "Official Journal of the European Union", "document"),
        ("The Cyber Resilience Act entered into force.", "Cyber Resilience Act", "document"),
        ("Leaders met at the NATO Summit in Vilnius.", "NATO Summit", "event"),
        ("The Senate passed the bill.", "Senate", "institution"),
    ],
)  # fmt: skip
def test_the_last_word_of_a_name_types_a_text_or_a_gathering(
    text: str, label: str, entity_type: str
) -> None:
    nlp = load_pipeline()
    mentions = find_mentions(nlp(text), base_gazetteer(), nlp.make_doc)
    assert {e.label: e.type for e in mentions.entities.values()}.get(label) == entity_type


@pytest.mark.parametrize(
    "text",
    [
        "Officers of Russia's GRU military intelligence agency were charged.",
        "Russia's military intelligence agency, the GRU, was named.",
    ],
)
def test_an_organ_phrase_holding_a_known_body_is_that_body(text: str) -> None:
    nlp = load_pipeline()
    mentions = find_mentions(nlp(text), base_gazetteer(), nlp.make_doc)
    assert [e.id for e in mentions.entities.values() if e.type == "institution"] == ["gru"]


def test_a_common_noun_alone_is_no_body() -> None:
    labels = _labels("They urged Member States to uphold responsible State behaviour.")
    assert "State" not in labels


def test_a_states_military_alone_is_the_state(draft_text):
    draft = draft_text("Finland said Russia's military jammed the signals.\n")
    assert "Russia's military" in {e.id: e for e in draft.entities}["russia"].aliases
    assert not [e for e in draft.entities if e.type == "institution"]


def test_a_states_military_agency_is_an_organ_of_it(draft_text):
    draft = draft_text("Finland said Russia's military intelligence agency jammed the signals.\n")
    organs = [e.label for e in draft.entities if e.type == "institution"]
    assert organs == ["Russia's military intelligence agency"]


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("France and Britain launched the Pall Mall Process on Tuesday.\n", "Pall Mall Process"),
        ("Kenya said it would join the Budapest Convention next year.\n", "Budapest Convention"),
    ],
)
def test_a_name_ending_in_a_document_word_is_a_document(draft_text, text, label):
    draft = draft_text(text)
    assert {e.label: e.type for e in draft.entities}[label] == "document"


def test_a_name_the_recogniser_misses_in_a_list_of_people_is_a_person(draft_text) -> None:
    draft = draft_text(
        "The Justice Department charged Anton Kirov, Boris Lenk and Pavel Orlov with conspiracy."
    )
    people = {entity.label for entity in draft.entities if entity.type == "person"}
    assert people == {"Anton Kirov", "Boris Lenk", "Pavel Orlov"}
