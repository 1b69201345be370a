"""Events and incidents: the cyber operations an article names and what they target,
where meetings take place and who hosts them, what is part of what (an article of a
charter, negotiations of a body), and what talks collapsed for."""

from __future__ import annotations

from typing import Any

from ..lexicon import DOCUMENT_NOUNS, EVENT_FAMILIES, INCIDENT_NOUNS, STRIKE
from ..phrases import cyber, phrase
from .context import Context, passive
from .rule import Rule, step

__all__ = [
    "CAUSE",
    "LOCATION",
    "PART",
    "TARGET",
    "cause_of_collapse",
    "find_incidents",
    "hosted_meeting",
    "operation_against",
    "part",
    "place_of_meeting",
    "struck_target",
]

FAMILY = "events"
TARGET = Rule("target", FAMILY, "an operation of, on or against a body, or that struck it: targets")
LOCATION = Rule(
    "location", FAMILY, "a meeting in a state; hosted by a state or a body: located_in, "
    "participates_in",
)  # fmt: skip
PART = Rule("part", FAMILY, "an article of a charter; negotiations at or of a body: part_of")
CAUSE = Rule("cause", FAMILY, "talks collapsed due to, because of, amid X: caused_by")

_OPERATIONS = ("hacking", "hack", "attack", "breach", "intrusion")
_GATHERINGS = ("conference", "meeting", "summit", "session", "forum", "talks")
_FAILING = ("collapse", "fail", "founder", "stall", "end")


@step(None, "document")
def find_incidents(context: Context) -> None:
    """Cyber operations named by a noun phrase ("a cyber-attack that halted ...", "the
    2016 hacking of the DNC's computers"); "the attack", "that break-in" and "the
    incident" refer back to the one named before."""
    for token in context.doc:
        if token.pos_ != "NOUN" or token.tag_ != "NN" or token.i in context.mentions.token_entity:
            continue
        if token.lemma_.lower() not in INCIDENT_NOUNS and token.lower_ not in INCIDENT_NOUNS:
            continue
        if token.dep_ == "compound":
            continue
        determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "poss")}
        if not determiners:
            continue
        definite = determiners & {"the", "that", "this"}
        previous = context.last_of_type("incident", token.i) if definite else None
        if previous is not None and not any(c.dep_ in ("nummod", "prep") for c in token.children):
            context.mentions.add(previous, token.i, token.i + 1, token.text)
            continue
        if not cyber(token):
            continue
        context.new_entity("incident", phrase(token), token)


@step(TARGET, "verb")
def struck_target(context: Context, sentence: Any, verb: Any) -> None:
    """ "The attack, which struck the systems of Nordbalt Terminals": what it targets."""
    if verb.lemma_.lower() not in STRIKE or passive(verb):
        return
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in ("which", "that") and verb.dep_ == "relcl":
        subject = verb.head
    if subject is None or subject.lemma_.lower() not in INCIDENT_NOUNS:
        return
    incident = context.thing(subject, "incident")
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        target = context.first_actor(obj, ("institution", "state", "group"))
        context.add(incident, "targets", target, "asserted", [verb, *obj.subtree], TARGET.name)


@step(TARGET, "token")
def operation_against(context: Context, sentence: Any, noun: Any) -> None:
    """ "the 2016 hacking of the US Democratic National Committee's (DNC) computers": the
    hack targets the committee."""
    if noun.lemma_.lower() not in _OPERATIONS or noun.pos_ not in ("NOUN", "VERB"):
        return
    for prep in (c for c in noun.children if c.lower_ in ("of", "on", "against")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            target = context.entity(pobj)
            if target is None:
                target = next((context.entity(c) for c in pobj.subtree if context.entity(c)), None)
            if target is not None and target.type in ("institution", "state"):
                incident = context.thing(noun, "incident")
                context.add(incident, "targets", target, "asserted", list(noun.subtree),
                            TARGET.name)  # fmt: skip


@step(LOCATION, "verb")
def hosted_meeting(context: Context, sentence: Any, verb: Any) -> None:
    """ "a meeting hosted by Switzerland" is in Switzerland; "hosted by the foreign
    ministry": the ministry takes part."""
    if verb.lemma_.lower() != "host" or not (passive(verb) or verb.dep_ == "acl"):
        return
    event_token = (
        verb.head
        if verb.dep_ in ("acl", "relcl")
        else next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
    )
    if event_token is not None and event_token.lower_ in ("which", "that"):
        event_token = verb.head.head if verb.dep_ == "relcl" else event_token
    if event_token is None:
        return
    event = context.thing(event_token, "event")
    if event is None or event.type != "event":
        return
    for agent in (c for c in verb.children if c.dep_ == "agent"):
        for pobj in (c for c in agent.children if c.dep_ == "pobj"):
            host = context.entity(pobj)
            if host is None:
                continue
            relation = "located_in" if host.type == "state" else "participates_in"
            subject, obj = (event, host) if relation == "located_in" else (host, event)
            context.add(subject, relation, obj, "asserted", [verb, *pobj.subtree], LOCATION.name)


@step(LOCATION, "token")
def place_of_meeting(context: Context, sentence: Any, noun: Any) -> None:
    """ "a cyber-security conference in Israel": the conference is located in Israel."""
    if noun.lemma_.lower() not in _GATHERINGS:
        return
    for prep in (c for c in noun.children if c.lower_ == "in"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            place = context.entity(pobj)
            if place is not None and place.type == "state":
                event = context.thing(noun, "event")
                context.add(event, "located_in", place, "asserted", list(noun.subtree),
                            LOCATION.name)  # fmt: skip


@step(PART, "token")
def part(context: Context, sentence: Any, noun: Any) -> None:
    """ "Article 51 of the charter" is part of the charter; "negotiations at the UN" are
    part of the UN's work."""
    entity = context.mentions.entity_at(noun)
    if entity is not None and entity.type == "document":
        for prep in (c for c in noun.children if c.lower_ == "of"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                named = context.entity(pobj)
                if pobj.lemma_.lower() in DOCUMENT_NOUNS or (
                    named is not None and named.type == "document"
                ):
                    whole = context.thing(pobj, "document")
                    context.add(entity, "part_of", whole, "asserted", [noun, *pobj.subtree],
                                PART.name)  # fmt: skip
    if noun.lemma_.lower() in EVENT_FAMILIES[0] and noun.pos_ == "NOUN":
        bodies = [c for c in noun.children if c.dep_ in ("compound", "nmod")]
        bodies += [p for c in noun.children if c.lower_ == "at" for p in c.children]
        for body_token in bodies:
            body = context.mentions.entity_at(body_token)
            if body is not None and body.type == "institution":
                event = context.thing(noun, "event")
                context.add(event, "part_of", body, "asserted", list(noun.subtree)[:8],
                            PART.name)  # fmt: skip


@step(CAUSE, "verb")
def cause_of_collapse(context: Context, sentence: Any, verb: Any) -> None:
    """ "Negotiations ... collapsed in June due to an acrimonious dispute": the collapse
    was caused by the dispute."""
    if verb.lemma_.lower() not in _FAILING or verb.dep_ == "amod":
        return
    # "collapsed in June, it has just emerged, due to ...": the cause may hang from
    # the verb that frames the news
    holders = [verb, verb.head] if verb.dep_ in ("advcl", "ccomp") else [verb]
    causes = [
        pobj
        for holder in holders
        for prep in holder.children
        if prep.lower_ in ("due", "because", "amid")
        for pobj in prep.subtree
        if pobj.dep_ == "pobj"
    ]
    if not causes:
        return
    subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None:
        return
    label = f"collapse of {phrase(subject)}"
    mentions = context.mentions
    collapse = mentions.add(
        mentions.new_entity("event", label, "phrase"), verb.i, verb.i + 1, verb.text
    )
    context.heads.setdefault(collapse.id, "collapse")
    for cause_token in causes[:1]:
        cause = context.thing(cause_token, "event")
        if cause is not None and cause.type == "event":
            context.add(collapse, "caused_by", cause, "asserted", [verb, *cause_token.subtree],
                        CAUSE.name)  # fmt: skip
