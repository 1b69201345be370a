"""Reported speech: what an actor says, argues or fears ("said that P" supports P;
"warned that recognising X would lead to ..." opposes X), and where an actor speaks
("told the final meeting", "spoke at", "wrote on the blog", "released a statement")."""

from __future__ import annotations

from typing import Any

from ..lexicon import BLAME, HARMFUL, OPPOSE, REPORT, SUPPORT
from ..mentions import DraftEntity
from .context import Context, subject_tokens
from .polarity import FEARING, disclaims, feeling, negated, reports_events, unfounded
from .rule import Rule, step

__all__ = ["REPORTED_SPEECH", "SPEAKING", "reported_speech", "speaking"]

FAMILY = "speech"
REPORTED_SPEECH = Rule(
    "reported-speech",
    FAMILY,
    'said, told, argued, warned, feared ... that P; "recognising X would lead to ..." '
    "opposes X: supports_position, opposes_position",
)
SPEAKING = Rule(
    "speaking", FAMILY, "told a meeting, spoke at, wrote on, released a statement: speaks_at"
)

_HOLDING = {"caution", "reply", "think", "hold", "doubt"}
"""Verbs that report a view as ``REPORT`` ones do, but that tell nothing when used alone
("think" is "said" only with a clause: "analysts think that P")."""
_DOUBTING = {"doubt"}
"""Verbs whose clause the subject holds untrue: "she doubts that P" opposes P."""

_GATHERINGS = ("meeting", "conference", "session", "summit", "assembly", "council", "forum")
_RELEASED = ("statement", "report", "paper", "communique")


@step(SPEAKING, "verb")
def speaking(context: Context, sentence: Any, verb: Any) -> None:
    """ "told the final meeting", "wrote on the Just Security blog", "spoke at the
    conference", "released a statement": the speaker speaks at it."""
    lemma = verb.lemma_.lower()
    if lemma in ("tell", "write") and verb.dep_ != "relcl":
        subjects = context.subject_of(verb)
        if subjects and lemma == "tell":
            for obj in (c for c in verb.children if c.dep_ in ("dobj", "dative")):
                if obj.lemma_ in _GATHERINGS:
                    event = context.thing(obj, "event")
                    for subject in subjects:
                        context.add(subject, "speaks_at", event, "reported",
                                    [*subject_tokens(verb), verb, *obj.subtree],
                                    SPEAKING.name)  # fmt: skip
        if subjects and lemma == "write":
            for prep in (c for c in verb.children if c.lower_ in ("on", "in")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    document = context.thing(pobj, "document")
                    for subject in subjects:
                        context.add(subject, "speaks_at", document, "reported",
                                    [verb, *pobj.subtree], SPEAKING.name)  # fmt: skip
    if lemma == "speak" and verb.dep_ in ("advcl", "ROOT", "conj"):
        for prep in (c for c in verb.children if c.lower_ == "at"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                event = context.thing(pobj, "event")
                for subject in context.subject_of(verb):
                    context.add(subject, "speaks_at", event, "reported",
                                [verb, *pobj.subtree], SPEAKING.name)  # fmt: skip
    if lemma == "release":
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if obj.lemma_ in _RELEASED:
                document = context.thing(obj, "document")
                for subject in context.subject_of(verb):
                    context.add(subject, "speaks_at", document, "reported",
                                [verb, *obj.subtree], SPEAKING.name)  # fmt: skip


@step(REPORTED_SPEECH, "verb")
def reported_speech(context: Context, sentence: Any, verb: Any) -> None:
    """ "said that P", "feared that P" (speculative): the speaker supports P; "warned that
    recognising X would lead to ...": the speaker opposes X."""
    lemma = verb.lemma_.lower()
    if (lemma not in REPORT and lemma not in _HOLDING) or verb.dep_ == "relcl":
        return  # "a proposal, which he said would ...": the clause describes, not states
    if negated(verb) or any(
        c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in verb.children
    ):
        return  # "did not say that P", "(asked) whether she believed P" say nothing of P
    subjects = context.subject_of(verb)
    if not subjects:
        return
    for clause, parts in _clauses(verb):
        if _quoted(context, clause, subjects):
            continue  # quotations are handled whole, sentence by sentence
        if context.covered.covers(clause.idx):
            continue  # a view already given to its holder
        inner = clause
        default = "speculative" if lemma == "fear" else "reported"
        if clause.lemma_.lower() in REPORT and any(c.dep_ == "ccomp" for c in clause.children):
            if clause.lemma_.lower() == "fear":
                default = "speculative"
            inner = next(c for c in clause.children if c.dep_ == "ccomp")
        if inner.lemma_.lower() in BLAME | SUPPORT | OPPOSE:
            continue
        if any(c.lower_ == "had" and c.dep_ in ("aux", "auxpass") for c in inner.children):
            continue  # "he added that 400 lorries had been stranded": a report of events
        if disclaims(inner) or feeling(inner) or reports_events(inner, _incident(context)):
            continue  # a denial, a feeling, what an attack did: no view
        doubted = unfounded(inner)
        if doubted is not None:  # "said there was no evidence that P": opposes P
            for subject in subjects:
                context.add(subject, "opposes_position", context.position(doubted),
                            context.modality(doubted, "reported"), list(inner.subtree),
                            REPORTED_SPEECH.name)  # fmt: skip
            continue
        tokens = parts if inner is clause else list(inner.subtree)
        position = context.position(tokens)
        context.covered.add(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
        modality = context.modality(tokens, default)
        relation = "opposes_position" if lemma in _DOUBTING else "supports_position"
        for subject in subjects:
            context.add(subject, relation, position, modality, tokens,
                        REPORTED_SPEECH.name)  # fmt: skip
        # "warned that recognising X would lead to ...", "fear that endorsing X would be
        # used to ...": what a measure is feared to bring is held against the measure
        if inner.lemma_.lower() in HARMFUL or lemma in FEARING:
            for gerund in _gerund_subjects(context, inner, verb):
                measure = list(gerund.subtree)
                # the speaker is sure to oppose what they fear: the hedge is the fear's
                held = context.modality(measure, "reported")
                for subject in subjects:
                    context.add(subject, "opposes_position", context.position(measure), held,
                                measure, REPORTED_SPEECH.name)  # fmt: skip


def _quoted(context: Context, clause: Any, subjects: list[DraftEntity]) -> bool:
    """Whether a reported clause is left to the quotation rule: one that opens in quotes,
    or whose verb is quoted where a text is quoted ("the charter states that nothing shall
    “impair the right ...”") or the quote holds a verb of speech of its own ("Such
    countries “believe P”"); not a speaker's clause that quotes only its end (small
    states "cannot defend themselves alone")."""
    opening = next((t for t in clause.subtree if not t.is_punct), clause)
    if context.in_quotes.covers(opening.idx):
        return True
    if not context.in_quotes.covers(clause.idx):
        return False
    return clause.lemma_.lower() in REPORT or any(s.type == "document" for s in subjects)


def _clauses(verb: Any) -> list[tuple[Any, list[Any]]]:
    """The clauses a verb of speech reports, each with its tokens: "said that P, and that
    Q" reports P and Q apart."""
    found: list[tuple[Any, list[Any]]] = []
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        joined = [
            c for c in clause.children
            if c.dep_ == "conj" and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ]  # fmt: skip
        apart = {t.i for part in joined for t in part.subtree}
        # the "and" and the comma before a clause set apart belong to neither
        first = [t for t in clause.subtree if t.i not in apart]
        while joined and len(first) > 1 and (first[-1].is_punct or first[-1].dep_ == "cc"):
            first.pop()
        found.append((clause, first))
        found += [(part, list(part.subtree)) for part in joined]
    return found


def _gerund_subjects(context: Context, clause: Any, verb: Any) -> list[Any]:
    """ "recognising X would lead to ...": the gerund that is the clause's subject, also
    where the parser hung it elsewhere (just before the clause, after the verb)."""
    found = [
        c for c in clause.children
        if c.dep_ in ("csubj", "csubjpass", "nsubj", "nsubjpass") and c.tag_ == "VBG"
    ]  # fmt: skip
    if found:
        return found
    first = min(t.i for t in clause.subtree)
    for token in context.doc[verb.i + 1 : first]:
        if token.tag_ == "VBG" and max(t.i for t in token.subtree) == first - 1:
            return [token]
    return []


def _incident(context: Context) -> Any:
    """Whether a token names an incident of the article."""

    def named(token: Any) -> bool:
        entity = context.entity(token)
        return entity is not None and entity.type == "incident"

    return named
