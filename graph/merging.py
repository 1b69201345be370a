"""Merge the declarations of one entity across sources; report names that stay ambiguous.

Declarations are one entity when they share an id, a Wikidata id or an ISO 3166 code, or
when ``same_as`` links them, directly or through others. The merged entity takes its id
(and that id's label) by ``canonical_id``: an id that another declaration names in
``same_as``, else the id that most sources declare, else the first in load order; so
adding a source does not rename an entity merely because of where its folder sorts.
A ``same_as`` to an id that no declaration has is reported (``UnknownSameAs``), and the
entity is kept as it is. Declarations of one id that give it different labels are
reported too (``LabelConflict``): the first declaration's label stays, the others become
aliases, so a new source cannot relabel a node without a word.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .corpus import Ambiguity, Entity, LabelConflict, UnknownSameAs
from .errors import AnnotationError, shown
from .names import normalise_name

__all__ = [
    "Ambiguity",
    "Declaration",
    "LabelConflict",
    "Merged",
    "UnknownSameAs",
    "canonical_id",
    "find_ambiguities",
    "merge_declarations",
    "name_key",
]

PERSON_TYPES = frozenset({"person", "official"})

# why declarations were joined, in the order an error message lists them
_LINKS = {
    "id": "the same id",
    "same_as": "same_as",
    "wikidata": "the same wikidata id",
    "iso3166": "the same iso3166 code",
}
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)$")


@dataclass(frozen=True)
class Declaration:
    """One entity as one annotation file declares it; ``item`` names it in errors."""

    entity: Entity
    path: Path
    item: str


class Merged(NamedTuple):
    """What ``merge_declarations`` gives."""

    entities: list[Entity]
    """The merged entities, in load order of their first declarations."""
    canonical: dict[str, str]
    """Each declared id to the id of its entity (see ``canonical_id``)."""
    unknown_same_as: tuple[UnknownSameAs, ...]
    """The ``same_as`` links to ids that no declaration has; they merge nothing."""
    label_conflicts: tuple[LabelConflict, ...]
    """The declarations that label an id otherwise than its first declaration."""


def name_key(name: str) -> str:
    """The form in which names are compared: case, curly quotes, spacing, "the" and
    British or American spelling aside.

    >>> name_key("  The \\u2018West\\u2019 ")
    'west'
    >>> name_key("Donald Trump\\u2019s   campaign") == name_key("donald trump's campaign")
    True
    >>> name_key("World Health Organisation") == name_key("World Health Organization")
    True
    """
    return normalise_name(name)


class _Partition:
    """Union-find over declaration indexes; a set's root is its first declaration."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))
        self.links: dict[int, set[str]] = {}

    def root(self, index: int) -> int:
        while self.parent[index] != index:
            self.parent[index] = self.parent[self.parent[index]]
            index = self.parent[index]
        return index

    def join(self, first: int, second: int, link: str) -> None:
        keep, other = sorted((self.root(first), self.root(second)))
        self.links.setdefault(keep, set()).add(link)
        if keep != other:
            self.parent[other] = keep
            self.links[keep] |= self.links.pop(other, set())


def merge_declarations(declarations: Sequence[Declaration]) -> Merged:
    """Merge declarations (in load order) into entities; map every declared id to its entity.

    Returns the merged entities in load order (of their first declarations), a mapping
    from each declared id to the canonical id (see ``canonical_id``), the ``same_as``
    links to ids that no declaration has, which merge nothing, and the declarations that
    give an id another label than its first declaration. Raises ``AnnotationError`` for
    declarations merged into one entity that disagree on type, Wikidata id or ISO code
    (the message names both files): unlike a label, a type decides what the entity's
    statements may say, so one source's statements would be checked against the type
    that another source gave.
    """
    partition = _Partition(len(declarations))
    first_by_id: dict[str, int] = {}
    for link in ("id", "wikidata", "iso3166"):
        first = first_by_id if link == "id" else {}
        for index, declaration in enumerate(declarations):
            value = getattr(declaration.entity, link)
            if value is None:
                continue
            if value in first:
                partition.join(first[value], index, link)
            else:
                first[value] = index
    unknown: list[UnknownSameAs] = []
    for index, declaration in enumerate(declarations):
        entity = declaration.entity
        for other in entity.same_as:
            if other in first_by_id:
                partition.join(first_by_id[other], index, "same_as")
            else:
                unknown.append(UnknownSameAs(entity.sources[0], entity.id, other))

    groups: dict[int, list[Declaration]] = {}
    for index, declaration in enumerate(declarations):
        groups.setdefault(partition.root(index), []).append(declaration)
    entities: list[Entity] = []
    canonical: dict[str, str] = {}
    conflicts: list[LabelConflict] = []
    for root, group in groups.items():
        entity = _merge_group(group, partition.links.get(root, set()))
        entities.append(entity)
        conflicts += _label_conflicts(group, entity)
        for declaration in group:
            canonical[declaration.entity.id] = entity.id
    return Merged(entities, canonical, tuple(unknown), tuple(conflicts))


def _label_conflicts(group: Sequence[Declaration], merged: Entity) -> list[LabelConflict]:
    """The declarations of ``group`` that label their id otherwise than its first one."""
    first: dict[str, Entity] = {}
    conflicts = []
    for declaration in group:
        entity = declaration.entity
        earlier = first.setdefault(entity.id, entity)
        if entity.label != earlier.label:
            conflicts.append(
                LabelConflict(
                    entity.id,
                    earlier.label,
                    earlier.sources[0],
                    entity.label,
                    entity.sources[0],
                    merged.id,
                    merged.label,
                )
            )
    return conflicts


def canonical_id(group: Sequence[Entity]) -> str:
    """The id that the declarations of one entity (in load order) are merged under.

    1. An id that another declaration names in ``same_as``: ``same_as`` points to the
       reference entity. If several are named, those whose own declarations name no
       other id of the group (the ends of the chains) come first.
    2. Otherwise, or among those, the id declared by the most sources.
    3. Otherwise the id declared first in load order.

    >>> from graph.corpus import Entity
    >>> seed = Entity("uk-foreign-office", "institution", "UK Foreign Office", sources=("a",))
    >>> fcdo = Entity("fcdo", "institution", "FCDO", sources=("b",), same_as=("uk-foreign-office",))
    >>> canonical_id([fcdo, seed])
    'uk-foreign-office'
    >>> russia = [Entity("russia", "state", "Russia", sources=(s,)) for s in ("b", "c")]
    >>> canonical_id([Entity("russian-federation", "state", "Russian Federation"), *russia])
    'russia'
    """
    ids = list(_unique(entity.id for entity in group))
    pointing: dict[str, set[str]] = {entity_id: set() for entity_id in ids}
    sources: dict[str, set[str]] = {entity_id: set() for entity_id in ids}
    for entity in group:
        pointing[entity.id] |= {o for o in entity.same_as if o in pointing and o != entity.id}
        sources[entity.id] |= set(entity.sources)
    named = {other for others in pointing.values() for other in others}
    candidates = [entity_id for entity_id in ids if entity_id in named] or ids
    ends = [entity_id for entity_id in candidates if not pointing[entity_id]]
    candidates = ends or candidates
    most = max(len(sources[entity_id]) for entity_id in candidates)
    return next(entity_id for entity_id in candidates if len(sources[entity_id]) == most)


def _merge_group(group: list[Declaration], links: set[str]) -> Entity:
    """One entity from the declarations of a group, under ``canonical_id``.

    The first declaration of the canonical id gives the label; its declarations come
    first, then the others in load order, for aliases, description, Wikidata id and ISO
    code.
    """
    origin: dict[str, Declaration] = {}
    for declaration in group:
        for field_name in ("type", "wikidata", "iso3166"):
            value = getattr(declaration.entity, field_name)
            if value is None:
                continue
            earlier = origin.setdefault(field_name, declaration)
            known = getattr(earlier.entity, field_name)
            if value != known:
                if declaration.entity.id == earlier.entity.id:
                    how = "the same id"
                else:
                    how = "merged with it by " + " and ".join(
                        words for link, words in _LINKS.items() if link in links
                    )
                raise AnnotationError(
                    declaration.path,
                    f"{field_name} {shown(value)} contradicts {shown(known)} of {earlier.item} "
                    f"in {earlier.path} ({how})",
                    declaration.item,
                )
    if len(group) == 1:
        return group[0].entity
    in_load_order = [declaration.entity for declaration in group]
    kept = canonical_id(in_load_order)
    entities = [e for e in in_load_order if e.id == kept] + [
        e for e in in_load_order if e.id != kept
    ]
    first = entities[0]
    names = [*first.aliases]
    for entity in entities[1:]:
        names += [entity.label, *entity.aliases]
    reviewed, confidence = _review(entities)
    return dataclasses.replace(
        first,
        aliases=tuple(name for name in _unique(names) if name != first.label),
        description=next((e.description for e in entities if e.description), None),
        wikidata=next((e.wikidata for e in entities if e.wikidata), None),
        iso3166=next((e.iso3166 for e in entities if e.iso3166), None),
        sources=_unique(source for entity in in_load_order for source in entity.sources),
        same_as=_unique(other for entity in in_load_order for other in entity.same_as),
        merged_ids=tuple(i for i in _unique(e.id for e in in_load_order) if i != kept),
        reviewed=reviewed,
        confidence=confidence,
    )


def _review(entities: Sequence[Entity]) -> tuple[bool | None, float | None]:
    """The review state of merged declarations: a draft only if every one of them is."""
    for entity in entities:
        if entity.reviewed is not False:
            return entity.reviewed, entity.confidence
    confidences = [e.confidence for e in entities if e.confidence is not None]
    return False, max(confidences, default=None)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _surname(label: str) -> str:
    """The last word of a person's label, a trailing parenthetical and punctuation aside."""
    words = _PARENTHETICAL.sub("", label).split()
    return words[-1].strip(".,;:") if words else ""


def find_ambiguities(entities: Sequence[Entity]) -> tuple[Ambiguity, ...]:
    """The names that two or more of ``entities`` (merged, in load order) go by.

    A name is a label or an alias, compared by ``name_key``. The surname (last word of
    the label) of a person or official counts as a name among people: two people who
    share one could both be meant by it, as texts name people by surname alone.
    Ambiguities are ordered by name.
    """
    order = {entity.id: number for number, entity in enumerate(entities)}
    sources = {entity.id: entity.sources for entity in entities}
    named: dict[str, dict[str, str]] = {}
    surnamed: dict[str, dict[str, str]] = {}
    for entity in entities:
        for name in (entity.label, *entity.aliases):
            if key := name_key(name):
                named.setdefault(key, {}).setdefault(entity.id, name)
        surname = _surname(entity.label) if entity.type in PERSON_TYPES else ""
        if surname and (key := name_key(surname)):
            surnamed.setdefault(key, {}).setdefault(entity.id, surname)
    ambiguities = []
    for key in sorted(named.keys() | surnamed.keys()):
        by_name, by_surname = named.get(key, {}), surnamed.get(key, {})
        if len(by_name) < 2 and len(by_surname) < 2:
            continue
        ids = sorted(by_name.keys() | by_surname.keys(), key=order.__getitem__)
        spelling = by_name.get(ids[0]) or by_surname[ids[0]]
        ambiguities.append(Ambiguity(spelling, tuple(ids), tuple(sources[i] for i in ids)))
    return tuple(ambiguities)
