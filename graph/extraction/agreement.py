"""Measure how far two coders' annotations of one text agree: Krippendorff's alpha.

The coding units are the sentences of the text (``sentence_spans``); for each relation,
a coder gives a sentence the value 1 when they coded a statement of that relation whose
quote lies in or overlaps it, else 0. Alpha (nominal) is computed per relation over the
sentences, and overall over every (sentence, relation) unit of the relations either coder
used, by the ``krippendorff`` package. Beside it, the statements that match one to one
are counted with the alignment of ``evaluation``. The rules are in docs/evaluation.md.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import krippendorff

from ..annotations import coder_name
from ..corpus import Corpus, Statement
from ..errors import AnnotationError
from .evaluation import Score, evaluate, load_for_evaluation

__all__ = [
    "ABBREVIATIONS",
    "Agreement",
    "AgreementScore",
    "agreement_document",
    "format_agreement",
    "format_alpha",
    "measure_agreement",
    "sentence_spans",
    "unit_values",
]

ABBREVIATIONS = frozenset(
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "gen", "col", "lt", "maj", "capt",
        "sgt", "gov", "sen", "rep", "rev", "hon", "amb",
    }
)  # fmt: skip
"""Words whose period does not end a sentence (compared in lower case): titles before names.

A period after a single letter (an initial, ``U.S.``) does not end one either; other
abbreviations are followed by a lower-case word or a number often enough ("e.g. the",
"Jan. 5") that the rule on the next word keeps them whole.
"""

# quotes and brackets that may close a sentence after its punctuation, or open the next
_CLOSING = "\"'\u201d\u2019\u00bb)]"
_OPENING = "\"'\u201c\u2018\u00ab(["
# the end of a sentence: its punctuation, then any closing quotes and brackets
_TERMINAL = re.compile(f"[.!?\u2026]+[{re.escape(_CLOSING)}]*")
# a blank line: a paragraph ends, whatever its last character
_PARAGRAPH = re.compile(r"\n[^\S\n]*\n")
_WORD_BEFORE = re.compile(r"(\w+)$")


@dataclass(frozen=True)
class AgreementScore:
    """Agreement on one relation (or on all of them): alpha and the counts behind it.

    ``units`` is the number of units (sentences; for all relations, sentences times
    relations); ``first_coded`` and ``second_coded`` how many of them each coder gave
    the value 1; ``first`` and ``second`` each coder's statements; ``matched`` the
    statements aligned one to one. ``alpha`` is None where it is undefined: every unit
    has one value for both coders (see ``unit_values``).
    """

    alpha: float | None
    units: int
    first_coded: int
    second_coded: int
    first: int
    second: int
    matched: int

    @property
    def matched_share(self) -> float:
        """The share of both coders' statements that has a partner: 2·matched / (first + second).

        0 when neither coded a statement.
        """
        total = self.first + self.second
        return 2 * self.matched / total if total else 0.0


@dataclass(frozen=True)
class Agreement:
    """How far two annotations of one text agree, per relation and overall.

    ``relations`` has a row for every relation either coder used, sorted by name;
    ``first_coder`` and ``second_coder`` are the names in the files' names
    (``annotation.<coder>.yaml``), None for an ``annotation.yaml``.
    """

    first_path: Path
    second_path: Path
    first_coder: str | None
    second_coder: str | None
    sentences: int
    relations: Mapping[str, AgreementScore]
    overall: AgreementScore


def measure_agreement(first: Corpus | Path | str, second: Corpus | Path | str) -> Agreement:
    """Measure the agreement of two coders' annotations of one text.

    Each is a one-source corpus, an annotation file or the folder holding
    ``annotation.yaml``, loaded as ``evaluate`` loads it (each must be valid on its own,
    else ``AnnotationError``). Raises ``AnnotationError`` naming both files when they
    annotate different texts.
    """
    first_corpus, second_corpus = _corpus(first), _corpus(second)
    first_source, second_source = first_corpus.sources[0], second_corpus.sources[0]
    if first_source.text != second_source.text:
        raise AnnotationError(
            first_source.annotation_path,
            f"annotates another text than {second_source.annotation_path} "
            f"({first_source.text_path} differs from {second_source.text_path}): "
            "two coders' agreement needs one text",
            "source",
        )
    sentences = sentence_spans(first_source.text)
    # the first coder plays the draft, the second the gold; the counts are symmetric
    evaluation = evaluate(first_corpus, second_corpus)
    relations = sorted(
        {s.relation for s in first_corpus.statements}
        | {s.relation for s in second_corpus.statements}
    )
    values = {
        relation: (
            unit_values(first_corpus.statements, relation, sentences),
            unit_values(second_corpus.statements, relation, sentences),
        )
        for relation in relations
    }
    first_all = [value for relation in relations for value in values[relation][0]]
    second_all = [value for relation in relations for value in values[relation][1]]
    return Agreement(
        first_path=first_source.annotation_path,
        second_path=second_source.annotation_path,
        first_coder=coder_name(first_source.annotation_path),
        second_coder=coder_name(second_source.annotation_path),
        sentences=len(sentences),
        relations={
            relation: _score(*values[relation], evaluation.relations[relation])
            for relation in relations
        },
        overall=_score(first_all, second_all, evaluation.statements),
    )


def _corpus(value: Corpus | Path | str) -> Corpus:
    if isinstance(value, Corpus):
        if len(value.sources) != 1:
            raise ValueError(f"expected a corpus of one source, got {len(value.sources)}")
        return value
    return load_for_evaluation(value)


def _score(first: Sequence[int], second: Sequence[int], statements: Score) -> AgreementScore:
    return AgreementScore(
        alpha=_alpha(first, second),
        units=len(first),
        first_coded=sum(first),
        second_coded=sum(second),
        first=statements.draft,
        second=statements.gold,
        matched=statements.matched_gold,
    )


def _alpha(first: Sequence[int], second: Sequence[int]) -> float | None:
    """Krippendorff's nominal alpha of two coders' values, or None where it is undefined."""
    # with one value throughout, observed and expected disagreement are both 0
    if len({*first, *second}) < 2:
        return None
    alpha = float(
        krippendorff.alpha(reliability_data=[first, second], level_of_measurement="nominal")
    )
    return alpha if math.isfinite(alpha) else None


# --- units ----------------------------------------------------------------------------


def sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    """The ``(start, end)`` offsets of the sentences of ``text``, in order, end exclusive.

    A sentence ends at a blank line, or at ``.``, ``!``, ``?`` or ``…`` (with any closing
    quotes and brackets after it) followed by white space and a word that starts with a
    capital letter (after any opening quotes or brackets); a period after a single letter
    or after one of ``ABBREVIATIONS`` ends none. Sentences hold no white space at either
    end; every other character of the text lies in exactly one sentence.

    >>> text = "Mr. Vogel spoke. The U.S. envoy left!\\n\\nTalks ended"
    >>> [text[start:end] for start, end in sentence_spans(text)]
    ['Mr. Vogel spoke.', 'The U.S. envoy left!', 'Talks ended']
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for paragraph in _PARAGRAPH.finditer(text):
        spans += _paragraph_sentences(text, start, paragraph.start())
        start = paragraph.end()
    spans += _paragraph_sentences(text, start, len(text))
    return tuple(spans)


def _paragraph_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for terminal in _TERMINAL.finditer(text, start, end):
        if _ends_sentence(text, terminal, end):
            spans.append((start, terminal.end()))
            start = terminal.end()
    spans.append((start, end))
    return [trimmed for span in spans if (trimmed := _trim(text, *span)) is not None]


def _ends_sentence(text: str, terminal: re.Match[str], end: int) -> bool:
    after = terminal.end()
    if after >= end or not text[after].isspace():
        return False
    following = text[after:end].lstrip().lstrip(_OPENING)
    if not following or not following[0].isupper():
        return False
    if terminal.group().rstrip(_CLOSING) == ".":
        word = _WORD_BEFORE.search(text, 0, terminal.start())
        if word is not None and (len(word[1]) == 1 or word[1].lower() in ABBREVIATIONS):
            return False
    return True


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The span without white space at either end, or None when nothing else is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def unit_values(
    statements: Sequence[Statement], relation: str, sentences: Sequence[tuple[int, int]]
) -> list[int]:
    """One coder's value per sentence for ``relation``: 1 where a quote of it lies, else 0.

    A quote lies in a sentence when the two share a character; a quote across two
    sentences gives both the value 1. ``sentences`` are sorted spans that do not overlap.
    """
    values = [0] * len(sentences)
    ends = [end for _, end in sentences]
    for statement in statements:
        if statement.relation != relation:
            continue
        start, end = statement.evidence.start, statement.evidence.end
        index = bisect_right(ends, start)
        while index < len(sentences) and sentences[index][0] < end:
            values[index] = 1
            index += 1
    return values


# --- coders' files --------------------------------------------------------------------


# --- output ---------------------------------------------------------------------------


def format_alpha(alpha: float | None) -> str:
    """Alpha with two decimals, or ``n/a`` where it is undefined.

    >>> format_alpha(0.5333), format_alpha(None)
    ('0.53', 'n/a')
    """
    return "n/a" if alpha is None else f"{alpha:.2f}"


def agreement_document(result: Agreement) -> dict[str, object]:
    """Return an agreement as plain data, ready for ``json.dumps`` (alpha null: undefined)."""
    return {
        "first": str(result.first_path),
        "second": str(result.second_path),
        "first_coder": result.first_coder,
        "second_coder": result.second_coder,
        "sentences": result.sentences,
        "relations": {r: _score_document(s) for r, s in result.relations.items()},
        "overall": _score_document(result.overall),
    }


def _score_document(score: AgreementScore) -> dict[str, object]:
    return {
        "alpha": score.alpha,
        "units": score.units,
        "first_coded": score.first_coded,
        "second_coded": score.second_coded,
        "first": score.first,
        "second": score.second,
        "matched": score.matched,
        "matched_share": score.matched_share,
    }


def format_agreement(result: Agreement) -> str:
    """Render an agreement as a plain-text table, a row per relation, then all of them.

    ``first`` and ``second`` count each coder's statements, ``matched`` those aligned one
    to one and ``share`` their share of both coders' statements; ``coded`` reads
    ``F/S``, the units each coder gave the value 1 (of ``units``).
    """
    width = max([20, *(len(name) + 2 for name in result.relations)])
    lines = [
        f"agreement of two coders over {result.sentences} sentences "
        "(Krippendorff's alpha, nominal)",
        f"first   {_coder(result.first_path, result.first_coder)}",
        f"second  {_coder(result.second_path, result.second_coder)}",
        "",
        f"{'relation':<{width}}alpha  first  second  matched  share  units   coded",
    ]
    rows = [*result.relations.items(), ("all relations", result.overall)]
    for name, score in rows:
        coded = f"{score.first_coded}/{score.second_coded}"
        lines.append(
            f"{name:<{width}}{format_alpha(score.alpha):>5}{score.first:>7}{score.second:>8}"
            f"{score.matched:>9}{score.matched_share:>7.2f}{score.units:>7}{coded:>8}"
        )
    if any(score.alpha is None for _, score in rows):
        lines += [
            "",
            "n/a: alpha is undefined, every unit has the same value for both coders",
        ]
    return "\n".join(lines) + "\n"


def _coder(path: Path, coder: str | None) -> str:
    return f"{path} ({coder})" if coder else str(path)
