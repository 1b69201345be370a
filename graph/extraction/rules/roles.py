"""Who holds which role: appositions ("The Cuban representative, Miguel Rodríguez"),
relative clauses ("Michele Markoff, who led the US delegation") and a state's organs
("Russian intelligence") give representation, affiliation, leadership and editorship."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from ..lexicon import ROLE_NOUNS, SPEAKING_ROLES
from ..mentions import ORGAN_RELATION, DraftEntity
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
    "TITLE",
    "TITLED",
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
    "titles_before_names",
]

FAMILY = "roles"
APPOSITION = Rule(
    "apposition", FAMILY, "a role noun with a demonym or state, beside a name: represents"
)
AFFILIATION = Rule(
    "affiliation",
    FAMILY,
    "a role at or of an institution, also a former one: affiliated_with, represents, leads",
)
EDITOR = Rule("editor", FAMILY, "the editor of a publication: editor_of")
RELATIVE_CLAUSE = Rule(
    "relative-clause",
    FAMILY,
    "who leads, heads or chairs a body, whose unit sits in a state's organ, whose "
    "delegation it is: leads, represents, affiliated_with",
)
TITLE = Rule(
    "title",
    FAMILY,
    'a title before a name ("Russian President Vladimir Putin", "embassy spokeswoman '
    'Irina Dolgova"): represents, affiliated_with, leads',
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
    """The entity each noun after "at", "of" or "for" the role names (None for no entity);
    of "director of a programme at a body", the body."""
    preps = ("at", "of", "for")
    for prep in (c for c in role.children if c.dep_ == "prep" and c.lower_ in preps):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            within: list[DraftEntity | None] = [
                context.mentions.entity_at(place)
                for inner in pobj.children
                if inner.dep_ == "prep" and inner.lower_ == "at"
                for place in inner.children
                if place.dep_ == "pobj" and context.mentions.entity_at(place) is not None
            ]
            yield from within or [context.mentions.entity_at(pobj)]


def _relation_to_body(role: Any) -> str:
    """How the holder of ``role`` at or of a body stands to it."""
    words = {role.lemma_.lower(), *(c.lemma_.lower() for c in role.children
                                    if c.dep_ in ("compound", "amod"))}  # fmt: skip
    if words & (_ACTS_FOR | {"minister"}):
        return "represents"
    if role.lemma_.lower() in _LEADERS - {"director", "president"} or (
        "chief" in words and role.lemma_.lower() in ("executive", "officer")
    ):
        return "leads"
    return "affiliated_with"


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
        if lemma in _PUBLIC_ROLES:
            person.type = "official"
        state = next((s for c in _modifiers(role) if (s := mentions.state_of(c)) is not None), None)
        if state is None and any(
            c.dep_ == "poss" and c.lemma_.lower() in ("country", "nation") for c in role.children
        ):
            state = _state_last_acting(context, role)  # "the country's foreign minister"
        if state is None:
            body = _body_spoken_for(context, role, _modifiers(role))
            if body is not None:
                context.representing.setdefault(person.id, (body.id, TITLED))
                context.add(person, "represents", body, "asserted",
                            [*role.subtree, *_span_tokens(context, person, sentence)],
                            APPOSITION.name, role=role_text(role))  # fmt: skip
            continue
        person.type = "official"
        context.representing[person.id] = (state.id, lemma)
        tokens = [*role.subtree, *_span_tokens(context, person, sentence)]
        context.add(person, "represents", state, "asserted", tokens, APPOSITION.name,
                    role=role_text(role), former=_former(role))  # fmt: skip


def _affiliated(context: Context, sentence: Any, token: Any, roles: Roles) -> None:
    """A role at or of an institution, or named after one: the person is affiliated; a
    spokesman or minister of a body represents it, its chief executive leads it."""
    for person, role in roles(context, token):
        for organisation in _organisations(context, role):
            if organisation is not None and organisation.type == "group":
                _in_group(context, sentence, person, role, organisation)
            if organisation is not None and organisation.type == "institution":
                relation = _relation_to_body(role)
                if relation == "represents":
                    person.type = "official"
                    context.representing.setdefault(person.id, (organisation.id, TITLED))
                context.add(person, relation, organisation, "asserted",
                            [*role.subtree, *_span_tokens(context, person, sentence)],
                            AFFILIATION.name, role=role_text(role),
                            former=_former(role))  # fmt: skip
        for modifier in _modifiers(role):
            organisation = context.mentions.entity_at(modifier)
            if organisation is not None and organisation.type == "institution":
                context.add(person, "affiliated_with", organisation, "asserted", role.subtree,
                            AFFILIATION.name, role=role.lemma_.lower(),
                            former=_former(role))  # fmt: skip


def _in_group(
    context: Context, sentence: Any, person: DraftEntity, role: Any, group: DraftEntity
) -> None:
    """A role in a hacking group: its commander or leader leads it, its member or officer
    acts for it ("Ivan Rudov, the commander of Grey Otter"; "a leading member of X")."""
    lemma = role.lemma_.lower()
    relation = (
        "leads" if lemma in _GROUP_LEADERS else "represents" if lemma in _GROUP_MEMBERS else None
    )
    if relation is not None:
        context.add(person, relation, group, "asserted",
                    [*role.subtree, *_span_tokens(context, person, sentence)],
                    AFFILIATION.name, role=role_text(role), former=_former(role))  # fmt: skip


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


# the last word of a title before a name ("Foreign Minister", "homeland security adviser")
_TITLE_HEADS = ROLE_NOUNS | {
    "attorney", "general", "prosecutor", "counsel", "chancellor", "premier", "governor",
    "senator", "mayor", "commander", "colonel", "officer", "agent", "undersecretary",
    "chairwoman", "ceo", "deputy",
}  # fmt: skip
_SPOKES = {"spokesman", "spokeswoman", "spokesperson"}  # speaks for the body: represents it
# who acts for the body their title names ("EU High Representative Josep Borrell")
_ACTS_FOR = _SPOKES | {"representative", "envoy", "delegate", "ambassador"}
_LEADERS = {"head", "chief", "chair", "chairman", "chairwoman", "director", "commander",
            "president", "ceo"}  # fmt: skip
# a title of a state's government that, with no state named, is of the state the article
# is about ("Foreign Minister Jana Novak", "Assistant Attorney General Dan Roe of the
# Justice Department's National Security Division")
_CABINET = {"minister", "chancellor", "premier", "attorney", "general", "secretary",
            "undersecretary", "prosecutor"}  # fmt: skip
_TITLE_DEPS = ("compound", "amod", "nmod", "poss")
_PORTFOLIO = ("for", "of")  # "Minister for Digital Affairs", "Director of Operations"
# who leads a hacking group, and who acts for it
_GROUP_LEADERS = {"commander", "leader", "head", "chief", "founder", "boss", "ringleader"}
_GROUP_MEMBERS = {"member", "officer", "operative", "operator", "agent", "hacker"}
TITLED = "title"
"""The role under which a person found by a title, or by a role at a body, represents
the state or body (``Context.representing``): not a speaking role, so their stances stay
their own and are not also drafted as the state's (``speaker-state``)."""
# roles of a public office: their holder is typed official
_PUBLIC_ROLES = SPEAKING_ROLES | {"official", "diplomat", "commissioner", "secretary"}
_NEAR = 80  # tokens: how far back a body named by its kind alone is looked for


@step(TITLE, "document")
def titles_before_names(context: Context) -> None:
    """ "Russian President Vladimir Putin" represents Russia; "White House homeland
    security adviser Tom Bossert" represents the United States; "embassy spokeswoman
    Irina Dolgova" represents the embassy; "Microsoft President Brad Smith" leads
    Microsoft; "Interior Minister Jan Novak", with no state named, represents the state
    that the article's other titles name most, else the state the article names most."""
    mentions = context.mentions
    unplaced: list[tuple[DraftEntity, str, list[Any]]] = []
    named: Counter[str] = Counter()
    for entity in list(mentions.entities.values()):
        if entity.type not in ("person", "official"):
            continue
        for start, end in list(mentions.spans.get(entity.id, ())):
            title = _title_before(context.doc, start, end)
            if not title:
                continue
            state, role, tokens = _titled(context, entity, title, context.doc[end - 1])
            if state is not None:
                named[state.id] += 1
            elif title[-1].lower_ in _CABINET:
                unplaced.append((entity, role, tokens))
    if not unplaced:
        return
    guess = mentions.entities[named.most_common(1)[0][0]] if named else _main_state(context)
    for person, role, tokens in unplaced:
        placed = [] if named else _states_placed(context, tokens[0].sent)
        # "Foreign Secretary Jeremy Hunt said the UK would respond"
        state = mentions.linked(mentions.gazetteer.entities[placed[0]]) if placed else guess
        if state is not None:
            _represents_state(context, person, state, title_head(role), tokens, role)


def title_head(role: str) -> str:
    """The last word of a title, in lower case: the role noun that ends it."""
    return role.split()[-1].lower() if role else ""


def _title_before(doc: Any, start: int, end: int) -> list[Any]:
    """The words of the title right before the name over tokens ``start``..``end``, from
    the parse: each modifies a word after it, up to the name ("Poland's deputy minister")."""
    index = start - 1
    while index >= 0:
        token = doc[index]
        if token.dep_ == "case" and index > 0 and token.head.i == index - 1:
            index -= 1  # the "'s" of "Poland's"
            continue
        if token.dep_ not in _TITLE_DEPS or not index < token.head.i < end:
            break
        index -= 1
    title = [t for t in doc[index + 1 : start]]
    if not title or title[-1].lower_ not in _TITLE_HEADS or title[-1].dep_ == "poss":
        return _title_with_portfolio(doc, start)
    return title


def _title_with_portfolio(doc: Any, start: int) -> list[Any]:
    """The words of a capitalised title whose portfolio comes between its role noun and the
    name ("Assistant Attorney General for National Security Dana Roe"), up to the role noun;
    the parse seldom joins such a title to the name."""
    index = start - 1
    while index > 0 and _capitalised(doc[index]):
        index -= 1
    if index <= 0 or doc[index].lower_ not in _PORTFOLIO or index == start - 1:
        return []
    head = index - 1
    if not _capitalised(doc[head]) or doc[head].lower_.split("-")[-1] not in _TITLE_HEADS:
        return []
    first = head
    while first > 0 and (_capitalised(doc[first - 1]) or doc[first - 1].text == "-"):
        first -= 1
    return [t for t in doc[first : head + 1]]


def _capitalised(token: Any) -> bool:
    """A capitalised word of a title or its portfolio, not of the person's name."""
    return token.is_title and token.pos_ == "PROPN" and token.ent_type_ != "PERSON"


def _titled(
    context: Context, person: DraftEntity, title: list[Any], last: Any
) -> tuple[DraftEntity | None, str, list[Any]]:
    """The statements a title before a person's name gives; the state or body it names
    (None if neither), the role, and the tokens to quote."""
    mentions = context.mentions
    head = title[-1].lower_
    role = " ".join(t.text for t in title if t.dep_ != "case" and t.pos_ != "DET")
    tokens = [*title, last]
    bodies: list[DraftEntity] = []
    state: DraftEntity | None = None
    for token in title:
        entity = mentions.entity_at(token)
        if entity is not None and entity.type == "institution" and entity not in bodies:
            # "Press secretary": a common noun the recogniser took for a body's name
            common = " " not in entity.label and token.pos_ != "PROPN"
            if not _kind_alone(entity) and not common:
                bodies.append(entity)
        elif state is None:
            state = mentions.state_of(token)
    # "... Thomas Ng of the FBI Pittsburgh Field Office"
    for prep in (c for c in last.children if c.dep_ == "prep" and c.lower_ in ("of", "at")):
        for pobj in (c for c in prep.children if c.dep_ == "pobj"):
            entity = mentions.entity_at(pobj)
            if entity is not None and entity.type == "institution" and entity not in bodies:
                bodies.append(entity)
                tokens.append(pobj)
    person.type = "official"
    if not bodies and state is None:
        spoken_for = _body_spoken_for(context, title[-1], title[:-1])
        bodies = [spoken_for] if spoken_for is not None else []
    for body in bodies:
        relation = (
            "represents"
            if head in _ACTS_FOR
            else "leads"
            if head in _LEADERS
            else "affiliated_with"
        )
        if relation == "represents":
            context.representing.setdefault(person.id, (body.id, TITLED))
        context.add(person, relation, body, "asserted", tokens, TITLE.name, role=role)
        if state is None:
            state = _state_behind(context, body)
    if bodies and head in _ACTS_FOR:
        return None, role, tokens  # the spokesman speaks for the body, not its state
    if state is not None:
        _represents_state(context, person, state, head, tokens, role)
    return state, role, tokens


def _represents_state(
    context: Context, person: DraftEntity, state: DraftEntity, head: str, tokens: list[Any],
    role: str,
) -> None:  # fmt: skip
    context.representing.setdefault(person.id, (state.id, TITLED))
    context.add(person, "represents", state, "asserted", tokens, TITLE.name, role=role)


def _body_spoken_for(context: Context, role: Any, words: list[Any]) -> DraftEntity | None:
    """The body a spokesman's title names by its kind alone ("embassy spokeswoman", "a
    foreign ministry spokesman"): the body of that kind named last, a little before."""
    if role.lemma_.lower() not in _SPOKES:
        return None
    for word in words:
        kind = word.lemma_.lower()
        named = context.mentions.entity_at(word)
        if named is not None and not _kind_alone(named):
            return None  # named, not by kind alone
        if kind not in ORGAN_RELATION:
            continue

        def of_kind(entity: DraftEntity, kind: str = kind) -> bool:
            return entity.label.split()[-1].lower() == kind and not _kind_alone(entity)

        body = context.mentions.last_mentioned(word.i, "institution", of_kind)
        if body is None:
            return None
        near = any(0 < word.i - start <= _NEAR for start, _ in context.mentions.spans[body.id])
        places = _states_placed(context, word.sent)
        state = _state_behind(context, body)
        # "In Beijing, a foreign ministry spokesman": not the Russian ministry named before
        if near and not (places and (state is None or state.id not in places)):
            return body
    return None


def _state_last_acting(context: Context, token: Any) -> DraftEntity | None:
    """The state last named as a subject, in the sentence of ``token`` or the two before:
    the country that "the country's" refers to."""
    sentence = token.sent
    start = sentence.start
    for _ in range(2):
        if start > 0:
            start = context.doc[start - 1].sent.start
    for word in reversed(context.doc[start : token.i]):
        entity = context.mentions.entity_at(word)
        if entity is not None and entity.type == "state" and word.dep_ in ("nsubj", "nsubjpass"):
            return entity
    return None


def _kind_alone(entity: DraftEntity) -> bool:
    """An institution named by the word for its kind alone ("Embassy spokeswoman ...")."""
    return entity.label.lower() in ORGAN_RELATION


def _states_placed(context: Context, sentence: Any) -> list[str]:
    """The states a sentence names by a name or a place ("In Beijing, ..."), in order."""
    gazetteer = context.mentions.gazetteer
    found = [
        known.id
        for token in sentence
        if token.pos_ == "PROPN"
        for known in gazetteer.lookup(token.text)
        if known.type == "state"
    ]
    return list(dict.fromkeys(found))


def _state_behind(context: Context, body: DraftEntity) -> DraftEntity | None:
    """The state whose organ ``body`` is: by a statement made of it, or the gazetteer."""
    entities = context.mentions.entities
    for statement in context.by_subject.get(body.id, ()):
        if statement.relation in ("represents", "part_of") and (
            entities[statement.object].type == "state"
        ):
            return entities[statement.object]
    if body.part_of:
        gazetteer = context.mentions.gazetteer
        whole = gazetteer.by_iso.get(body.part_of, body.part_of)
        if whole in gazetteer.entities:
            return context.mentions.linked(gazetteer.entities[whole])
    for start, end in context.mentions.spans.get(body.id, ())[:1]:
        # "the Russian embassy", before the organs are related to their states
        return next(
            (s for t in context.doc[start:end] if (s := context.mentions.state_of(t))), None
        )
    return None


def _main_state(context: Context) -> DraftEntity | None:
    """The state the article mentions most (the first mentioned of those tied)."""
    mentions = context.mentions
    states = [e for e in mentions.entities.values() if e.type == "state"]
    if not states:
        return None
    return max(states, key=lambda state: len(mentions.spans.get(state.id, ())))


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
