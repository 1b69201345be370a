"""Which way a clause turns a stance: the questions the stance rules ask so that a negation,
a fear, a warning, a denial or a quoted condemnation never gives the reverse of what the
text says.

- "did not say that P" states nothing about P (``negated``);
- "X fears that doing Y would ..." and "X warned against Y": X opposes Y (``FEARING``,
  ``AGAINST``);
- "X rejected the accusations" is a denial, not a position (``DENIED``; the deny frame
  codes it); "X rejected the claim that P" opposes P (``content_clause``);
- "X had nothing to do with the attack" is a denial, not a view (``disclaims``);
- "there is no sign that P" opposes P (``unfounded``);
- "she said she was grateful" and "the attackers demanded a ransom, the agency said" are
  a feeling and a report of events, not positions (``feeling``, ``reports_events``);
- "This was a reckless attack," she said: a speaker who calls an act reckless states her
  own view; only a quoted sentence that calls a view, an idea or a claim wrong opposes
  the view just stated (``condemns``).
"""

from __future__ import annotations

from typing import Any

from ..lexicon import INCIDENT_NOUNS, NEGATIVE, VIEW_NOUNS

__all__ = [
    "AGAINST",
    "DENIED",
    "FEARING",
    "MEASURES",
    "condemns",
    "content_clause",
    "disclaims",
    "feeling",
    "negated",
    "reports_events",
    "unfounded",
]

FEARING = {"fear", "worry", "warn", "caution"}
"""Reporting verbs whose clause says what a measure would bring: "fear that endorsing X
would be used to ..." opposes X."""

AGAINST = {"warn", "caution", "advise", "argue", "vote", "speak", "campaign", "lobby"}
"""Verbs that oppose what follows "against": "warned against using ransomware as a
pretext"."""

DENIED = {"accusation", "allegation", "claim", "charge", "attribution", "suggestion"}
"""What is denied rather than opposed: "rejected the accusations" without saying which."""

MEASURES = {
    "decision", "sanction", "listing", "measure", "designation", "move", "step", "plan",
    "proposal", "resolution", "attribution", "finding", "statement", "initiative", "idea",
}  # fmt: skip
"""What a stance verb takes that is a position in two words: "welcomed the decision",
"firmly opposes the sanctions"."""

_VIEWS = VIEW_NOUNS | {
    "idea", "notion", "proposal", "reading", "interpretation", "suggestion", "approach",
    "theory", "doctrine", "logic", "premise", "thinking", "line",
}  # fmt: skip
_POINTERS = ("that", "this", "it", "such")
_GROUNDS = {"sign", "evidence", "proof", "indication", "basis", "reason"}
_FEELINGS = {
    "grateful", "thankful", "pleased", "delighted", "happy", "proud", "honoured", "honored",
    "sorry", "saddened", "shocked", "relieved", "glad",
}  # fmt: skip
_DOERS = INCIDENT_NOUNS | {"attacker", "hacker", "intruder", "perpetrator"}


def negated(verb: Any) -> bool:
    """Whether ``verb`` is negated ("did not say", "never said")."""
    return any(c.dep_ == "neg" for c in verb.children)


def content_clause(noun: Any) -> Any:
    """The "that" clause a noun states ("the claim that P"), if any."""
    return next(
        (c for c in noun.children
         if c.dep_ in ("acl", "ccomp", "relcl")
         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
        None,
    )  # fmt: skip


def disclaims(clause: Any) -> bool:
    """Whether a clause denies a part in something: "Russia had nothing to do with the
    attack", "it played no role in"."""
    if clause.lemma_.lower() not in ("have", "play"):
        return False
    return any(
        c.dep_ == "dobj"
        and (c.lower_ == "nothing" or any(d.lower_ == "no" and d.dep_ == "det" for d in c.children))
        for c in clause.children
    )


def condemns(tokens: list[Any]) -> bool:
    """Whether a quoted sentence condemns a view ("That is a dangerous and unsupportable
    view", "This is wrong"), not an act ("This was a reckless attack")."""
    if tokens[0].lower_ not in _POINTERS or not {t.lower_ for t in tokens} & NEGATIVE:
        return False
    indices = {t.i for t in tokens}
    roots = [t for t in tokens if t.head.i not in indices or t.head.i == t.i]
    if not roots:
        return False
    named = [c for c in roots[0].children if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN")]
    return all(noun.lemma_.lower() in _VIEWS for noun in named)


def unfounded(clause: Any) -> Any:
    """The clause a sentence says there are no grounds for ("There's no sign that a single
    vote was changed"): the words of P, or None."""
    if clause.lemma_.lower() != "be" or not any(c.dep_ == "expl" for c in clause.children):
        return None
    for noun in (c for c in clause.children if c.dep_ in ("attr", "nsubj")):
        if noun.lemma_.lower() in _GROUNDS and any(
            d.lower_ == "no" and d.dep_ == "det" for d in noun.children
        ):
            content = content_clause(noun)
            if content is not None:
                return [t for t in content.subtree if not (t.dep_ == "mark" and t.head == content)]
    return None


def feeling(clause: Any) -> bool:
    """Whether a clause says how its subject feels ("she was grateful to investigators")."""
    return clause.lemma_.lower() == "be" and any(
        c.dep_ == "acomp" and c.lower_ in _FEELINGS for c in clause.children
    )


def reports_events(clause: Any, incident: Any) -> bool:
    """Whether a clause tells what an attack or its authors did, in the past ("the attackers
    demanded 40 million crowns"): an event, not a view. ``incident`` says whether a token
    names an incident."""
    if clause.tag_ != "VBD" or clause.lemma_.lower() == "be":
        return False  # "the attack was the work of X" is a claim about it
    if any(c.dep_ == "ccomp" for c in clause.children):
        return False  # "the attack showed that P" is a view of what it showed
    return any(
        c.dep_ in ("nsubj", "nsubjpass") and (c.lemma_.lower() in _DOERS or incident(c))
        for c in clause.children
    )
