"""Membership and participation: groups named by what they prefer, members named with
"including", who takes part in or observes an event ("pitted A against B", "took part
in", "monitored the talks"), and members taking part with their group."""

from __future__ import annotations

from typing import Any

from ..lexicon import PREFER
from .context import Context
from .rule import DraftStatement, Rule, step

__all__ = [
    "MEMBERSHIP",
    "PARTICIPATION",
    "find_groups",
    "members_of_body",
    "memberships",
    "participation",
    "shared_participation",
]

FAMILY = "membership"
MEMBERSHIP = Rule(
    "membership",
    FAMILY,
    '"25 countries, including the UK"; "the UK and all the other members of the UN security '
    'council"; "Estonia, a member of NATO"; "all UN member states"; "its EU partners": '
    "member_of, part_of",
)
PARTICIPATION = Rule(
    "participation",
    FAMILY,
    'pitted A against B; participated in, took part in; members named with "including" take '
    "part with their group; monitoring: participates_in, observes",
)

_WATCHING = ("monitor", "observe", "follow", "watch")


@step(None, "document")
def find_groups(context: Context) -> None:
    """Groups defined by what they prefer ("a number of states that like legal
    ambiguity"), wherever they are mentioned."""
    for token in context.doc:
        if (
            token.lemma_.lower() in ("country", "state", "nation", "government")
            and any(c.dep_ == "relcl" and c.lemma_.lower() in PREFER for c in token.children)
            and token.i not in context.mentions.token_entity
        ):
            context.phrase_entity(token)


@step(PARTICIPATION, "verb")
def participation(context: Context, sentence: Any, verb: Any) -> None:
    """ "a dispute that pitted Russia, China and Cuba against western countries", "took
    part in the talks", "participated in", "monitored the talks": who takes part in or
    observes the event."""
    lemma = verb.lemma_.lower()
    if lemma == "take" and any(c.lower_ == "part" for c in verb.children):
        _takes_part(context, verb)
    if lemma in ("participate", "pit"):
        _takes_part(context, verb)
    if lemma in _WATCHING:
        for subject in context.subject_of(verb):
            for obj in (c for c in verb.children if c.dep_ == "dobj"):
                event = context.thing(obj, "event")
                context.add(subject, "observes", event, "asserted",
                            verb.subtree, PARTICIPATION.name)  # fmt: skip


def _takes_part(context: Context, verb: Any) -> None:
    if verb.lemma_ == "pit":
        event_token = verb.head if verb.dep_ == "relcl" else None
        if event_token is None:
            return
        event = context.thing(event_token, "event")
        sides = [c for c in verb.children if c.dep_ == "dobj"]
        sides += [p for c in verb.children if c.lower_ == "against" for p in c.children]
        for side in sides:
            for actor in context.actors(side):
                context.add(actor, "participates_in", event, "asserted",
                            [verb, *side.subtree], PARTICIPATION.name)  # fmt: skip
        return
    preps = [c for c in verb.children if c.lower_ == "in"]
    preps += [
        p for c in verb.children if c.lower_ == "part" for p in c.children if p.lower_ == "in"
    ]
    for prep in preps:
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            event = context.thing(pobj, "event")
            who = [t for c in verb.children if c.dep_ == "nsubj" for t in c.subtree]
            for subject in context.subject_of(verb):
                context.add(subject, "participates_in", event, "asserted",
                            [*who[:1], verb, pobj], PARTICIPATION.name)  # fmt: skip


@step(MEMBERSHIP, "sentence")
def memberships(context: Context, sentence: Any) -> None:
    """ "25 countries, including the UK": the UK is a member of that group; "the UK and
    all the other members of the UN security council": the UK is a member of the council."""
    for prep in sentence:
        if prep.lower_ != "including" or prep.dep_ != "prep":
            continue
        group = context.entity(prep.head)
        if group is None and prep.head.pos_ == "NOUN":
            group = context.phrase_entity(prep.head)
        if group is None or group.type not in ("group", "institution"):
            continue
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            for member in [pobj, *pobj.conjuncts]:
                actor = context.entity(member) or context.phrase_entity(member)
                if actor is None or actor.type not in ("state", "group"):
                    continue
                relation = "member_of" if actor.type == "state" else "part_of"
                context.add(actor, relation, group, "asserted",
                            [prep.head, *member.subtree], MEMBERSHIP.name)  # fmt: skip
    for token in sentence:
        if token.lemma_ != "member" or not any(c.lower_ == "other" for c in token.children):
            continue
        body = next(
            (context.entity(p) for c in token.children if c.lower_ == "of"
             for p in c.children if p.dep_ == "pobj" and context.entity(p)),
            None,
        )  # fmt: skip
        if body is None:
            continue
        for member in (c for c in [token.head, *token.head.conjuncts] if c.i < token.i):
            actor = context.entity(member)
            if actor is not None and actor.type == "state":
                context.add(actor, "member_of", body, "asserted", [member, *token.subtree],
                            MEMBERSHIP.name)  # fmt: skip


@step(PARTICIPATION, "document")
def shared_participation(context: Context) -> None:
    """Members named in "25 countries, including the UK, ... participated" take part too."""
    taking_part: dict[str, list[DraftStatement]] = {}
    for statement in context.statements:
        if statement.relation == "participates_in":
            taking_part.setdefault(statement.subject, []).append(statement)
    for membership in [s for s in context.statements if s.rule == MEMBERSHIP.name]:
        for participation in taking_part.get(membership.object, ()):
            context.add(
                context.mentions.entities[membership.subject],
                "participates_in",
                context.mentions.entities[participation.object],
                participation.modality,
                context.quote_tokens(membership.start, membership.end),
                PARTICIPATION.name,
            )


@step(MEMBERSHIP, "token")
def members_of_body(context: Context, sentence: Any, noun: Any) -> None:
    """ "all UN member states", "the EU and its member states", "most of the UN's members":
    those members are part of the body; "Estonia, a member of NATO", "Estonia is a member
    of NATO": the state is a member of it."""
    lemma = noun.lemma_.lower()
    if lemma in ("partner", "ally") and noun.pos_ == "NOUN":
        _partners(context, noun)
        return
    if lemma not in ("member", "state") or noun.pos_ != "NOUN":
        return
    if lemma == "state" and not any(
        c.lower_ == "member" and c.dep_ in ("compound", "amod", "nmod") for c in noun.children
    ):
        return
    if any(c.lower_ == "other" for c in noun.children):
        return  # "the UK and all the other members of ...": ``memberships`` names the UK
    holders = [c for c in noun.children if c.dep_ in ("poss", "compound", "nmod")]
    holders += [p for c in noun.children if c.lower_ == "of" for p in c.children]
    bodies = [_body(context, holder) for holder in holders]
    body = next((b for b in bodies if b is not None), None)
    if body is None:
        return
    if noun.tag_ == "NNS":
        members = context.entity(noun) or context.phrase_entity(noun)
        if members is not None and members.type == "group":
            context.add(members, "part_of", body, "asserted", list(noun.subtree),
                        MEMBERSHIP.name)  # fmt: skip
        # "all UN member states, China included": China is one of them
        for clause in (c for c in noun.children if c.lemma_ == "include" and c.i > noun.i):
            for named in (c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")):
                for state in context.actors(named):
                    if state.type == "state":
                        context.add(state, "member_of", body, "asserted",
                                    [noun, *clause.subtree], MEMBERSHIP.name)  # fmt: skip
        return
    named = []
    if noun.dep_ == "appos":
        named = [noun.head]
    elif noun.dep_ == "attr":
        named = [c for c in noun.head.children if c.dep_ == "nsubj"]
    for token in named:
        for state in context.actors(token):
            if state.type == "state":
                context.add(state, "member_of", body, "asserted", [token, *noun.subtree],
                            MEMBERSHIP.name)  # fmt: skip


def _partners(context: Context, noun: Any) -> None:
    """ "its European Union partners", "Britain's NATO allies": the state whose partners they
    are is a member of the body too."""
    body = next(
        (b for c in noun.children if c.dep_ in ("compound", "nmod", "amod")
         for b in [_body(context, c)] if b is not None),
        None,
    )  # fmt: skip
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if body is None or owner is None:
        return
    state = context.entity(owner)
    if owner.lower_ in ("its", "their"):
        state = context.last_of_type("state", owner.i)
        spans = context.mentions.spans.get(state.id, []) if state is not None else []
        if not any(owner.sent.start <= begin < owner.i for begin, _ in spans):
            state = None  # the state must be named in the same sentence
    if state is not None and state.type == "state":
        context.add(state, "member_of", body, "asserted", [owner, *noun.subtree],
                    MEMBERSHIP.name)  # fmt: skip


def _body(context: Context, token: Any) -> Any:
    """The institution a word names; "its" is the one named before it in the sentence ("the
    EU and its member states")."""
    if token.lower_ == "its":
        found = context.last_of_type("institution", token.i)
        start = token.sent.start
        spans = context.mentions.spans.get(found.id, []) if found is not None else []
        return found if any(start <= begin < token.i for begin, _ in spans) else None
    entity = context.entity(token)
    return entity if entity is not None and entity.type == "institution" else None
