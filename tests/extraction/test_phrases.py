"""Phrases of the parse as text: quotations, sentences inside them, propositions."""

import pytest

from graph.extraction.language import load_pipeline
from graph.extraction.phrases import (
    phrase,
    proposition,
    quote_spans,
    role_text,
    split_sentences,
    trim_quote,
)


@pytest.fixture(scope="module")
def nlp():
    return load_pipeline()


def test_quote_spans_closed_and_running_on():
    text = (
        "He said: \u201cThe talks failed here.\u201d\n"
        "\u201cFrom our side, nothing changed at all\n"
        "\u201cWe will return next year,\u201d he added.\n"
        "No quote here.\n"
    )
    spans = quote_spans(text)
    assert [text[start:end] for start, end, _ in spans] == [
        "\u201cThe talks failed here.\u201d",
        "\u201cFrom our side, nothing changed at all",
        "\u201cWe will return next year,\u201d",
    ]
    assert [continued for *_, continued in spans] == [False, False, True]


def test_straight_quotation_marks_pair_and_run_on_as_curly_ones():
    text = (
        'She said: "The harbour reopens on Monday.\n'
        '"Ships may dock from noon," she added, and "no fees apply this week".\n'
    )
    spans = quote_spans(text)
    assert [text[start:end] for start, end, _ in spans] == [
        '"The harbour reopens on Monday.',
        '"Ships may dock from noon,"',
        '"no fees apply this week"',
    ]
    assert [continued for *_, continued in spans] == [False, True, False]


def test_short_quotations_are_not_spans():
    assert quote_spans("They called it \u201cgroundless\u201d.") == []


def test_split_sentences_at_stops_the_parser_missed(nlp):
    doc = nlp("Talks remained mere talk. We all were thrown years back")
    parts = split_sentences(list(doc))
    assert [" ".join(t.text for t in part) for part in parts] == [
        "Talks remained mere talk .",
        "We all were thrown years back",
    ]


def test_proposition_and_trim_quote():
    assert proposition(" \u201cthe west gets to dictate the rules.\u201d ") == (
        "The west gets to dictate the rules"
    )
    text = ", \u201cgroundless\u201d"
    start, end = trim_quote(text, 0, len(text))
    assert text[start:end] == "groundless\u201d"


def test_phrase_leaves_out_clauses_but_keeps_a_bracketed_acronym(nlp):
    doc = nlp("An acrimonious dispute that pitted Russia against the west ended the talks.")
    dispute = next(t for t in doc if t.text == "dispute")
    assert phrase(dispute) == "acrimonious dispute"
    assert phrase(dispute, keep_clauses=True).startswith("acrimonious dispute that pitted")


def test_role_text_drops_the_article_and_former(nlp):
    doc = nlp("Mike Schmitt, a former US air force lawyer, spoke.")
    lawyer = next(t for t in doc if t.text == "lawyer")
    assert role_text(lawyer) == "air force lawyer"
