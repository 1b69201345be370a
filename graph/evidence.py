"""Locate a quote in its source text and describe it with Web Annotation selectors."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .errors import shown

__all__ = ["CONTEXT_CHARS", "Evidence", "QuoteError", "locate_quote"]

CONTEXT_CHARS = 32
_LOOKALIKES = str.maketrans(
    {"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u2026": "...", "\u00a0": " "}
)


class QuoteError(ValueError):
    """The quote is missing from the text or occurs in it more than once."""


@dataclass(frozen=True)
class Evidence:
    """Where a quote sits in a text.

    Offsets count Unicode code points; ``end`` is exclusive, so
    ``text[start:end] == exact``. ``prefix`` and ``suffix`` are up to
    ``CONTEXT_CHARS`` characters around it, as in a W3C ``TextQuoteSelector``.
    """

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


def locate_quote(text: str, quote: str) -> Evidence:
    """Find the one occurrence of ``quote`` in ``text``.

    Raises ``QuoteError`` when the quote is empty, absent, or occurs more than once.

    >>> locate_quote("Russia blamed the west.", "blamed").start
    7
    """
    if not quote.strip():
        raise QuoteError("quote is empty")
    start = text.find(quote)
    if start < 0:
        raise QuoteError(
            f"quote not found in the text{_near_miss_hint(text, quote)}: {shown(quote)}"
        )
    count = text.count(quote)
    if count > 1:
        raise QuoteError(
            f"quote occurs {count} times in the text; lengthen it until it is unique: "
            f"{shown(quote)}"
        )
    end = start + len(quote)
    return Evidence(
        exact=quote,
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def _near_miss_hint(text: str, quote: str) -> str:
    """Say why a quote nearly matched, so a coder can fix a typing slip."""
    if unicodedata.normalize("NFC", quote) in unicodedata.normalize("NFC", text):
        return _normalisation_hint(text, quote)
    if quote.translate(_LOOKALIKES) in text.translate(_LOOKALIKES):
        return (
            " (it matches once quotation marks, apostrophes or ellipses are normalised:"
            " copy them from the text)"
        )
    if " ".join(quote.split()) in " ".join(text.split()):
        return (
            " (it matches once white space is normalised: copy line breaks and spaces"
            " from the text)"
        )
    if quote.casefold() in text.casefold():
        return " (it matches when case is ignored)"
    return ""


def _normalisation_hint(text: str, quote: str) -> str:
    """Say how the text and the quote spell a letter differently (composed or not).

    >>> _normalisation_hint("Caf\u00e9 talks", "Cafe\u0301 talks")
    " (it matches once both are normalised to NFC: the text writes '\u00e9' as one character, U+00E9, the quote as 'e' + U+0301; copy the quote from the text)"
    """  # noqa: E501
    how = ""
    for letter in dict.fromkeys(unicodedata.normalize("NFC", quote)):
        parts = unicodedata.normalize("NFD", letter)
        if parts == letter:
            continue
        composed = f"one character, U+{ord(letter):04X}"
        decomposed = " + ".join([repr(parts[0]), *(f"U+{ord(p):04X}" for p in parts[1:])])
        if letter in text and letter not in quote:
            how = f": the text writes {letter!r} as {composed}, the quote as {decomposed}"
        elif parts in text and parts not in quote:
            how = f": the text writes {letter!r} as {decomposed}, the quote as {composed}"
        if how:
            break
    return f" (it matches once both are normalised to NFC{how}; copy the quote from the text)"
