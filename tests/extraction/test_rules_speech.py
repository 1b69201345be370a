"""The rules of reported speech (graph/extraction/rules/speech.py): what is said, and
where it is said."""

from __future__ import annotations

import pytest

TOLD = (
    "The Cuban representative, Miguel Rodríguez, told the final meeting of negotiators that "
    "recognising self-defence rights in cyberspace would lead to militarisation.\n"
)
MEASURE = "that-recognising-self-defence-rights-in-cyberspace"


def test_what_is_said_is_supported_and_a_harmful_measure_opposed(draft_text):
    draft = draft_text(TOLD)
    said = {(s.relation, s.object) for s in draft.statements
            if s.subject == "miguel-rodriguez" and s.rule == "reported-speech"}  # fmt: skip
    assert said == {
        ("supports_position", "would-lead-to-militarisation"),
        ("opposes_position", MEASURE),
    }


def test_without_reported_speech_the_meeting_is_still_spoken_at(text_facts):
    facts = text_facts(TOLD, without={"reported-speech"})
    assert not [fact for fact in facts if fact[3] == "reported-speech"]
    assert ("miguel-rodriguez", "speaks_at", "final-meeting-of-negotiators", "speaking") in facts


def test_what_is_feared_is_speculative(draft_text):
    draft = draft_text("Mike Schmitt feared that the west has more to lose.\n")
    assert [(s.subject, s.object, s.modality, s.rule) for s in draft.statements] == [
        ("mike-schmitt", "that-the-west-has-more-to-lose", "speculative", "reported-speech")
    ]


def test_a_report_of_events_holds_no_view(text_facts):
    assert text_facts("Kadri Saar added that 400 lorries had been stranded at the port.\n") == set()


@pytest.mark.parametrize(
    ("text", "fact"),
    [
        (TOLD, ("miguel-rodriguez", "speaks_at", "final-meeting-of-negotiators")),
        ("Michele Markoff released a statement.\n", ("michele-markoff", "speaks_at", "statement")),
        (
            "Speaking at a cyber-security conference in Israel, Oleg Khramov said the talks had "
            "stalled.\n",
            ("oleg-khramov", "speaks_at", "cyber-security-conference-in-israel"),
        ),
        (
            "Anna Berg wrote on the Just Security blog that the law applies in cyberspace.\n",
            ("anna-berg", "speaks_at", "just-security-blog"),
        ),
    ],
)
def test_where_a_speaker_speaks_and_without_speaking_nowhere(text_facts, text, fact):
    assert (*fact, "speaking") in text_facts(text)
    assert not [f for f in text_facts(text, without={"speaking"}) if f[1] == "speaks_at"]


def test_a_state_speaks_through_its_unnamed_representative_and_he_after_it(draft_text):
    draft = draft_text(
        "Mara Lind, a researcher, opened the session. The representative of Chile said that "
        "ports need stronger defences. He added that his country would share its findings.\n"
    )
    said = {(s.subject, s.object) for s in draft.statements if s.rule == "reported-speech"}
    assert said == {
        ("chile", "that-ports-need-stronger-defences"),
        ("chile", "that-his-country-would-share-its-findings"),
    }


def test_two_clauses_said_are_two_positions(draft_text):
    draft = draft_text(
        "Norway's representative said that the treaty binds every state, and that "
        "small states deserve technical help.\n"
    )
    said = {(s.subject, s.object) for s in draft.statements if s.rule == "reported-speech"}
    assert said == {
        ("norway", "that-the-treaty-binds-every-state"),
        ("norway", "that-small-states-deserve-technical-help"),
    }


def test_a_quoted_verb_of_belief_is_left_to_the_quotation_rule(draft_text):
    """Who "believe" what the quote says is not the speaker: the quotation rule reads it."""
    draft = draft_text(
        "Such states “believe they may act in cyberspace with no limits at all”, Anna Berg said.\n"
    )
    assert {s.rule for s in draft.statements} == {"quotation"}


@pytest.mark.parametrize(
    ("text", "relation", "modality"),
    [
        ("Anna Berg cautioned that open attribution could harm the talks.\n",
         "supports_position", "speculative"),
        ("Anna Berg doubts that new listings will change the policy.\n",
         "opposes_position", "reported"),
        ("Anna Berg replied that the ports are already targets.\n", "supports_position",
         "reported"),
    ],
)  # fmt: skip
def test_verbs_that_hold_a_view_only_with_a_clause(draft_text, text, relation, modality):
    draft = draft_text(text)
    assert [(s.subject, s.relation, s.modality) for s in draft.statements] == [
        ("anna-berg", relation, modality)
    ]
