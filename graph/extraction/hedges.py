"""Hedges: the words by which a text holds back from asserting what it reports, read from
``hedges.yaml``, and the modality they give a statement.

The file (described at its top) lists each hedge with the modality it gives (``alleged``
or ``speculative``) and the conditions of its hedging use (a modal verb only, after a form
of "be" only, not the month "May"), and example sentences that run as tests. ``modality``
is the one place that decides the modality of a statement's words: the statement rules and
the frames call it through ``Context.modality``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import AnnotationError, shown
from ..inputs import read_yaml

__all__ = [
    "HEDGES",
    "HEDGES_FILE",
    "HEDGE_MODALITIES",
    "Hedge",
    "HedgeExample",
    "Hedges",
    "hedge_marks",
    "modality",
    "read_hedges",
]

HEDGES_FILE = Path(__file__).resolve().parent / "hedges.yaml"
"""The hedges shipped with the package."""

HEDGE_MODALITIES = ("alleged", "speculative")
"""The modalities a hedge gives, the stronger first: where both are present, it wins."""

_WORD = re.compile(r"^[a-z'-]+$")
_KEYS = {
    "words", "modality", "tag", "pos", "passive", "not_text", "not_after_tag",
    "unless_followed_by",
}  # fmt: skip
_EXAMPLE_MODALITIES = ("reported", *HEDGE_MODALITIES)


@dataclass(frozen=True)
class Hedge:
    """One hedge: its words, the modality it gives, and when its first word hedges."""

    words: tuple[str, ...]
    modality: str
    tag: str | None = None
    pos: tuple[str, ...] = ()
    passive: bool = False
    not_text: tuple[str, ...] = ()
    not_after_tag: tuple[str, ...] = ()
    unless_followed_by: tuple[str, ...] = ()

    def hedges_at(self, doc: Any, first: int) -> bool:
        """Whether its words stand at token ``first`` of ``doc`` in their hedging use."""
        end = first + len(self.words)
        if end > len(doc) or any(
            doc[first + n].lower_ != word for n, word in enumerate(self.words)
        ):
            return False
        token = doc[first]
        if (self.tag and token.tag_ != self.tag) or (self.pos and token.pos_ not in self.pos):
            return False
        if token.text in self.not_text or token.ent_type_ == "DATE":
            return False  # "May saw the talks collapse", "in May 2017": the month
        before = doc[first - 1] if first > 0 else None
        if before is not None and before.tag_ in self.not_after_tag:
            return False  # "Military might alone ...": a noun the parser took for a modal
        if end < len(doc) and doc[end].lower_ in self.unless_followed_by:
            return False  # "could not prove": what was not possible, not what may be
        return not self.passive or _after_be(doc, first)


def _after_be(doc: Any, index: int) -> bool:
    """Whether a form of "be" comes right before token ``index``, or before an adverb
    there ("is said to", "is also thought to")."""
    for back in (index - 1, index - 2):
        if back < 0:
            return False
        if doc[back].lemma_ == "be":
            return True
        if doc[back].pos_ != "ADV":
            return False
    return False


@dataclass(frozen=True)
class HedgeExample:
    """A sentence of the hedges file and the modality its words give."""

    text: str
    modality: str


@dataclass(frozen=True)
class Hedges:
    """The hedges of a file and its example sentences."""

    path: Path
    hedges: tuple[Hedge, ...]
    examples: tuple[HedgeExample, ...]


def read_hedges(path: Path = HEDGES_FILE) -> Hedges:
    """The hedges a file holds, checked; raises ``AnnotationError`` (one line naming the
    file and the item) for a wrong one."""
    data = read_yaml(path)
    if not isinstance(data, dict) or set(data) != {"hedges", "examples"}:
        raise AnnotationError(path, "a hedges file is a mapping of hedges and examples")
    items = data["hedges"]
    if not isinstance(items, list) or not items:
        raise AnnotationError(path, "a list of hedges (words, modality)", "hedges")
    hedges = tuple(_hedge(path, item, f"hedges[{n}]") for n, item in enumerate(items, 1))
    seen: set[tuple[str, ...]] = set()
    for number, hedge in enumerate(hedges, 1):
        if hedge.words in seen:
            raise AnnotationError(
                path, f"{shown(' '.join(hedge.words))} twice", f"hedges[{number}]"
            )
        seen.add(hedge.words)
    examples = data["examples"]
    if not isinstance(examples, list) or not examples:
        raise AnnotationError(path, "a list of sentences and their modality", "examples")
    return Hedges(
        path,
        hedges,
        tuple(_example(path, item, f"examples[{n}]") for n, item in enumerate(examples, 1)),
    )


def _hedge(path: Path, item: Any, where: str) -> Hedge:
    if not isinstance(item, dict):
        raise AnnotationError(path, "a mapping with words and modality", where)
    unknown = sorted(set(item) - _KEYS)
    if unknown:
        raise AnnotationError(path, f"unknown key {shown(unknown[0])}", where)
    words = item.get("words")
    if not isinstance(words, str) or not words.split():
        raise AnnotationError(path, "words: missing or not a text", where)
    split = tuple(words.split())
    if not all(_WORD.match(word) for word in split):
        raise AnnotationError(path, f"words: {shown(words)} is not lower-case words", where)
    if item.get("modality") not in HEDGE_MODALITIES:
        raise AnnotationError(path, f"modality: is {' or '.join(HEDGE_MODALITIES)}", where)
    tag = item.get("tag")
    if tag is not None and (not isinstance(tag, str) or not tag):
        raise AnnotationError(path, "tag: a part-of-speech tag (MD)", where)
    passive = item.get("passive", False)
    if not isinstance(passive, bool):
        raise AnnotationError(path, "passive: true or false", where)
    return Hedge(
        split,
        item["modality"],
        tag,
        _texts(path, item, "pos", where),
        passive,
        _texts(path, item, "not_text", where),
        _texts(path, item, "not_after_tag", where),
        _texts(path, item, "unless_followed_by", where),
    )


def _texts(path: Path, item: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise AnnotationError(path, f"{key}: a list of words", where)
    return tuple(value)


def _example(path: Path, item: Any, where: str) -> HedgeExample:
    if (
        not isinstance(item, dict)
        or set(item) != {"text", "modality"}
        or not isinstance(item["text"], str)
    ):
        raise AnnotationError(path, "a mapping of text and modality", where)
    if item["modality"] not in _EXAMPLE_MODALITIES:
        raise AnnotationError(path, f"modality: is one of {', '.join(_EXAMPLE_MODALITIES)}", where)
    return HedgeExample(item["text"], item["modality"])


HEDGES = read_hedges()
"""The hedges shipped with the package."""


def _by_first(hedges: Iterable[Hedge]) -> dict[str, tuple[Hedge, ...]]:
    """The hedges by their first word."""
    found: dict[str, tuple[Hedge, ...]] = {}
    for hedge in hedges:
        found[hedge.words[0]] = (*found.get(hedge.words[0], ()), hedge)
    return found


_BY_FIRST = _by_first(HEDGES.hedges)


def hedge_marks(doc: Any) -> dict[int, str]:
    """The tokens of ``doc`` that hedge, each with the modality it gives.

    The tokens that may begin a hedge are found at once over the article's array of
    lower-case forms; only those are looked at closer.
    """
    import numpy

    keys = numpy.array([doc.vocab.strings.add(word) for word in _BY_FIRST], dtype="uint64")
    lowers = doc.to_array("LOWER")
    marks: dict[int, str] = {}
    for index in numpy.flatnonzero(numpy.isin(lowers, keys)).tolist():
        for hedge in _BY_FIRST[doc[index].lower_]:
            if hedge.hedges_at(doc, index) and marks.get(index) != HEDGE_MODALITIES[0]:
                marks[index] = hedge.modality
    return marks


def modality(tokens: Iterable[Any], marks: Mapping[int, str], default: str) -> str:
    """``alleged`` if a token of ``tokens`` is marked so in ``marks`` (``hedge_marks``),
    else ``speculative`` if one is, else ``default``."""
    found = {marks[t.i] for t in tokens if t.i in marks}
    return next((m for m in HEDGE_MODALITIES if m in found), default)
