"""Who holds which role: appositions ("The Cuban representative, Miguel Rodríguez"),
relative clauses ("Michele Markoff, who led the US delegation") and a state's organs
("Russian intelligence") give representation, affiliation, leadership and editorship."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from ..lexicon import ROLE_NOUNS
from ..mentions import DraftEntity
from ..phrases import phrase, role_text
from .context import Context
from .events import body_relations
from .rule import Rule, Step, step

__all__ = [
    "AFFILIATION",
    "APPOSITION",
    "EDITOR",
    "ORGAN",
    "RELATIVE_CLAUSE",
    "Roles",
    "affiliation_in_apposition",
    "affiliation_in_clause",
    "editor_in_apposition",
    "editor_in_clause",
    "leader_by_possessive",
    "leader_in_clause",
    "organs",
    "representative_in_apposition",
    "representative_in_clause",
]

FAMILY = "roles"
APPOSITION = Rule(
    "apposition", FAMILY, "a role noun with a demonym or state, beside a name: represents"
)
AFFILIATION = Rule(
    "affiliation", FAMILY, "a role at or of an institution, also a former one: affiliated_with"
)
EDITOR = Rule("editor", FAMILY, "the editor of a publication: editor_of")
RELATIVE_CLAUSE = Rule(
    "relative-clause",
    FAMILY,
    "who leads, heads or chairs a body, whose unit sits in a state's organ, whose "
    "delegation it is: leads, represents, affiliated_with",
)
ORGAN = Rule(
    "organ", FAMILY, "a state's organ, an agency of the gazetteer: part_of, represents, located_in"
)

Roles = Callable[[Context, Any], Iterator[tuple[DraftEntity, Any]]]
"""What finds, at a token, each person and a role noun that describes them."""

_LEADING = ("lead", "head", "chair", "run", "direct")
_LED = ("campaign", "government", "delegation", "administration")


def _apposed(context: Context, token: Any) -> Iterator[tuple[DraftEntity, Any]]:
    """The person of an apposition and each role noun beside the name."""
    if token.dep_ != "appos":
        return
    head, dependent = token.head, token
    person = _person(context, dependent) or _person(context, head)
    role = head if _person(context, dependent) else dependent
    if person is None or role.lemma_.lower() in ("", person.label.lower()):
        return
    for role_token in [role, *role.conjuncts]:
        yield person, role_token


def _described(context: Context, token: Any) -> Iterator[tuple[DraftEntity, Any]]:
    """The person a relative clause "who is the ..." describes, and the role it names."""
    if token.dep_ != "relcl" or token.lemma_ != "be":
        return
    person = _person(context, token.head)
    if person is None:
        return
    for attr in (c for c in token.children if c.dep_ == "attr"):
        yield person, attr


def _person(context: Context, token: Any) -> DraftEntity | None:
    entity = context.mentions.entity_at(token)
    return entity if entity is not None and entity.type in ("person", "official") else None


def _modifiers(role: Any) -> list[Any]:
    return [c for c in role.children if c.dep_ in ("amod", "compound", "nmod", "poss")]


def _former(role: Any) -> bool | None:
    return any(c.lower_ in ("former", "ex") for c in role.children) or None


def _organisations(context: Context, role: Any) -> Iterator[DraftEntity | None]:
    """The entity each noun after "at" or "of" the role names (None for no entity)."""
    for prep in (c for c in role.children if c.dep_ == "prep" and c.lower_ in ("at", "of")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            yield context.mentions.entity_at(pobj)


def _span_tokens(context: Context, entity: DraftEntity, sentence: Any) -> list[Any]:
    found = context.mentions.first_mention_in(entity, sentence.start, sentence.end)
    if found is None:
        return []
    start, end = found
    return [context.doc[start], context.doc[end - 1]]


def _represents(context: Context, sentence: Any, token: Any, roles: Roles) -> None:
    """A role noun with a demonym or state: the person represents the state."""
    for person, role in roles(context, token):
        lemma = role.lemma_.lower()
        if lemma not in ROLE_NOUNS:
            continue
        mentions = context.mentions
        state = next((s for c in _modifiers(role) if (s := mentions.state_of(c)) is not None), None)
        if state is None:
            continue
        person.type = "official"
        context.representing[person.id] = (state.id, lemma)
        tokens = [*role.subtree, *_span_tokens(context, person, sentence)]
        context.add(person, "represents", state, "asserted", tokens, APPOSITION.name,
                    role=role_text(role), former=_former(role))  # fmt: skip


def _affiliated(context: Context, sentence: Any, token: Any, roles: Roles) -> None:
    """A role at or of an institution, or named after one: the person is affiliated."""
    for person, role in roles(context, token):
        for organisation in _organisations(context, role):
            if organisation is not None and organisation.type == "institution":
                context.add(person, "affiliated_with", organisation, "asserted",
                            [*role.subtree, *_span_tokens(context, person, sentence)],
                            AFFILIATION.name, role=role_text(role),
                            former=_former(role))  # fmt: skip
        for modifier in _modifiers(role):
            organisation = context.mentions.entity_at(modifier)
            if organisation is not None and organisation.type == "institution":
                context.add(person, "affiliated_with", organisation, "asserted", role.subtree,
                            AFFILIATION.name, role=role.lemma_.lower(),
                            former=_former(role))  # fmt: skip


def _edits(context: Context, sentence: Any, token: Any, roles: Roles) -> None:
    """The editor of a publication (not of an institution) is its editor."""
    for person, role in roles(context, token):
        if role.lemma_.lower() != "editor":
            continue
        for organisation in _organisations(context, role):
            if organisation is not None and organisation.type != "institution":
                context.add(person, "editor_of", organisation, "asserted", role.subtree,
                            EDITOR.name)  # fmt: skip


# "The Cuban representative, Miguel Rodríguez", "Mike Schmitt, professor of international
# law at Exeter University", "Jane Doe, editor of the Just Security blog"
representative_in_apposition = Step(APPOSITION, "token", partial(_represents, roles=_apposed))
affiliation_in_apposition = Step(AFFILIATION, "token", partial(_affiliated, roles=_apposed))
editor_in_apposition = Step(EDITOR, "token", partial(_edits, roles=_apposed))
# "Rodríguez, who is the Cuban representative", "Schmitt, who is the editor of the blog"
representative_in_clause = Step(APPOSITION, "token", partial(_represents, roles=_described))
affiliation_in_clause = Step(AFFILIATION, "token", partial(_affiliated, roles=_described))
editor_in_clause = Step(EDITOR, "token", partial(_edits, roles=_described))


@step(RELATIVE_CLAUSE, "token")
def leader_in_clause(context: Context, sentence: Any, token: Any) -> None:
    """ "Michele Markoff, who led the US delegation": she leads it, and represents the
    state the delegation represents; "who leads the cyber policy unit at Germany's Foreign
    Office": affiliated with the office, and so representing Germany."""
    if token.dep_ != "relcl" or token.lemma_ not in _LEADING:
        return
    person = _person(context, token.head)
    if person is None:
        return
    for obj in (c for c in token.children if c.dep_ == "dobj"):
        body = context.entity(obj)
        if body is None:
            employer = context.first_actor(obj, ("institution",))
            if employer is not None:
                context.add(person, "affiliated_with", employer, "asserted",
                            [token.head, *token.subtree], RELATIVE_CLAUSE.name,
                            role=phrase(obj).split(" at ")[0])  # fmt: skip
                _speaks_for(context, person, employer, token)
            continue
        context.add(person, "leads", body, "asserted", token.subtree, RELATIVE_CLAUSE.name)
        represented = next(
            (s.object for s in context.by_subject.get(body.id, ())
             if s.relation == "represents"),
            None,
        )  # fmt: skip
        if represented:
            person.type = "official"
            context.representing.setdefault(person.id, (represented, "head"))
            state = context.mentions.entities[represented]
            context.add(person, "represents", state, "asserted",
                        [token.head, *token.subtree], RELATIVE_CLAUSE.name)  # fmt: skip


def _speaks_for(context: Context, person: DraftEntity, body: DraftEntity, token: Any) -> None:
    """A person who works for a state's organ represents that state."""
    state_id = next(
        (s.object for s in context.by_subject.get(body.id, ())
         if s.relation in ("represents", "part_of")
         and context.mentions.entities[s.object].type == "state"),
        None,
    )  # fmt: skip
    if state_id is None:
        return
    person.type = "official"
    context.representing.setdefault(person.id, (state_id, "organ"))
    context.add(person, "represents", context.mentions.entities[state_id], "asserted",
                [token.head, *token.subtree], RELATIVE_CLAUSE.name)  # fmt: skip


@step(RELATIVE_CLAUSE, "token")
def leader_by_possessive(context: Context, sentence: Any, noun: Any) -> None:
    """ "Trump's campaign", "Smith's delegation": the person leads it."""
    if noun.dep_ != "poss":
        return
    owner = _person(context, noun)
    if owner is not None and noun.head.lemma_ in _LED:
        body = context.thing(noun.head, "event" if noun.head.lemma_ == "campaign"
                             else "institution")  # fmt: skip
        context.add(owner, "leads", body, "asserted", list(noun.head.subtree),
                    RELATIVE_CLAUSE.name)  # fmt: skip


def _part_of_body(mentions: Any, entity: DraftEntity) -> bool:
    """Whether the gazetteer places a body inside another body (the Australian Cyber
    Security Centre inside the Australian Signals Directorate), through which it belongs
    to its state."""
    return bool(entity.part_of) and entity.part_of not in mentions.gazetteer.by_iso


@step(ORGAN, "document")
def organs(context: Context) -> None:
    """ "Russian intelligence" is part of Russia; "the UK foreign office" represents it;
    an agency of the gazetteer is part of its state."""
    mentions = context.mentions
    for entity_id, spans in list(mentions.spans.items()):
        entity = mentions.entities[entity_id]
        if entity.type != "institution":
            continue
        for start, end in spans:
            span = context.doc[start:end]
            state = mentions.state_of(span[0]) if len(span) > 1 else None
            if state is None and start > 0 and len(span) > 0:
                state = mentions.state_of(context.doc[start - 1])
                if state is not None:
                    span = context.doc[start - 1 : end]
            if state is None or state.id == entity.id or _part_of_body(mentions, entity):
                continue
            for relation in body_relations(span):
                context.add(entity, relation, state, "asserted", span, ORGAN.name)
        if entity.part_of:
            whole = mentions.gazetteer.by_iso.get(entity.part_of, entity.part_of)
            if whole in mentions.gazetteer.entities:
                known = mentions.linked(mentions.gazetteer.entities[whole])
                start, end = spans[0]
                context.add(entity, "part_of", known, "asserted", context.doc[start:end],
                            ORGAN.name)  # fmt: skip
