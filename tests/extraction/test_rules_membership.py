"""The rules of membership and participation (graph/extraction/rules/membership.py)."""

from __future__ import annotations

import pytest

INCLUDING = (
    "Experts from 25 countries, including the UK, took part in the negotiations at the "
    "United Nations.\n"
)
NEGOTIATIONS = "negotiations-at-the-united-nations"


def test_a_member_named_with_including_takes_part_with_its_group(text_facts):
    assert {
        ("united-kingdom", "member_of", "25-countries", "membership"),
        ("25-countries", "participates_in", NEGOTIATIONS, "participation"),
        ("united-kingdom", "participates_in", NEGOTIATIONS, "participation"),
    } <= text_facts(INCLUDING)


def test_without_membership_the_member_takes_no_part(text_facts):
    facts = text_facts(INCLUDING, without={"membership"})
    assert ("25-countries", "participates_in", NEGOTIATIONS, "participation") in facts
    assert not [fact for fact in facts if fact[0] == "united-kingdom"]


def test_without_participation_the_membership_stays(text_facts):
    facts = text_facts(INCLUDING, without={"participation"})
    assert ("united-kingdom", "member_of", "25-countries", "membership") in facts
    assert not [fact for fact in facts if fact[1] == "participates_in"]


def test_the_other_members_of_a_body(text_facts):
    text = "The UK and all the other members of the UN security council signed.\n"
    membership = ("united-kingdom", "member_of", "un-security-council", "membership")
    assert membership in text_facts(text)
    assert membership not in text_facts(text, without={"membership"})


@pytest.mark.parametrize(
    ("text", "facts"),
    [
        (
            "The talks ended in an acrimonious dispute that pitted Russia and China against "
            "western countries.\n",
            {(state, "participates_in", "acrimonious-dispute")
             for state in ("russia", "china", "western-countries")},
        ),
        ("Finland participated in the talks.\n", {("finland", "participates_in", "talks")}),
        ("Kenya monitored the talks.\n", {("kenya", "observes", "talks")}),
    ],
)  # fmt: skip
def test_who_takes_part_or_observes(text_facts, text, facts):
    assert {(*fact, "participation") for fact in facts} <= text_facts(text)
    assert not [f for f in text_facts(text, without={"participation"}) if f[3] == "participation"]


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Estonia, a member of NATO, asked for help.\n", ("estonia", "member_of", "nato")),
        ("Estonia is a member of NATO.\n", ("estonia", "member_of", "nato")),
        (
            "All UN member states, Russia included, endorsed the norms.\n",
            ("russia", "member_of", "united-nations"),
        ),
    ],
)
def test_a_state_named_as_a_member_of_a_body(text_facts, text, fact):
    assert (*fact, "membership") in text_facts(text)
    assert not [f for f in text_facts(text, without={"membership"}) if f[1] == "member_of"]


@pytest.mark.parametrize(
    "text",
    [
        "The EU and its member states condemned the attack.\n",
        "Most of the EU's members stayed silent.\n",
        "All EU member states backed the listing.\n",
    ],
)
def test_members_named_by_their_body_are_part_of_it(draft_text, text):
    draft = draft_text(text)
    types = {entity.id: entity.type for entity in draft.entities}
    parts = [(types[s.subject], s.object) for s in draft.statements if s.relation == "part_of"]
    assert parts == [("group", "european-union")]


def test_a_member_of_no_body_named_is_no_member(text_facts):
    facts = text_facts("Estonia, a member of the coalition, asked for help.\n")
    assert not [f for f in facts if f[1] == "member_of"]


def test_the_other_members_of_a_body_are_no_group_of_their_own(draft_text):
    draft = draft_text("The UK and all the other members of the UN security council signed.\n")
    assert not [entity for entity in draft.entities if entity.type == "group"]


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Poland said it would consult its European Union partners.\n",
            ("poland", "member_of", "european-union", "membership"),
        ),
        (
            "Britain's NATO allies backed the move.\n",
            ("united-kingdom", "member_of", "nato", "membership"),
        ),
    ],
)
def test_a_state_with_partners_or_allies_in_a_body_is_a_member(text_facts, text, fact):
    assert fact in text_facts(text)


def test_partners_in_no_body_named_make_no_member(text_facts):
    assert not [f for f in text_facts("Poland thanked its partners.\n") if f[1] == "member_of"]
