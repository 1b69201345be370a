"""What every statement rule works on (graph/extraction/rules/context.py): recording a
statement, and the questions asked of the parse."""

from __future__ import annotations

import pytest

from graph.extraction.gazetteer import base_gazetteer
from graph.extraction.language import load_pipeline
from graph.extraction.mentions import find_mentions
from graph.extraction.rules.context import Context

TEXT = "Russia allegedly blamed the United States, and Russia perhaps blamed them again.\n"


def _context(disabled: frozenset[str] = frozenset()) -> Context:
    nlp = load_pipeline()
    mentions = find_mentions(nlp(TEXT), base_gazetteer(), nlp.make_doc)
    return Context(mentions, disabled)


def _named(context: Context, word: str, occurrence: int = 0) -> tuple[object, object]:
    tokens = [t for t in context.doc if t.text == word]
    return context.entity(tokens[occurrence]), tokens[occurrence]


def test_a_statement_quotes_its_tokens_from_the_first_to_the_last():
    context = _context()
    russia, first = _named(context, "Russia")
    states, last = _named(context, "States")
    statement = context.add(russia, "blames", states, "reported", [last, first], "blame-verb")
    assert statement is not None and statement in context.statements
    assert (
        context.text[statement.start : statement.end] == "Russia allegedly blamed the United States"
    )


def test_a_disabled_rules_statement_is_not_recorded():
    context = _context(frozenset({"blame-verb"}))
    russia, first = _named(context, "Russia")
    states, _ = _named(context, "States")
    assert context.add(russia, "blames", states, "reported", [first], "blame-verb") is None
    assert context.add(russia, "blames", states, "reported", [first], "quotation") is not None
    assert [s.rule for s in context.statements] == ["quotation"]


def test_a_structural_tie_is_recorded_once_whatever_its_quote():
    context = _context()
    russia, first = _named(context, "Russia")
    again, second = _named(context, "Russia", 1)
    states, _ = _named(context, "States")
    assert context.add(russia, "member_of", states, "asserted", [first], "membership")
    assert context.add(again, "member_of", states, "asserted", [second], "membership") is None
    assert context.add(again, "blames", states, "reported", [second], "blame-verb") is not None


@pytest.mark.parametrize(
    ("word", "modality"),
    [("allegedly", "alleged"), ("perhaps", "speculative"), ("again", "reported")],
)
def test_a_hedge_sets_the_modality(word, modality):
    context = _context()
    clause = [t for t in context.doc if t.lower_ in (word, "blamed")]
    assert len(clause) >= 3
    assert context.modality(clause, "reported") == modality


def _sentence_context(text: str) -> Context:
    nlp = load_pipeline()
    return Context(find_mentions(nlp(text), base_gazetteer(), nlp.make_doc), frozenset())


@pytest.mark.parametrize(
    ("sentence", "modality"),
    [
        ("Four alleged Russian agents were expelled from the Netherlands.", "alleged"),
        ("The group is believed to work for the GRU.", "alleged"),
        ("It is widely believed that the GRU ran the operation.", "alleged"),
        ("The agency is thought to be behind the attack.", "alleged"),
        ("The hackers may have stolen the files.", "speculative"),
        ("The attack could have been a test.", "speculative"),
        ("Russia will probably deny the charge.", "speculative"),
        ("Russia displayed its military might on Monday.", "reported"),
        ("The talks collapsed in May after a dispute.", "reported"),
        ("The minister said the report was believed by few.", "reported"),
        ("He thought about the talks for a week.", "reported"),
    ],
)
def test_hedges_are_words_in_their_hedging_use(sentence, modality):
    context = _sentence_context(sentence + "\n")
    assert context.modality(list(context.doc), "reported") == modality


@pytest.mark.parametrize(
    "sentence",
    [
        "The French and German governments blamed Iran for the attack.\n",
        "France and Germany blamed Iran for the attack.\n",
        "French and German officials blamed Iran for the attack.\n",
        "French and German authorities blamed Iran for the attack.\n",
    ],
)
def test_coordinated_actors_each_make_the_statement(text_facts, sentence):
    blamers = {fact[0] for fact in text_facts(sentence) if fact[1] == "blames"}
    assert blamers == {"france", "germany"}


def test_a_states_government_is_the_state(draft_text):
    draft = draft_text("The Czech government said the attack was criminal.\n")
    (statement,) = [s for s in draft.statements if s.relation == "supports_position"]
    assert statement.subject == "czech-republic"
    assert "Czech government" in {e.id: e for e in draft.entities}["czech-republic"].aliases


def test_a_list_of_actors_goes_on_after_an_apposition(text_facts) -> None:
    facts = text_facts("Japan imposed sanctions on Anton Kirov, a GRU officer, and Boris Lenk.")
    sanctioned = {o for s, r, o, _ in facts if (s, r) == ("japan", "sanctions")}
    assert sanctioned == {"anton-kirov", "boris-lenk"}
