"""The one normal form in which names are compared (linking, merging, scoring)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, strategies as st

from graph.names import QUOTE_MARKS, american_spelling, normalise_name, straight_quotes


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("  \u201cThe  West\u2019s\u201d  ", "west"),  # the docstring's example
        ("\u2018Schmitt\u2019", "schmitt"),  # curly single quotes
        ("\u201eSchmitt\u201f", "schmitt"),  # low and reversed double quotes
        ("The Russians", "russians"),
        ("the Russians", "russians"),
        ("A Russian", "russian"),
        ("An envoy", "envoy"),
        ("Russia's", "russia"),
        ("Russia\u2019s", "russia"),  # a curly apostrophe is a possessive too
        ("the US's", "us"),
        ("(DNC)", "dnc"),
        ("\u201cSchmitt\u201d,", "schmitt"),
        ("U.S.", "u.s"),  # only punctuation at the edges goes
        ("Russia\u2019s embassy", "russia's embassy"),  # an inner possessive stays
        ("Mike\tSchmitt\n", "mike schmitt"),
        ("Miguel  Rodr\u00edguez", "miguel rodr\u00edguez"),  # accents stay
        ("\uff35\uff4e\uff49\uff54\uff45\uff44\u3000\uff2e\uff41\uff54\uff49\uff4f\uff4e\uff53",
         "united nations"),  # full-width letters and space (NFKC)
        ("\ufb01nance", "finance"),  # the fi ligature (NFKC)
        ("Stra\u00dfe", "strasse"),  # case folding, not lower-casing
        ("Theresa May", "theresa may"),  # "The" only as a word
        ("Organisation for the Prohibition of Chemical Weapons",
         "organization for the prohibition of chemical weapons"),  # one spelling
        ("Ministry of Defence", "ministry of defense"),
        ("National Cyber Security Centre", "national cyber security center"),
        ("Defenceless", "defenceless"),  # whole words only
        ("Isation", "isation"),
        ("The", "the"),  # an article alone is a name
        ("", ""),
        ("  ", ""),
    ],
)  # fmt: skip
def test_normal_forms(name, normal):
    assert normalise_name(name) == normal


def test_decomposed_and_composed_accents_are_one_name():
    composed = "Rodr\u00edguez"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    assert normalise_name(composed) == normalise_name(decomposed)


def test_straight_quotes():
    assert straight_quotes("\u2018a\u2019 \u201cb\u201d \u201ec\u201f \u201ad\u201b") == (
        "'a' \"b\" \"c\" 'd'"
    )
    assert not set(straight_quotes(QUOTE_MARKS)) & set(QUOTE_MARKS)


@given(st.text(max_size=60))
def test_a_normal_form_is_trimmed_folded_and_straight(name):
    normal = normalise_name(name)
    assert normal == normal.strip()
    assert "  " not in normal and "\n" not in normal
    assert not set(normal) & set(QUOTE_MARKS)
    if normal:
        for edge in (normal[0], normal[-1]):
            assert not unicodedata.category(edge).startswith("P")


words = st.lists(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), min_size=1)


@given(words)
def test_case_spacing_and_a_leading_the_do_not_matter(parts):
    if parts[0] in ("the", "a", "an"):
        parts = ["x", *parts]
    name = " ".join(parts)
    variants = [
        name.upper(),
        name.title(),
        f"  {'   '.join(parts)} ",
        f"The {name}",
        f"\u201c{name}\u201d",
    ]
    assert {normalise_name(variant) for variant in variants} == {american_spelling(name)}
