"""Events and incidents: the cyber operations an article names and what they target,
where meetings take place and who hosts them, what is part of what (an article of a
charter, negotiations of a body), and what talks collapsed for."""

from __future__ import annotations

from typing import Any

from ..lexicon import (
    COMPANY_NOUNS,
    DOCUMENT_NOUNS,
    EVENT_FAMILIES,
    GROUP_NOUNS,
    INCIDENT_NOUNS,
    NAMING_VERBS,
    STRIKE,
)
from ..phrases import cyber, phrase
from .context import Context, passive
from .rule import Rule, step

__all__ = [
    "CAUSE",
    "GROUP_LINK",
    "LOCATION",
    "PART",
    "SEAT",
    "TARGET",
    "VICTIM",
    "cause_of_collapse",
    "find_incidents",
    "group_link",
    "group_unit",
    "hit_victims",
    "hosted_meeting",
    "listed_victims",
    "operation_against",
    "part",
    "place_of_meeting",
    "seat_of_business",
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
VICTIM = Rule(
    "victim", FAMILY, "victims included X; X was hit, among the victims; an operation that "
    "targeted X: targets",
)  # fmt: skip
GROUP_LINK = Rule(
    "group-link", FAMILY, "a hacking group that is a unit of a body, works on its behalf, is "
    "linked to a state: part_of, represents, affiliated_with",
)  # fmt: skip
SEAT = Rule("seat", FAMILY, "the Danish firm X, X, a Tehran-based company, X in London: located_in")

_VICTIM_NOUNS = ("victim", "target", "casualty")
_HIT_VERBS = STRIKE | {"affect", "encrypt", "infect", "attack", "hack", "penetrate", "wipe"}
_ACTOR_TYPES = ("institution", "state", "group")
# "a unit of the GRU", "part of", "an arm of": the group is part of the body
_PART_NOUNS = ("unit", "part", "arm", "branch", "division", "subunit", "subsidiary", "cell")
# "linked to", "tied to", "backed by", "sponsored by": the group is affiliated with it
_LINK_VERBS = ("link", "tie", "connect", "associate", "back", "sponsor", "affiliate", "align")

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
        named = _named_operation(context, token)
        if named is not None:  # "the NotPetya cyber-attack" is NotPetya
            context.mentions.add(named, token.i, token.i + 1, "")
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


def _named_operation(context: Context, noun: Any) -> Any:
    """The operation named before an incident noun ("the NotPetya attack"), if any."""
    for child in noun.children:
        if child.dep_ in ("compound", "nmod") and child.i < noun.i:
            entity = context.mentions.entity_at(child)
            if entity is not None and entity.type == "incident":
                return entity
    return None


@step(TARGET, "verb")
def struck_target(context: Context, sentence: Any, verb: Any) -> None:
    """ "The attack, which struck the systems of Nordbalt Terminals": what it targets."""
    if verb.lemma_.lower() not in _HIT_VERBS or passive(verb):
        return
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is not None and subject.lower_ in ("which", "that") and verb.dep_ == "relcl":
        subject = verb.head
    if subject is None or subject.lemma_.lower() not in INCIDENT_NOUNS:
        return
    incident = context.thing(subject, "incident")
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for target in _struck(context, obj):
            context.add(incident, "targets", target, "asserted", [verb, *obj.subtree],
                        TARGET.name)  # fmt: skip
    # "encrypted patient records at the Pardubice Heart Centre, the Bezruc Hospital ..."
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ == "at"):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for place in (pobj, *(c for c in pobj.children if c.dep_ == "appos")):
                for target in context.actors(place):
                    if target.type in _ACTOR_TYPES:
                        context.add(incident, "targets", target, "asserted",
                                    [verb, *prep.subtree], TARGET.name)  # fmt: skip


def _struck(context: Context, obj: Any) -> list[Any]:
    """The actors an object of "struck" names: itself and its conjuncts, or those it is of
    or at ("patient records at the Pardubice Heart Centre, the Bezruc Hospital and ...")."""
    actors = [e for e in context.actors(obj) if e.type in _ACTOR_TYPES]
    if actors:
        return actors
    for prep in (c for c in obj.children if c.lower_ in ("of", "at", "in")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            actors += [e for e in context.actors(pobj) if e.type in _ACTOR_TYPES]
    if not actors:
        first = context.first_actor(obj, _ACTOR_TYPES)
        actors = [first] if first is not None else []
    return actors


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


@step(VICTIM, "verb")
def listed_victims(context: Context, sentence: Any, verb: Any) -> None:
    """ "Victims included the NHS, FedEx and Telefónica", "Brushfire's victims include X":
    the operation (named with the victims, or the last one named) targets each."""
    if verb.lemma_.lower() != "include":
        return
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None or subject.lemma_.lower() not in _VICTIM_NOUNS:
        return
    incident = _incident_of(context, subject)
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for victim in context.actors(obj):
            if victim.type in _ACTOR_TYPES:
                context.add(incident, "targets", victim, context.modality(verb.subtree,
                            "asserted"), [verb, *obj.subtree], VICTIM.name)  # fmt: skip


@step(VICTIM, "verb")
def hit_victims(context: Context, sentence: Any, verb: Any) -> None:
    """ "X was hit", "X had been among Brushfire's victims", "Operation Y, which targeted
    X", "an attack aimed at X": the operation (the agent, the subject, or the last one
    named) targets X."""
    lemma = verb.lemma_.lower()
    if lemma in ("aim", "direct") and verb.dep_ == "acl":
        _aimed_at(context, verb)
    elif lemma in _HIT_VERBS and passive(verb):
        agent = next((p for c in verb.children if c.dep_ == "agent" for p in c.children), None)
        incident = context.entity(agent) if agent is not None else None
        if agent is not None and (incident is None or incident.type != "incident"):
            return  # "hit by sanctions", "attacked by critics"
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is None:
            return
        if any(c.lower_ == "whose" for c in subject.children) and verb.dep_ == "relcl":
            subject = verb.head  # "the Netherlands and Belgium, whose ports were hit"
        incident = incident or context.last_of_type("incident", verb.i)
        for victim in context.actors(subject):
            if victim.type in _ACTOR_TYPES:
                context.add(incident, "targets", victim, context.modality(verb.subtree,
                            "asserted"), [subject, verb], VICTIM.name)  # fmt: skip
    elif lemma == "be":
        for prep in (c for c in verb.children if c.lower_ == "among"):
            for pobj in (c for c in prep.children if c.lemma_.lower() in _VICTIM_NOUNS):
                subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                if subject is None:
                    continue
                incident = _incident_of(context, pobj)
                for victim in context.actors(subject):
                    if victim.type in _ACTOR_TYPES:
                        context.add(incident, "targets", victim, "asserted",
                                    [subject, *prep.subtree], VICTIM.name)  # fmt: skip
    elif lemma in _HIT_VERBS:
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in ("which", "that") and verb.dep_ == "relcl":
            subject = verb.head
        if subject is None or subject.pos_ != "PROPN":
            return  # "the attack, which struck X": the rule `target`
        incident = context.entity(subject)
        if incident is None or incident.type != "incident":
            return
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            struck = context.first_actor(obj, _ACTOR_TYPES)
            context.add(incident, "targets", struck, "asserted", [verb, *obj.subtree],
                        VICTIM.name)  # fmt: skip


def _aimed_at(context: Context, verb: Any) -> None:
    """ "an attack, aimed at Ukraine, that ...": the operation (named, or the last one
    named) targets Ukraine."""
    noun = verb.head
    incident = context.entity(noun)
    if incident is None and noun.lemma_.lower() in INCIDENT_NOUNS:
        incident = context.last_of_type("incident", noun.i)
    if incident is None or incident.type != "incident":
        return
    for prep in (c for c in verb.children if c.lower_ in ("at", "against")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for victim in context.actors(pobj):
                if victim.type in _ACTOR_TYPES:
                    context.add(incident, "targets", victim, "asserted", [verb, *prep.subtree],
                                VICTIM.name)  # fmt: skip


def _incident_of(context: Context, victims: Any) -> Any:
    """The operation whose victims a noun names: "Brushfire's victims", else the last
    one named before."""
    for owner in (c for c in victims.children if c.dep_ == "poss"):
        entity = context.entity(owner)
        if entity is not None and entity.type == "incident":
            return entity
    return context.last_of_type("incident", victims.i)


@step(GROUP_LINK, "token")
def group_link(context: Context, sentence: Any, noun: Any) -> None:
    """ "X, a unit of the GRU", "X, which is believed to be part of Y": X is part of Y;
    "X operates on behalf of Y": X represents Y; "X, a group linked to Y": affiliated."""
    lemma = noun.lemma_.lower()
    if lemma in _PART_NOUNS and noun.pos_ == "NOUN":
        relation = "part_of"
        whole = next((p for c in noun.children if c.lower_ == "of" for p in c.children
                      if p.dep_ == "pobj"), None)  # fmt: skip
        holder = noun
    elif lemma == "behalf" and noun.head.lower_ == "on":
        relation = "represents"
        whole = next((p for c in noun.children if c.lower_ == "of" for p in c.children
                      if p.dep_ == "pobj"), None)  # fmt: skip
        holder = noun.head.head
    elif lemma in _LINK_VERBS and noun.pos_ == "VERB" and noun.dep_ in ("acl", "relcl", "ROOT"):
        relation = "affiliated_with"
        whole = next((p for c in noun.children if c.lower_ in ("to", "with", "by")
                      for p in c.children if p.dep_ == "pobj"), None)  # fmt: skip
        holder = noun.head if noun.dep_ == "acl" else noun
    else:
        return
    if whole is None:
        return
    body = context.first_actor(whole, ("institution", "state"))
    group = _group_of(context, holder)
    if group is None or body is None:
        return
    # "which is believed to be a unit of": the hedge is in the clause, above the noun
    clause = next((t for t in (noun, *noun.ancestors) if t.dep_ == "relcl"), noun.head)
    context.add(group, relation, body, context.modality(clause.subtree, "asserted"),
                [noun, *whole.subtree], GROUP_LINK.name)  # fmt: skip


def _group_of(context: Context, token: Any) -> Any:
    """The hacking group a phrase is said of: the name it stands beside ("X, a unit of"),
    or the subject of its clause ("X, which is believed to be a unit of")."""
    for _ in range(4):
        entity = context.entity(token)
        if entity is not None:
            return entity if entity.type == "group" else None
        if token.dep_ == "appos":
            token = token.head
            continue
        if token.dep_ in ("attr", "pobj", "prep", "acl") or token.pos_ not in ("VERB", "AUX"):
            token = token.head
            continue
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        while subject is None and token.dep_ in ("xcomp", "ccomp"):
            token = token.head  # "which is believed to be a unit of"
            subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.lower_ in ("which", "that", "who"):
            # "X, which it said operates on behalf of Y": X, the noun of the clause
            clause = next((t for t in (token, *token.ancestors) if t.dep_ == "relcl"), None)
            subject = clause.head if clause is not None else None
        if subject is None:
            return None
        token = subject
    return None


@step(GROUP_LINK, "token")
def group_unit(context: Context, sentence: Any, noun: Any) -> None:
    """ "the GRU unit known as Ash Raven": the group is part of the GRU; "North Korean
    hacking group Lazarus": the group is affiliated with North Korea."""
    if noun.lemma_.lower() not in GROUP_NOUNS or noun.pos_ != "NOUN":
        return
    named = [context.entity(c) for c in noun.children if c.dep_ in ("appos", "compound")]
    named += [
        context.entity(p)
        for verb in noun.children
        if verb.dep_ == "acl" and verb.lemma_.lower() in NAMING_VERBS
        for p in verb.subtree
        if p.dep_ in ("pobj", "oprd")
    ]
    if noun.head.pos_ == "PROPN" and noun.dep_ == "compound":
        named.append(context.entity(noun.head))  # "hacking group Lazarus"
    groups = [e for e in named if e is not None and e.type == "group"]
    if not groups:
        return
    for owner in (c for c in noun.children if c.dep_ in ("compound", "poss", "amod", "nmod")):
        body = context.entity(owner)
        relation = "part_of"
        if body is None or body.type == "state":
            body = context.mentions.state_of(owner) or _two_word_demonym(context, owner)
            relation = "affiliated_with"
        if body is None or body.type not in ("institution", "state"):
            continue
        context.add(groups[0], relation, body, "asserted", [owner, noun, *noun.subtree][:12],
                    GROUP_LINK.name)  # fmt: skip


def _two_word_demonym(context: Context, word: Any) -> Any:
    """The state of a demonym of two words ("North Korean", "South African")."""
    if word.i == 0:
        return None
    known = context.mentions.gazetteer.demonym(f"{word.doc[word.i - 1].text} {word.text}")
    return context.mentions.linked(known, "demonym") if known is not None else None


@step(SEAT, "token")
def seat_of_business(context: Context, sentence: Any, noun: Any) -> None:
    """ "the Danish shipping group Osterlund", "Vestkyst Vind, a Danish wind-farm operator",
    "a Tehran-based company, X": the business is located in the state."""
    if noun.pos_ != "NOUN" or noun.lower_.rsplit("-", 1)[-1] not in COMPANY_NOUNS:
        return
    named = [c for c in noun.children if c.dep_ == "appos"]
    if noun.dep_ in ("appos", "compound"):
        named.append(noun.head)
    business = next(
        (e for t in named if (e := context.entity(t)) is not None and e.type == "institution"),
        None,
    )
    if business is None:
        return
    for modifier in noun.children:
        if modifier.dep_ not in ("amod", "compound", "nmod"):
            continue
        place = modifier
        if modifier.lower_ == "based":  # "a Tehran-based company"
            place = next((c for c in modifier.children if c.dep_ == "npadvmod"), modifier)
        state = context.mentions.state_of(place) or _two_word_demonym(context, place)
        if state is None:
            known = context.mentions.gazetteer.lookup(place.text)
            state = next((context.mentions.linked(k) for k in known if k.type == "state"), None)
        if state is not None:
            context.add(business, "located_in", state, "asserted", [modifier, noun],
                        SEAT.name)  # fmt: skip
            return
