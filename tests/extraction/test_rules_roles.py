"""The role rules (graph/extraction/rules/roles.py): appositions, relative clauses, organs."""

from __future__ import annotations

import pytest

ENVOY = "The Cuban envoy, Anna Vogel, said the right of self-defence applies online.\n"
PROFESSOR = (
    "Mike Schmitt, professor of international law at Exeter University and a former US air "
    "force lawyer, spoke.\n"
)
EDITOR = (
    "Mike Schmitt, who is the editor of the Tallinn Manual on International Law Applicable "
    "to Cyber Warfare, spoke.\n"
)
LEADER = "Michele Markoff, who led the US delegation, rejected the proposal for a binding treaty.\n"
UNIT = "Anke Schmitt, who leads the cyber policy unit at Germany's Federal Foreign Office, spoke.\n"


def test_a_role_beside_a_name_is_a_representation(draft_text):
    draft = draft_text(ENVOY)
    (represents,) = [s for s in draft.statements if s.relation == "represents"]
    assert (represents.subject, represents.object) == ("anna-vogel", "cuba")
    assert (represents.rule, represents.role, represents.modality) == (
        "apposition", "envoy", "asserted",
    )  # fmt: skip
    assert draft.quote(represents) == "The Cuban envoy, Anna Vogel"
    assert {e.id: e.type for e in draft.entities}["anna-vogel"] == "official"


def test_without_apposition_no_one_represents_cuba(text_facts):
    facts = text_facts(ENVOY, without={"apposition"})
    assert not [fact for fact in facts if fact[1] == "represents"]
    assert ("anna-vogel", "supports_position", "the-right-of-self-defence-applies-online",
            "reported-speech") in facts  # fmt: skip


def test_a_role_at_an_institution_and_a_former_one_are_affiliations(draft_text):
    draft = draft_text(PROFESSOR)
    found = {
        (s.object, s.role, s.former)
        for s in draft.statements
        if (s.subject, s.relation, s.rule) == ("mike-schmitt", "affiliated_with", "affiliation")
    }
    assert found == {
        ("exeter-university", "professor of international law", None),
        ("us-air-force", "lawyer", True),
    }


def test_without_affiliation_the_organ_stays(text_facts):
    assert text_facts(PROFESSOR, without={"affiliation"}) == {
        ("us-air-force", "part_of", "united-states", "organ")
    }


def test_the_editor_of_a_publication_in_a_relative_clause(text_facts):
    manual = "tallinn-manual-on-international-law-applicable-to-cyber"
    assert text_facts(EDITOR) == {("mike-schmitt", "editor_of", manual, "editor")}
    assert text_facts(EDITOR, without={"editor"}) == set()


def test_who_led_a_states_delegation_leads_it_and_represents_the_state(text_facts):
    facts = text_facts(LEADER)
    assert {
        ("michele-markoff", "leads", "us-delegation", "relative-clause"),
        ("michele-markoff", "represents", "united-states", "relative-clause"),
        ("us-delegation", "represents", "united-states", "organ"),
    } <= facts
    without = text_facts(LEADER, without={"relative-clause"})
    assert not [fact for fact in without if fact[3] == "relative-clause"]
    assert ("us-delegation", "represents", "united-states", "organ") in without


def test_without_organ_the_delegation_represents_no_state_nor_its_head(text_facts):
    """The head of a delegation represents the state that the delegation represents."""
    facts = text_facts(LEADER, without={"organ"})
    assert ("michele-markoff", "leads", "us-delegation", "relative-clause") in facts
    assert not [fact for fact in facts if fact[1] == "represents"]


def test_who_leads_a_unit_at_an_office_is_affiliated_with_the_office(draft_text):
    draft = draft_text(UNIT)
    (affiliation,) = [s for s in draft.statements if s.relation == "affiliated_with"]
    assert (affiliation.subject, affiliation.object) == ("anke-schmitt", "federal-foreign-office")
    assert (affiliation.rule, affiliation.role) == ("relative-clause", "cyber policy unit")


def test_a_persons_campaign_is_led_by_them(text_facts):
    text = "Donald Trump's presidential campaign was investigated.\n"
    campaign = ("donald-trump", "leads", "donald-trump-s-presidential-campaign", "relative-clause")
    assert text_facts(text) == {campaign}
    assert text_facts(text, without={"relative-clause"}) == set()


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "That break-in was allegedly coordinated by Russian intelligence.\n",
            ("russian-intelligence", "part_of", "russia", "organ"),
        ),
        (
            "The two-day meeting, which is hosted by the Estonian foreign ministry, opened.\n",
            ("estonian-foreign-ministry", "represents", "estonia", "organ"),
        ),
    ],
)
def test_a_states_organ_is_part_of_it_or_represents_it(text_facts, text, fact):
    assert fact in text_facts(text)
    assert not [f for f in text_facts(text, without={"organ"}) if f[3] == "organ"]


def test_a_known_body_whose_name_starts_with_a_demonym_keeps_its_whole_name(draft_text):
    draft = draft_text("The Australian Signals Directorate published the advisory.\n")
    assert [entity.id for entity in draft.entities if entity.type == "institution"] == [
        "australian-signals-directorate"
    ]


def test_a_body_inside_another_belongs_to_its_state_through_it(text_facts):
    facts = text_facts("The Australian Cyber Security Centre published the advisory.\n")
    assert {f[:3] for f in facts if f[3] == "organ"} == {
        ("australian-cyber-security-centre", "part_of", "australian-signals-directorate"),
    }
