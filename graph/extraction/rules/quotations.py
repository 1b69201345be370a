"""Quotations: who is quoted ("X said: “…”", "“…,” he said", a quote running on over
paragraphs), and the view each quoted sentence states, of the speaker or of a holder it
names; a quoted condemnation opposes the view just stated."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ..lexicon import (
    ACTOR_TYPES,
    BLAME,
    HOLDING_VERBS,
    NORMATIVE,
    OPPOSE,
    REPORT,
    SUPPORT,
)
from ..mentions import DraftEntity
from ..phrases import split_sentences
from .context import Context
from .polarity import condemns, disclaims, unfounded
from .rule import Rule, step

__all__ = ["QUOTATION", "find_quotations", "quotations"]

FAMILY = "quotations"
QUOTATION = Rule(
    "quotation",
    FAMILY,
    "each sentence of a quotation, with its speaker; a holder named in it; a quoted "
    "condemnation of the view just stated: supports_position, opposes_position",
)


@step(None, "document")
def find_quotations(context: Context) -> None:
    """Every quotation with its speaker; a quote running on from the paragraph before
    keeps that paragraph's speaker."""
    found: list[tuple[int, int, DraftEntity]] = []
    previous: DraftEntity | None = None
    for start, end, continued in context.quote_spans:
        speaker = _speaker(context, start, end)
        if speaker is None and continued:
            speaker = previous
        previous = speaker
        if speaker is not None:
            found.append((start, end, speaker))
    context.quoted = found
    context.quoted_starts = [start for start, _, _ in found]


def _speaker(context: Context, start: int, end: int) -> DraftEntity | None:
    """Who is quoted: the subject of a reporting verb in the quote's sentence, before
    it ("X said: “...”") or after it ("“...,” he said")."""
    text = context.text
    # look no further than the 300 characters before and 80 after: a line of a whole
    # article is not searched to its ends for every quote
    before_start = max(text.rfind("\n", max(0, start - 300), start) + 1, start - 300)
    if not text[before_start:start].strip():
        before_start, start = _introduced(text, before_start, start)
    line_end = text.find("\n", end, end + 80)
    after_end = len(text) if line_end < 0 else line_end
    before = context.doc.char_span(before_start, start, alignment_mode="contract")
    after = context.doc.char_span(end, min(after_end, end + 80), alignment_mode="contract")
    lead_in = text[before_start:start].rstrip()
    order = (before, after) if lead_in.endswith(":") else (after, before)
    for span in order:
        if span is None or len(span) == 0:
            continue
        verbs = [t for t in span if t.lemma_.lower() in REPORT and t.pos_ in ("VERB", "AUX")]
        if not verbs:
            continue
        verb = verbs[-1] if span is before else verbs[0]
        if span is after and verb.sent.start != span[0].sent.start:
            continue
        subjects = context.subject_of(verb)
        if subjects:
            return subjects[0]
    return None


def _introduced(text: str, line_start: int, start: int) -> tuple[int, int]:
    """The line that introduces a quote opening a paragraph ("X said:" alone on the line
    before), as the characters to look for its speaker in; else the quote's own start."""
    previous_end = len(text[:line_start].rstrip())
    if previous_end == 0 or text[previous_end - 1] != ":":
        return line_start, start
    previous_start = max(text.rfind("\n", max(0, previous_end - 300), previous_end) + 1,
                         previous_end - 300)  # fmt: skip
    return previous_start, previous_end


@step(QUOTATION, "document")
def quotations(context: Context) -> None:
    """Quoted words: the speaker supports each quoted sentence, or opposes the view
    a quoted sentence condemns ("That is a dangerous and unsupportable view")."""
    for start, end, speaker in context.quoted:
        first = bisect_right(context.sentence_ends, start)  # the first to end after it starts
        for sentence in context.sentences[first:]:
            if sentence.start_char >= end:
                break
            inside = [
                t for t in sentence
                if start < t.idx < end and not t.is_space and t.text not in "“”\""
            ]  # fmt: skip
            for tokens in split_sentences(inside):
                _quoted_sentence(context, tokens, speaker)


def _quoted_sentence(context: Context, tokens: list[Any], speaker: DraftEntity) -> None:
    if len([t for t in tokens if t.is_alpha]) < 4:
        return
    if context.covered.covers(tokens[0].idx) or context.covered.covers(tokens[-1].idx):
        return
    if condemns(tokens):
        # the view stated last before the quote, not one a rule found further on
        before = [entity for index, entity in context.positions if index < tokens[0].i]
        condemned = before[-1] if before else None
        context.add(speaker, "opposes_position", condemned, "reported", tokens, QUOTATION.name)
        return
    indices = {t.i for t in tokens}
    if any(_coded_by_verb(t, indices) for t in tokens):
        return  # the verb rules code it
    roots = [t for t in tokens if t.head.i not in indices or t.head.i == t.i]
    if any(disclaims(t) for t in roots):
        return  # "Russia has nothing to do with these attacks": a denial, not a view
    doubted = next((found for found in map(unfounded, roots) if found is not None), None)
    if doubted is not None:  # "There's no sign that a single vote was changed"
        context.add(speaker, "opposes_position", context.position(doubted),
                    context.modality(doubted, "reported"), tokens, QUOTATION.name)  # fmt: skip
        return
    holders, tokens = _holders(context, tokens, speaker)
    if not holders:
        return
    position = context.position(tokens)
    modality = context.modality(tokens, "reported")
    for holder in holders:
        claimed = speaker.id if holder is not speaker else None
        context.add(holder, "supports_position", position, modality, tokens, QUOTATION.name,
                    claimed_by=claimed)  # fmt: skip


_DESCRIBING = ("relcl", "acl", "advcl", "pcomp", "csubj", "csubjpass", "amod")


def _coded_by_verb(token: Any, indices: set[int]) -> bool:
    """Whether ``token`` is a verb of blame or stance that the verb rules code for the
    quoted sentence ("We firmly reject these claims", "those who accuse Russia"); not
    "attack" said of an attack in a clause that only describes ("hackers who attack our
    ports", "while its ports are attacked")."""
    if token.lemma_.lower() not in BLAME | SUPPORT | OPPOSE or token.pos_ != "VERB":
        return False
    if token.lemma_.lower() != "attack":
        return True
    if any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
        return False
    node = token
    while node.i in indices and node.head.i != node.i:
        if node.dep_ in _DESCRIBING:
            return False
        node = node.head
    return True


def _holders(
    context: Context, tokens: list[Any], speaker: DraftEntity
) -> tuple[list[DraftEntity], list[Any]]:
    """Who the quoted words say holds the view, and the words that state it.

    "Such countries “believe their states are free ...”": the countries, named before
    the quote; "“Perhaps [Russia, China and Cuba] … want to ...”": those states, as the
    speaker claims; "“The government is committed to ...”": the government. A sentence
    that only describes ("There are ...", "They can ...", "I'm ...") holds no view of
    the speaker's; any other quoted sentence is the speaker's own view.
    """
    first = tokens[0]
    if first.lemma_.lower() in HOLDING_VERBS:
        for subject in (c for c in first.children if c.dep_ == "nsubj" and c.i < first.i):
            holders = context.actors(subject)
            if holders:
                return holders, tokens[1:]
    indices = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in indices or t.head.i == t.i]
    root = roots[0] if roots else first
    subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
    for subject in subjects:
        actors = [a for a in context.actors(subject) if a.type in ACTOR_TYPES]
        if actors and (
            root.lemma_.lower() in HOLDING_VERBS
            or any(c.lower_ in ("committed", "determined") for c in [root, *root.children])
        ):
            return actors, tokens
    if first.lower_ == "there" or (
        any(s.lower_ in ("they", "it", "i") and s.dep_ == "nsubj" for s in subjects)
        and not any(t.lower_ in NORMATIVE for t in tokens)
    ):
        return [], tokens
    return [speaker], tokens
