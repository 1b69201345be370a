"""Locate a quote in its source text and describe it with Web Annotation selectors."""

from __future__ import annotations

from dataclasses import dataclass

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
        raise QuoteError(f"quote not found in the text{_near_miss_hint(text, quote)}: {quote!r}")
    count = text.count(quote)
    if count > 1:
        raise QuoteError(
            f"quote occurs {count} times in the text; lengthen it until it is unique: {quote!r}"
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
