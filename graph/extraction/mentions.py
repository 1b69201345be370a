"""Find the entities an article mentions and link them to what is already known.

Mentions come from the gazetteer (names of known entities, states, bodies), from spaCy's
named-entity recogniser (people, organisations, places, laws), from demonyms ("the Cuban
representative") and from phrases that name a state's organ ("Russian intelligence",
"the US delegation"). Short names and pronouns are resolved to the person named before.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..names import QUOTE_MARKS, normalise_name, spellings
from .confidence import ENTITY_CONFIDENCE
from .gazetteer import Gazetteer, KnownEntity, slug
from .lexicon import DATE_WORDS, ROLE_NOUNS
from .offsets import PositionSet

__all__ = ["DraftEntity", "Mentions", "find_mentions"]

# Head nouns of a state's organs, and how the organ relates to its state.
ORGAN_RELATION = {
    "delegation": "represents",
    "government": "represents",
    "office": "represents",
    "ministry": "represents",
    "embassy": "represents",
    "mission": "represents",
    "department": "represents",
    "intelligence": "part_of",
    "force": "part_of",
    "army": "part_of",
    "navy": "part_of",
    "military": "part_of",
    "agency": "part_of",
    "service": "part_of",
    "services": "part_of",
    "police": "part_of",
    "command": "part_of",
    "parliament": "part_of",
    "committee": "located_in",
    "university": "located_in",
    "company": "located_in",
    "party": "located_in",
}
_NER_TYPES = {
    "PERSON": "person",
    "ORG": "institution",
    "LAW": "document",
    "WORK_OF_ART": "document",
    "EVENT": "event",
}
PRONOUNS = {"he", "she", "him", "her", "his"}
# titles of rank that are part of a name: "Lord Ashcombe" is not "Ashcombe"
HONORIFICS = {"Lord", "Lady", "Sir", "Dame", "Baroness", "Baron", "Earl", "Viscount"}
PARTICLES = {"van", "von", "de", "der", "den", "da", "di", "del", "la", "le", "al", "bin", "ibn"}
POSSESSIVES = ("\u2019s", "'s")
_DOCUMENT_WORDS = {
    "manual", "charter", "convention", "treaty", "declaration", "report", "strategy", "blog",
    "resolution", "protocol", "agreement", "accord", "article", "act", "directive",
    "regulation", "statute", "constitution", "toolbox", "journal", "communique",
    "communiqué", "memorandum", "guidelines", "advisory", "indictment", "framework", "process",
    "code", "pact", "compact", "principles",
}  # fmt: skip
# capitalised common nouns the recogniser takes for organisations when they stand alone
_NOT_BODIES = {"State", "States", "Member", "Members", "Government", "Ministry", "Department",
               "Agency", "Office", "Court", "Party", "Parties"}  # fmt: skip
# the last word of the name of a gathering: "the NATO Summit", "the 2024 Election"
_EVENT_WORDS = {"summit", "meeting", "session", "debate", "election", "elections"}
# words the recogniser takes for people in titles ("... Applicable to Cyber Warfare")
_NOT_NAMES = {"cyber", "warfare", "security", "law", "manual", "digital", "internet", "data"}


@dataclass
class DraftEntity:
    """An entity of a draft: linked to a known one (``origin``) or new to the project."""

    id: str
    type: str
    label: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    iso3166: str | None = None
    found_by: str = "phrase"  # a key of ENTITY_CONFIDENCE
    origin: str | None = None  # what it was linked to: "iso3166", "gazetteer", a source id
    part_of: str | None = None  # ISO code of an agency's state (from the gazetteer)
    # the normalised aliases, so that a mention is checked against them in one look-up
    _alias_keys: set[str] = field(default_factory=set, init=False, repr=False, compare=False)

    @property
    def confidence(self) -> float:
        """How far to trust the entity, by how it was found (``ENTITY_CONFIDENCE``)."""
        return ENTITY_CONFIDENCE[self.found_by]

    def add_alias(self, name: str) -> None:
        """Add ``name`` unless it is the label or an alias already, once normalised."""
        name = name.strip()
        key = normalise_name(name)
        if len(self._alias_keys) != len(self.aliases):  # ``aliases`` was set or changed
            self._alias_keys = {normalise_name(alias) for alias in self.aliases}
        if name and key != normalise_name(self.label) and key not in self._alias_keys:
            self.aliases.append(name)
            self._alias_keys.add(key)


@dataclass
class _Mention:
    """One recorded mention: its entity, its tokens, and its place in the entity's spans."""

    entity_id: str
    start: int
    end: int
    order: int


# Entities are indexed by kind for ``last_mentioned``; a person becomes an official when a
# role is found, which is why the two are one kind. No other type changes once drafted.
_KIND = {"official": "person"}


@dataclass
class Mentions:
    """The entities of one parsed article and the tokens that mention each.

    ``entities`` and ``spans`` are read freely; entities are added through ``add`` and
    ``declare`` and merged through ``merge``, which keep the indexes that make
    ``new_entity``, ``last_mentioned`` and ``first_mention_in`` independent of the
    article's length.
    """

    doc: Any
    gazetteer: Gazetteer
    entities: dict[str, DraftEntity] = field(default_factory=dict)
    token_entity: dict[int, str] = field(default_factory=dict)  # token index -> entity id
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # id -> token spans
    ambiguous: list[tuple[str, list[str]]] = field(default_factory=list)
    _by_label: dict[str, list[str]] = field(default_factory=dict, init=False, repr=False)
    _at: dict[int, list[_Mention]] = field(default_factory=dict, init=False, repr=False)
    _kinds: dict[str, PositionSet] = field(default_factory=dict, init=False, repr=False)
    _rank: dict[str, int] = field(default_factory=dict, init=False, repr=False)
    _counter: int = field(default=0, init=False, repr=False)
    _surnames: dict[str, list[KnownEntity]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        for entity in self.entities.values():
            self._index_label(entity)

    def entity_at(self, token: Any) -> DraftEntity | None:
        entity_id = self.token_entity.get(token.i)
        return self.entities.get(entity_id) if entity_id else None

    def declare(self, entity: DraftEntity) -> DraftEntity:
        """Add ``entity`` unless an entity has its id; return the one kept."""
        known = self.entities.get(entity.id)
        if known is not None:
            return known
        self.entities[entity.id] = entity
        self._index_label(entity)
        return entity

    def add(self, entity: DraftEntity, start: int, end: int, text: str) -> DraftEntity:
        """Record a mention of ``entity`` over tokens ``start``..``end`` (exclusive)."""
        known = self.entities.get(entity.id)
        if known is None:
            known = self.declare(entity)
        elif entity.confidence > known.confidence:
            known.found_by = entity.found_by  # the surest way it was found
        known.add_alias(text)
        for index in range(start, end):
            self.token_entity.setdefault(index, known.id)
        self._record(known, start, end)
        return known

    def merge(self, keep: DraftEntity, drop: DraftEntity) -> None:
        """Make the mentions of ``drop`` mentions of ``keep``, and forget ``drop``."""
        starts = {start for start, _ in self.spans.get(drop.id, ())}
        moved = [m for start in starts for m in self._at[start] if m.entity_id == drop.id]
        moved.sort(key=lambda mention: mention.order)  # the order of drop's spans
        for mention in moved:
            for index in range(mention.start, mention.end):
                if self.token_entity.get(index) == drop.id:
                    self.token_entity[index] = keep.id
        if keep.id not in self.spans:
            self._rank[keep.id] = self._next_order()
        self.spans.setdefault(keep.id, []).extend(self.spans.pop(drop.id, []))
        self._rank.pop(drop.id, None)
        for mention in moved:
            mention.entity_id = keep.id
            mention.order = self._next_order()
            self._marks(keep).add(mention.start)
        self.entities.pop(drop.id, None)
        self._unindex_label(drop)
        keep.add_alias(drop.label)
        for alias in drop.aliases:
            keep.add_alias(alias)

    def retype(self, entity: DraftEntity, entity_type: str) -> None:
        """Give ``entity`` another type ("Brushfire" found as an organisation is named an
        incident by "the Brushfire attack"), its mentions indexed under the new type."""
        if entity.type == entity_type:
            return
        self._unindex_label(entity)
        entity.type = entity_type
        self._index_label(entity)
        marks = self._marks(entity)
        for start, _ in self.spans.get(entity.id, ()):
            marks.add(start)

    def with_label(self, label: str) -> list[DraftEntity]:
        """The entities of this article whose label is ``label`` once normalised."""
        return [self.entities[i] for i in self._by_label.get(normalise_name(label), ())]

    def forget(self, entity: DraftEntity) -> None:
        """Drop ``entity`` and its mentions ("NotPetya and Operation Cloud Hopper", two
        names the recogniser took for one)."""
        for start, end in self.spans.pop(entity.id, []):
            for index in range(start, end):
                if self.token_entity.get(index) == entity.id:
                    del self.token_entity[index]
            self._at[start] = [m for m in self._at.get(start, []) if m.entity_id != entity.id]
        self._rank.pop(entity.id, None)
        self.entities.pop(entity.id, None)
        self._unindex_label(entity)

    def last_mentioned(
        self, before: int, entity_type: str, accept: Callable[[DraftEntity], bool] | None = None
    ) -> DraftEntity | None:
        """The entity of ``entity_type`` mentioned last before token ``before`` (whose
        mention starts last), among those that ``accept`` takes if given. A person is
        found as an official and the other way round."""
        kind = _KIND.get(entity_type, entity_type)
        marks = self._kinds.get(kind)
        position = marks.last_before(before) if marks is not None else None
        while marks is not None and position is not None:
            found = [
                entity
                for mention in self._at.get(position, ())
                if (entity := self.entities.get(mention.entity_id)) is not None
                and _KIND.get(entity.type, entity.type) == kind
                and (accept is None or accept(entity))
            ]
            if found:
                # as when the spans are read in order: the entity first given a span wins
                return min(found, key=lambda entity: self._rank[entity.id])
            position = marks.last_before(position)
        return None

    def first_mention_in(self, entity: DraftEntity, start: int, end: int) -> tuple[int, int] | None:
        """The first recorded span of ``entity`` (in the order of ``spans``) that starts
        within tokens ``start``..``end``."""
        found = [
            mention
            for index in range(start, end)
            for mention in self._at.get(index, ())
            if mention.entity_id == entity.id
        ]
        if not found:
            return None
        first = min(found, key=lambda mention: mention.order)
        return first.start, first.end

    def known_with_surname(self, surname: str) -> list[KnownEntity]:
        """The people known to the gazetteer whose label ends with ``surname``."""
        if self._surnames is None:
            self._surnames = {}
            for known in self.gazetteer.entities.values():
                if known.type in ("person", "official"):
                    self._surnames.setdefault(known.label.split()[-1], []).append(known)
        return self._surnames.get(surname, [])

    def _record(self, entity: DraftEntity, start: int, end: int) -> None:
        if entity.id not in self.spans:
            self._rank[entity.id] = self._next_order()
        self.spans.setdefault(entity.id, []).append((start, end))
        self._at.setdefault(start, []).append(_Mention(entity.id, start, end, self._next_order()))
        self._marks(entity).add(start)

    def _marks(self, entity: DraftEntity) -> PositionSet:
        kind = _KIND.get(entity.type, entity.type)
        marks = self._kinds.get(kind)
        if marks is None:
            marks = self._kinds[kind] = PositionSet(len(self.doc) + 1)
        return marks

    def _next_order(self) -> int:
        self._counter += 1
        return self._counter

    def _index_label(self, entity: DraftEntity) -> None:
        self._by_label.setdefault(normalise_name(entity.label), []).append(entity.id)

    def _unindex_label(self, entity: DraftEntity) -> None:
        ids = self._by_label.get(normalise_name(entity.label), [])
        if entity.id in ids:
            ids.remove(entity.id)

    def new_entity(self, entity_type: str, label: str, found_by: str) -> DraftEntity:
        """An entity new to the project, with an id that no known entity has; the entity
        of this article already named so ("a programme of action", "the programme of
        action"), if there is one."""
        for entity_id in self._by_label.get(normalise_name(label), ()):
            entity = self.entities[entity_id]
            if entity.type == entity_type:
                return entity
        base = slug(label)
        candidate = base
        number = 2
        while candidate in self.gazetteer.entities or (
            candidate in self.entities and self.entities[candidate].label != label
        ):
            candidate = f"{base}-{number}"
            number += 1
        existing = self.entities.get(candidate)
        if existing is not None:
            return existing
        return DraftEntity(id=candidate, type=entity_type, label=label, found_by=found_by)

    def linked(self, known: KnownEntity, found_by: str = "known-name") -> DraftEntity:
        existing = self.entities.get(known.id)
        if existing is not None:
            return existing
        return DraftEntity(
            id=known.id,
            type=known.type,
            label=known.label,
            wikidata=known.wikidata,
            iso3166=known.iso3166,
            found_by=found_by,
            origin=known.origin,
            part_of=known.part_of,
        )

    def state_of(self, token: Any) -> DraftEntity | None:
        """The state a token names or whose demonym it is ("US", "Cuban", "Russians").

        A capital or other by-name does not count: "Tallinn" in "Tallinn Manual" is no state.
        """
        entity = self.entity_at(token)
        if entity is not None and entity.type == "state":
            return entity
        known = self.gazetteer.demonym(token.text)
        if known is None:
            known = next(
                (
                    k
                    for k in self.gazetteer.lookup(token.text)
                    if k.type == "state" and (token.is_upper or token.text == k.label)
                ),
                None,
            )
        if known is not None:
            return self.linked(known, "demonym")
        return None


def find_mentions(doc: Any, gazetteer: Gazetteer, make_doc: Any) -> Mentions:
    """Find and link every entity mention of a parsed article.

    ``make_doc`` is the pipeline's tokenizer (``nlp.make_doc``), used to match names.
    """
    mentions = Mentions(doc=doc, gazetteer=gazetteer)
    _gazetteer_mentions(mentions, make_doc)
    _named_entities(mentions)
    _honoured_names(mentions)
    _listed_names(mentions)
    _acronyms(mentions)
    _demonym_states(mentions)
    _organs(mentions)
    # after the organs: "Russia's military intelligence agency, the GRU" is one body
    _appositive_names(mentions)
    _short_body_names(mentions)
    return mentions


def _short_body_names(mentions: Mentions) -> None:
    """ "The Council", "the Union", "the Charter": one word of the full name of a body or a
    text that the article names in full ("Council of the EU", "UN Charter"), if of one."""
    entities = list(mentions.entities.values())
    for short in entities:
        words = short.label.split()
        if len(words) != 1 or short.origin is not None or short.label.isupper():
            continue
        if short.type not in ("institution", "document"):
            continue
        word = words[0].casefold()
        fuller = [
            entity
            for entity in entities
            if entity is not short
            and entity.type == short.type
            and entity.id in mentions.entities
            and word in entity.label.casefold().split()
        ]
        if len(fuller) > 1:  # "Union": the European Union, not "... of the Union"
            fuller = [e for e in fuller if _head_word(e.label) == word]
        if len(fuller) == 1:
            mentions.merge(fuller[0], short)


def _head_word(label: str) -> str:
    """The word a name is about: "Union" in "European Union", "Council" in "Council of the
    EU"."""
    words = label.casefold().split()
    return words[words.index("of") - 1] if "of" in words[1:] else words[-1]


def _gazetteer_mentions(mentions: Mentions, make_doc: Any) -> None:
    from spacy.util import filter_spans

    doc, gazetteer = mentions.doc, mentions.gazetteer
    names: set[str] = set()
    for name, entity_id in gazetteer.all_names():
        if gazetteer.entities[entity_id].type in ("person", "official") and " " not in name:
            continue  # a surname alone is resolved in the article first ("Schmitt")
        names.add(name)
    exact, folded = _name_matchers(doc.vocab, tuple(sorted(names)), make_doc)
    spans = [doc[s:e] for _, s, e in exact(doc)] + [doc[s:e] for _, s, e in folded(doc)]
    recognised = _recognised_names(doc)
    for span in filter_spans(spans):
        if _inside_longer_name(span, recognised):
            continue  # "Tallinn" in "Tallinn Manual", "Schmitt" in "Anke Schmitt"
        candidates = gazetteer.lookup(span.text)
        if len(candidates) > 1:
            distinct = sorted({c.id for c in candidates})
            mentions.ambiguous.append((span.text, distinct))
            continue
        if not candidates:
            continue
        known = candidates[0]
        if known.type == "state" and _place_not_state(span, known):
            continue  # "near Tallinn" names a place, not Estonia
        start = span.start + (1 if doc[span.start].lower_ == "the" else 0)
        name = "" if _dateline(span) else _clean(doc[start : span.end])
        mentions.add(mentions.linked(known), start, span.end, name)


_MATCHERS: dict[tuple[int, tuple[str, ...]], tuple[Any, Any]] = {}
_MATCHERS_KEPT = 4


def _name_matchers(vocab: Any, names: tuple[str, ...], make_doc: Any) -> tuple[Any, Any]:
    """The phrase matchers of the gazetteer's ``names``: as written, and case-folded.

    Made once for a pipeline's vocabulary and a set of names, and kept: a batch drafts
    every article with the same gazetteer, and making them took a tenth of a second an
    article.
    """
    from spacy.matcher import PhraseMatcher

    key = (id(vocab), names)
    kept = _MATCHERS.get(key)
    if kept is not None and kept[0].vocab is vocab:
        return kept
    exact = PhraseMatcher(vocab, attr="ORTH")
    folded = PhraseMatcher(vocab, attr="LOWER")
    for name in names:
        pattern = make_doc(name)
        if len(pattern) == 0:
            continue
        # acronyms and one-word names must match as written ("US" is not "us")
        if name.isupper() or len(pattern) == 1:
            exact.add(name, [pattern])
        else:
            # "Organisation" or "Organization", whichever the gazetteer spells
            other = sorted(spellings(name) - {name.lower()})
            folded.add(name, [pattern, *(make_doc(spelling) for spelling in other)])
    while len(_MATCHERS) >= _MATCHERS_KEPT:
        del _MATCHERS[next(iter(_MATCHERS))]
    _MATCHERS[key] = (exact, folded)
    return exact, folded


def _place_not_state(span: Any, state: KnownEntity) -> bool:
    """A capital or city after "in", "near", "from" ... is where something is, not the state
    acting ("talks in Moscow" against "Moscow denied it")."""
    if normalise_name(span.text) in (
        normalise_name(state.label),
        normalise_name(state.iso3166 or ""),
    ):
        return False
    if span.text.isupper():
        return False  # "US", "UK": the state
    before = span.doc[span.start - 1] if span.start > 0 else None
    return before is not None and before.lower_ in (
        "in",
        "near",
        "at",
        "outside",
        "from",
        "to",
        "of",
    )


_PLACES = ("GPE", "NORP", "LOC", "DATE", "CARDINAL", "ORDINAL")


def _recognised_names(doc: Any) -> list[Any]:
    """For each token of ``doc``, the name the recogniser found that holds it, or None.

    ``doc.ents`` builds every name afresh each time it is read; reading it once here
    keeps looking a token's name up independent of the article's length.
    """
    names: list[Any] = [None] * len(doc)
    for ent in doc.ents:
        for index in range(ent.start, ent.end):
            names[index] = ent
    return names


def _inside_longer_name(span: Any, names: list[Any]) -> bool:
    """True when the recogniser found a longer name that ``span`` starts ("Tallinn" in
    "Tallinn Manual") or that is a person's ("Schmitt" in "Anke Schmitt").

    ``names`` is ``_recognised_names(span.doc)``; names do not overlap, so the one that
    holds the span's first token is the only one that can hold the span.
    """
    doc = span.doc
    last = doc[span.end - 1]
    if last.ent_iob_ in ("B", "I") and span.end < len(doc) and doc[span.end].ent_iob_ == "I":
        return True
    ent = names[span.start]
    if ent is None or span.end > ent.end or ent.label_ in _PLACES:
        return False
    core = [t.i for t in ent if t.pos_ not in ("DET", "PUNCT", "PART")]
    if core and core[0] >= span.start and core[-1] < span.end:
        return False  # the name itself, give or take "the" and "'s"
    # "Federal Foreign Office" is not the "foreign office" of another state
    return ent.label_ in ("PERSON", "ORG", "FAC", "LAW", "WORK_OF_ART", "EVENT")


def _named_entities(mentions: Mentions) -> None:
    doc = mentions.doc
    surnames: dict[str, str] = {}
    for entity in mentions.entities.values():
        if entity.type in ("person", "official"):
            for name in _short_names(entity.label):
                surnames.setdefault(name, entity.id)
    for ent in doc.ents:
        if any(i in mentions.token_entity for i in range(ent.start, ent.end)):
            continue
        span = _trim(ent)
        if span is None:
            continue
        if ent.label_ in ("ORG", "WORK_OF_ART", "LAW"):
            span = _title_continued(span)
        text = _clean(span)
        if ent.label_ != "PERSON" and len(span) == 1 and text in surnames:
            # "Saar said ...": the recogniser took a person's surname for a place or body
            mentions.add(mentions.entities[surnames[text]], span.start, span.end, text)
            continue
        label = "PERSON" if ent.label_ == "ORG" and _named_by_role(span) else ent.label_
        if ent.label_ == "ORG" and _portfolio_before_name(span):
            span, label = span[-2:], "PERSON"  # "Director of Operations Paul Roe": no body
            text = _clean(span)
        if label == "PERSON" and len(text.split()) == 1 and _honorific(span) is not None:
            span = doc[span.start - 1 : span.end]  # "Lord Ashcombe" is the whole name
            text = _clean(span)
        if label == "PERSON":
            words = text.split()
            if len(words) == 1:
                person_id = surnames.get(words[0]) or _known_surname(mentions, words[0])
                if person_id:
                    mentions.add(mentions.entities[person_id], span.start, span.end, text)
                continue
            if not all(word[:1].isupper() or word in PARTICLES for word in words) or _NOT_NAMES & {
                word.casefold() for word in words
            }:
                continue
            known = _single(mentions.gazetteer.lookup(text))
            entity = (
                mentions.linked(known) if known else mentions.new_entity("person", text, "person")
            )
            entity = mentions.add(entity, span.start, span.end, text)
            for name in _short_names(text):
                surnames.setdefault(name, entity.id)
        elif label in ("GPE", "NORP"):
            known = _single(mentions.gazetteer.lookup(text))
            if known is not None:
                # a dateline ("WASHINGTON, May 6") names the place of writing, not the state
                name = "" if _dateline(span) else text
                mentions.add(mentions.linked(known), span.start, span.end, name)
        elif ent.label_ in _NER_TYPES:
            # an organisation named with its state in front: "US Democratic National Committee"
            # (unless the gazetteer knows the whole name: "Australian Signals Directorate")
            known = _single(mentions.gazetteer.lookup(text))
            state = mentions.state_of(span[0]) if len(span) > 1 and known is None else None
            if state is not None:
                span = span[1:]
                if len(span) > 1 and (span[0].tag_ == "POS" or span[0].text in POSSESSIVES):
                    span = span[1:]  # "China's Ministry of State Security"
                text = _clean(span)
                known = _single(mentions.gazetteer.lookup(text))
            if text in _NOT_BODIES:
                continue  # "responsible State behaviour": a word, not a body
            entity_type = _NER_TYPES[ent.label_]
            if _DOCUMENT_WORDS & {word.casefold() for word in text.split()}:
                entity_type = "document"
            elif text.split()[-1].casefold() in _EVENT_WORDS:
                entity_type = "event"
            if known is not None:
                entity = mentions.linked(known)
            else:
                entity = mentions.new_entity(entity_type, text, "organisation")
            mentions.add(entity, span.start, span.end, text)


def _honoured_names(mentions: Mentions) -> None:
    """ "Lord Ashcombe", "Dame Jane Roe": a person, where the recogniser found none."""
    doc = mentions.doc
    for token in doc[:-1]:
        if token.text not in HONORIFICS or token.i in mentions.token_entity:
            continue
        end = token.i + 1
        while end < len(doc) and doc[end].pos_ == "PROPN" and doc[end].is_title:
            end += 1
        if end == token.i + 1 or any(i in mentions.token_entity for i in range(token.i, end)):
            continue
        text = _clean(doc[token.i : end])
        mentions.add(mentions.new_entity("person", text, "person"), token.i, end, text)


def _listed_names(mentions: Mentions) -> None:
    """ "Anton Kirov, Boris Lenk and Pavel Orlov": a full name in a list of people is a
    person too, where the recogniser missed it (as it often misses the last of a list)."""
    doc = mentions.doc
    for token in doc:
        if token.pos_ != "PROPN" or not token.is_title or token.i in mentions.token_entity:
            continue
        if token.dep_ != "conj" and not any(c.dep_ == "conj" for c in token.children):
            continue
        start = token.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head == token:
            start -= 1
        span = doc[start : token.i + 1]
        if not 2 <= len(span) <= 3 or any(
            t.pos_ != "PROPN" or not t.is_title or t.i in mentions.token_entity for t in span
        ):
            continue
        others = [token.head, *token.conjuncts] if token.dep_ == "conj" else token.conjuncts
        if any(_is_person(mentions, other) for other in others if other.i != token.i):
            text = _clean(span)
            mentions.add(mentions.new_entity("person", text, "person"), start, token.i + 1, text)


def _is_person(mentions: Mentions, token: Any) -> bool:
    """Whether a word is part of the name of a person."""
    entity = mentions.entity_at(token)
    return entity is not None and entity.type == "person"


def _named_by_role(span: Any) -> bool:
    """A name the recogniser took for a body, set beside a role as a person's is:
    "Poland's deputy minister, Tomasz Rybak", "embassy spokeswoman Irina Dolgova"."""
    words = span.text.split()
    before = span.doc[span.start - 1] if span.start > 0 else None
    beside_role = (span.root.dep_ == "appos" and span.root.head.lemma_.lower() in ROLE_NOUNS) or (
        # "embassy spokeswoman Irina Dolgova"
        before is not None
        and before.lower_ in ROLE_NOUNS
        and span.start <= before.head.i < span.end
    )
    return (
        beside_role
        and 2 <= len(words) <= 3
        and all(token.pos_ == "PROPN" and token.is_title for token in span)
    )


def _portfolio_before_name(span: Any) -> bool:
    """A title's portfolio and the name after it, which the recogniser took for one body:
    "Minister for Digital Infrastructure Helen Marsh", "Director of Operations Paul Roe"."""
    doc = span.doc
    if span.start < 2 or len(span) < 3 or doc[span.start - 1].lower_ not in ("for", "of"):
        return False
    role = doc[span.start - 2]
    name = span[-2:]
    return (
        role.is_title
        and role.lower_.split("-")[-1] in ROLE_NOUNS
        and span.root.i == span.end - 1
        and span.root.dep_ in ("nsubj", "nsubjpass", "appos", "pobj", "dobj")
        and all(token.pos_ == "PROPN" and token.is_title for token in name)
        and name[-1].lower_ not in _BODY_ENDINGS
    )


# last words of bodies' names, never of a person's: "... Operations Centre"
_BODY_ENDINGS = {"centre", "center", "agency", "office", "ministry", "department", "council",
                 "committee", "group", "command", "service", "bureau", "directorate", "unit",
                 "team", "division", "authority", "commission", "institute", "affairs"}  # fmt: skip


def _honorific(span: Any) -> Any:
    """The honorific that is part of a one-word name ("Lord" of "Lord Ashcombe"), if any."""
    if span.start == 0:
        return None
    before = span.doc[span.start - 1]
    return before if before.text in HONORIFICS else None


def _appositive_names(mentions: Mentions) -> None:
    """ "Russia's military intelligence agency, the GRU": one body with two names; the
    known one (from the gazetteer or a source) keeps its id."""
    for token in mentions.doc:
        if token.dep_ != "appos":
            continue
        first, second = mentions.entity_at(token.head), mentions.entity_at(token)
        if first is None or second is None or first.id == second.id:
            continue
        if first.type != "institution" or second.type != "institution":
            continue
        keep, drop = (second, first) if second.origin and not first.origin else (first, second)
        if drop.origin:
            continue  # two known bodies: not ours to merge
        mentions.merge(keep, drop)


def _short_names(label: str) -> list[str]:
    """The names a person is called by after the first mention: the surname ("Markoff",
    "van Rijn"), or the family name first in Chinese and Korean style ("Liang")."""
    words = label.split()
    if len(words) < 2:
        return []
    names = [words[-1]]
    for index, word in enumerate(words[1:-1], start=1):
        if word in PARTICLES:
            names.append(" ".join(words[index:]))
            break
    if words[0] not in HONORIFICS:
        names.append(words[0])  # "Liang Wenbo" -> "Liang"; used only when nobody else has it
    return names


def _acronyms(mentions: Mentions) -> None:
    """ "Democratic National Committee (DNC)": the acronym is another name of the entity."""
    doc = mentions.doc
    for token in doc[2:-1]:
        if doc[token.i - 1].text != "(" or doc[token.i + 1].text != ")" or not token.is_upper:
            continue
        before = mentions.entity_at(doc[token.i - 2])
        if before is None and doc[token.i - 2].text in POSSESSIVES and token.i >= 3:
            before = mentions.entity_at(doc[token.i - 3])
        if before is None or before.type in ("state", "person"):
            continue
        current = mentions.entity_at(token)
        if current is not None and current.id != before.id and current.origin is None:
            mentions.merge(before, current)
        mentions.add(before, token.i, token.i + 1, token.text)


def _known_surname(mentions: Mentions, surname: str) -> str | None:
    """A person already known to the project with this surname, if exactly one."""
    matches = mentions.known_with_surname(surname)
    if len(matches) == 1:
        entity = mentions.declare(mentions.linked(matches[0], "known-surname"))
        return entity.id
    if len(matches) > 1:
        mentions.ambiguous.append((surname, sorted(m.id for m in matches)))
    return None


def _demonym_states(mentions: Mentions) -> None:
    """A plural demonym stands for its state ("the Russians were responsible")."""
    for token in mentions.doc:
        if token.i in mentions.token_entity or token.tag_ not in ("NNPS", "NNS", "NNP"):
            continue
        if token.text.endswith("s") and token.dep_ in ("nsubj", "nsubjpass", "pobj", "dobj"):
            state = mentions.gazetteer.demonym(token.text)
            if state is not None:
                mentions.add(mentions.linked(state, "demonym"), token.i, token.i + 1, token.text)


def _organs(mentions: Mentions) -> None:
    """Phrases that name a state's organ: a state or demonym before an organ noun."""
    doc = mentions.doc
    for token in doc:
        relation = ORGAN_RELATION.get(token.lemma_.lower())
        if relation is None or token.pos_ not in ("NOUN", "PROPN"):
            continue
        if token.i in mentions.token_entity:
            continue
        start = token.i
        while (
            start > 0
            and doc[start - 1].dep_ in ("compound", "amod", "nmod")
            and (
                doc[start - 1].head.i in range(start, token.i + 1)
                or (token.dep_ == "compound" and doc[start - 1].head.i == token.head.i)
            )
        ):
            start -= 1
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        if owner is not None and mentions.state_of(owner) is not None and owner.i < start:
            start = owner.i
        state_token = next(
            (doc[i] for i in range(start, token.i) if mentions.state_of(doc[i]) is not None), None
        )
        if state_token is None:
            if token.lower_ == "government" and doc[token.i - 1].lower_ == "the":
                start = token.i
            else:
                continue
        else:
            start = state_token.i
        span = doc[start : token.i + 1]
        text = _clean(span)
        known = _single(mentions.gazetteer.lookup(text))
        state = mentions.state_of(state_token) if state_token is not None else None
        named = _body_named_within(mentions, start, token.i)
        if known is None and state is not None and _the_state_itself(token, start):
            entity = state  # "the Czech government" acts as the Czech Republic does
        elif known is None and named is not None:
            entity = named  # "Russia's GRU military intelligence agency" is the GRU
        else:
            entity = (
                mentions.linked(known)
                if known
                else mentions.new_entity("institution", text, "organ")
            )
        for index in range(start, token.i + 1):
            mentions.token_entity.pop(index, None)
        mentions.add(entity, start, token.i + 1, text)


def _the_state_itself(token: Any, start: int) -> bool:
    """Whether an organ phrase from ``start`` to ``token`` is its state acting: its
    government ("the Czech government"), or its military with nothing more ("Russia's
    military", "the US military"; not "the US military intelligence agency")."""
    if token.lower_ == "government":
        return True
    between = token.doc[start + 1 : token.i]
    return token.lower_ == "military" and all(t.dep_ == "case" for t in between)


def _body_named_within(mentions: Mentions, start: int, end: int) -> DraftEntity | None:
    """The one body that a name among tokens ``start``..``end`` mentions, if any: the
    organ phrase around it is another name of it."""
    bodies = {
        entity.id: entity
        for index in range(start, end)
        if (entity := mentions.entity_at(mentions.doc[index])) is not None
        and entity.type == "institution"
    }
    return next(iter(bodies.values())) if len(bodies) == 1 else None


def _title_continued(span: Any) -> Any:
    """A title the recogniser cut short: "... Law Applicable" + "to Cyber Warfare"."""
    doc = span.doc
    end = span.end
    if end - span.start > 1 and doc[end - 1].lower_ in _JOINING:
        end -= 1  # "European Centre for" + "Digital Security": two names of one body
    while end + 1 < len(doc) and doc[end].lower_ in _JOINING and _title_word(doc[end + 1]):
        following = end + 2
        while following < len(doc) and _title_word(doc[following]):
            following += 1
        if any(_other_name(token) for token in doc[end + 1 : following]):
            break  # "... Section and Assistant U.S. Attorney Paul Kessler": another name
        end = following
    return doc[span.start : end]


_JOINING = ("to", "on", "of", "for", "and")


def _title_word(token: Any) -> bool:
    """A capitalised word of a title, not a date ("on Tuesday")."""
    return (
        token.is_title
        and token.pos_ == "PROPN"
        and token.lower_ not in DATE_WORDS
        and token.ent_type_ not in ("DATE", "TIME")
    )


def _other_name(token: Any) -> bool:
    """A word of a place's or a person's name ("U.S.", "Paul"), not of a title's words the
    recogniser took for a person's ("Cyber Warfare")."""
    return token.ent_type_ == "GPE" or (
        token.ent_type_ == "PERSON" and token.lower_ not in _NOT_NAMES
    )


def _dateline(span: Any) -> bool:
    """Whether a place in capitals opens a line: "WASHINGTON, May 6", "THE HAGUE:"."""
    doc = span.doc
    text = span.text
    if not text.isupper() or len(text) < 4:
        return False
    start = span.start
    if start > 0 and doc[start - 1].lower_ == "the":
        start -= 1
    return start == 0 or "\n" in doc[start - 1].text_with_ws or doc[start - 1].is_space


def _single(candidates: list[KnownEntity]) -> KnownEntity | None:
    return candidates[0] if len(candidates) == 1 else None


def _trim(span: Any) -> Any:
    """A span without a leading determiner or a trailing possessive or punctuation."""
    start, end = span.start, span.end
    doc = span.doc
    if doc[start].tag_.startswith("VB"):
        return None  # "Briefing the Council": a clause, not a name
    while start < end and doc[start].pos_ in ("DET", "PUNCT"):
        start += 1
    opening = next((i for i in range(start, end) if doc[i].text == "("), None)
    if opening is not None and not any(doc[i].text == ")" for i in range(opening, end)):
        end = opening  # "Office of Foreign Assets Control (OFAC": the name before the bracket
    if end > start and all(t.lower_ in DATE_WORDS or t.like_num for t in doc[start:end]):
        return None  # "Monday evening"
    while end > start and (
        doc[end - 1].tag_ == "POS"
        or doc[end - 1].pos_ == "PUNCT"
        or doc[end - 1].text in POSSESSIVES
    ):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _clean(span: Any) -> str:
    text = span.text
    for suffix in POSSESSIVES:
        text = text.removesuffix(suffix)
    return " ".join(text.split()).strip(" ,.;:()\"'" + QUOTE_MARKS)
