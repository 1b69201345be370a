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


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Sweden proposed a moratorium on deep-sea mining.\n",
            ("sweden", "supports_position", "a-moratorium-on-deep-sea-mining"),
        ),
        (
            "South Africa pushed for a permanent seat for the continent.\n",
            ("south-africa", "supports_position", "a-permanent-seat-for-the-continent"),
        ),
        (
            "Poland objected to the plan to relocate refugees.\n",
            ("poland", "opposes_position", "the-plan-to-relocate-refugees"),
        ),
        (
            "Turkey is against the expansion of the alliance.\n",
            ("turkey", "opposes_position", "the-expansion-of-the-alliance"),
        ),
        (
            "Israel stands by its decision to suspend the talks.\n",
            ("israel", "supports_position", "its-decision-to-suspend-the-talks"),
        ),
        (
            "Australia remains committed to a two-state solution.\n",
            ("australia", "supports_position", "a-two-state-solution"),
        ),
        (
            "Egypt renewed its calls for an immediate ceasefire.\n",
            ("egypt", "supports_position", "an-immediate-ceasefire"),
        ),
        (
            "Norway criticised the decision to expel the observers.\n",
            ("norway", "opposes_position", "the-decision-to-expel-the-observers"),
        ),
        (
            "The United States said it supports the creation of an international tribunal.\n",
            ("united-states", "supports_position", "the-creation-of-an-international-tribunal"),
        ),
    ],
)
def test_a_stance_in_the_wording_of_wire_copy(text_facts, text, fact):
    assert text_facts(text) == {(*fact, "stance-verb")}


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "Germany called for an independent investigation into the attack.\n",
            ("germany", "supports_position", "an-independent-investigation-into-the-attack"),
        ),
        (
            "Kenya welcomed the adoption of the resolution on climate finance.\n",
            ("kenya", "supports_position", "the-adoption-of-the-resolution-on-climate-finance"),
        ),
        (
            "Canada favours a phased reduction of fossil fuel subsidies.\n",
            ("canada", "supports_position", "a-phased-reduction-of-fossil-fuel-subsidies"),
        ),
        (
            "Mexico rejected the idea that sanctions would end the conflict.\n",
            ("mexico", "opposes_position", "the-idea-that-sanctions-would-end-the-conflict"),
        ),
        (
            "Germany reiterated its support for a ceasefire in Gaza.\n",
            ("germany", "supports_position", "a-ceasefire-in-gaza"),
        ),
        (
            "Indonesia opposes any attempt to militarise cyberspace, its envoy said.\n",
            ("indonesia", "opposes_position", "any-attempt-to-militarise-cyberspace"),
        ),
        (
            "India maintained that existing international law is sufficient.\n",
            ("india", "supports_position", "that-existing-international-law-is-sufficient"),
        ),
    ],
)
def test_a_stance_of_news_wording_already_found(text_facts, text, fact):
    assert fact in {f[:3] for f in text_facts(text)}


def test_resisting_calls_for_a_measure_is_no_call_for_it(text_facts):
    facts = {
        f[:3] for f in text_facts("Hungary resisted calls for a joint statement on the war.\n")
    }
    assert facts == {("hungary", "opposes_position", "calls-for-a-joint-statement-on-the-war")}


def test_criticising_an_event_is_no_position(text_facts):
    facts = text_facts("Norway criticised the attack on the port of Tallinn.\n")
    assert not [f for f in facts if f[1].endswith("_position")]


@pytest.mark.parametrize(
    ("text", "position"),
    [
        (
            "Germany said it would support a binding treaty on cyber norms.\n",
            "a-binding-treaty-on-cyber-norms",
        ),
        (
            "Germany said it will never accept the annexation of the peninsula.\n",
            "the-annexation-of-the-peninsula",
        ),
    ],
)
def test_a_stance_a_speaker_says_it_will_take_is_the_speakers(text_facts, text, position):
    assert position in {f[2] for f in text_facts(text)}


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (
            "France came out against the proposal to lift the arms embargo.\n",
            ("france", "opposes_position", "the-proposal-to-lift-the-arms-embargo", "stance-verb"),
        ),
        (
            "Britain threw its weight behind the plan to create a special tribunal.\n",
            (
                "united-kingdom",
                "supports_position",
                "the-plan-to-create-a-special-tribunal",
                "stance-verb",
            ),
        ),
        (
            "Italy insisted on a role for the United Nations in the talks.\n",
            ("italy", "supports_position", "a-role-for-the-united-nations-in-the", "stance-verb"),
        ),
        (
            "Ireland demanded that the blockade be lifted immediately.\n",
            (
                "ireland",
                "supports_position",
                "that-the-blockade-be-lifted-immediately",
                "reported-speech",
            ),
        ),
        (
            "Brazil agreed that the climate fund should be expanded.\n",
            (
                "brazil",
                "supports_position",
                "that-the-climate-fund-should-be-expanded",
                "reported-speech",
            ),
        ),
    ],
)
def test_a_stance_in_a_phrasal_verb_or_a_demand(text_facts, text, fact):
    assert fact in text_facts(text)
