"""Widen the quotes of a draft until each occurs once in its text.

An annotation's quote must occur exactly once in the source text (``evidence``), so a
draft quote that repeats ("he said", a sentence said twice) is widened ``STEP``
characters at a time on both sides, within the article body, until it is unique. A text
that repeats whole passages can keep a quote ambiguous however far it is widened: the
widening stops after ``MAX_WIDENING`` characters on each side, and the quote is given up.

All the quotes of a text are widened together. Each is looked up once in an index of the
text, and at each step only the places where it still occurs are compared, so the work
grows with the text's length and the quotes' repetitions, never with one scan of the
text per quote and step.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["MAX_WIDENING", "STEP", "unique_spans", "whole_words"]

STEP = 10
"""Characters added on each side of a quote per widening step."""

MAX_WIDENING = 300
"""The most characters a quote is widened by on each side before it is given up."""

_KEY = 16  # quotes are indexed by their first characters, up to this many


def unique_spans(
    text: str,
    spans: Sequence[tuple[int, int]],
    bounds: tuple[int, int] | None = None,
    limit: int = MAX_WIDENING,
) -> list[tuple[int, int] | None]:
    """For each ``(start, end)`` of ``spans``, the narrowest widening that occurs once in
    ``text``, or None when there is none.

    Step ``k`` widens a span to ``(max(low, start - k * STEP), min(high, end + k * STEP))``
    where ``(low, high)`` are ``bounds`` (the whole text by default): the first step whose
    words occur once is the answer. "Once" is in the sense of ``str.count``, which is how
    the annotation loader checks a quote. A span is given up (None) when it still occurs
    more than once after it has been widened by ``limit`` characters on each side or to
    the whole of ``bounds``.

    >>> text = "he said no. she said yes."
    >>> [text[start:end] for start, end in unique_spans(text, [(3, 7), (16, 20)])]
    ['he said no. she s', 'd no. she said yes.']
    >>> unique_spans("ab " * 20, [(27, 29)], limit=10)
    [None]
    """
    low, high = bounds if bounds is not None else (0, len(text))
    answers: list[tuple[int, int] | None] = [None] * len(spans)
    groups: dict[tuple[str, int, int], list[int]] = {}
    for number, (start, end) in enumerate(spans):
        if not low <= start <= end <= high:
            raise ValueError(f"span {(start, end)} is not within {(low, high)}")
        # spans with the same words and the same room to grow widen alike
        room = (min(start - low, limit), min(high - end, limit))
        groups.setdefault((text[start:end], *room), []).append(number)
    places = _occurrences(text, {quote for quote, _, _ in groups})
    for (quote, left_room, right_room), numbers in groups.items():
        anchors = {spans[number][0] for number in numbers}
        widened = _widen(text, quote, places[quote], anchors, (left_room, right_room), limit)
        for number in numbers:
            answers[number] = widened.get(spans[number][0])
    return answers


def whole_words(
    text: str, span: tuple[int, int], quote: tuple[int, int], bounds: tuple[int, int]
) -> tuple[int, int]:
    """A widened ``span`` of ``text`` (one that ``unique_spans`` made of ``quote``) cut to
    whole words within ``bounds``: no word cut in two, no space at either end.

    The span is first narrowed to the words it holds whole, if that still covers the
    quote and occurs once; else widened to the words it cuts, which occurs once because
    it holds the unique span.

    >>> text = "he said no. she said yes."
    >>> [text[slice(*whole_words(text, s, q, (0, 25)))] for s, q in [((0, 17), (3, 7)),
    ...     ((6, 25), (16, 20))]]
    ['he said no. she', 'no. she said yes.']
    """
    start, end = span
    low, high = bounds
    inner_start, inner_end = start, end
    while inner_start < quote[0] and _cut_before(text, inner_start, low):
        inner_start += 1
    while inner_end > quote[1] and _cut_after(text, inner_end, high):
        inner_end -= 1
    inner = text[inner_start:inner_end]
    whole = not _cut_before(text, inner_start, low) and not _cut_after(text, inner_end, high)
    if whole and (inner_start, inner_end) != span and text.count(inner) == 1:
        return inner_start, inner_end
    while start > low and _cut_before(text, start, low):
        start -= 1
    while end < high and _cut_after(text, end, high):
        end += 1
    return start, end


def _cut_before(text: str, start: int, low: int) -> bool:
    """Whether a span starting at ``start`` starts on a space or inside a word."""
    if start >= len(text) or text[start].isspace():
        return True
    return start > low and text[start - 1].isalnum() and text[start].isalnum()


def _cut_after(text: str, end: int, high: int) -> bool:
    """Whether a span ending at ``end`` ends on a space or inside a word."""
    if end <= 0 or text[end - 1].isspace():
        return True
    return end < high and text[end - 1].isalnum() and text[end].isalnum()


def _widen(
    text: str,
    quote: str,
    places: list[int],
    anchors: set[int],
    room: tuple[int, int],
    limit: int,
) -> dict[int, tuple[int, int] | None]:
    """The unique widening of ``quote`` at each of ``anchors`` (places where it occurs),
    which may grow by ``room`` characters before and after.

    At each step the places still in question are sorted into classes by the widened
    words around them: a class is the set of places where those words occur. A class
    with an anchor that still occurs more than once is all that the next step compares.
    """
    found: dict[int, tuple[int, int] | None] = {}
    alive = places  # in order; each class below keeps that order
    for step in range(-(-limit // STEP) + 1):
        before, after = min(step * STEP, room[0]), min(step * STEP, room[1])
        length = before + len(quote) + after
        classes: dict[str, list[int]] = {}
        for place in alive:
            if place >= before and place + len(quote) + after <= len(text):
                words = text[place - before : place + len(quote) + after]
                classes.setdefault(words, []).append(place)
        alive = []
        for members in classes.values():
            pending = [place for place in members if place in anchors and place not in found]
            if not pending:
                continue
            # str.count finds a second occurrence only if one starts after the first ends
            # (for the empty string: after the first)
            if members[-1] - members[0] < max(length, 1):
                for place in pending:
                    found[place] = (place - before, place + len(quote) + after)
            elif (before, after) == room:
                for place in pending:
                    found[place] = None  # at the bounds or the limit, and still repeated
            else:
                alive.extend(members)
        if not alive:
            break
    return found


def _occurrences(text: str, quotes: set[str]) -> dict[str, list[int]]:
    """Every place where each of ``quotes`` starts in ``text``, overlaps included, in order.

    Quotes of ``_KEY`` characters or more are found through one pass over the text that
    files each place under the ``_KEY`` characters starting there, when those start a
    quote; shorter quotes, rare in a draft, are searched for one by one.
    """
    keyed = {quote[:_KEY] for quote in quotes if len(quote) >= _KEY}
    filed: dict[str, list[int]] = {key: [] for key in keyed}
    if keyed:
        for place in range(len(text) - _KEY + 1):
            candidates = filed.get(text[place : place + _KEY])
            if candidates is not None:
                candidates.append(place)
    places: dict[str, list[int]] = {}
    for quote in quotes:
        if len(quote) >= _KEY:
            places[quote] = [p for p in filed[quote[:_KEY]] if text.startswith(quote, p)]
        elif quote:
            places[quote] = _search(text, quote)
        else:
            places[quote] = list(range(len(text) + 1))
    return places


def _search(text: str, quote: str) -> list[int]:
    found = []
    place = text.find(quote)
    while place >= 0:
        found.append(place)
        place = text.find(quote, place + 1)
    return found
