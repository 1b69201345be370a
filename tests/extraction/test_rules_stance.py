"""The stance rules (graph/extraction/rules/stance.py): verbs of stance, appeals, groups
defined by what they prefer, and the stance of a state whose speaker takes one."""

from __future__ import annotations

import pytest

ENVOY = "The Cuban envoy, Anna Vogel, said the right of self-defence applies online.\n"
RIGHT = "the-right-of-self-defence-applies-online"


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "China rejected the proposal for a binding treaty.\n",
            ("china", "opposes_position", "the-proposal-for-a-binding-treaty"),
        ),
        (
            "China refused to endorse the declaration on responsible state behaviour.\n",
            ("china", "opposes_position", "the-declaration-on-responsible-state-behaviour"),
        ),
        (
            "Estonia called for a binding treaty.\n",
            ("estonia", "supports_position", "a-binding-treaty"),
        ),
        (
            "Estonia urged its allies to name and punish those responsible for the attack.\n",
            ("estonia", "supports_position", "to-name-and-punish-those-responsible-for-the"),
        ),
        (
            "Several states that want a binding treaty on cyber norms stayed silent.\n",
            (
                "several-states-that-want-a-binding-treaty-on",
                "supports_position",
                "a-binding-treaty-on-cyber-norms",
            ),
        ),
        (
            "Without naming Russia or China, Michele Markoff attacked those who are unwilling "
            "to affirm the applicability of international law to cyberspace.\n",
            ("michele-markoff", "supports_position", "the-applicability-of-international-law"),
        ),
    ],
)
def test_a_stance_and_without_stance_verb_none(text_facts, text, fact):
    assert (*fact, "stance-verb") in text_facts(text)
    assert not [f for f in text_facts(text, without={"stance-verb"}) if f[3] == "stance-verb"]


def test_the_stance_of_a_states_envoy_is_the_states_as_the_envoy_claims(draft_text):
    draft = draft_text(ENVOY)
    (state,) = [s for s in draft.statements if s.rule == "speaker-state"]
    assert (state.subject, state.relation, state.object) == ("cuba", "supports_position", RIGHT)
    assert (state.claimed_by, state.modality) == ("anna-vogel", "reported")


def test_without_speaker_state_only_the_envoy_holds_the_view(text_facts):
    assert text_facts(ENVOY, without={"speaker-state"}) == {
        ("anna-vogel", "represents", "cuba", "apposition"),
        ("anna-vogel", "supports_position", RIGHT, "reported-speech"),
    }


def test_an_official_may_speak_for_themselves(text_facts):
    text = (
        "Kadri Saar, a senior Estonian official, said the right of self-defence applies online.\n"
    )
    facts = text_facts(text)
    assert ("kadri-saar", "represents", "estonia", "apposition") in facts
    assert not [fact for fact in facts if fact[3] == "speaker-state"]


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        ("Germany welcomed the decision.\n", ("germany", "supports_position", "the-decision")),
        ("China firmly opposes the sanctions.\n", ("china", "opposes_position", "the-sanctions")),
    ],
)
def test_a_measure_in_two_words_is_a_position(text_facts, text, fact):
    assert text_facts(text) == {(*fact, "stance-verb")}


def test_that_view_is_the_position_stated_last(text_facts):
    text = "France said that international law applies in cyberspace. Estonia endorsed that view.\n"
    view = "that-international-law-applies-in-cyberspace"
    assert ("estonia", "supports_position", view, "stance-verb") in text_facts(text)


def test_two_words_that_name_no_measure_are_no_position(text_facts):
    assert text_facts("China opposed the man.\n") == set()


def test_a_stance_said_of_an_actor_in_a_relative_clause_is_the_articles_account(draft_text):
    draft = draft_text(
        "Hungary, which has often resisted new measures against Russia, abstained.\n"
    )
    stances = [s for s in draft.statements if s.relation == "opposes_position"]
    assert [(s.subject, s.object, s.modality) for s in stances] == [
        ("hungary", "new-measures-against-russia", "asserted")
    ]


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Japan expressed support for the proposal for a binding treaty.\n",
            ("japan", "supports_position", "the-proposal-for-a-binding-treaty"),
        ),
        (
            "Japan voiced opposition to the proposal for a binding treaty.\n",
            ("japan", "opposes_position", "the-proposal-for-a-binding-treaty"),
        ),
        (
            "Germany is opposed to the proposal for a binding treaty.\n",
            ("germany", "opposes_position", "the-proposal-for-a-binding-treaty"),
        ),
        (
            "France is in favour of a binding treaty on cyber norms.\n",
            ("france", "supports_position", "a-binding-treaty-on-cyber-norms"),
        ),
    ],
)
def test_a_stance_named_by_a_noun_or_an_adjective(text_facts, text, fact):
    assert text_facts(text) == {(*fact, "stance-verb")}


def test_support_for_an_actor_is_no_position(text_facts):
    assert text_facts("Japan expressed support for Ukraine.\n") == set()


@pytest.mark.parametrize(
    "text",
    [
        "Anna Berg declined to say whether the files had been copied.\n",
        "Anna Berg refused to pay the ransom the gang demanded.\n",
    ],
)
def test_refusing_to_do_what_is_no_stance_verb_takes_no_stance(text_facts, text):
    assert not [f for f in text_facts(text) if f[1].endswith("_position")]
