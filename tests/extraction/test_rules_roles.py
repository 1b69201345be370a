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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Brazilian President Joana Lima denied the report.\n",
            {("joana-lima", "represents", "brazil", "Brazilian President")},
        ),
        (
            "White House cyber adviser Tom Reyes said the attack was reckless.\n",
            {("tom-reyes", "represents", "united-states", "White House cyber adviser")},
        ),
        (
            "Microsoft President Brad Smith welcomed the move.\n",
            {("brad-smith", "leads", "microsoft", "Microsoft President")},
        ),
        (
            "Chilean Defence Minister Rosa Vidal spoke.\n",
            {("rosa-vidal", "represents", "chile", "Chilean Defence Minister")},
        ),
    ],
)
def test_a_title_before_a_name_gives_the_state_or_body(draft_text, text, expected):
    draft = draft_text(text)
    found = {
        (s.subject, s.relation, s.object, s.role) for s in draft.statements if s.rule == "title"
    }
    assert found == expected
    (person,) = {s.subject for s in draft.statements if s.rule == "title"}
    assert {e.id: e.type for e in draft.entities}[person] == "official"


def test_a_minister_with_no_state_named_represents_the_state_the_article_names_most(text_facts):
    text = (
        "Chile said the outage was an attack. Chile asked Peru for help.\n\n"
        "Interior Minister Rosa Vidal told reporters that the outage was deliberate.\n"
    )
    assert ("rosa-vidal", "represents", "chile", "title") in text_facts(text)


def test_a_title_and_a_body_after_the_name(text_facts):
    text = (
        "The United States charged two men. Assistant Attorney General Dan Roe of the "
        "National Security Division said the charges were serious.\n"
    )
    facts = text_facts(text)
    assert ("dan-roe", "represents", "united-states", "title") in facts
    assert ("dan-roe", "affiliated_with", "national-security-division", "title") in facts
    assert not [fact for fact in text_facts(text, without={"title"}) if fact[3] == "title"]


def test_a_name_after_a_plain_noun_has_no_title(text_facts):
    assert not [
        fact for fact in text_facts("Voters in Chile backed Rosa Vidal.\n") if fact[3] == "title"
    ]


@pytest.mark.parametrize(
    ("text", "relation", "body"),
    [
        ("Lord Marsh, a minister at the Foreign Office, spoke.\n", "represents",
         "foreign-office"),
        ("Maria Santos, a spokeswoman for the Cyber Council, spoke.\n", "represents",
         "cyber-council"),
        ("Paul Becker, chief executive of the Harbour Trust, spoke.\n", "leads",
         "harbour-trust"),
        ("Maria Santos, head of the Cyber Council, spoke.\n", "leads", "cyber-council"),
        ("Paul Becker, director of the policy programme at the Cyber Council, spoke.\n",
         "affiliated_with", "cyber-council"),
    ],
)  # fmt: skip
def test_how_a_role_beside_a_name_stands_to_the_body(text_facts, text, relation, body):
    facts = {fact for fact in text_facts(text) if fact[3] == "affiliation"}
    assert {(fact[1], fact[2]) for fact in facts} == {(relation, body)}


def test_an_unnamed_spokesman_who_speaks_is_an_official_of_the_body_named(draft_text):
    draft = draft_text("A Brazilian foreign ministry spokesman said the report was false.\n")
    officials = [e for e in draft.entities if e.type == "official"]
    assert [e.label for e in officials] == ["Brazilian foreign ministry spokesman"]
    assert ("represents", "title") in {
        (s.relation, s.rule) for s in draft.statements if s.subject == officials[0].id
    }
    assert "supports_position" in {
        s.relation for s in draft.statements if s.subject == officials[0].id
    }


def test_an_official_the_text_tells_apart_by_nothing_is_no_entity(draft_text):
    draft = draft_text("An official said the report was false.\n")
    assert not [e for e in draft.entities if e.type == "official"]


def test_a_title_with_no_state_takes_the_state_the_other_titles_name(text_facts):
    """Iran is named most, but the officials' titles say whose officials they are."""
    text = (
        "Iran denied it. Iran said Iran was not involved, and Iran protested.\n\n"
        "U.S. Attorney Ann Cole said the case was strong. Assistant Attorney General Dan Roe "
        "said the charges were serious.\n"
    )
    facts = text_facts(text)
    assert ("dan-roe", "represents", "united-states", "title") in facts
    assert ("dan-roe", "represents", "iran", "title") not in facts


def test_a_spokesman_of_a_body_named_by_its_kind_speaks_for_the_body_named_before(text_facts):
    text = (
        "The Russian embassy in Paris denied any involvement. Embassy spokeswoman Irina "
        "Volkova said the claims were false. The Chinese foreign ministry protested. A "
        "foreign ministry spokesman, Zhou Ming, said China opposed the sanctions.\n"
    )
    facts = text_facts(text)
    assert ("irina-volkova", "represents", "russian-embassy", "title") in facts
    assert ("zhou-ming", "represents", "chinese-foreign-ministry", "apposition") in facts


def test_a_spokesman_of_a_kind_of_body_named_nowhere_before_speaks_for_none(draft_text):
    draft = draft_text("A foreign ministry spokesman, Zhou Ming, said the claims were false.\n")
    assert not [s for s in draft.statements if s.relation == "represents"]
    assert {e.id: e.type for e in draft.entities}["zhou-ming"] == "official"


def test_a_spokesman_in_another_states_capital_speaks_for_no_body_named_before(text_facts):
    text = (
        "The Russian foreign ministry protested. In Beijing, a foreign ministry spokesman, "
        "Zhou Ming, said China opposed the sanctions.\n"
    )
    assert not [fact for fact in text_facts(text) if fact[:2] == ("zhou-ming", "represents")]


def test_the_countrys_minister_represents_the_state_last_named_acting(text_facts):
    text = (
        "Norway expelled two Russians. Erik Dahl, the country's foreign minister, said "
        "the attack was unacceptable.\n"
    )
    facts = text_facts(text)
    assert ("erik-dahl", "represents", "norway", "apposition") in facts
    assert ("erik-dahl", "represents", "russia", "apposition") not in facts


def test_a_minister_with_no_state_named_takes_the_state_his_sentence_names(text_facts):
    text = "Russia denied it. Russia protested. Foreign Secretary Tom Hale said the UK would act.\n"
    facts = text_facts(text)
    assert ("tom-hale", "represents", "united-kingdom", "title") in facts


def test_a_representative_of_a_body_represents_it(text_facts):
    facts = text_facts("EU High Representative Karl Berger condemned the attack.\n")
    assert ("karl-berger", "represents", "european-union", "title") in facts


def test_a_titled_ministers_stance_stays_the_ministers(text_facts):
    """A minister may speak for the government or for themselves: the text does not say
    the state holds the view, so no speaker-state statement is drafted."""
    facts = text_facts("Chilean Defence Minister Rosa Vidal said the attack was reckless.\n")
    assert ("rosa-vidal", "represents", "chile", "title") in facts
    assert not [fact for fact in facts if fact[3] == "speaker-state"]


def test_a_common_noun_in_a_title_is_no_body(text_facts):
    text = "The United States blamed Russia. Press secretary Maria Santos said it was reckless.\n"
    facts = text_facts(text)
    assert ("maria-santos", "represents", "united-states", "title") in facts
    assert not [fact for fact in facts if fact[1] == "affiliated_with"]


def test_the_foreign_minister_of_a_state_unnamed_is_an_official_of_the_state(text_facts):
    facts = text_facts("The Brazilian foreign minister said the claims were false.\n")
    assert ("brazilian-foreign-minister", "represents", "brazil", "title") in facts


def test_the_foreign_minister_named_before_is_the_same_person(draft_text):
    draft = draft_text(
        "Brazilian Foreign Minister Joana Lima said the claims were false. The Brazilian "
        "foreign minister added that the report was absurd.\n"
    )
    speakers = {s.subject for s in draft.statements if s.relation == "supports_position"}
    assert speakers == {"joana-lima"}
    assert [e.id for e in draft.entities if e.type == "official"] == ["joana-lima"]


def test_the_minister_with_no_state_or_body_is_no_entity(draft_text):
    draft = draft_text("The minister said the claims were false.\n")
    assert not [e for e in draft.entities if e.type == "official"]


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


@pytest.mark.parametrize(
    ("role", "relation"),
    [("the commander", "leads"), ("an officer", "represents")],
)
def test_a_role_in_a_hacking_group(text_facts, role, relation):
    text = (
        "The hacking group Grey Otter stole data from Chilean banks. "
        f"Ivan Rudov, {role} of Grey Otter, was indicted.\n"
    )
    assert ("ivan-rudov", relation, "grey-otter", "affiliation") in text_facts(text)


def test_a_critic_of_a_hacking_group_is_not_in_it(text_facts):
    text = (
        "The hacking group Grey Otter stole data from Chilean banks. "
        "Ivan Rudov, a critic of Grey Otter, spoke.\n"
    )
    assert not [f for f in text_facts(text) if f[0] == "ivan-rudov" and f[2] == "grey-otter"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Assistant Attorney General for National Security Dana Whitlow said the charges "
            "were filed.\n",
            "Dana Whitlow",
        ),
        (
            "Deputy Secretary-General for Political Affairs Tomas Verhoef told the Council "
            "that restraint was needed.\n",
            "Tomas Verhoef",
        ),
        (
            "US Deputy National Security Adviser for Cyber Anne Kessler said the grid was safe.\n",
            "Anne Kessler",
        ),
    ],
)
def test_a_title_with_its_portfolio_before_a_name_types_an_official(draft_text, text, name):
    draft = draft_text(text)
    assert {e.label: e.type for e in draft.entities}[name] == "official"


def test_capitalised_words_before_a_name_without_a_role_noun_give_no_title(draft_text):
    draft = draft_text("Friends of Europe Fellow Anna Brook wrote the report.\n")
    types = {e.label: e.type for e in draft.entities}
    assert types.get("Anna Brook") != "official"


def test_a_title_with_its_portfolio_names_the_state_represented(text_facts):
    facts = text_facts("Estonia's Minister of Justice Kalle Tamm said the outage was over.\n")
    assert ("kalle-tamm", "represents", "estonia", "title") in facts


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "NCSC Director of Operations Paul Ardmore said the attack was contained.\n",
            "Paul Ardmore",
        ),
        (
            "Britain's Minister for Digital Infrastructure Helen Marsh said the outage was over.\n",
            "Helen Marsh",
        ),
    ],
)
def test_a_name_after_a_portfolio_is_no_body(draft_text, text, name):
    draft = draft_text(text)
    types = {e.label: e.type for e in draft.entities}
    assert types[name] == "official"
    assert not [label for label in types if label.endswith(name) and label != name]


def test_a_body_after_a_role_and_of_stays_a_body(draft_text):
    draft = draft_text(
        "The Director of Cyber Security Operations Centre said the attack was over.\n"
    )
    types = {e.label: e.type for e in draft.entities}
    assert types["Cyber Security Operations Centre"] == "institution"
