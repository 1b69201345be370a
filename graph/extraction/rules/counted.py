"""The people a counted phrase stands for: "the three officers" those named before, "two
Russian nationals" (then named one by one) those named next."""

from __future__ import annotations

from typing import Any

from ..mentions import DraftEntity
from .context import Context

__all__ = ["counted_actors"]

_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_PEOPLE = {"person", "people", "individual", "officer", "national", "defendant", "hacker"}
_AHEAD = 3  # sentences after the phrase in which the people it counts are named


def counted_actors(context: Context, noun: Any) -> list[DraftEntity]:
    """The people a counted noun ("four individuals") stands for: as many as it counts,
    those last named before it ("the three officers") or, for an indefinite count, those
    named first in the sentences right after it; none if the article names fewer."""
    count = _count(noun)
    if count is None or noun.lemma_.lower() not in _PEOPLE:
        return []  # a firm counted ("one company") is seldom an entity drafted: left alone
    kinds = ("person",)  # an official (a prosecutor, a spokesman) is not the one counted
    definite = any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in noun.children)
    order = _named_before(context, noun, kinds) if definite else _named_after(context, noun, kinds)
    return order[:count] if len(order) >= count else []


def _count(noun: Any) -> int | None:
    """The number a noun's ``nummod`` says ("three" or "3"), or None."""
    for child in noun.children:
        if child.dep_ == "nummod":
            word = child.lower_
            return int(word) if word.isdigit() else _NUMBERS.get(word)
    return None


def _named_before(context: Context, noun: Any, kinds: tuple[str, ...]) -> list[DraftEntity]:
    """The entities of ``kinds`` mentioned before the noun, the one mentioned last first."""
    return _in_order(context, kinds, 0, noun.i, last_first=True)


def _named_after(context: Context, noun: Any, kinds: tuple[str, ...]) -> list[DraftEntity]:
    """The entities of ``kinds`` first mentioned after the noun, within a few sentences."""
    end = noun.sent.end
    for _ in range(_AHEAD):
        if end >= len(context.doc):
            break
        end = context.doc[end].sent.end
    return _in_order(context, kinds, noun.i + 1, end, last_first=False)


def _in_order(
    context: Context, kinds: tuple[str, ...], start: int, end: int, last_first: bool
) -> list[DraftEntity]:
    """Distinct entities of ``kinds`` mentioned within tokens ``start``..``end``, by the
    place of their mention."""
    found: dict[str, tuple[int, DraftEntity]] = {}
    for entity_id, spans in context.mentions.spans.items():
        entity = context.mentions.entities.get(entity_id)
        if entity is None or entity.type not in kinds:
            continue
        places = [first for first, _ in spans if start <= first < end]
        if places:
            found[entity_id] = (max(places) if last_first else min(places), entity)
    ranked = sorted(found.values(), key=lambda item: item[0], reverse=last_first)
    return [entity for _, entity in ranked]
