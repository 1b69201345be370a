"""The view rule (graph/extraction/rules/views.py): views held by someone and named by a
noun."""

from __future__ import annotations

FEARED = (
    "Mike Schmitt said he feared a calculated decision has been made by Moscow and Beijing "
    "that the west has more to lose.\n"
)
COMFORTABLE = (
    "Mike Schmitt said he was comfortable with the US intelligence conclusion that the "
    "Russians were responsible for hacking into the DNC.\n"
)
WEST = "the-west-has-more-to-lose"


def test_a_decision_made_by_two_states_is_their_view_as_the_speaker_claims(draft_text):
    draft = draft_text(FEARED)
    found = {(s.subject, s.relation, s.object, s.modality, s.claimed_by, s.rule)
             for s in draft.statements}  # fmt: skip
    assert found == {
        ("russia", "supports_position", WEST, "speculative", "mike-schmitt", "view"),
        ("china", "supports_position", WEST, "speculative", "mike-schmitt", "view"),
    }


def test_without_view_the_reported_clause_is_the_speakers(text_facts):
    """A view given to its holder is not coded again as what the speaker said."""
    assert text_facts(FEARED, without={"view"}) == {
        ("mike-schmitt", "supports_position", "a-calculated-decision-has-been-made-by-moscow",
         "reported-speech"),
    }  # fmt: skip


def test_a_conclusion_is_its_holders_and_the_speaker_endorses_it(text_facts):
    position = "the-russians-were-responsible-for-hacking-into-the"
    facts = text_facts(COMFORTABLE)
    assert {
        ("us-intelligence", "supports_position", position, "view"),
        ("mike-schmitt", "endorses", position, "view"),
    } <= facts
    assert not [f for f in text_facts(COMFORTABLE, without={"view"}) if f[3] == "view"]
