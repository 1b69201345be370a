"""Polarity (graph/extraction/rules/polarity.py and the stance rules that ask it): a
negation, a fear, a warning, a concession, a denial or a quoted condemnation never gives
the reverse of the stance the text states. Each sentence asserts the exact stances drafted."""

from __future__ import annotations

import pytest

STANCES = ("supports_position", "opposes_position")


def _stances(text_facts, text: str) -> set[tuple[str, str, str]]:
    return {(s, r, o) for s, r, o, _ in text_facts(text + "\n") if r in STANCES}


@pytest.mark.parametrize(
    ("text", "stances"),
    [
        (  # a negated stance verb opposes
            "Germany did not support the proposal for a binding treaty.",
            {("germany", "opposes_position", "the-proposal-for-a-binding-treaty")},
        ),
        (
            "France never backed the proposal for a binding treaty.",
            {("france", "opposes_position", "the-proposal-for-a-binding-treaty")},
        ),
        (  # a negated saying says nothing
            "Iran did not say that the sanctions were lawful.",
            set(),
        ),
        (  # an open question is no claim
            "It is unclear whether Germany believes the sanctions will work.",
            set(),
        ),
        (  # holding back from a stance is no stance
            "China stopped short of endorsing the proposal for a binding treaty.",
            set(),
        ),
        (
            "Russia denied supporting the proposal for a binding treaty.",
            set(),
        ),
        (
            "Japan did not express support for the proposal for a binding treaty.",
            set(),
        ),
        (  # what is feared of a measure is held against the measure
            "Russia and China fear that endorsing a right of self-defence in cyberspace would "
            "be used by the United States to justify strikes.",
            {
                ("russia", "opposes_position", "endorsing-a-right-of-self-defence-in-cyberspace"),
                ("china", "opposes_position", "endorsing-a-right-of-self-defence-in-cyberspace"),
                ("russia", "supports_position", "that-endorsing-a-right-of-self-defence-in"),
                ("china", "supports_position", "that-endorsing-a-right-of-self-defence-in"),
            },
        ),
        (
            "Brazil warned against using ransomware as a pretext for unilateral sanctions.",
            {
                (
                    "brazil",
                    "opposes_position",
                    "using-ransomware-as-a-pretext-for-unilateral-sanctions",
                )
            },
        ),
        (
            "Mexico voted against the resolution on information security.",
            {("mexico", "opposes_position", "the-resolution-on-information-security")},
        ),
        (  # a concession does not turn the main clause round
            "While acknowledging that attribution remains hard, Russia opposed the proposal "
            "for a binding treaty.",
            {
                ("russia", "supports_position", "that-attribution-remains-hard"),
                ("russia", "opposes_position", "the-proposal-for-a-binding-treaty"),
            },
        ),
        (
            "Although it accepted that international law applies, China rejected the proposal "
            "for a binding treaty.",
            {("china", "opposes_position", "the-proposal-for-a-binding-treaty")},
        ),
        (  # a denial is no position
            "Germany rejected the accusations against its officers as smears.",
            set(),
        ),
        (
            "The Russian embassy said Russia had nothing to do with the attack on the port.",
            set(),
        ),
        (  # what the rejected claim states is opposed
            "Estonia rejected the claim that cyber operations cannot be armed attacks.",
            {("estonia", "opposes_position", "cyber-operations-cannot-be-armed-attacks")},
        ),
        (  # an actor warned against is no position
            "Estonia warned against Russia.",
            set(),
        ),
        (  # not opposing is no support
            "Hungary did not block the decision on the sanctions.",
            set(),
        ),
        (  # no grounds for P opposes P
            "Dana Whitlock said there was no evidence that the leaks changed the outcome of "
            "the vote.",
            {("dana-whitlock", "opposes_position", "the-leaks-changed-the-outcome-of-the-vote")},
        ),
        (  # a feeling and a report of what attackers did are no views
            "Ellison said she was grateful to investigators.",
            set(),
        ),
        (
            "The attackers demanded 40 million crowns in bitcoin but never supplied a working "
            "key, the agency said.",
            set(),
        ),
        (  # what an attack was is a claim
            "Ann Smith said the attack was the work of the military intelligence service.",
            {("ann-smith", "supports_position", "the-attack-was-the-work-of-the-military")},
        ),
        (  # what an attack showed is a view
            "Russia said the attack showed that the alliance was weak.",
            {("russia", "supports_position", "the-attack-showed-that-the-alliance-was-weak")},
        ),
    ],
)
def test_a_stance_is_never_reversed(text_facts, text, stances):
    assert _stances(text_facts, text) == stances


def test_a_speaker_does_not_oppose_her_own_condemnation_of_an_act(text_facts):
    text = (
        "Britain said the Tallinn port attack was the work of the Russian military. “This "
        "was a reckless and indiscriminate attack, aimed at Estonia, that did not stop at its "
        "borders,” said Ann Smith, the minister."
    )
    stances = _stances(text_facts, text)
    assert not [s for s in stances if s[0] == "ann-smith" and s[1] == "opposes_position"]
    assert (
        "ann-smith",
        "supports_position",
        "this-was-a-reckless-and-indiscriminate-attack-aimed",
    ) in stances


def test_a_quoted_condemnation_of_a_view_opposes_the_view(text_facts):
    text = (
        "Russia argued that states may respond with force. “That is a dangerous and "
        "unsupportable view,” Ann Smith said."
    )
    assert _stances(text_facts, text) == {
        ("russia", "supports_position", "that-states-may-respond-with-force"),
        ("ann-smith", "opposes_position", "that-states-may-respond-with-force"),
    }


def test_a_quoted_denial_is_no_view_of_the_speaker(text_facts):
    text = (
        "“Russia has nothing to do with these attacks, and the other side has not shown any "
        "evidence,” said Irina Petrova, the embassy spokeswoman."
    )
    assert _stances(text_facts, text) == set()


def test_a_stance_verb_backing_an_attribution_still_supports_it(text_facts):
    assert _stances(text_facts, "Germany and Poland backed the Czech attribution.") == {
        ("germany", "supports_position", "the-czech-attribution"),
        ("poland", "supports_position", "the-czech-attribution"),
    }


def test_a_quoted_sentence_of_no_grounds_opposes_what_it_doubts(text_facts):
    text = "“There's no sign that a single vote was changed,” said Dana Whitlock, an official."
    assert _stances(text_facts, text) == {
        ("dana-whitlock", "opposes_position", "a-single-vote-was-changed")
    }


def test_a_quoted_condemnation_opposes_the_view_stated_before_it_not_after(text_facts):
    text = (
        "Russia argued that states may respond with force. “That is a dangerous and "
        "unsupportable view,” Ann Smith said. France later said that international law "
        "applies in cyberspace."
    )
    opposed = {o for s, r, o in _stances(text_facts, text) if r == "opposes_position"}
    assert opposed == {"that-states-may-respond-with-force"}
