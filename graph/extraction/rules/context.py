"""What every statement rule works on: one parsed article, its mentions, the statements
made so far, and the questions rules ask of the parse.

``Context.add`` records a statement; the other methods read the parse: the entity a token
names (``entity``), the actors of a noun phrase (``actors``), the thing it names or a new
one (``thing``), a proposition as a position (``position``), the modality of a clause
(``modality``), who does what a verb says (``subject_of``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from .. import hedges
from ..lexicon import EVENT_FAMILIES, PEOPLE_FROM, PREFER, STRUCTURAL
from ..mentions import PRONOUNS, DraftEntity, Mentions
from ..offsets import IntervalCover
from ..phrases import phrase, proposition, quote_spans, trim_quote
from .rule import DraftStatement

__all__ = [
    "GROUP_STANCE",
    "STATE_VOICES",
    "UNNAMED_OFFICIAL",
    "UNNAMED_SPEAKERS",
    "Context",
    "passive",
    "subject_tokens",
]

UNNAMED_SPEAKERS = {"spokesman", "spokeswoman", "spokesperson", "official", "minister",
                    "diplomat"}  # fmt: skip
"""The nouns of a speaker the text does not name ("a Kremlin spokesman said")."""
STATE_VOICES = {"government", "official", "authority"}
"""Plural nouns through which the states named before them act ("Slovak officials said")."""
UNNAMED_OFFICIAL = "title"
"""The rule of the representation of an official the text does not name: that of titles,
by whichever rule finds the official speaking."""

_UNNAMED_VOICES = {"representative", "delegate", "delegation"}

GROUP_STANCE = "stance-verb"
"""The rule of the stance that a group defined by what it prefers holds ("states that like
legal ambiguity" support legal ambiguity): recorded when the group is first named, by
whichever rule names it."""


class Context:
    """One parsed article as the statement rules see it.

    What a rule asks of the whole article (the text, its sentences, the statements made
    so far by subject, the passages coded or quoted) is kept in indexes, so that a rule
    applied at one token takes a time independent of the article's length. No statement
    of a rule named in ``disabled`` is recorded.
    """

    def __init__(self, mentions: Mentions, disabled: frozenset[str] = frozenset()) -> None:
        self.mentions = mentions
        self.doc = mentions.doc
        self.disabled = disabled
        # spaCy joins every token each time ``Doc.text`` is read: read it once
        self.text: str = mentions.doc.text
        self.sentences = list(self.doc.sents)
        self.sentence_ends = [sentence.end_char for sentence in self.sentences]
        self._sentence_words: list[frozenset[str]] | None = None
        self.statements: list[DraftStatement] = []
        self.by_subject: dict[str, list[DraftStatement]] = {}
        self.first_target: dict[str, int] = {}  # object -> index of its first `targets`
        self.seen: set[tuple[str, str, str, int, str]] = set()
        self.facts: set[tuple[str, str, str]] = set()
        self.heads: dict[str, str] = {}  # entity id -> the lemma of the noun that named it
        self.representing: dict[str, tuple[str, str]] = {}  # person -> (state, role noun)
        self.positions: list[tuple[int, DraftEntity]] = []  # (token index, position)
        self.covered = IntervalCover(len(self.text))  # character spans whose views are coded
        self.quoted: list[tuple[int, int, DraftEntity]] = []  # quotations and their speakers
        self.quoted_starts: list[int] = []
        self.quote_spans = quote_spans(self.text)
        self.in_quotes = IntervalCover(len(self.text))
        for start, end, _ in self.quote_spans:
            self.in_quotes.add(start, end)

    def sentence_words(self) -> list[frozenset[str]]:
        """The words of each sentence, lower case, as written and as lemmas; read once
        from the document's arrays (walking the tokens makes a ``Token`` for each)."""
        if self._sentence_words is None:
            from spacy.attrs import LEMMA, LOWER

            ids = self.doc.to_array([LEMMA, LOWER])
            strings = self.doc.vocab.strings
            self._sentence_words = [
                frozenset(
                    strings[key].lower() for key in set(ids[s.start : s.end].ravel().tolist())
                )
                for s in self.sentences
            ]
        return self._sentence_words

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
        """Record a statement quoting ``tokens`` (from the first to the last), unless it
        was made already, or is a structural tie already stated, or its rule is disabled."""
        if subject is None or obj is None or subject.id == obj.id or rule in self.disabled:
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
            person = self.mentions.last_mentioned(token.i, "person")
            voice = next((v for v in reversed(self.voices) if v[0] < token.i), None)
            if voice is not None and (
                person is None or self._last_start(person, token.i) < voice[0]
            ):
                return voice[1]  # "The representative of Chile said ... He added": Chile
            return person
        return None

    def _last_start(self, entity: DraftEntity, before: int) -> int:
        """The token where the last mention of ``entity`` before token ``before`` starts."""
        starts = [s for s, _ in self.mentions.spans.get(entity.id, ()) if s < before]
        return max(starts, default=-1)

    @cached_property
    def voices(self) -> list[tuple[int, DraftEntity]]:
        """The subjects that are a state's unnamed representative ("the representative of
        Chile said", "China's delegate warned"), by token, with the state: a "he" or "she"
        after one, before any person is named again, is that state speaking."""
        found: list[tuple[int, DraftEntity]] = []
        for token in self.doc:
            if token.dep_ == "nsubj" and token.tag_ == "NN":
                states = self._represented(token)
                if len(states) == 1:
                    found.append((token.i, states[0]))
        return found

    def _represented(self, token: Any) -> list[DraftEntity]:
        """ "the representative of Chile", "China's delegate", "the representatives of
        Ghana and Indonesia": the states they speak for (none if the speaker is named in
        apposition)."""
        if token.lemma_.lower() not in _UNNAMED_VOICES or any(
            c.dep_ == "appos" for c in token.children
        ):
            return []
        owners = [c for c in token.children if c.dep_ == "poss"]
        owners += [p for c in token.children if c.lower_ == "of" for p in c.children
                   if p.dep_ == "pobj"]  # fmt: skip
        states: list[DraftEntity] = []
        for owner in owners:
            for word in [owner, *owner.conjuncts]:
                state = self.mentions.state_of(word)
                if state is not None and state not in states:
                    states.append(self.mentions.declare(state))
        return states

    def actors(self, token: Any) -> list[DraftEntity]:
        """The entities a noun phrase names, with its conjuncts ("Russia, China and Cuba")."""
        found: list[DraftEntity] = []
        for member in [token, *token.conjuncts, *self._listed_after(token)]:
            states = self._states_of_governments(member) or self._represented(member)
            if states:
                found.extend(state for state in states if state not in found)
                continue
            named = self._appositive(member)
            if named is None or named.type not in ("person", "official"):
                # "the High Representative ..., Maria Olsen": the person, not the office
                named = self.entity(member) or named or self.phrase_entity(member)
            entity = named
            if entity is None and member.lemma_.lower() in PEOPLE_FROM:
                # "Experts from 25 countries": the countries act through their experts
                for prep in (c for c in member.children if c.lower_ == "from"):
                    for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                        found.extend(e for e in self.actors(pobj) if e not in found)
                continue
            if entity is not None and entity not in found:
                found.append(entity)
        return found

    def _states_of_governments(self, token: Any) -> list[DraftEntity]:
        """ "the US and UK governments", "Slovak officials", "Dutch and Belgian
        authorities": each state acts through its government and officials."""
        if token.lemma_.lower() not in STATE_VOICES or token.tag_ != "NNS":
            return []
        states: list[DraftEntity] = []
        for child in token.children:
            if child.dep_ not in ("nmod", "compound", "amod"):
                continue
            for word in [child, *child.conjuncts]:
                state = self.mentions.state_of(word)
                if state is not None and state not in states:
                    states.append(self.mentions.declare(state))
        return states

    def _listed_after(self, token: Any) -> list[Any]:
        """The names a list goes on with after an apposition: "Kirov, a GRU officer, and
        Lenk" (Lenk hangs from the officer), "the following persons: Kirov, Lenk and Orlov"
        (Lenk and Orlov hang from Kirov)."""
        return [
            conjunct
            for child in token.children
            if child.dep_ == "appos"
            for conjunct in child.conjuncts
            if self.mentions.entity_at(conjunct) is not None
        ]

    def _appositive(self, token: Any) -> DraftEntity | None:
        """ "The Cuban representative, Miguel Rodríguez, told ...": the subject is the person."""
        for child in token.children:
            if child.dep_ == "appos":
                entity = self.mentions.entity_at(child)
                if entity is not None:
                    return entity
        return None

    def phrase_entity(self, token: Any) -> DraftEntity | None:
        """A group named by a noun phrase that holds no known name ("25 countries", "those
        who are unwilling to ..."); a group defined by what it prefers supports it
        (``GROUP_STANCE``)."""
        if token.pos_ not in ("NOUN", "PRON", "PROPN"):
            return None
        lemma = token.lemma_.lower()
        if lemma in UNNAMED_SPEAKERS and token.tag_ == "NN" and token.dep_ == "nsubj":
            return self.unnamed_official(token)
        if (
            lemma in ("country", "state", "nation", "government", "member", "ally")
            and (token.tag_ in ("NNS", "NNPS"))
        ) or (token.lower_ == "those" and any(c.dep_ == "relcl" for c in token.children)):
            if any(c.lower_ == "such" for c in token.children):
                return self.last_of_type("group", token.i)
            label = phrase(token, keep_clauses=any(c.dep_ == "relcl" for c in token.children))
            group = self.new_entity("group", label, token)
            for clause in (c for c in token.children if c.dep_ == "relcl"):
                if clause.lemma_.lower() in PREFER:
                    for obj in (c for c in clause.children if c.dep_ in ("dobj", "xcomp")):
                        position = self.position(list(obj.subtree))
                        self.add(group, "supports_position", position,
                                 self.modality(clause.subtree, "reported"),
                                 list(clause.subtree), GROUP_STANCE)  # fmt: skip
            return group
        return None

    def unnamed_official(self, token: Any) -> DraftEntity | None:
        """ "A Kremlin spokesman said", "a senior US official said", "the Czech foreign
        minister said": an official the text does not name, who represents the body or
        state named with the noun (``UNNAMED_OFFICIAL``). "The Czech foreign minister"
        after a named one is that one; "an official said" or "the minister said", with
        nothing to tell the speaker apart, is no entity."""
        indefinite = any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in token.children)
        definite = any(
            (c.dep_ == "det" and c.lower_ == "the") or c.dep_ == "poss" for c in token.children
        )
        if not (indefinite or definite):
            return None
        words = [
            t
            for t in self.doc[token.left_edge.i : token.i + 1]
            if t.pos_ != "DET" and t.dep_ != "case"
        ]
        # "a minister at the Foreign Office": the body after the noun
        after = [
            pobj
            for prep in token.children
            if prep.dep_ == "prep" and prep.lower_ in ("at", "of", "for")
            for pobj in prep.children
            if pobj.dep_ == "pobj" and self.mentions.entity_at(pobj) is not None
        ]
        body, named_by = self._body_named(words[:-1] + after)
        if (len(words) < 2 and not after) or (definite and body is None):
            return None  # nobody to tell apart
        if definite and body is not None:
            known = self._holder(body, token.lemma_.lower())
            if known is not None:
                return known  # "the Czech foreign minister": the one named before
        first = words[0]
        label = (
            phrase(token)
            if after
            else self.text[first.idx : token.idx + len(token.text)].replace(" 's", "'s")
        )
        official = self.new_entity("official", label, token)
        if body is not None and named_by is not None:
            role = token.lemma_.lower()
            # their stances stay their own (the role is no speaking role)
            self.representing.setdefault(official.id, (body.id, UNNAMED_OFFICIAL))
            self.add(official, "represents", body, "asserted", [first, token, named_by],
                     UNNAMED_OFFICIAL, role=role)  # fmt: skip
        return official

    def _holder(self, body: DraftEntity, role: str) -> DraftEntity | None:
        """The person drafted as representing ``body`` in a role ending in ``role``."""
        for statement in self.statements:
            if (
                statement.relation == "represents"
                and statement.object == body.id
                and (statement.role or "").lower().split()[-1:] == [role]
                and statement.subject in self.mentions.entities
            ):
                return self.mentions.entities[statement.subject]
        return None

    def _body_named(self, words: list[Any]) -> tuple[DraftEntity | None, Any]:
        """The first body or state that one of ``words`` names, and that word."""
        for word in words:
            body = self.mentions.entity_at(word)
            if body is None or body.type not in ("institution", "state"):
                body = self.mentions.state_of(word)
            if body is not None:
                return body, word
        return None, None

    def new_entity(self, entity_type: str, label: str, token: Any) -> DraftEntity:
        """A new entity (or the one of this article so named) mentioned by the noun
        ``token`` and the words before it, not its clauses."""
        entity = self.mentions.new_entity(entity_type, label, "phrase")
        self.heads.setdefault(entity.id, token.lemma_.lower())
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
            previous = self.last_of_type(entity_type, token.i)
            if previous is not None:
                return previous
        if entity_type == "event" and any(c.lower_ == "the" for c in token.children):
            previous = self._same_event(token)
            if previous is not None:
                self.mentions.add(previous, token.i, token.i + 1, phrase(token))
                return previous
        return self.new_entity(entity_type, phrase(token), token)

    def _same_event(self, token: Any) -> DraftEntity | None:
        """The event a definite noun ("the discussions") refers back to, by its head noun."""
        family = next((f for f in EVENT_FAMILIES if token.lemma_.lower() in f), None)
        if family is None:
            return None

        def same_kind(entity: DraftEntity) -> bool:
            head = self.heads.get(entity.id) or entity.label.split()[-1].lower()
            return entity.type == "event" and head in family

        return self.mentions.last_mentioned(token.i, "event", same_kind)

    def last_of_type(self, entity_type: str, before: int) -> DraftEntity | None:
        """The entity of ``entity_type`` mentioned last before token ``before``."""
        return self.mentions.last_mentioned(
            before, entity_type, lambda entity: entity.type == entity_type
        )

    def first_actor(self, token: Any, types: tuple[str, ...]) -> DraftEntity | None:
        """The entity a phrase names, or the first one named inside it."""
        entity = self.entity(token)
        if entity is not None and entity.type in types:
            return entity
        for inner in token.subtree:
            entity = self.mentions.entity_at(inner)
            if entity is not None and entity.type in types:
                return entity
        return None

    def position(self, tokens: list[Any], least: int = 3) -> DraftEntity | None:
        """A position entity stating the proposition that ``tokens`` span, if they hold
        ``least`` words or more."""
        tokens = [t for t in tokens if not t.is_space]
        if len([t for t in tokens if t.is_alpha]) < least:
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
        """``alleged`` or ``speculative`` if a hedge of ``hedges.yaml`` is among ``tokens``,
        else ``default``."""
        tokens = list(tokens)
        return hedges.modality([*tokens, *_governors(tokens)], self.hedge_marks, default)

    @cached_property
    def hedge_marks(self) -> dict[int, str]:
        """The tokens of the article that hedge, with the modality each gives."""
        return hedges.hedge_marks(self.doc)

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
                if not found and subject.lower_ in ("it", "they", "we") and node.dep_ == "ccomp":
                    node = node.head  # "X said it supports Y": the speaker
                    continue
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

    def quote_tokens(self, start: int, end: int) -> list[Any]:
        """The first and last tokens of the characters ``start``..``end``: the quote of a
        statement made from another one."""
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return [span[0], span[-1]]


def passive(verb: Any) -> bool:
    """Whether ``verb`` is in the passive voice ("was coordinated by")."""
    return any(c.dep_ in ("auxpass", "nsubjpass", "agent") for c in verb.children)


def subject_tokens(verb: Any) -> list[Any]:
    """The nominal subjects of ``verb``, for a quote that starts with who acts."""
    return [c for c in verb.children if c.dep_ in ("nsubj",)]


_GOVERNING = ("aux", "auxpass", "advmod")


def _governors(tokens: list[Any]) -> list[Any]:
    """The verbs a clause is the complement of, with their auxiliaries and adverbs: "is
    believed to" hedges "support the plan" ("Germany is believed to support the plan")."""
    indices = {t.i for t in tokens}
    found: list[Any] = []
    for token in tokens:
        node = token
        while node.dep_ == "xcomp" and node.head.i not in indices and node.head.i != node.i:
            node = node.head
            found += [node, *(c for c in node.children if c.dep_ in _GOVERNING)]
    return found
