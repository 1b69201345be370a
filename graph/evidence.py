"""Locate a quote in its source text and describe it with Web Annotation selectors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .errors import shown

__all__ = ["CONTEXT_CHARS", "Evidence", "QuoteError", "QuoteIndex", "locate_quote"]

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
    return _evidence(text, quote, text.find(quote), text.count(quote))


def _evidence(text: str, quote: str, start: int, count: int) -> Evidence:
    """The evidence of ``quote``, found first at ``start`` (-1: nowhere) and ``count``
    times without overlap, as ``str.find`` and ``str.count`` give them."""
    if start < 0:
        raise QuoteError(
            f"quote not found in the text{_near_miss_hint(text, quote)}: {shown(quote)}"
        )
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


# a word starts where a word character follows another character: in a quote as in the text
# around it, since both characters lie inside the quote
_WORD_START = re.compile(r"(?<=\W)\w")
_KEY_CHARS = 12


class QuoteIndex:
    """Locate many quotes in one text without scanning the whole text for each.

    ``locate_quote`` scans the text twice per quote (``find``, then ``count``), so the
    statements of a source took time proportional to their number times the text's
    length. This indexes the text once, by the ``_KEY_CHARS`` characters from each word
    start (about one entry per word); a quote is looked up by the key of its rarest word
    start after its first character, and its occurrences are checked where the key
    occurs. A quote without such a key (one word, or a short one) is scanned for as
    ``locate_quote`` does. The answers and errors are ``locate_quote``'s.

    >>> QuoteIndex("Russia blamed the west. The west blamed Russia.").locate(
    ...     "the west blamed Russia"
    ... )
    Traceback (most recent call last):
    ...
    graph.evidence.QuoteError: quote not found in the text (it matches when case is ignored): 'the west blamed Russia'
    >>> QuoteIndex("Russia blamed the west. The west blamed Russia.").locate(
    ...     "The west blamed Russia"
    ... ).start
    24
    """  # noqa: E501

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts: dict[str, list[int]] = {}
        for word in _WORD_START.finditer(text):
            position = word.start()
            self._starts.setdefault(text[position : position + _KEY_CHARS], []).append(position)

    def locate(self, quote: str) -> Evidence:
        """The one occurrence of ``quote`` in the text, as ``locate_quote`` finds it."""
        if not quote.strip():
            raise QuoteError("quote is empty")
        occurrences = self._occurrences(quote)
        if occurrences is None:
            return locate_quote(self.text, quote)
        return _evidence(
            self.text,
            quote,
            occurrences[0] if occurrences else -1,
            _without_overlap(occurrences, len(quote)),
        )

    def _occurrences(self, quote: str) -> list[int] | None:
        """Where ``quote`` starts in the text, in order; None when it has no key."""
        fewest: tuple[int, list[int]] | None = None
        for offset in _key_offsets(quote):
            found = self._starts.get(quote[offset : offset + _KEY_CHARS], [])
            if fewest is None or len(found) < len(fewest[1]):
                fewest = (offset, found)
        if fewest is None:
            return None
        offset, found = fewest
        return [
            position - offset
            for position in found
            if position >= offset and self.text.startswith(quote, position - offset)
        ]


def _key_offsets(quote: str) -> Iterator[int]:
    """The offsets of the word starts after the first character of ``quote`` that have a
    whole key inside it: each occurrence of the quote has a word start there."""
    for word in _WORD_START.finditer(quote):
        if word.start() + _KEY_CHARS <= len(quote):
            yield word.start()


def _without_overlap(starts: list[int], length: int) -> int:
    """How many of the occurrences at ``starts`` ``str.count`` counts: leftmost first,
    each after the end of the one before."""
    count, end = 0, 0
    for start in starts:
        if start >= end:
            count, end = count + 1, start + length
    return count


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
