"""The registry of statement rules (graph/extraction/rules/__init__.py): names, families,
the order the steps run in, and switching rules off."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import graph.extraction.draft
from graph.errors import BuildError
from graph.extraction.article import Article
from graph.extraction.confidence import RULE_CONFIDENCE
from graph.extraction.draft import extract
from graph.extraction.rules import PASSES, RULES, apply_rules
from graph.ontology import vocabulary
from tests.factories import REPO

NAMES = [rule.name for rule in RULES]
STEPS = [step for walk in PASSES for step in walk.steps]

# one sentence or two for each rule, in paragraphs of their own
ARTICLE = """\
The Cuban envoy, Anna Vogel, said the right of self-defence applies online.

Mike Schmitt, professor of international law at Exeter University, spoke.

Estonian Foreign Minister Eva Tamm spoke.

Anna Berg, who is the editor of the Tallinn Manual on International Law Applicable to Cyber \
Warfare, spoke.

Michele Markoff, who led the US delegation, rejected the proposal for a binding treaty.

Russia blamed the United States for the impasse.

Without naming Russia or China, Michele Markoff attacked those who are unwilling to affirm \
the applicability of international law to cyberspace.

Experts from 25 countries, including the UK, took part in the negotiations at the United \
Nations.

That break-in was allegedly coordinated by Russian intelligence.

The cyber-attack, which struck the cargo-handling systems of Nordbalt Terminals, halted the \
port.

Speaking at a cyber-security conference in Israel, Oleg Khramov said the talks had stalled.

The talks collapsed in June due to an acrimonious dispute.

Kadri Saar said: “We will attribute when the evidence is ready.”

Mike Schmitt said he was comfortable with the US intelligence conclusion that the Russians \
were responsible for hacking into the DNC.

The European Union imposed sanctions on Russia over the NotPetya cyber-attack. Russia denied\
 any involvement. Japan expressed concern over the attack. Chile signed the Budapest \
Convention. The Geneva Convention guarantees the protection of civilians in armed conflict.

The Security Council held an open debate on ransomware. The representative of Chile said \
attacks were rising.

Norway said that Iran was behind Operation Copper Gull.

Latvia held Russia responsible for the attack on its railways.

The hack of the Danish parliament was the work of China.

Two Iranian officers are suspected of involvement in the breach of the Nordic grid.

Victims included the Danish shipping group Nordvik Lines.

Analysts blamed a hacking group known as Grey Heron, which is believed to be a unit of the GRU.
"""
TREATY = "the-proposal-for-a-binding-treaty"
APPLICABILITY = "the-applicability-of-international-law"
RIGHT = "the-right-of-self-defence-applies-online"
CUBA_HOLDS_IT = ("cuba", "supports_position", RIGHT, "speaker-state")
US_HOLDS_THEM = {
    ("united-states", "opposes_position", TREATY, "speaker-state"),
    ("united-states", "supports_position", APPLICABILITY, "speaker-state"),
}
# what other rules build on a rule's statements goes with them: a state's stance on its
# speaker's stance and role, a head's representation on the delegation's, an implied
# member's stance on its group's, a member's part on its group's
ALSO_LOST = {
    "apposition": {CUBA_HOLDS_IT},
    "reported-speech": {CUBA_HOLDS_IT},
    "relative-clause": US_HOLDS_THEM,
    "organ": {("michele-markoff", "represents", "united-states", "relative-clause"),
              *US_HOLDS_THEM},
    "stance-verb": {("russia", "opposes_position", APPLICABILITY, "unnamed-target"),
                    ("china", "opposes_position", APPLICABILITY, "unnamed-target"),
                    *US_HOLDS_THEM},
    "membership": {("united-kingdom", "participates_in", "negotiations-at-the-united-nations",
                    "participation")},
}  # fmt: skip
# a passage coded as a view is left to the other rules when views are switched off
COMFORTABLE = "he-was-comfortable-with-the-us-intelligence-conclusion"
# without the blame verb, the blame frame makes "Russia blamed the United States for ..."
ALSO_GAINED = {
    "view": {("mike-schmitt", "supports_position", COMFORTABLE, "reported-speech")},
    "blame-verb": {("russia", "blames", "united-states", "blame-frame")},
}


def _facts(without: set[str] = frozenset()) -> list[tuple[str, str, str, str]]:
    article = Article(Path("rules.txt"), ARTICLE, 0, len(ARTICLE), None)
    draft = extract(article, {"id": "rules", "date": dt.date(2021, 11, 20)}, without_rules=without)
    return [(s.subject, s.relation, s.object, s.rule) for s in draft.statements]


@pytest.fixture(scope="module")
def every_rule() -> list[tuple[str, str, str, str]]:
    return _facts()


def test_rule_names_are_unique():
    assert len(NAMES) == len(set(NAMES)) == 33


def test_the_rules_are_those_that_have_a_confidence():
    assert set(NAMES) == set(RULE_CONFIDENCE)


def test_each_rule_says_in_one_line_what_it_finds_and_the_relations_it_gives():
    relations = set(vocabulary().relations) | {"stances"}  # stances: supports or opposes
    for rule in RULES:
        finds, gives = rule.description.rsplit(": ", 1)
        assert finds and "\n" not in rule.description, rule.name
        assert set(gives.split(", ")) <= relations, rule.name


def test_every_rule_has_a_step_and_every_step_a_listed_rule():
    assert {step.rule for step in STEPS} - {None} == set(RULES)


def test_each_step_lives_in_the_module_of_its_rules_family():
    for step in STEPS:
        function = getattr(step.function, "func", step.function)  # a partial's function
        if step.rule is not None:
            assert function.__module__ == f"graph.extraction.rules.{step.rule.family}", step
    assert {step.function.__name__ for step in STEPS if step.rule is None} == {
        "find_quotations", "find_incidents", "find_groups",
    }  # fmt: skip


def test_a_pass_runs_its_steps_once_or_sentence_by_sentence_not_both():
    for walk in PASSES:
        scopes = {step.scope for step in walk.steps}
        assert scopes == {"document"} or "document" not in scopes, walk.title


def test_the_documented_order():
    """docs/extraction.md names the passes in the order they run, and every rule."""
    docs = (REPO / "docs" / "extraction.md").read_text(encoding="utf-8")
    places = [docs.find(walk.title) for walk in PASSES]
    assert -1 not in places and places == sorted(places)
    for name in NAMES:
        assert f"`{name}`" in docs, name


def test_the_article_exercises_every_rule(every_rule):
    assert {fact[3] for fact in every_rule} == set(NAMES)


def test_the_statements_come_in_the_order_of_the_passes(every_rule):
    assert [fact[3] for fact in every_rule] == [
        "apposition", "affiliation",  # roles beside a name
        *["organ"] * 6, "title",  # organs, titles
        "view", "view",  # views
        # clauses, verbs and nouns, sentence by sentence
        "reported-speech", "editor", "relative-clause", "relative-clause", "stance-verb",
        "blame-verb", "blame-verb", "stance-verb", *["unnamed-target"] * 4, "stance-verb",
        "participation", "part", "membership", "attribution", "target", "speaking",
        "location", "cause", "meeting", "reported-speech", "meeting", "reported-speech",
        "target", "victim", "location", "group-link",
        # frames, file by file
        "attribution-frame", "attribution-frame", "blame-frame", "blame-frame", "codify-frame",
        "concern-frame", "deny-frame", "endorse-frame", "finding-frame", "sanction-frame",
        "suspicion-frame",
        # what follows from the statements made
        "quotation", *["speaker-state"] * 3, "participation", *["unnamed-target"] * 2,
    ]  # fmt: skip


@pytest.mark.parametrize("rule", NAMES)
def test_switching_a_rule_off_removes_its_statements_and_what_is_built_on_them(every_rule, rule):
    without = _facts({rule})
    kept = [f for f in every_rule if f[3] != rule and f not in ALSO_LOST.get(rule, set())]
    gained = ALSO_GAINED.get(rule, set())
    assert [f for f in without if f not in gained] == kept
    assert gained <= set(without)


def test_switching_every_rule_off_leaves_no_statement():
    assert _facts(set(NAMES)) == []


def test_an_unknown_rule_is_refused_before_the_article_is_parsed(monkeypatch):
    def no_parse(*_):
        raise AssertionError("the article was parsed")

    monkeypatch.setattr(graph.extraction.draft, "load_pipeline", no_parse)
    article = Article(Path("rules.txt"), ARTICLE, 0, len(ARTICLE), None)
    with pytest.raises(BuildError) as raised:
        extract(article, {"id": "rules", "date": dt.date(2021, 11, 20)}, without_rules={"blame"})
    message = str(raised.value)
    assert message.startswith("no statement rule is named 'blame'; the rules are: apposition, ")
    assert "\n" not in message


def test_apply_rules_refuses_an_unknown_rule():
    with pytest.raises(BuildError, match="'quotations'"):
        apply_rules(None, without=["quotation", "quotations"])  # type: ignore[arg-type]
