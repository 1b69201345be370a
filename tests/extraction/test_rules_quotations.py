"""The quotation rule (graph/extraction/rules/quotations.py): who is quoted, and the view
each quoted sentence states."""

from __future__ import annotations

CONDEMNED = (
    "Michele Markoff said: “Such countries believe their states are free to act in "
    "cyberspace with no limits. That is a dangerous and unsupportable view.”\n"
)
FREE = "such-countries-believe-their-states-are-free-to"


def test_the_speaker_holds_a_quoted_sentence_and_opposes_the_view_it_condemns(draft_text):
    draft = draft_text(CONDEMNED)
    found = [(s.subject, s.relation, s.object, s.rule, draft.quote(s)) for s in draft.statements]
    assert found == [
        ("michele-markoff", "supports_position", FREE, "quotation",
         "Such countries believe their states are free to act in cyberspace with no limits."),
        ("michele-markoff", "opposes_position", FREE, "quotation",
         "That is a dangerous and unsupportable view."),
    ]  # fmt: skip


def test_without_quotation_a_quote_gives_nothing(text_facts):
    assert text_facts(CONDEMNED, without={"quotation"}) == set()


def test_the_speaker_named_after_the_quote(text_facts):
    text = "“We will attribute when the evidence is ready,” Kadri Saar said.\n"
    assert text_facts(text) == {
        ("kadri-saar", "supports_position", "we-will-attribute-when-the-evidence-is-ready",
         "quotation"),
    }  # fmt: skip


def test_a_holder_named_in_the_quote_holds_it_as_the_speaker_claims(draft_text):
    text = (
        "Kadri Saar said: “The government is committed to maintaining a free and secure "
        "cyberspace.”\n"
    )
    (statement,) = draft_text(text).statements
    assert (statement.subject, statement.relation, statement.claimed_by) == (
        "government", "supports_position", "kadri-saar",
    )  # fmt: skip


def test_a_quoted_verb_of_stance_is_left_to_the_verb_rules(text_facts):
    text = "“China rejected the proposal for a binding treaty,” Kadri Saar said.\n"
    assert text_facts(text) == {
        ("china", "opposes_position", "the-proposal-for-a-binding-treaty", "stance-verb")
    }


def test_an_attack_the_quote_only_describes_leaves_it_to_the_speaker(text_facts):
    text = (
        "“Today\u2019s arrests show that gangs who attack our ports cannot hide abroad,” said "
        "Maria Olsen.\n"
    )
    assert text_facts(text) == {
        ("maria-olsen", "supports_position", "todays-arrests-show-that-gangs-who-attack-our",
         "quotation"),
    }  # fmt: skip


def test_the_person_in_apposition_speaks_not_the_office_before_them(text_facts):
    text = (
        "The Navy\u2019s Under Secretary for Ports and Harbours, Maria Olsen, said the new rules "
        "“close the gaps that smugglers use”.\n"
    )
    said = {(s, o) for s, r, o, _ in text_facts(text) if r == "supports_position"}
    assert said == {("maria-olsen", "the-new-rules-close-the-gaps-that-smugglers")}


def test_a_quote_opening_the_paragraph_after_said_is_the_speakers(text_facts):
    text = (
        "The harbour minister, Maria Olsen, said:\n\n"
        '"The sea is not a playground for smugglers. Our ports will stay open."\n'
    )
    said = {(s, o) for s, r, o, rule in text_facts(text) if rule == "quotation"}
    assert said == {
        ("maria-olsen", "the-sea-is-not-a-playground-for-smugglers"),
        ("maria-olsen", "our-ports-will-stay-open"),
    }
