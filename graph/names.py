"""How names are compared: one normal form for linking, merging and scoring."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["QUOTE_MARKS", "normalise_name", "straight_quotes"]

QUOTE_MARKS = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"
"""Curly quotation marks and apostrophes, as news text types them."""

_STRAIGHT = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
     "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'}
)  # fmt: skip
_ARTICLE = re.compile(r"^(?:the|a|an) ")


def straight_quotes(text: str) -> str:
    """``text`` with curly quotation marks and apostrophes made straight."""
    return text.translate(_STRAIGHT)


def normalise_name(name: str) -> str:
    """Reduce a name to the form in which names are compared.

    Unicode NFKC, curly quotes made straight, case folded, white space collapsed,
    surrounding punctuation stripped, a leading "the ", "a " or "an " dropped, a
    possessive "'s" at the end dropped, then punctuation stripped again.

    >>> normalise_name("  \\u201cThe  West\\u2019s\\u201d  ")
    'west'
    """
    text = straight_quotes(unicodedata.normalize("NFKC", name)).casefold()
    text = _strip_punctuation(" ".join(text.split()))
    text = _ARTICLE.sub("", text)
    if text.endswith("'s"):
        text = text[:-2]
    return _strip_punctuation(text)


def _strip_punctuation(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge(character: str) -> bool:
    return character.isspace() or unicodedata.category(character).startswith("P")
