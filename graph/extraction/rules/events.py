"""Events and incidents: the cyber operations an article names and what they target,
where meetings take place and who hosts them, what is part of what (an article of a
charter, negotiations of a body), and what talks collapsed for."""

from __future__ import annotations

from typing import Any

from ..lexicon import (
    DOCUMENT_NOUNS,
    EVENT_FAMILIES,
    GROUP_NOUNS,
    INCIDENT_NOUNS,
    NAMING_VERBS,
    STRIKE,
)
from ..mentions import ORGAN_RELATION, DraftEntity
from ..phrases import cyber, phrase
from .context import Context, passive
from .rule import Rule, step

__all__ = [
    "CAUSE",
    "GROUP_LINK",
    "LOCATION",
    "MEETING",
    "PART",
    "TARGET",
    "VICTIM",
    "body_relations",
    "cause_of_collapse",
    "find_incidents",
    "group_link",
    "group_unit",
    "held_meeting",
    "hit_victims",
    "hosted_meeting",
    "listed_victims",
    "operation_against",
    "part",
    "place_of_body",
    "place_of_meeting",
    "speakers_at_meeting",
    "struck_target",
    "unit_of_body",
]

FAMILY = "events"
TARGET = Rule("target", FAMILY, "an operation of, on or against a body, or that struck it: targets")
LOCATION = Rule(
    "location", FAMILY, "a meeting in a state; hosted by a state or a body; a body in a "
    'capital, "a Tehran-based company", "the Finnish firm X": located_in, participates_in',
)  # fmt: skip
PART = Rule(
    "part", FAMILY, "an article of a charter; negotiations at or of a body; a body's unit, "
    '"a unit of the GRU": part_of',
)  # fmt: skip
MEETING = Rule(
    "meeting", FAMILY, "a body held a debate; the representative of a state said, "
    '"briefing the Council", told a news briefing; "an idea the representatives of A and B '
    'supported": part_of, speaks_at, participates_in',
)  # fmt: skip
CAUSE = Rule("cause", FAMILY, "talks collapsed due to, because of, amid X: caused_by")
VICTIM = Rule(
    "victim", FAMILY, "victims included X; X was hit, among the victims; an operation that "
    "targeted X: targets",
)  # fmt: skip
GROUP_LINK = Rule(
    "group-link", FAMILY, "a hacking group that is a unit of a body, works on its behalf, is "
    "linked to a state: part_of, represents, affiliated_with",
)  # fmt: skip

_VICTIM_NOUNS = ("victim", "target", "casualty")
_HIT_VERBS = STRIKE | {"affect", "encrypt", "infect", "attack", "hack", "penetrate", "wipe"}
_ACTOR_TYPES = ("institution", "state", "group")
# "a unit of the GRU", "part of", "an arm of": the group is part of the body
_PART_NOUNS = ("unit", "part", "arm", "branch", "division", "subunit", "subsidiary", "cell")
# "linked to", "tied to", "backed by", "sponsored by": the group is affiliated with it
_LINK_VERBS = ("link", "tie", "connect", "associate", "back", "sponsor", "affiliate", "align")

_OPERATIONS = ("hacking", "hack", "attack", "breach", "intrusion")
# the victims an operation's object names when they are of or in a named body or place:
# people and bodies of their own, not the body or place ("attacks on the maritime agencies
# of Vietnam" do not target Vietnam)
_VICTIMS_WITHIN = {
    "member", "candidate", "staff", "employee", "official", "campaign", "hospital", "clinic",
    "agency", "ministry", "company", "firm", "port", "utility", "plant", "authority", "bank",
    "university", "school", "office", "embassy", "operator", "provider", "airport",
}  # fmt: skip
_GATHERINGS = ("conference", "meeting", "summit", "session", "forum", "talks")
_FAILING = ("collapse", "fail", "founder", "stall", "end")
# what a body named with its state in front is when it does business there, not govern it
_BUSINESSES = {
    "company", "firm", "group", "operator", "maker", "drugmaker", "manufacturer", "provider",
    "bank", "insurer", "carrier", "contractor", "startup", "university", "institute", "tank",
    "party", "committee", "corporation", "hospital", "utility", "lab", "laboratory",
    "carmaker", "conglomerate", "start-up", "giant", "supplier", "developer", "vendor",
    "retailer", "airline",
}  # fmt: skip
# organs that act for their state and are part of it
_MINISTRIES = ("ministry", "department")
# bodies a state keeps abroad, known by their host city ("the Russian embassy in Prague")
_MISSIONS = ("embassy", "consulate", "mission")
# what a body's part is called: "a unit of the GRU", "the Treasury Department's Office"
_UNITS = {
    "unit", "bureau", "division", "section", "branch", "department", "directorate", "office",
    "centre", "center", "arm", "part", "wing", "subsidiary", "agency", "command", "service",
}  # fmt: skip
# meetings that are part of the body that holds them
_HELD = ("debate", "meeting", "session", "briefing", "hearing", "consultation", "summit")
_BRIEFED = ("briefing", "news", "press")


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


def _owner_of(context: Context, token: Any, top: Any) -> bool:
    """Whether ``token`` names an entity that owns what ``top`` names: "the computers of
    the DNC" yes; not the body people or a body within it belong to ("members of the
    Bundestag", "a hospital in Kosice", "the campaign of Senate candidate X")."""
    if context.entity(token) is None:
        return False
    head = token
    while head.i != top.i and head.head.i != head.i:
        head = head.head
        if head.lemma_.lower() in _VICTIMS_WITHIN:
            return False
    return True


@step(TARGET, "token")
def operation_against(context: Context, sentence: Any, noun: Any) -> None:
    """ "the 2016 hacking of the US Democratic National Committee's (DNC) computers": the
    hack targets the committee."""
    if noun.lemma_.lower() not in _OPERATIONS or noun.pos_ not in ("NOUN", "VERB"):
        return
    if _generic(noun):
        return  # "those who carry out cyber-attacks against the Union": no one operation
    for prep in (c for c in noun.children if c.lower_ in ("of", "on", "against")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            target = context.entity(pobj)
            if target is None:
                target = next(
                    (context.entity(c) for c in pobj.subtree if _owner_of(context, c, pobj)),
                    None,
                )
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
    one named before; none for the victims of a kind ("among the targets of cyberattacks")."""
    for owner in (c for c in victims.children if c.dep_ == "poss"):
        entity = context.entity(owner)
        if entity is not None and entity.type == "incident":
            return entity
    kinds = (p for c in victims.children if c.lower_ == "of" for p in c.children)
    if any(_generic(kind) for kind in kinds):
        return None
    return context.last_of_type("incident", victims.i)


def _generic(noun: Any) -> bool:
    """Whether a noun names a kind, not a case: a plural with no determiner or number."""
    determined = any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)
    return noun.tag_ == "NNS" and not determined


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


def body_relations(span: Any) -> tuple[str, ...]:
    """How a body named with its state in front ("the Philippine Coast Guard", "the
    Russian embassy", "a Danish company") relates to that state: by the organ noun it
    holds; a ministry or department both acts for it and is part of it; a company,
    party or university is located in it; any other body (a directorate, a guard, a
    centre) is part of it."""
    lemmas = [token.lemma_.lower() for token in span]
    organ = next((lemma for lemma in reversed(lemmas) if lemma in ORGAN_RELATION), None)
    if organ is not None:
        relation = ORGAN_RELATION[organ]
        return (relation, "part_of") if organ in _MINISTRIES else (relation,)
    if _BUSINESSES & set(lemmas):
        return ("located_in",)
    return ("part_of",)


def _named_body(context: Context, noun: Any) -> DraftEntity | None:
    """The named body a common noun stands for: "Kestrel Point, a security firm", "a
    company, Arvand Cyber", "the security firm Kuura Labs", "X is a unit of Y"."""
    entity = context.mentions.entity_at(noun)
    if entity is not None:
        return entity if entity.type in ("institution", "group") else None
    candidates = [c for c in noun.children if c.dep_ == "appos"]
    if noun.dep_ == "appos" or (noun.dep_ == "compound" and noun.head.pos_ == "PROPN"):
        candidates.append(noun.head)
    if noun.dep_ == "attr":
        candidates += [c for c in noun.head.children if c.dep_ == "nsubj"]
        if noun.head.dep_ in ("xcomp", "ccomp"):
            # "which is believed to be a unit of": the subject of the clause above
            candidates += [c for c in noun.head.head.children if c.dep_ in ("nsubj", "nsubjpass")]
    for candidate in candidates:
        if candidate.lower_ in ("which", "that", "who") and candidate.head.dep_ == "relcl":
            candidate = candidate.head.head
        elif candidate.lower_ in ("which", "that", "who"):
            clause = candidate.head
            while clause.dep_ in ("xcomp", "ccomp") and clause.head is not clause:
                clause = clause.head
            candidate = clause.head if clause.dep_ == "relcl" else candidate
        found = context.mentions.entity_at(candidate)
        if found is not None and found.type in ("institution", "group"):
            return found
    return None


def _place(context: Context, token: Any) -> DraftEntity | None:
    """The state a place names: the state itself or its capital ("in London"), or the state
    in apposition to a city ("in Hangzhou, China")."""
    for each in [token, *(c for c in token.children if c.dep_ == "appos")]:
        entity = context.mentions.entity_at(each)
        if entity is not None and entity.type == "state":
            return entity
    return None


@step(LOCATION, "token")
def place_of_body(context: Context, sentence: Any, noun: Any) -> None:
    """ "the Russian embassy in London", "a Tehran-based company, X", "a company based in
    Hangzhou, China", "X, a Singapore security firm", "the Finnish security firm X": the
    body is located in that state."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return
    lemma = noun.lemma_.lower()
    named = context.mentions.entity_at(noun)
    places: list[tuple[DraftEntity, list[Any]]] = []
    if named is not None and named.type == "institution":
        for prep in (c for c in noun.children if c.lower_ == "in" and c.dep_ == "prep"):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                state = _place(context, pobj)
                if state is not None and state.id != named.id:
                    places.append((state, [noun, *pobj.subtree]))
                    if lemma in _MISSIONS:
                        _name_by_city(named, noun, pobj)
    if lemma in _BUSINESSES:
        for child in noun.children:
            state = None
            if child.dep_ in ("amod", "compound", "nmod") and child.i < noun.i:
                state = context.mentions.state_of(child)
                if state is None and child.lower_ == "based" and child.i >= 2:
                    state = _place(context, context.doc[child.i - 2])  # "Tehran-based"
            elif child.lower_ == "based" and child.dep_ in ("acl", "amod"):
                state = next(
                    (_place(context, p) for c in child.children if c.lower_ == "in"
                     for p in c.children if p.dep_ == "pobj" and _place(context, p)),
                    None,
                )  # fmt: skip
            if state is not None:
                places.append((state, [child, noun]))
        if places:
            named = _named_body(context, noun)
    if named is None or named.type != "institution":
        return
    for state, tokens in places:
        if state.id != named.id:
            context.add(named, "located_in", state, "asserted", tokens, LOCATION.name)


def _name_by_city(mission: DraftEntity, noun: Any, city: Any) -> None:
    """ "the Russian embassy in Prague": the embassy is also called by its city, which
    tells it from the state's other embassies."""
    start = noun.left_edge.i
    while start < noun.i and noun.doc[start].dep_ == "det":
        start += 1
    mission.add_alias(noun.doc[start : city.i + 1].text)


@step(PART, "token")
def unit_of_body(context: Context, sentence: Any, noun: Any) -> None:
    """ "Ash Raven, a unit of the GRU", "the GRU unit known as Ash Raven", "the Treasury
    Department's Office of Foreign Assets Control", "Iran's Revolutionary Guards": the one
    is part of the other."""
    if noun.pos_ not in ("NOUN", "PROPN"):
        return
    named = context.mentions.entity_at(noun)
    if named is not None and named.type == "institution" and noun.dep_ != "compound":
        for owner in (c for c in noun.children if c.dep_ == "poss"):
            whole = context.mentions.entity_at(owner)
            if whole is None or whole.id == named.id:
                continue
            if whole.type == "state":
                span = context.doc[owner.i : noun.i + 1]
                for relation in body_relations(span):
                    context.add(named, relation, whole, "asserted", span, PART.name)
            elif whole.type == "institution" and noun.lemma_.lower() in _UNITS | {"centre"}:
                context.add(named, "part_of", whole, "asserted",
                            context.doc[owner.i : noun.i + 1], PART.name)  # fmt: skip
    if noun.lemma_.lower() not in _UNITS or named is not None:
        return
    wholes = [
        (p, context.mentions.entity_at(p))
        for c in noun.children
        if c.lower_ == "of" and c.dep_ == "prep"
        for p in c.children
        if p.dep_ == "pobj"
    ]
    wholes += [(c, context.mentions.entity_at(c)) for c in noun.children if c.dep_ == "compound"]
    wholes = [(t, e) for t, e in wholes if e is not None and e.type == "institution"]
    if not wholes:
        return
    part = _named_body(context, noun)
    if part is None:
        # "the GRU unit known as Ash Raven"
        part = next(
            (context.mentions.entity_at(p) for c in noun.children if c.dep_ == "acl"
             for a in c.children if a.lower_ == "as" for p in a.children
             if p.dep_ == "pobj" and context.mentions.entity_at(p)),
            None,
        )  # fmt: skip
    # a hacking group's unit ("Sandworm, a unit of the GRU") is the rule `group-link`'s
    if part is None or part.type != "institution":
        return
    clause = noun.head if noun.dep_ == "attr" else noun
    modality = context.modality(
        [*clause.subtree, *(clause.head.subtree if clause.dep_ in ("xcomp", "ccomp") else ())],
        "asserted",
    )
    for token, whole in wholes:
        if whole is not None and whole.id != part.id:
            context.add(part, "part_of", whole, modality, [noun, *token.subtree], PART.name)


@step(MEETING, "verb")
def held_meeting(context: Context, sentence: Any, verb: Any) -> None:
    """ "The Security Council held an open debate on ransomware": the debate is part of the
    Council's work."""
    if verb.lemma_.lower() not in ("hold", "convene"):
        return
    bodies = [context.mentions.entity_at(c) for c in verb.children if c.dep_ == "nsubj"]
    for body in bodies:
        if body is None or body.type != "institution":
            continue
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            if obj.lemma_.lower() in _HELD:
                event = context.thing(obj, "event")
                if event is not None and event.type == "event":
                    context.add(event, "part_of", body, "asserted", [verb, *obj.subtree],
                                MEETING.name)  # fmt: skip


@step(MEETING, "verb")
def speakers_at_meeting(context: Context, sentence: Any, verb: Any) -> None:
    """ "The representative of France said", "China's representative rejected", "Briefing
    the Council, X said": they speak at the meeting named before; "a proposal the
    representatives of A and B supported": they take part in it; "X told a news
    briefing": X speaks at the briefing."""
    lemma = verb.lemma_.lower()
    if lemma == "tell":
        for obj in (c for c in verb.children if c.dep_ in ("dobj", "dative")):
            if obj.lemma_.lower() == "briefing" or (
                obj.lemma_.lower() == "conference"
                and any(c.lower_ in _BRIEFED for c in obj.children)
            ):
                event = context.thing(obj, "event")
                for subject in context.subject_of(verb):
                    context.add(subject, "speaks_at", event, "reported",
                                [verb, *obj.subtree], MEETING.name)  # fmt: skip
        return
    speakers = [
        c
        for c in verb.children
        if c.dep_ == "nsubj" and c.lemma_.lower() in ("representative", "delegate")
    ]
    if verb.dep_ == "relcl":
        # "an idea the representatives of Ghana and Indonesia supported": they took part,
        # but the clause does not say that they spoke
        speakers = [c for c in speakers if c.tag_ == "NNS"]
        if not speakers:
            return
    # a representative at a meeting speaks, whatever the verb ("recalled", "cautioned")
    if lemma != "brief" and not speakers:
        return
    meeting = _meeting_before(context, verb.i)
    if meeting is None:
        return
    if lemma == "brief":
        # "Briefing the Council, X said" / "Also briefing, X said": the speaker of the clause
        # it opens
        if verb.dep_ == "advcl" or verb.tag_ == "VBG":
            speakers_named = context.subject_of(verb.head if verb.dep_ == "advcl" else verb)
            for subject in (e for e in speakers_named if e.type in ("person", "official")):
                context.add(subject, "speaks_at", meeting, "reported", [verb, verb.head],
                            MEETING.name)  # fmt: skip
        return
    relation, modality = (
        ("participates_in", "asserted") if verb.dep_ == "relcl" else ("speaks_at", "reported")
    )
    for subject in speakers:
        owners = [c for c in subject.children if c.dep_ == "poss"]
        owners += [p for c in subject.children if c.lower_ == "of" for p in c.children]
        for owner in owners:
            for state in context.actors(owner):
                if state.type == "state":
                    context.add(state, relation, meeting, modality,
                                [*subject.subtree, verb], MEETING.name)  # fmt: skip


def _meeting_before(context: Context, before: int) -> DraftEntity | None:
    """The meeting a body held that was named last before token ``before``."""
    held = {
        s.subject for s in context.statements if s.rule == MEETING.name and s.relation == "part_of"
    }
    named = [
        (min(start for start, _ in context.mentions.spans[entity_id]), entity_id)
        for entity_id in held
        if context.mentions.spans.get(entity_id)
    ]
    earlier = [pair for pair in named if pair[0] < before]
    return context.mentions.entities[max(earlier)[1]] if earlier else None
