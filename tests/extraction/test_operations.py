"""Named cyber operations, malware and hacking groups, typed by the words around them."""

from __future__ import annotations

import pytest

from graph.extraction.gazetteer import base_gazetteer
from graph.extraction.language import load_pipeline
from graph.extraction.mentions import Mentions, find_mentions
from graph.extraction.operations import GROUP_CODE, name_operations


def _mentions(text: str) -> Mentions:
    nlp = load_pipeline()
    mentions = find_mentions(nlp(text), base_gazetteer(), nlp.make_doc)
    name_operations(mentions)
    return mentions


def _types(text: str) -> dict[str, str]:
    """Label -> type of the entities found in ``text``."""
    return {e.label: e.type for e in _mentions(text).entities.values()}


@pytest.mark.parametrize(
    ("text", "label", "entity_type"),
    [
        ("Investigators linked the Quillfeather attack to Moscow.", "Quillfeather", "incident"),
        ("The outbreak spread through the Emberwolf malware in March.", "Emberwolf", "incident"),
        ("Ministries were hit in Operation Silent Lantern last year.",
         "Operation Silent Lantern", "incident"),
        ("Slatefire, the wiper that erased their servers, was a state tool.",
         "Slatefire", "incident"),
        ("The hospitals were hit by ransomware called Blackmoor.", "Blackmoor", "incident"),
        ("Analysts blamed a hacking group it calls Grey Heron for the leak.",
         "Grey Heron", "group"),
        ("The data was stolen by a group known as Rust Finch.", "Rust Finch", "group"),
        ("They were members of a hacking group that called itself Kestrel Crew.",
         "Kestrel Crew", "group"),
        ("Iranian hacking group Pale Lynx broke into the network.", "Pale Lynx", "group"),
        ("Researchers traced the intrusion to APT99 in 2021.", "APT99", "group"),
        ("UNC4321, a unit of the army, denied nothing.", "UNC4321", "group"),
    ],
)  # fmt: skip
def test_the_words_around_a_name_give_its_type(text: str, label: str, entity_type: str) -> None:
    assert _types(text).get(label) == entity_type


def test_a_list_of_names_before_attacks_gives_one_incident_each() -> None:
    types = _types("They were punished for the Corvid, BlueLatch and Operation Dim Tide attacks.")
    assert types.get("Corvid") == "incident"
    assert types.get("BlueLatch") == "incident"
    assert types.get("Operation Dim Tide") == "incident"
    assert not [label for label in types if " and " in label]


def test_a_name_typed_once_is_typed_in_every_mention() -> None:
    mentions = _mentions(
        "The Thornback worm hit the banks. Experts said Thornback was built for speed. "
        "Thornback struck again in May."
    )
    [incident] = [e for e in mentions.entities.values() if e.label == "Thornback"]
    assert incident.type == "incident"
    assert len(mentions.spans[incident.id]) == 3


def test_a_code_named_after_a_group_is_another_name_of_it() -> None:
    mentions = _mentions("Gilt Sparrow, which researchers also track as TA-555, hit clinics.")
    groups = [e for e in mentions.entities.values() if e.type == "group"]
    assert [(g.label, g.aliases) for g in groups] == [("Gilt Sparrow", ["TA-555"])]


@pytest.mark.parametrize(
    "text",
    [
        "Germany blamed Russia for the Bundestag hack.",  # the victim, not the operation
        "The Paris attack shocked France.",
        "Officials of the Harlow campaign said they were hacked.",
        "The shipping group Osterby Lines was hit.",
    ],
)
def test_a_victim_or_a_campaign_is_no_operation(text: str) -> None:
    types = _types(text)
    assert "incident" not in types.values()
    assert "group" not in types.values()


@pytest.mark.parametrize(
    "text",
    [
        "The Finnish security firm Varpu Labs reported the flaw.",
        "Victims included Marlow Pharmaceuticals.",
        "Ostra Vind, a Danish wind-farm operator, lost power.",
    ],
)
def test_a_business_taken_for_a_person_is_an_institution(text: str) -> None:
    types = _types(text)
    assert "person" not in types.values()
    assert "institution" in types.values()


@pytest.mark.parametrize("code", ["APT28", "UNC1234", "TA-917", "FIN7", "Storm-0558"])
def test_threat_group_codes(code: str) -> None:
    assert GROUP_CODE.match(code)


@pytest.mark.parametrize("word", ["G7", "G20", "COVID-19", "A400"])
def test_other_codes_are_not_groups(word: str) -> None:
    assert not GROUP_CODE.match(word)


@pytest.mark.parametrize(
    ("text", "entity_id"),
    [
        ("Fancy Bear denied it.", "apt28"),
        ("The Lazarus Group struck again.", "lazarus-group"),
        ("Stuxnet damaged the centrifuges.", "stuxnet"),
    ],
)
def test_groups_and_operations_known_by_name_are_linked(text: str, entity_id: str) -> None:
    entities = _mentions(text).entities
    assert entity_id in entities
    assert entities[entity_id].type in ("group", "incident")


def test_a_product_taken_for_a_person_is_no_entity() -> None:
    types = _types("The worm hid in an update to Pelli Books, an accounting program.")
    assert "Pelli Books" not in types
