"""The blame rules (graph/extraction/rules/blame.py): verbs of blame and unnamed targets."""

from __future__ import annotations

BLAMED = "Russia blamed the United States for the attack.\n"
UNNAMED = (
    "Without naming Russia or China, Michele Markoff attacked those who are unwilling to "
    "affirm the applicability of international law to cyberspace.\n"
)
GROUP = "those-who-are-unwilling-to-affirm-the-applicability"
APPLICABILITY = "the-applicability-of-international-law"


def test_a_verb_of_blame_blames_its_object(draft_text):
    draft = draft_text(BLAMED)
    (blame,) = [s for s in draft.statements if s.relation == "blames"]
    assert (blame.subject, blame.object, blame.rule) == ("russia", "united-states", "blame-verb")
    assert blame.modality == "reported"
    assert draft.quote(blame) == "Russia blamed the United States"


def test_without_blame_verb_nothing_is_blamed(text_facts):
    assert text_facts(BLAMED, without={"blame-verb", "blame-frame"}) == set()


def test_without_blame_verb_the_blame_frame_blames_for_the_attack(text_facts):
    assert text_facts(BLAMED, without={"blame-verb"}) == {
        ("russia", "blames", "united-states", "blame-frame"),
        ("attack", "attributed_to", "united-states", "blame-frame"),
    }


def test_a_hedged_blame_is_alleged(draft_text):
    draft = draft_text("Russia reportedly blamed the United States for the attack.\n")
    assert [(s.subject, s.relation, s.object, s.modality) for s in draft.statements] == [
        ("russia", "blames", "united-states", "alleged"),
        ("attack", "attributed_to", "united-states", "alleged"),
    ]


def test_a_blame_in_the_passive_is_no_blame_of_the_speaker(text_facts):
    facts = text_facts("The attack was blamed on Russia.\n")
    assert not [fact for fact in facts if fact[1] == "blames"]


def test_targets_left_unnamed_are_blamed_implicitly_and_share_the_groups_stance(draft_text):
    draft = draft_text(UNNAMED)
    implicit = {
        (s.subject, s.relation, s.object)
        for s in draft.statements
        if s.rule == "unnamed-target" and s.modality == "implicit"
    }
    assert implicit == {
        ("michele-markoff", "blames", "russia"),
        ("michele-markoff", "blames", "china"),
        ("russia", "member_of", GROUP),
        ("china", "member_of", GROUP),
        ("russia", "opposes_position", APPLICABILITY),
        ("china", "opposes_position", APPLICABILITY),
    }
    assert ("michele-markoff", "blames", GROUP) in {
        (s.subject, s.relation, s.object) for s in draft.statements if s.rule == "blame-verb"
    }


def test_without_unnamed_target_only_the_named_target_is_blamed(text_facts):
    facts = text_facts(UNNAMED, without={"unnamed-target"})
    assert not [fact for fact in facts if fact[3] == "unnamed-target"]
    assert ("michele-markoff", "blames", GROUP, "blame-verb") in facts
    assert not [fact for fact in facts if fact[0] in ("russia", "china")]
