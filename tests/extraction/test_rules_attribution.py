"""The attribution rule (graph/extraction/rules/attribution.py): who is behind a cyber
operation, and whom it was meant to help."""

from __future__ import annotations

ALLEGED = "That break-in was allegedly coordinated by Russian intelligence.\n"
ASSIST = (
    "The hacking of the DNC was carried out by Russian intelligence and intended to assist "
    "Donald Trump.\n"
)
RESPONSIBLE = (
    "He recalled the 2016 hacking of the US Democratic National Committee's (DNC) computers. "
    "The US government said the Russians were responsible for hacking into the DNC.\n"
)
HACK = "2016-hacking-of-the-us-democratic-national-committee"


def test_an_operation_carried_out_by_an_agency_is_attributed_to_it(draft_text):
    draft = draft_text(ALLEGED)
    (attributed,) = [s for s in draft.statements if s.rule == "attribution"]
    assert (attributed.subject, attributed.relation, attributed.object) == (
        "break-in", "attributed_to", "russian-intelligence",
    )  # fmt: skip
    assert attributed.modality == "alleged"


def test_without_attribution_the_agency_is_still_the_states(text_facts):
    assert text_facts(ALLEGED, without={"attribution"}) == {
        ("russian-intelligence", "part_of", "russia", "organ")
    }


def test_what_an_operation_was_meant_to_help(text_facts):
    facts = text_facts(ASSIST)
    assert {
        ("hacking-of-the-dnc", "attributed_to", "russian-intelligence", "attribution"),
        ("hacking-of-the-dnc", "intended_to_benefit", "donald-trump", "attribution"),
    } <= facts


def test_an_operation_blamed_on_a_state(text_facts):
    assert text_facts("The attack was blamed on Russia.\n") == {
        ("attack", "attributed_to", "russia", "attribution")
    }


def test_those_responsible_for_a_hack_named_before(text_facts):
    assert (HACK, "attributed_to", "russia", "attribution") in text_facts(RESPONSIBLE)


def test_without_target_the_hack_named_before_is_not_found_again(text_facts):
    """The hack is known by its target: without the target rule, "hacking into the DNC" is
    no incident named before."""
    facts = text_facts(RESPONSIBLE, without={"target"})
    assert not [fact for fact in facts if fact[3] == "attribution"]
