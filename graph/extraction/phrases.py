"""Words of the parse turned into text: noun phrases, roles, quotations, propositions."""

from __future__ import annotations

from typing import Any

from ..names import QUOTE_MARKS
from .lexicon import CYBER_WORDS

__all__ = [
    "cyber",
    "parenthesised",
    "phrase",
    "proposition",
    "quote_spans",
    "role_text",
    "split_sentences",
    "trim_quote",
]

_CLAUSES = ("relcl", "acl", "advcl", "ccomp", "appos", "conj", "cc")


def phrase(token: Any, *, keep_clauses: bool = False) -> str:
    """The words of a noun phrase without its clauses ("the dispute that pitted ...")."""
    if token.dep_ in ("nmod", "compound") and token.head.pos_ == "NOUN" and token.head.i > token.i:
        token = token.head  # "the 2016 hacking of the DNC's computers": the whole phrase
    left_out = {
        t.i
        for child in token.children
        if (child.dep_ in _CLAUSES and not keep_clauses and not parenthesised(child))
        or (child.dep_ == "prep" and child.lower_ in ("including", "such"))
        for t in child.subtree
    }
    tokens = [t for t in token.subtree if not t.is_space and t.i not in left_out]
    if tokens:
        tokens = [t for t in tokens if tokens[0].i <= t.i]
        # keep a contiguous run around the head
        run = [t for t in tokens]
        while run and any(run[i + 1].i != run[i].i + 1 for i in range(len(run) - 1)):
            gaps = [i for i in range(len(run) - 1) if run[i + 1].i != run[i].i + 1]
            cut = gaps[0]
            run = run[: cut + 1] if run[cut].i >= token.i else run[cut + 1 :]
        tokens = run
    while tokens and (tokens[0].pos_ in ("DET", "PUNCT") or tokens[0].text in '“”"'):
        tokens = tokens[1:]
    while tokens and (tokens[-1].pos_ == "PUNCT" or tokens[-1].text in '“”"'):
        tokens = tokens[:-1]
    if not tokens:
        return token.text
    # the span's own text: ``Doc.text`` would join every token of the article
    text = token.doc[tokens[0].i : tokens[-1].i + 1].text
    return " ".join(text.split())


def cyber(token: Any) -> bool:
    """Whether an incident noun names a cyber operation, not any attack."""
    words = {t.lower_ for t in token.subtree} | {token.lower_}
    return bool(words & CYBER_WORDS) or "cyber" in token.lower_


def parenthesised(token: Any) -> bool:
    """Whether a token stands alone in brackets: "(DNC)"."""
    doc = token.doc
    return (
        0 < token.i < len(doc) - 1 and doc[token.i - 1].text == "(" and doc[token.i + 1].text == ")"
    )


def role_text(role: Any) -> str:
    """A role as a statement's ``role``: "professor of international law", without the
    article, "former", the state or body it names, and what follows "at" or a comma."""
    words = []
    for token in role.subtree:
        if token.i != role.i and (
            token.dep_ in ("conj", "appos", "punct")
            or (token.head == role and token.lower_ == "at")
        ):
            break
        if token.dep_ in ("det",) or token.lower_ in ("former",):
            continue
        if token.head == role and token.dep_ in ("compound", "amod") and token.ent_type_:
            continue
        words.append(token.text)
    return " ".join(words).strip(" ,") or role.text


def split_sentences(tokens: list[Any]) -> list[list[Any]]:
    """Split quoted words at full stops the parser missed ("... mere talk. We all ...")."""
    parts: list[list[Any]] = [[]]
    for index, token in enumerate(tokens):
        parts[-1].append(token)
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if token.text in (".", "!", "?", "…") and following is not None and following.is_title:
            parts.append([])
    return [part for part in parts if part]


_CLOSING = {"“": "”", '"': '"'}


def _next_opening(paragraph: str, index: int) -> tuple[int, str]:
    """Where the next quotation opens from ``index``, curly or straight, and its mark."""
    found = [(at, mark) for mark in _CLOSING if (at := paragraph.find(mark, index)) >= 0]
    return min(found) if found else (-1, "")


def quote_spans(text: str) -> list[tuple[int, int, bool]]:
    """``(start, end, continued)`` of every quotation, paragraph by paragraph.

    A quote left open at the end of a paragraph runs on; the next paragraph that opens
    with a quotation mark continues it (``continued`` is then true). Straight quotation
    marks (") pair as curly ones do.
    """
    spans = []
    open_before = False
    offset = 0
    for paragraph in text.split("\n"):
        index = 0
        opened_here = False
        while True:
            opening, mark = _next_opening(paragraph, index)
            if opening < 0:
                break
            closing = paragraph.find(_CLOSING[mark], opening + 1)
            continued = open_before and opening == 0 and not opened_here
            opened_here = True
            if closing < 0:
                spans.append((offset + opening, offset + len(paragraph), continued))
                open_before = True
                break
            spans.append((offset + opening, offset + closing + 1, continued))
            open_before = False
            index = closing + 1
        if not opened_here and paragraph.strip():
            open_before = False
        offset += len(paragraph) + 1
    return [(start, end, continued) for start, end, continued in spans if end - start > 12]


def proposition(text: str) -> str:
    """A position's label from the words that state it: no quotation marks or final stop,
    a capital first letter.

    >>> proposition("\u201cexisting law applies in cyberspace.\u201d")
    'Existing law applies in cyberspace'
    """
    text = " ".join(text.split()).strip(" ,;:\"'" + QUOTE_MARKS)
    text = text.rstrip(".").strip()
    if not text:
        return ""
    return text[0].upper() + text[1:]


def trim_quote(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow ``text[start:end]`` past opening quotation marks and stray punctuation."""
    while start < end and text[start] in ' ,;:"\n\u201c\u2018':
        start += 1
    while end > start and text[end - 1] in " ,;:\n":
        end -= 1
    return start, end
