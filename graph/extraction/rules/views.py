"""Views held by someone and named by a noun: "the US intelligence conclusion that P", "a
decision made by Moscow and Beijing that P"; "I'm comfortable with the conclusion"."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any

from ..lexicon import REPORT, VIEW_NOUNS
from ..mentions import DraftEntity
from .context import Context
from .rule import Rule, step

__all__ = ["VIEW", "views"]

FAMILY = "views"
VIEW = Rule(
    "view",
    FAMILY,
    'a view held by someone: "the US intelligence conclusion that P", "a decision made by '
    'Moscow and Beijing that P"; "I\'m comfortable with the conclusion": supports_position, '
    "endorses",
)

_AT_EASE = ("comfortable", "agree", "happy", "satisfied", "content")


@step(VIEW, "sentence")
def views(context: Context, sentence: Any) -> None:
    """ "the US intelligence conclusion that P", "a decision made by Moscow that P": the
    holder of the view supports P, as claimed by whoever reports it."""
    for noun in sentence:
        if noun.lemma_.lower() not in VIEW_NOUNS:
            continue
        clause = _that_clause(noun)
        holders: list[DraftEntity] = []
        for child in noun.children:
            if child.dep_ in ("poss", "compound", "nmod"):
                holders += context.actors(child)
        made = noun.head if noun.dep_ in ("nsubjpass",) else None
        if made is not None:
            for agent in (c for c in made.children if c.dep_ == "agent"):
                for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                    holders += context.actors(pobj)
            if clause is None:
                clause = _that_clause(made, ("ccomp",))
        if clause is None or not holders:
            continue
        reporter = _reporter(context, noun)
        tokens = [t for t in clause.subtree if t.dep_ != "mark" or t.head != clause]
        position = context.position(tokens)
        modality = context.modality([*sentence], "reported")
        for holder in {h.id: h for h in holders}.values():
            context.add(
                holder,
                "supports_position",
                position,
                modality,
                tokens,
                VIEW.name,
                claimed_by=reporter.id if reporter and reporter is not holder else None,
            )
        context.covered.add(noun.sent.start_char, noun.sent.end_char)
        # "I'm comfortable with the conclusion": the speaker endorses it
        if noun.dep_ == "pobj" and noun.head.lower_ == "with" and noun.head.head.lemma_ in _AT_EASE:
            speaker = _reporter(context, noun)
            if speaker is not None:
                context.add(speaker, "endorses", position, "reported",
                            [noun.head.head, noun], VIEW.name)  # fmt: skip


def _that_clause(token: Any, deps: tuple[str, ...] = ("acl", "ccomp", "relcl")) -> Any:
    """The clause of ``token`` that opens with "that", if any."""
    return next(
        (c for c in token.children
         if c.dep_ in deps
         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
        None,
    )  # fmt: skip


def _reporter(context: Context, token: Any) -> DraftEntity | None:
    """Who says the sentence that holds ``token``: a reporting verb's subject, or the
    speaker of the quotation it stands in."""
    node = token
    for _ in range(12):
        if node.lemma_.lower() in REPORT and node.pos_ in ("VERB", "AUX"):
            subjects = context.subject_of(node)
            if subjects:
                return subjects[0]
        if node.head.i == node.i:
            break
        node = node.head
    # the quotations do not overlap and come in order: only one can hold the token
    index = bisect_right(context.quoted_starts, token.idx) - 1
    if index >= 0 and token.idx < context.quoted[index][1]:
        return context.quoted[index][2]
    return None
