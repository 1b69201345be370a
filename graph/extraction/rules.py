"""Statement rules over spaCy's dependency parse of one article.

Appositions and relative clauses give representation, leadership and affiliation; blame,
support, opposition and reporting verbs give stances; passive agents of a hack give
attribution. Hedges ("allegedly", "perhaps", "he feared") and unnamed targets ("without
naming Russia") set the modality. Each statement records the rule that made it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .lexicon import (
    ACTOR_TYPES,
    ALLEGED,
    ATTRIBUTE,
    BLAME,
    DOCUMENT_NOUNS,
    EVENT_FAMILIES,
    HARMFUL,
    HOLDING_VERBS,
    INCIDENT_NOUNS,
    NEGATIVE,
    NORMATIVE,
    OPPOSE,
    PEOPLE_FROM,
    PREFER,
    REPORT,
    ROLE_NOUNS,
    SPEAKING_ROLES,
    SPECULATIVE,
    STRIKE,
    STRUCTURAL,
    SUPPORT,
    VIEW_NOUNS,
)
from .mentions import ORGAN_RELATION, PRONOUNS, DraftEntity, Mentions
from .offsets import IntervalCover
from .phrases import (
    cyber,
    phrase,
    proposition,
    quote_spans,
    role_text,
    split_sentences,
    trim_quote,
)

__all__ = ["DraftStatement", "StatementRules"]


@dataclass
class DraftStatement:
    """A statement of a draft; ``start``/``end`` are its quote's offsets in the body."""

    subject: str
    relation: str
    object: str
    modality: str
    start: int
    end: int
    rule: str
    role: str | None = None
    former: bool | None = None
    claimed_by: str | None = None

    @property
    def key(self) -> tuple[str, str, str, int]:
        return (self.subject, self.relation, self.object, self.start)


class StatementRules:
    """Apply the statement rules to one parsed article.

    What a rule asks of the whole article (the text, its sentences, the statements made
    so far by subject, the passages coded or quoted) is kept in indexes, so that a rule
    applied at one token takes a time independent of the article's length.
    """

    def __init__(self, mentions: Mentions) -> None:
        self.mentions = mentions
        self.doc = mentions.doc
        # spaCy joins every token each time ``Doc.text`` is read: read it once
        self.text: str = mentions.doc.text
        self.sentences = list(self.doc.sents)
        self.sentence_ends = [sentence.end_char for sentence in self.sentences]
        self.statements: list[DraftStatement] = []
        self.by_subject: dict[str, list[DraftStatement]] = {}
        self.first_target: dict[str, int] = {}  # object -> index of its first `targets`
        self.seen: set[tuple[str, str, str, int]] = set()
        self.facts: set[tuple[str, str, str]] = set()
        self.heads: dict[str, str] = {}  # entity id -> the lemma of the noun that named it
        self.representing: dict[str, tuple[str, str]] = {}  # person -> (state, role noun)
        self.positions: list[tuple[int, DraftEntity]] = []  # (token index, position)
        self.covered = IntervalCover(len(self.text))  # character spans whose views are coded
        self.quoted: list[tuple[int, int, DraftEntity]] = []  # quotations and their speakers
        self.quoted_starts: list[int] = []
        self.quote_spans: list[tuple[int, int, bool]] = []
        self.in_quotes = IntervalCover(len(self.text))

    def run(self) -> None:
        self.quote_spans = quote_spans(self.text)
        for start, end, _ in self.quote_spans:
            self.in_quotes.add(start, end)
        for sentence in self.sentences:
            self._appositions(sentence)
        self._organs()
        self.quoted = self._speakers()
        self.quoted_starts = [start for start, _, _ in self.quoted]
        self._incidents()
        self._groups()
        for sentence in self.sentences:
            self._views(sentence)
        for sentence in self.sentences:
            self._relative_clauses(sentence)
            self._verbs(sentence)
            self._noun_relations(sentence)
            self._memberships(sentence)
        self._quotations()
        self._speaker_states()
        self._shared_participation()
        self._member_stances()

    # -- helpers

    def add(
        self,
        subject: DraftEntity | None,
        relation: str,
        obj: DraftEntity | None,
        modality: str,
        tokens: Iterable[Any],
        rule: str,
        **extra: Any,
    ) -> DraftStatement | None:
        if subject is None or obj is None or subject.id == obj.id:
            return None
        if relation == "supports_position" and subject.type == "document":
            relation, modality, extra = "codifies", "asserted", {}  # a text states, not holds
        tokens = [t for t in tokens if t is not None]
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t.text) for t in tokens)
        start, end = trim_quote(self.text, start, end)
        statement = DraftStatement(
            subject.id, relation, obj.id, modality, start, end, rule, **extra
        )
        if statement.key in self.seen:
            return None
        if relation in STRUCTURAL and (subject.id, relation, obj.id) in self.facts:
            return None  # the same tie stated again
        self.facts.add((subject.id, relation, obj.id))
        for entity in (subject, obj):
            self.mentions.declare(entity)
        self.seen.add(statement.key)
        if relation == "targets":
            self.first_target.setdefault(obj.id, len(self.statements))
        self.statements.append(statement)
        self.by_subject.setdefault(subject.id, []).append(statement)
        return statement

    def entity(self, token: Any) -> DraftEntity | None:
        """The entity a token mentions, resolving pronouns and "such countries"."""
        entity = self.mentions.entity_at(token)
        if entity is not None:
            return entity
        if token.lower_ in PRONOUNS:
            return self.mentions.last_mentioned(token.i, "person")
        return None

    def actors(self, token: Any) -> list[DraftEntity]:
        """The entities a noun phrase names, with its conjuncts ("Russia, China and Cuba")."""
        found: list[DraftEntity] = []
        for member in [token, *token.conjuncts]:
            entity = self.entity(member) or self._appositive(member) or self._phrase_entity(member)
            if entity is None and member.lemma_.lower() in PEOPLE_FROM:
                # "Experts from 25 countries": the countries act through their experts
                for prep in (c for c in member.children if c.lower_ == "from"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        found.extend(e for e in self.actors(pobj) if e not in found)
                continue
            if entity is not None and entity not in found:
                found.append(entity)
        return found

    def _appositive(self, token: Any) -> DraftEntity | None:
        """ "The Cuban representative, Miguel Rodríguez, told ...": the subject is the person."""
        for child in token.children:
            if child.dep_ == "appos":
                entity = self.mentions.entity_at(child)
                if entity is not None:
                    return entity
        return None

    def _phrase_entity(self, token: Any) -> DraftEntity | None:
        """A group or event named by a noun phrase that holds no known name."""
        if token.pos_ not in ("NOUN", "PRON", "PROPN"):
            return None
        lemma = token.lemma_.lower()
        if (
            lemma in ("country", "state", "nation", "government", "member", "ally")
            and (token.tag_ in ("NNS", "NNPS"))
        ) or (token.lower_ == "those" and any(c.dep_ == "relcl" for c in token.children)):
            if any(c.lower_ == "such" for c in token.children):
                return self._last_of_type("group", token.i)
            label = phrase(token, keep_clauses=any(c.dep_ == "relcl" for c in token.children))
            group = self._new("group", label, token)
            for clause in (c for c in token.children if c.dep_ == "relcl"):
                if clause.lemma_.lower() in PREFER:
                    for obj in (c for c in clause.children if c.dep_ in ("dobj", "xcomp")):
                        position = self.position(list(obj.subtree))
                        self.add(group, "supports_position", position,
                                 self.modality(clause.subtree, "reported"),
                                 list(clause.subtree), "stance-verb")  # fmt: skip
            return group
        return None

    def _new(self, entity_type: str, label: str, token: Any) -> DraftEntity:
        entity = self.mentions.new_entity(entity_type, label, "phrase")
        self.heads.setdefault(entity.id, token.lemma_.lower())
        # the mention is the noun and the words before it, not its clauses
        start = token.left_edge.i if entity_type != "position" else token.i
        return self.mentions.add(entity, start, token.i + 1, label)

    def thing(self, token: Any, entity_type: str) -> DraftEntity | None:
        """The entity a noun phrase names, or a new one of ``entity_type`` (event, document)."""
        entity = self.entity(token)
        if entity is not None:
            return entity
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        if token.lower_ in ("that", "this") or any(
            c.lower_ in ("that", "this") and c.dep_ == "det" for c in token.children
        ):
            previous = self._last_of_type(entity_type, token.i)
            if previous is not None:
                return previous
        if entity_type == "event" and any(c.lower_ == "the" for c in token.children):
            previous = self._same_event(token)
            if previous is not None:
                self.mentions.add(previous, token.i, token.i + 1, phrase(token))
                return previous
        return self._new(entity_type, phrase(token), token)

    def _same_event(self, token: Any) -> DraftEntity | None:
        """The event a definite noun ("the discussions") refers back to, by its head noun."""
        family = next((f for f in EVENT_FAMILIES if token.lemma_.lower() in f), None)
        if family is None:
            return None

        def same_kind(entity: DraftEntity) -> bool:
            head = self.heads.get(entity.id) or entity.label.split()[-1].lower()
            return entity.type == "event" and head in family

        return self.mentions.last_mentioned(token.i, "event", same_kind)

    def _last_of_type(self, entity_type: str, before: int) -> DraftEntity | None:
        return self.mentions.last_mentioned(
            before, entity_type, lambda entity: entity.type == entity_type
        )

    def position(self, tokens: list[Any]) -> DraftEntity | None:
        """A position entity stating the proposition that ``tokens`` span."""
        tokens = [t for t in tokens if not t.is_space]
        if len([t for t in tokens if t.is_alpha]) < 3:
            return None
        text = self.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
        label = proposition(text)
        if not label:
            return None
        entity = self.mentions.new_entity("position", label, "position")
        entity = self.mentions.add(entity, tokens[0].i, tokens[0].i + 1, label)
        self.positions.append((tokens[0].i, entity))
        return entity

    def modality(self, tokens: Iterable[Any], default: str) -> str:
        words = {t.lower_ for t in tokens}
        if words & ALLEGED:
            return "alleged"
        if words & SPECULATIVE:
            return "speculative"
        return default

    def subject_of(self, verb: Any) -> list[DraftEntity]:
        """Who does what ``verb`` says: its subject, or that of the clause it hangs from."""
        node = verb
        for _ in range(10):
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
            if subjects and node.pos_ in ("VERB", "AUX"):
                subject = subjects[0]
                if subject.lower_ in ("who", "that", "which") and node.dep_ == "relcl":
                    return self.actors(node.head)
                found = self.actors(subject)
                if not found and subject.pos_ == "VERB":
                    found = self._named_just_before(node)  # "Opening the talks, X said"
                return found
            if node.dep_ == "ROOT" or node.head.i == node.i:
                return self._named_just_before(verb)
            node = node.head
        return []

    def _named_just_before(self, verb: Any) -> list[DraftEntity]:
        """ "..., Kadri Saar, said:" where the parser found no subject: the actor named
        right before the verb."""
        index = verb.i - 1
        while index >= max(0, verb.i - 3) and self.doc[index].is_punct:
            index -= 1
        entity = self.mentions.entity_at(self.doc[index]) if index >= 0 else None
        if entity is not None and entity.type in ("person", "official", "institution", "state"):
            return [entity]
        return []

    # -- rules

    def _appositions(self, sentence: Any) -> None:
        """ "The Cuban representative, Miguel Rodríguez" and "Mike Schmitt, professor at X"."""
        for token in sentence:
            if token.dep_ != "appos":
                continue
            head, dependent = token.head, token
            person = self._person(dependent) or self._person(head)
            role = head if self._person(dependent) else dependent
            if person is None or role.lemma_.lower() in ("", person.label.lower()):
                continue
            for role_token in [role, *role.conjuncts]:
                self._role(person, role_token, sentence)

    def _person(self, token: Any) -> DraftEntity | None:
        entity = self.mentions.entity_at(token)
        return entity if entity is not None and entity.type in ("person", "official") else None

    def _role(self, person: DraftEntity, role: Any, sentence: Any) -> None:
        lemma = role.lemma_.lower()
        modifiers = [c for c in role.children if c.dep_ in ("amod", "compound", "nmod", "poss")]
        former = any(c.lower_ in ("former", "ex") for c in role.children) or None
        described = role_text(role)
        tokens = [*role.subtree, *self._span_tokens(person, sentence)]
        if lemma in ROLE_NOUNS:
            state = next(
                (s for c in modifiers if (s := self.mentions.state_of(c)) is not None), None
            )
            if state is not None:
                person.type = "official"
                self.representing[person.id] = (state.id, lemma)
                self.add(person, "represents", state, "asserted", tokens, "apposition",
                         role=described, former=former)  # fmt: skip
        for prep in (c for c in role.children if c.dep_ == "prep" and c.lower_ in ("at", "of")):
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                organisation = self.mentions.entity_at(pobj)
                if organisation is not None and organisation.type == "institution":
                    self.add(person, "affiliated_with", organisation, "asserted",
                             [*role.subtree, *self._span_tokens(person, sentence)],
                             "affiliation", role=described, former=former)  # fmt: skip
                elif lemma == "editor" and organisation is not None:
                    self.add(person, "editor_of", organisation, "asserted", role.subtree,
                             "editor")  # fmt: skip
        for modifier in modifiers:
            organisation = self.mentions.entity_at(modifier)
            if organisation is not None and organisation.type == "institution":
                self.add(person, "affiliated_with", organisation, "asserted", role.subtree,
                         "affiliation", role=lemma, former=former)  # fmt: skip

    def _span_tokens(self, entity: DraftEntity, sentence: Any) -> list[Any]:
        found = self.mentions.first_mention_in(entity, sentence.start, sentence.end)
        if found is None:
            return []
        start, end = found
        return [self.doc[start], self.doc[end - 1]]

    def _organs(self) -> None:
        """ "Russian intelligence" is part of Russia; "the UK foreign office" represents it."""
        for entity_id, spans in list(self.mentions.spans.items()):
            entity = self.mentions.entities[entity_id]
            if entity.type != "institution":
                continue
            for start, end in spans:
                span = self.doc[start:end]
                relation = ORGAN_RELATION.get(span[-1].lemma_.lower())
                state = self.mentions.state_of(span[0]) if len(span) > 1 else None
                if state is None and start > 0 and len(span) > 0:
                    state = self.mentions.state_of(self.doc[start - 1])
                    if state is not None:
                        span = self.doc[start - 1 : end]
                if state is None or state.id == entity.id:
                    continue
                if relation is None:
                    relation = "located_in"
                self.add(entity, relation, state, "asserted", span, "organ")
            if entity.part_of:
                whole = self.mentions.gazetteer.by_iso.get(entity.part_of, entity.part_of)
                if whole in self.mentions.gazetteer.entities:
                    known = self.mentions.linked(self.mentions.gazetteer.entities[whole])
                    start, end = spans[0]
                    self.add(entity, "part_of", known, "asserted", self.doc[start:end], "organ")

    def _relative_clauses(self, sentence: Any) -> None:
        """ "Michele Markoff, who led the US delegation" and "Schmitt, who is the editor of"."""
        for token in sentence:
            if token.dep_ != "relcl":
                continue
            person = self._person(token.head)
            if person is None:
                continue
            if token.lemma_ in ("lead", "head", "chair", "run", "direct"):
                for obj in (c for c in token.children if c.dep_ == "dobj"):
                    body = self.entity(obj)
                    if body is None:
                        # "who leads the cyber policy unit at Germany's Foreign Office"
                        employer = self._first_actor(obj, ("institution",))
                        if employer is not None:
                            self.add(person, "affiliated_with", employer, "asserted",
                                     [token.head, *token.subtree], "relative-clause",
                                     role=phrase(obj).split(" at ")[0])  # fmt: skip
                            self._speaks_for(person, employer, token)
                        continue
                    self.add(person, "leads", body, "asserted", token.subtree, "relative-clause")
                    represented = next(
                        (s.object for s in self.by_subject.get(body.id, ())
                         if s.relation == "represents"),
                        None,
                    )  # fmt: skip
                    if represented:
                        person.type = "official"
                        self.representing.setdefault(person.id, (represented, "head"))
                        state = self.mentions.entities[represented]
                        self.add(person, "represents", state, "asserted",
                                 [token.head, *token.subtree], "relative-clause")  # fmt: skip
            elif token.lemma_ == "be":
                for attr in (c for c in token.children if c.dep_ == "attr"):
                    self._role(person, attr, sentence)

    def _speaks_for(self, person: DraftEntity, body: DraftEntity, token: Any) -> None:
        """A person who works for a state's organ represents that state."""
        state_id = next(
            (s.object for s in self.by_subject.get(body.id, ())
             if s.relation in ("represents", "part_of")
             and self.mentions.entities[s.object].type == "state"),
            None,
        )  # fmt: skip
        if state_id is None:
            return
        person.type = "official"
        self.representing.setdefault(person.id, (state_id, "organ"))
        self.add(person, "represents", self.mentions.entities[state_id], "asserted",
                 [token.head, *token.subtree], "relative-clause")  # fmt: skip

    def _verbs(self, sentence: Any) -> None:
        for verb in sentence:
            if verb.pos_ not in ("VERB", "AUX"):
                continue
            lemma = verb.lemma_.lower()
            if lemma in BLAME and not self._passive(verb):
                self._blame(verb, sentence)
            refused = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("refuse", "decline")
            if (lemma in SUPPORT or lemma in OPPOSE or self._unwilling(verb)) and not refused:
                self._stance(verb)
            if lemma in ("urge", "call", "press", "demand"):
                self._appeal(verb)
            if lemma == "take" and any(c.lower_ == "part" for c in verb.children):
                self._participation(verb)
            if lemma in REPORT:
                self._report(verb)
            if lemma in ATTRIBUTE and self._passive(verb):
                self._attribution(verb, sentence)
            if lemma in STRIKE and not self._passive(verb):
                self._strike(verb)
            if lemma == "host" and (self._passive(verb) or verb.dep_ == "acl"):
                self._host(verb)
            if lemma in ("collapse", "fail", "founder", "stall", "end") and verb.dep_ != "amod":
                self._collapse(verb)
            if lemma in ("participate", "pit"):
                self._participation(verb)
            if lemma in ("monitor", "observe", "follow", "watch"):
                for subject in self.subject_of(verb):
                    for obj in (c for c in verb.children if c.dep_ == "dobj"):
                        event = self.thing(obj, "event")
                        self.add(subject, "observes", event, "asserted",
                                 verb.subtree, "participation")  # fmt: skip
            if lemma == "speak" and verb.dep_ in ("advcl", "ROOT", "conj"):
                for prep in (c for c in verb.children if c.lower_ == "at"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        event = self.thing(pobj, "event")
                        for subject in self.subject_of(verb):
                            self.add(subject, "speaks_at", event, "reported",
                                     [verb, *pobj.subtree], "speaking")  # fmt: skip
            if lemma == "release":
                for obj in (c for c in verb.children if c.dep_ == "dobj"):
                    if obj.lemma_ in ("statement", "report", "paper", "communique"):
                        document = self.thing(obj, "document")
                        for subject in self.subject_of(verb):
                            self.add(subject, "speaks_at", document, "reported",
                                     [verb, *obj.subtree], "speaking")  # fmt: skip

    def _passive(self, verb: Any) -> bool:
        return any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in verb.children)

    def _unwilling(self, verb: Any) -> bool:
        return (
            verb.dep_ == "xcomp"
            and verb.head.lemma_.lower() in ("unwilling", "reluctant")
            and verb.lemma_.lower() in SUPPORT
        )

    def _blame(self, verb: Any, sentence: Any) -> None:
        subjects = self.subject_of(verb)
        modality = self.modality(verb.subtree, "reported")
        blamed: list[DraftEntity] = []
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            # "criticised what he called the megaphone diplomacy of western states"
            targets = self.actors(obj) or [
                t for t in [self._first_actor(obj, ("state", "group", "institution"))] if t
            ]
            for target in targets:
                blamed.append(target)
                for subject in subjects:
                    self.add(subject, "blames", target, modality,
                             [*self._subject_tokens(verb), verb, *obj.subtree],
                             "blame-verb")  # fmt: skip
            # "attacking those unwilling to affirm X": the attacker affirms X
            for stance in (t for t in obj.subtree if self._unwilling(t)):
                for inner in (c for c in stance.children if c.dep_ == "dobj"):
                    position = self.position(list(inner.subtree))
                    for subject in subjects:
                        self.add(subject, "supports_position", position, modality,
                                 list(inner.subtree), "stance-verb")  # fmt: skip
        # "Without naming Russia or China, X attacked ...": targets left unnamed
        for token in sentence:
            if token.lower_ == "without" and token.i < verb.i:
                naming = next((c for c in token.children if c.lemma_ == "name"), None)
                if naming is None:
                    continue
                for obj in (c for c in naming.children if c.dep_ == "dobj"):
                    for target in self.actors(obj):
                        for subject in subjects:
                            self.add(subject, "blames", target, "implicit",
                                     [token, *obj.subtree], "unnamed-target")  # fmt: skip
                        for group in (b for b in blamed if b.type == "group"):
                            self.add(target, "member_of", group, "implicit",
                                     [token, *obj.subtree], "unnamed-target")  # fmt: skip

    def _subject_tokens(self, verb: Any) -> list[Any]:
        return [c for c in verb.children if c.dep_ in ("nsubj",)]

    def _stance(self, verb: Any) -> None:
        lemma = verb.lemma_.lower()
        negated = any(c.dep_ == "neg" for c in verb.children)
        opposes = (lemma in OPPOSE) != negated or self._unwilling(verb)
        if lemma == "refuse" or lemma == "decline":
            inner = next((c for c in verb.children if c.dep_ == "xcomp"), None)
            if inner is None:
                return
            verb, opposes = inner, inner.lemma_.lower() in SUPPORT
        subjects = self.subject_of(verb.head if self._unwilling(verb) else verb)
        objects = [c for c in verb.children if c.dep_ in ("dobj", "ccomp")]
        relation = "opposes_position" if opposes else "supports_position"
        for obj in objects:
            named = self.entity(obj)
            if named is not None and named.type != "position":
                continue
            position = self.position(list(obj.subtree))
            for subject in subjects:
                self.add(subject, relation, position, self.modality(verb.subtree, "reported"),
                         [verb, *obj.subtree], "stance-verb")  # fmt: skip

    def _appeal(self, verb: Any) -> None:
        """ "Estonia urged its allies to name and punish those responsible", "called on states
        to attribute attacks jointly", "called for a binding treaty": the caller supports it."""
        if verb.lemma_ == "call" and not any(
            c.lower_ in ("on", "for", "upon") for c in verb.children
        ):
            return
        subjects = self.subject_of(verb)
        wanted = [c for c in verb.children if c.dep_ == "xcomp"]
        for prep in (c for c in verb.children if c.lower_ in ("on", "upon", "for")):
            if prep.lower_ == "for":
                if verb.lemma_ in ("call", "press"):  # "called for a treaty", not "for days"
                    wanted += [c for c in prep.children if c.dep_ == "pobj" and c.lower_ != "it"]
            else:
                wanted += [
                    x for p in prep.children for x in p.children if x.dep_ in ("acl", "xcomp")
                ]
        for clause in wanted:
            tokens = list(clause.subtree)
            position = self.position(tokens)
            for subject in subjects:
                self.add(subject, "supports_position", position, self.modality(tokens, "reported"),
                         [verb, *tokens], "stance-verb")  # fmt: skip

    def _report(self, verb: Any) -> None:
        if verb.dep_ == "relcl":
            return  # "a proposal, which he said would ...": the clause describes, not states
        subjects = self.subject_of(verb)
        if not subjects:
            return
        lemma = verb.lemma_.lower()
        if lemma == "tell":
            for obj in (c for c in verb.children if c.dep_ in ("dobj", "dative")):
                if obj.lemma_ in ("meeting", "conference", "session", "summit", "assembly",
                                  "council", "forum"):  # fmt: skip
                    event = self.thing(obj, "event")
                    for subject in subjects:
                        self.add(subject, "speaks_at", event, "reported",
                                 [*self._subject_tokens(verb), verb, *obj.subtree],
                                 "speaking")  # fmt: skip
        if lemma == "write":
            for prep in (c for c in verb.children if c.lower_ in ("on", "in")):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    document = self.thing(pobj, "document")
                    for subject in subjects:
                        self.add(subject, "speaks_at", document, "reported",
                                 [verb, *pobj.subtree], "speaking")  # fmt: skip
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            if self.in_quotes.covers(clause.idx):
                continue  # quotations are handled whole, sentence by sentence
            if self.covered.covers(clause.idx):
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
            tokens = list(inner.subtree)
            position = self.position(tokens)
            self.covered.add(tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
            for subject in subjects:
                self.add(subject, "supports_position", position,
                         self.modality(tokens, default), tokens, "reported-speech")  # fmt: skip
            if inner.lemma_.lower() in HARMFUL:
                for gerund in self._gerund_subjects(inner, verb):
                    measure = self.position(list(gerund.subtree))
                    for subject in subjects:
                        self.add(subject, "opposes_position", measure,
                                 self.modality(tokens, default), list(gerund.subtree),
                                 "reported-speech")  # fmt: skip

    def _strike(self, verb: Any) -> None:
        """ "The attack, which struck the systems of Nordbalt Terminals": what it targets."""
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is not None and subject.lower_ in ("which", "that") and verb.dep_ == "relcl":
            subject = verb.head
        if subject is None or subject.lemma_.lower() not in INCIDENT_NOUNS:
            return
        incident = self.thing(subject, "incident")
        for obj in (c for c in verb.children if c.dep_ == "dobj"):
            target = self._first_actor(obj, ("institution", "state", "group"))
            self.add(incident, "targets", target, "asserted", [verb, *obj.subtree], "target")

    def _first_actor(self, token: Any, types: tuple[str, ...]) -> DraftEntity | None:
        """The entity a phrase names, or the first one named inside it."""
        entity = self.entity(token)
        if entity is not None and entity.type in types:
            return entity
        for inner in token.subtree:
            entity = self.mentions.entity_at(inner)
            if entity is not None and entity.type in types:
                return entity
        return None

    def _gerund_subjects(self, clause: Any, verb: Any) -> list[Any]:
        """ "recognising X would lead to ...": the gerund that is the clause's subject, also
        where the parser hung it elsewhere (just before the clause, after the verb)."""
        found = [c for c in clause.children if c.dep_ in ("csubj", "nsubj") and c.tag_ == "VBG"]
        if found:
            return found
        first = min(t.i for t in clause.subtree)
        for token in self.doc[verb.i + 1 : first]:
            if token.tag_ == "VBG" and max(t.i for t in token.subtree) == first - 1:
                return [token]
        return []

    def _attribution(self, verb: Any, sentence: Any) -> None:
        incidents = [c for c in verb.children if c.dep_ == "nsubjpass"]
        agents = [
            pobj
            for agent in verb.children
            if agent.dep_ in ("agent",) or (agent.dep_ == "prep" and agent.lower_ in ("on", "by"))
            for pobj in agent.children
            if pobj.dep_ == "pobj"
        ]
        modality = self.modality([*verb.children, *sentence], "reported")
        for noun in incidents:
            if noun.lemma_.lower() not in INCIDENT_NOUNS and noun.lower_ not in INCIDENT_NOUNS:
                continue
            incident = self.thing(noun, "incident")
            if incident is not None and incident.type not in ("incident", "event"):
                continue
            for pobj in agents:
                actors = self.actors(pobj) or [
                    a for a in [self._first_actor(pobj, ("institution", "group", "state"))] if a
                ]
                for actor in actors:
                    self.add(incident, "attributed_to", actor, modality,
                             [noun, verb, *pobj.subtree], "attribution")  # fmt: skip
            for conj in verb.conjuncts:
                for xcomp in (c for c in conj.children if c.dep_ == "xcomp"):
                    if xcomp.lemma_ in ("assist", "benefit", "help", "aid", "support"):
                        for obj in (c for c in xcomp.children if c.dep_ == "dobj"):
                            beneficiary = self.entity(obj) or self.thing(obj, "event")
                            self.add(incident, "intended_to_benefit", beneficiary, modality,
                                     [conj, *obj.subtree], "attribution")  # fmt: skip

    def _responsible(self, adjective: Any, sentence: Any) -> None:
        """ "the Russians were responsible for hacking into the DNC": attribution."""
        subjects = [c for c in adjective.head.children if c.dep_ == "nsubj"]
        for prep in (c for c in adjective.children if c.lower_ == "for"):
            for act in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
                incident = self._incident_of(act)
                if incident is None:
                    continue
                modality = self.modality([*sentence], "reported")
                for subject in subjects:
                    for actor in self.actors(subject):
                        self.add(incident, "attributed_to", actor, modality,
                                 [subject, *act.subtree], "attribution")  # fmt: skip

    def _incident_of(self, act: Any) -> DraftEntity | None:
        """The incident a phrase names: one already seen against the same target, or new."""
        if act.lemma_.lower() not in INCIDENT_NOUNS:
            return None
        targets = [e for e in map(self.entity, act.subtree) if e is not None]
        first = min((self.first_target.get(t.id, len(self.statements)) for t in targets),
                    default=len(self.statements))  # fmt: skip
        if first < len(self.statements):
            return self.mentions.entities[self.statements[first].subject]
        return self.thing(act, "incident") if act.pos_ == "NOUN" else None

    def _collapse(self, verb: Any) -> None:
        """ "Negotiations ... collapsed in June due to an acrimonious dispute": the collapse
        was caused by the dispute."""
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
        collapse = self.mentions.add(
            self.mentions.new_entity("event", label, "phrase"), verb.i, verb.i + 1, verb.text
        )
        self.heads.setdefault(collapse.id, "collapse")
        for cause_token in causes[:1]:
            cause = self.thing(cause_token, "event")
            if cause is not None and cause.type == "event":
                self.add(collapse, "caused_by", cause, "asserted", [verb, *cause_token.subtree],
                         "cause")  # fmt: skip

    def _host(self, verb: Any) -> None:
        """ "a meeting hosted by Switzerland" is in Switzerland; "hosted by the foreign
        ministry": the ministry takes part."""
        event_token = (
            verb.head
            if verb.dep_ in ("acl", "relcl")
            else next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        )
        if event_token is not None and event_token.lower_ in ("which", "that"):
            event_token = verb.head.head if verb.dep_ == "relcl" else event_token
        if event_token is None:
            return
        event = self.thing(event_token, "event")
        if event is None or event.type != "event":
            return
        for agent in (c for c in verb.children if c.dep_ == "agent"):
            for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                host = self.entity(pobj)
                if host is None:
                    continue
                relation = "located_in" if host.type == "state" else "participates_in"
                subject, obj = (event, host) if relation == "located_in" else (host, event)
                self.add(subject, relation, obj, "asserted", [verb, *pobj.subtree], "location")

    def _participation(self, verb: Any) -> None:
        if verb.lemma_ == "pit":
            event_token = verb.head if verb.dep_ == "relcl" else None
            if event_token is None:
                return
            event = self.thing(event_token, "event")
            sides = [c for c in verb.children if c.dep_ == "dobj"]
            sides += [p for c in verb.children if c.lower_ == "against" for p in c.children]
            for side in sides:
                for actor in self.actors(side):
                    self.add(actor, "participates_in", event, "asserted",
                             [verb, *side.subtree], "participation")  # fmt: skip
            return
        preps = [c for c in verb.children if c.lower_ == "in"]
        preps += [
            p for c in verb.children if c.lower_ == "part" for p in c.children if p.lower_ == "in"
        ]
        for prep in preps:
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                event = self.thing(pobj, "event")
                who = [t for c in verb.children if c.dep_ == "nsubj" for t in c.subtree]
                for subject in self.subject_of(verb):
                    self.add(subject, "participates_in", event, "asserted",
                             [*who[:1], verb, pobj], "participation")  # fmt: skip

    def _incidents(self) -> None:
        """Cyber operations named by a noun phrase ("a cyber-attack that halted ...", "the
        2016 hacking of the DNC's computers"); "the attack", "that break-in" and "the
        incident" refer back to the one named before."""
        for token in self.doc:
            if token.pos_ != "NOUN" or token.tag_ != "NN" or token.i in self.mentions.token_entity:
                continue
            if token.lemma_.lower() not in INCIDENT_NOUNS and token.lower_ not in INCIDENT_NOUNS:
                continue
            if token.dep_ == "compound":
                continue
            determiners = {c.lower_ for c in token.children if c.dep_ in ("det", "nummod", "poss")}
            if not determiners:
                continue
            definite = determiners & {"the", "that", "this"}
            previous = self._last_of_type("incident", token.i) if definite else None
            if previous is not None and not any(
                c.dep_ in ("nummod", "prep") for c in token.children
            ):
                self.mentions.add(previous, token.i, token.i + 1, token.text)
                continue
            if not cyber(token):
                continue
            self._new("incident", phrase(token), token)

    def _groups(self) -> None:
        """Groups defined by what they prefer ("a number of states that like legal
        ambiguity"), wherever they are mentioned."""
        for token in self.doc:
            if (
                token.lemma_.lower() in ("country", "state", "nation", "government")
                and any(c.dep_ == "relcl" and c.lemma_.lower() in PREFER for c in token.children)
                and token.i not in self.mentions.token_entity
            ):
                self._phrase_entity(token)

    def _views(self, sentence: Any) -> None:
        """ "the US intelligence conclusion that P", "a decision made by Moscow that P": the
        holder of the view supports P, as claimed by whoever reports it."""
        for noun in sentence:
            if noun.lemma_.lower() not in VIEW_NOUNS:
                continue
            clause = next(
                (c for c in noun.children
                 if c.dep_ in ("acl", "ccomp", "relcl")
                 and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
                None,
            )  # fmt: skip
            holders: list[DraftEntity] = []
            for child in noun.children:
                if child.dep_ in ("poss", "compound", "nmod"):
                    holders += self.actors(child)
            made = noun.head if noun.dep_ in ("nsubjpass",) else None
            if made is not None:
                for agent in (c for c in made.children if c.dep_ == "agent"):
                    for pobj in (c for c in agent.children if c.dep_ == "pobj"):
                        holders += self.actors(pobj)
                if clause is None:
                    clause = next(
                        (c for c in made.children
                         if c.dep_ == "ccomp"
                         and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)),
                        None,
                    )  # fmt: skip
            if clause is None or not holders:
                continue
            reporter = self._reporter(noun)
            tokens = [t for t in clause.subtree if t.dep_ != "mark" or t.head != clause]
            position = self.position(tokens)
            modality = self.modality([*sentence], "reported")
            for holder in {h.id: h for h in holders}.values():
                self.add(
                    holder,
                    "supports_position",
                    position,
                    modality,
                    tokens,
                    "view",
                    claimed_by=reporter.id if reporter and reporter is not holder else None,
                )
            self.covered.add(noun.sent.start_char, noun.sent.end_char)
            # "I'm comfortable with the conclusion": the speaker endorses it
            if (
                noun.dep_ == "pobj"
                and noun.head.lower_ == "with"
                and noun.head.head.lemma_
                in ("comfortable", "agree", "happy", "satisfied", "content")
            ):
                speaker = self._reporter(noun)
                if speaker is not None:
                    self.add(speaker, "endorses", position, "reported",
                             [noun.head.head, noun], "view")  # fmt: skip

    def _reporter(self, token: Any) -> DraftEntity | None:
        """Who says the sentence that holds ``token``: a reporting verb's subject, or the
        speaker of the quotation it stands in."""
        node = token
        for _ in range(12):
            if node.lemma_.lower() in REPORT and node.pos_ in ("VERB", "AUX"):
                subjects = self.subject_of(node)
                if subjects:
                    return subjects[0]
            if node.head.i == node.i:
                break
            node = node.head
        # the quotations do not overlap and come in order: only one can hold the token
        index = bisect_right(self.quoted_starts, token.idx) - 1
        if index >= 0 and token.idx < self.quoted[index][1]:
            return self.quoted[index][2]
        return None

    def _memberships(self, sentence: Any) -> None:
        """ "25 countries, including the UK": the UK is a member of that group; "the UK and
        all the other members of the UN security council": the UK is a member of the council."""
        for prep in sentence:
            if prep.lower_ != "including" or prep.dep_ != "prep":
                continue
            group = self.entity(prep.head)
            if group is None and prep.head.pos_ == "NOUN":
                group = self._phrase_entity(prep.head)
            if group is None or group.type not in ("group", "institution"):
                continue
            for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                for member in [pobj, *pobj.conjuncts]:
                    actor = self.entity(member) or self._phrase_entity(member)
                    if actor is None or actor.type not in ("state", "group"):
                        continue
                    relation = "member_of" if actor.type == "state" else "part_of"
                    self.add(actor, relation, group, "asserted",
                             [prep.head, *member.subtree], "membership")  # fmt: skip
        for token in sentence:
            if token.lemma_ != "member" or not any(c.lower_ == "other" for c in token.children):
                continue
            body = next(
                (self.entity(p) for c in token.children if c.lower_ == "of"
                 for p in c.children if p.dep_ == "pobj" and self.entity(p)),
                None,
            )  # fmt: skip
            if body is None:
                continue
            for member in (c for c in [token.head, *token.head.conjuncts] if c.i < token.i):
                actor = self.entity(member)
                if actor is not None and actor.type == "state":
                    self.add(actor, "member_of", body, "asserted", [member, *token.subtree],
                             "membership")  # fmt: skip

    def _noun_relations(self, sentence: Any) -> None:
        for noun in sentence:
            lemma = noun.lemma_.lower()
            if lemma == "responsible" and noun.dep_ == "acomp":
                self._responsible(noun, sentence)
            entity = self.mentions.entity_at(noun)
            if entity is not None and entity.type == "document":
                for prep in (c for c in noun.children if c.lower_ == "of"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        named = self.entity(pobj)
                        if pobj.lemma_.lower() in DOCUMENT_NOUNS or (
                            named is not None and named.type == "document"
                        ):
                            whole = self.thing(pobj, "document")
                            self.add(entity, "part_of", whole, "asserted", [noun, *pobj.subtree],
                                     "part")  # fmt: skip
            if any(lemma in family for family in EVENT_FAMILIES[:1]) and noun.pos_ == "NOUN":
                bodies = [c for c in noun.children if c.dep_ in ("compound", "nmod")]
                bodies += [p for c in noun.children if c.lower_ == "at" for p in c.children]
                for body_token in bodies:
                    body = self.mentions.entity_at(body_token)
                    if body is not None and body.type == "institution":
                        event = self.thing(noun, "event")
                        self.add(event, "part_of", body, "asserted", list(noun.subtree)[:8],
                                 "part")  # fmt: skip
            if lemma in ("hacking", "hack", "attack", "breach", "intrusion") and noun.pos_ in (
                "NOUN", "VERB",
            ):  # fmt: skip
                for prep in (c for c in noun.children if c.lower_ in ("of", "on", "against")):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        target = self.entity(pobj)
                        if target is None:
                            target = next(
                                (self.entity(c) for c in pobj.subtree if self.entity(c)), None
                            )
                        if target is not None and target.type in ("institution", "state"):
                            incident = self.thing(noun, "incident")
                            self.add(incident, "targets", target, "asserted",
                                     list(noun.subtree), "target")  # fmt: skip
            if lemma in ("conference", "meeting", "summit", "session", "forum", "talks"):
                for prep in (c for c in noun.children if c.lower_ == "in"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        place = self.entity(pobj)
                        if place is not None and place.type == "state":
                            event = self.thing(noun, "event")
                            self.add(event, "located_in", place, "asserted",
                                     list(noun.subtree), "location")  # fmt: skip
            if noun.dep_ == "poss":
                owner = self._person(noun)
                if owner is not None and noun.head.lemma_ in (
                    "campaign",
                    "government",
                    "delegation",
                    "administration",
                ):
                    body = self.thing(noun.head, "event" if noun.head.lemma_ == "campaign"
                                      else "institution")  # fmt: skip
                    self.add(owner, "leads", body, "asserted", list(noun.head.subtree),
                             "relative-clause")  # fmt: skip

    def _speakers(self) -> list[tuple[int, int, DraftEntity]]:
        """Every quotation with its speaker; a quote running on from the paragraph before
        keeps that paragraph's speaker."""
        found: list[tuple[int, int, DraftEntity]] = []
        previous: DraftEntity | None = None
        for start, end, continued in self.quote_spans:
            speaker = self._speaker(start, end)
            if speaker is None and continued:
                speaker = previous
            previous = speaker
            if speaker is not None:
                found.append((start, end, speaker))
        return found

    def _quotations(self) -> None:
        """Quoted words: the speaker supports each quoted sentence, or opposes the view
        a quoted sentence condemns ("That is a dangerous and unsupportable view")."""
        for start, end, speaker in self.quoted:
            first = bisect_right(self.sentence_ends, start)  # the first to end after it starts
            for sentence in self.sentences[first:]:
                if sentence.start_char >= end:
                    break
                inside = [
                    t for t in sentence
                    if start < t.idx < end and not t.is_space and t.text not in "“”\""
                ]  # fmt: skip
                for tokens in split_sentences(inside):
                    self._quoted_sentence(tokens, speaker)

    def _quoted_sentence(self, tokens: list[Any], speaker: DraftEntity) -> None:
        if len([t for t in tokens if t.is_alpha]) < 4:
            return
        if self.covered.covers(tokens[0].idx) or self.covered.covers(tokens[-1].idx):
            return
        if self._condemns(tokens):
            condemned = self.positions[-1][1] if self.positions else None
            self.add(speaker, "opposes_position", condemned, "reported", tokens, "quotation")
            return
        if any(t.lemma_.lower() in BLAME | SUPPORT | OPPOSE and t.pos_ == "VERB" for t in tokens):
            return  # the verb rules code it
        holders, tokens = self._holders(tokens, speaker)
        if not holders:
            return
        position = self.position(tokens)
        modality = self.modality(tokens, "reported")
        for holder in holders:
            claimed = speaker.id if holder is not speaker else None
            self.add(holder, "supports_position", position, modality, tokens, "quotation",
                     claimed_by=claimed)  # fmt: skip

    def _condemns(self, tokens: list[Any]) -> bool:
        words = {t.lower_ for t in tokens}
        return bool(words & NEGATIVE) and tokens[0].lower_ in ("that", "this", "it", "such")

    def _holders(
        self, tokens: list[Any], speaker: DraftEntity
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
                holders = self.actors(subject)
                if holders:
                    return holders, tokens[1:]
        indices = {t.i for t in tokens}
        roots = [t for t in tokens if t.head.i not in indices or t.head.i == t.i]
        root = roots[0] if roots else first
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")]
        for subject in subjects:
            actors = [a for a in self.actors(subject) if a.type in ACTOR_TYPES]
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

    def _speaker(self, start: int, end: int) -> DraftEntity | None:
        """Who is quoted: the subject of a reporting verb in the quote's sentence, before
        it ("X said: “...”") or after it ("“...,” he said")."""
        text = self.text
        # look no further than the 300 characters before and 80 after: a line of a whole
        # article is not searched to its ends for every quote
        before_start = max(text.rfind("\n", max(0, start - 300), start) + 1, start - 300)
        line_end = text.find("\n", end, end + 80)
        after_end = len(text) if line_end < 0 else line_end
        before = self.doc.char_span(before_start, start, alignment_mode="contract")
        after = self.doc.char_span(end, min(after_end, end + 80), alignment_mode="contract")
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
            subjects = self.subject_of(verb)
            if subjects:
                return subjects[0]
        return None

    def _member_stances(self) -> None:
        """States implied to belong to a group ("Without naming Russia or China, X attacked
        those who ...") are implied to hold the group's stances."""
        for membership in [s for s in self.statements if s.relation == "member_of"]:
            if membership.modality != "implicit":
                continue
            for stance in list(self.by_subject.get(membership.object, ())):
                if stance.relation not in ("supports_position", "opposes_position"):
                    continue
                self.add(
                    self.mentions.entities[membership.subject],
                    stance.relation,
                    self.mentions.entities[stance.object],
                    "implicit",
                    self._tokens(stance.start, stance.end),
                    "unnamed-target",
                    claimed_by=stance.claimed_by,
                )

    def _shared_participation(self) -> None:
        """Members named in "25 countries, including the UK, ... participated" take part too."""
        taking_part: dict[str, list[DraftStatement]] = {}
        for statement in self.statements:
            if statement.relation == "participates_in":
                taking_part.setdefault(statement.subject, []).append(statement)
        for membership in [s for s in self.statements if s.rule == "membership"]:
            for participation in taking_part.get(membership.object, ()):
                self.add(
                    self.mentions.entities[membership.subject],
                    "participates_in",
                    self.mentions.entities[participation.object],
                    participation.modality,
                    self._tokens(membership.start, membership.end),
                    "participation",
                )

    def _tokens(self, start: int, end: int) -> list[Any]:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return [span[0], span[-1]]

    def _speaker_states(self) -> None:
        """A representative's stance is also the stance of the state they speak for."""
        for statement in list(self.statements):
            if statement.relation not in ("supports_position", "opposes_position"):
                continue  # a blame is the speaker's own act; a stance is the state's
            speaker = statement.subject
            state_id: str | None = None
            role = ""
            if speaker in self.representing:
                state_id, role = self.representing[speaker]
            else:
                state_id = next(
                    (s.object for s in self.by_subject.get(speaker, ())
                     if s.relation == "represents"),
                    None,
                )  # fmt: skip
                role = "organ"
            if state_id is None or state_id == statement.object:
                continue
            if role not in SPEAKING_ROLES | {"organ", "head"}:
                continue  # an official or a diplomat may speak for themselves
            modality = statement.modality
            self.add(
                self.mentions.entities[state_id],
                statement.relation,
                self.mentions.entities[statement.object],
                modality,
                self._tokens(statement.start, statement.end),
                "speaker-state",
                claimed_by=speaker,
            )
