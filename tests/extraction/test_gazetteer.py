"""What the extractor knows before reading: states, bodies, and annotated entities."""

from __future__ import annotations

import csv
import shutil

import pytest

from graph.annotations import load_corpus
from graph.extraction.gazetteer import (
    Gazetteer,
    KnownEntity,
    base_gazetteer,
    gazetteer_dir,
    normalise_name,
    slug,
)
from graph.names import normalise_name as names_normalise_name
from tests.factories import SEED_ID

OEWG_ID = "un-oewg-geneva-session-2023"


@pytest.fixture(scope="module")
def base() -> Gazetteer:
    return base_gazetteer()


@pytest.fixture(scope="module")
def seed_known(base, seed_corpus) -> Gazetteer:
    return base.with_corpus(seed_corpus)


@pytest.fixture(scope="module")
def seed_and_oewg(fixture_data):
    """The seed and the OEWG fixture (which declares the seed's UK Foreign Office as fcdo)."""
    data = fixture_data.parent / "seed-and-oewg"
    if not data.exists():
        for source in (SEED_ID, OEWG_ID):
            shutil.copytree(fixture_data / source, data / source)
    return load_corpus(data)


def _ids(entities: list[KnownEntity]) -> list[str]:
    return [entity.id for entity in entities]


# --- states ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["Russia", "russia", "Moscow", "the Kremlin", "Russian Federation"]
)
def test_russia_by_its_names(base, name):
    assert _ids(base.lookup(name)) == ["russia"]


@pytest.mark.parametrize("demonym", ["Russian", "Russians", "russians"])
def test_russia_by_its_demonyms(base, demonym):
    state = base.demonym(demonym)
    assert state is not None and state.id == "russia"


def test_a_demonym_is_not_a_name(base):
    assert base.lookup("Russian") == []
    assert base.demonym("Moscow") is None


@pytest.mark.parametrize(
    ("state_id", "label", "iso", "wikidata", "alias"),
    [
        ("russia", "Russia", "RU", "Q159", "Moscow"),
        ("cuba", "Cuba", "CU", "Q241", "Havana"),
        ("united-states", "United States", "US", "Q30", "US"),
    ],
)
def test_iso_codes_and_wikidata_ids_from_the_table(base, state_id, label, iso, wikidata, alias):
    state = base.entities[state_id]
    assert (state.type, state.label, state.iso3166, state.wikidata) == (
        "state",
        label,
        iso,
        wikidata,
    )
    assert state.origin == "gazetteer"
    assert alias in state.aliases
    assert base.by_iso[iso] == state_id


def test_the_cuban_demonym(base):
    assert base.demonym("Cuban").id == "cuba"


def _table_codes() -> set[str]:
    with (gazetteer_dir() / "states.tsv").open(encoding="utf-8") as handle:
        return {row[0] for row in csv.reader(handle, delimiter="\t") if not row[0].startswith("#")}


def test_a_state_known_only_to_iso_3166(base):
    assert "FJ" not in _table_codes()
    (fiji,) = base.lookup("Fiji")
    assert (fiji.id, fiji.type, fiji.iso3166, fiji.wikidata, fiji.origin) == (
        "fiji",
        "state",
        "FJ",
        None,
        "iso3166",
    )
    assert base.demonym("Fijian") is None


def test_the_table_overrides_iso_3166_names(base):
    # ISO 3166 calls it "Korea, Republic of"; the table gives the usual name
    assert base.lookup("Korea, Republic of") == []
    (korea,) = base.lookup("South Korea")
    assert (korea.iso3166, korea.origin) == ("KR", "gazetteer")
    assert [e.id for e in base.entities.values() if e.iso3166 == "KR"] == [korea.id]


def test_every_state_in_the_table_has_one_entity(base):
    codes = _table_codes()
    assert len(codes) > 60
    states = [e for e in base.entities.values() if e.type == "state" and e.iso3166 in codes]
    assert sorted(e.iso3166 for e in states) == sorted(codes)


# --- bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "body_id"),
    [
        ("United Nations", "united-nations"),
        ("UN", "united-nations"),
        ("the UN", "united-nations"),
        ("NATO", "nato"),
        ("Nato", "nato"),
        ("North Atlantic Treaty Organization", "nato"),
        ("UN security council", "un-security-council"),
        ("GGE", "un-gge"),
        ("OEWG", "un-oewg"),
    ],
)
def test_bodies_by_name(base, name, body_id):
    (body,) = base.lookup(name)
    assert (body.id, body.type) == (body_id, "institution")


def test_bodies_carry_wikidata_ids_and_part_of(base):
    assert base.entities["united-nations"].wikidata == "Q1065"
    assert base.entities["nato"].wikidata == "Q7184"
    assert base.entities["united-nations"].part_of is None
    assert base.entities["un-security-council"].part_of == "united-nations"
    assert base.entities["un-gge"].part_of == "united-nations"
    assert base.entities["gru"].part_of == "RU"  # an agency names its state by ISO code
    assert base.by_iso[base.entities["gru"].part_of] == "russia"


# --- annotated sources ----------------------------------------------------------------


def test_the_base_knows_no_annotated_person(base):
    assert base.lookup("Oleg Khramov") == []
    assert not any(e.type in ("person", "official") for e in base.entities.values())


def test_with_corpus_links_the_seed_entities(seed_known):
    (khramov,) = seed_known.lookup("Oleg Khramov")
    assert (khramov.id, khramov.type, khramov.origin) == ("oleg-khramov", "official", SEED_ID)
    (schmitt,) = seed_known.lookup("Schmitt")
    assert schmitt.id == "mike-schmitt"
    (government,) = seed_known.lookup("UK government")
    assert government.id == "uk-government"


def test_positions_are_never_linked(seed_known, seed_corpus):
    positions = [e for e in seed_corpus.entities.values() if e.type == "position"]
    assert positions
    assert not any(p.id in seed_known.entities for p in positions)


def test_a_seed_state_merges_with_the_gazetteer_state(seed_known):
    russia = seed_known.entities["russia"]
    assert russia.origin == SEED_ID
    assert (russia.iso3166, russia.wikidata) == ("RU", "Q159")
    assert "the Russians" in russia.aliases and "the Kremlin" in russia.aliases
    assert seed_known.demonym("Russians").id == "russia"  # demonyms follow the merged state
    assert _ids(seed_known.lookup("Moscow")) == ["russia"]
    assert [e.id for e in seed_known.entities.values() if e.iso3166 == "RU"] == ["russia"]


def test_with_corpus_leaves_the_base_as_it_was(base, seed_known):
    assert "oleg-khramov" in seed_known.entities
    assert "oleg-khramov" not in base.entities
    assert base.entities["russia"].origin == "gazetteer"
    assert base_gazetteer().lookup("Schmitt") == []


def test_exclude_source_leaves_out_that_sources_entities(base, seed_corpus):
    known = base.with_corpus(seed_corpus, exclude_source=SEED_ID)
    assert "oleg-khramov" not in known.entities
    assert "mike-schmitt" not in known.entities
    assert known.lookup("Michele Markoff") == []
    assert known.entities["russia"].origin == "gazetteer"  # still a state of the table


def test_exclude_source_keeps_entities_another_source_declares_too(base, seed_and_oewg):
    known = base.with_corpus(seed_and_oewg, exclude_source=SEED_ID)
    assert "oleg-khramov" not in known.entities  # the seed's alone
    office = known.entities["uk-foreign-office"]  # also the fixture's, as fcdo
    assert office.origin == OEWG_ID
    assert _ids(known.lookup("FCDO")) == ["uk-foreign-office"]
    assert "anke-schmitt" in known.entities
    other_way = base.with_corpus(seed_and_oewg, exclude_source=OEWG_ID)
    assert "anke-schmitt" not in other_way.entities
    assert other_way.entities["uk-foreign-office"].origin == SEED_ID


def test_two_people_with_one_surname_are_both_candidates(base, seed_and_oewg):
    known = base.with_corpus(seed_and_oewg)
    assert sorted(_ids(known.lookup("Schmitt"))) == ["anke-schmitt", "mike-schmitt"]
    assert _ids(known.lookup("Anke Schmitt")) == ["anke-schmitt"]


def test_with_no_corpus_is_a_copy(base):
    copy = base.with_corpus(None)
    copy.add(KnownEntity("atlantis", "state", "Atlantis", iso3166="XA"))
    assert "atlantis" in copy.entities and "atlantis" not in base.entities
    assert base.lookup("Atlantis") == []


def test_add_merges_by_iso_code_and_keeps_the_old_names():
    gazetteer = Gazetteer()
    gazetteer.add(KnownEntity("ruritania", "state", "Ruritania", ("Strelsau",), iso3166="RR"))
    new_id = gazetteer.add(
        KnownEntity("kingdom-of-ruritania", "state", "Kingdom of Ruritania", iso3166="RR")
    )
    assert new_id == "kingdom-of-ruritania"
    assert list(gazetteer.entities) == ["kingdom-of-ruritania"]
    assert _ids(gazetteer.lookup("Ruritania")) == ["kingdom-of-ruritania"]
    assert _ids(gazetteer.lookup("Strelsau")) == ["kingdom-of-ruritania"]
    kept = gazetteer.add(KnownEntity("rur", "state", "Rur", iso3166="RR"), replace=False)
    assert kept == "kingdom-of-ruritania" and "rur" not in gazetteer.entities


# --- ids and names --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Miguel Rodr\u00edguez", "miguel-rodriguez"),  # the docstring's example
        ("Ana Lu\u00edsa Moreira", "ana-luisa-moreira"),
        ("UK\u2019s foreign office", "uks-foreign-office"),
        ("2016 hacking of the DNC", "2016-hacking-of-the-dnc"),
        ("a b c d e f g h i j", "a-b-c-d-e-f-g-h"),  # eight words at most
        ("", "item"),
        ("!!!", "item"),
        ("\u4e2d\u56fd", "item"),  # nothing ASCII is left
    ],
)
def test_slug(text, expected):
    assert slug(text) == expected


def test_slug_takes_more_words_when_asked():
    assert slug("a b c d e f g h i j", max_words=12) == "a-b-c-d-e-f-g-h-i-j"


def test_the_gazetteer_compares_names_as_everything_else_does():
    assert normalise_name is names_normalise_name
    assert normalise_name("  \u201cThe  West\u2019s\u201d  ") == "west"
    assert normalise_name("The Russians") == normalise_name("russians")
