"""The records of a corpus: sources, entities, statements, and what merging reports.

``graph.annotations`` makes them from annotation files and ``graph.merging`` joins one
entity's declarations across sources; every other stage reads them.
"""

from __future__ import annotations

import datetime as dt
import marshal
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from functools import cached_property
from operator import attrgetter
from pathlib import Path

from .errors import shown
from .evidence import Evidence

__all__ = [
    "HEDGED_MODALITIES",
    "MODALITIES",
    "Ambiguity",
    "Corpus",
    "Entity",
    "LabelConflict",
    "Source",
    "Statement",
    "UnknownSameAs",
    "record_bytes",
]

MODALITIES = ("asserted", "reported", "alleged", "implicit", "speculative")
HEDGED_MODALITIES = frozenset({"alleged", "implicit", "speculative"})


@dataclass(frozen=True)
class Ambiguity:
    """A name that two or more distinct entities go by; they are kept apart.

    ``entities`` are canonical entity ids in load order; ``sources[i]`` are the ids of the
    sources that declare ``entities[i]``.
    """

    name: str
    entities: tuple[str, ...]
    sources: tuple[tuple[str, ...], ...]

    @property
    def message(self) -> str:
        """One line for a user: whom the name could mean, and what to do if they are one.

        >>> Ambiguity("Schmitt", ("mike-schmitt", "anke-schmitt"), (("a",), ("b", "c"))).message
        "the name 'Schmitt' could be mike-schmitt (a) or anke-schmitt (b, c); they are kept apart; add same_as if they are one"
        """  # noqa: E501
        choices = [
            f"{entity} ({', '.join(sources)})"
            for entity, sources in zip(self.entities, self.sources, strict=True)
        ]
        listed = f"{', '.join(choices[:-1])} or {choices[-1]}"
        return (
            f"the name {self.name!r} could be {listed}; they are kept apart; "
            "add same_as if they are one"
        )


@dataclass(frozen=True)
class UnknownSameAs:
    """A ``same_as`` of ``entity`` (declared in ``source``) to an id no loaded source declares.

    The link merges nothing; the entity is kept as declared. It resolves once the source
    that declares ``other`` is loaded with it.
    """

    source: str
    entity: str
    other: str

    @property
    def message(self) -> str:
        """One line for a user, naming the source, the entity and the unknown id.

        >>> UnknownSameAs("oewg", "fcdo", "uk-foreign-office").message
        "oewg: entity 'fcdo' is same_as 'uk-foreign-office', which no loaded source declares; kept as it is"
        """  # noqa: E501
        return (
            f"{self.source}: entity {self.entity!r} is same_as {self.other!r}, "
            "which no loaded source declares; kept as it is"
        )


@dataclass(frozen=True)
class LabelConflict:
    """Two declarations of the id ``entity`` that give it different labels.

    ``label`` is the label of the first declaration in load order (from the source
    ``source``), ``other`` the label that the source ``other_source`` gives. ``node`` is
    the id the entity is merged under and ``node_label`` its label: ``label`` when
    ``node`` is ``entity``, and ``other`` is then one of its aliases.
    """

    entity: str
    label: str
    source: str
    other: str
    other_source: str
    node: str
    node_label: str

    @property
    def message(self) -> str:
        """One line for a user: the id, both labels, both sources, and the label kept.

        >>> LabelConflict("ruritania", "Ruritania", "a", "Rurit", "b", "ruritania", "Ruritania").message
        "entity 'ruritania' is labelled 'Ruritania' in a and 'Rurit' in b; the node keeps 'Ruritania' (the first declaration's label) and 'Rurit' as an alias"
        """  # noqa: E501
        head = (
            f"entity {self.entity!r} is labelled {shown(self.label)} in {self.source} "
            f"and {shown(self.other)} in {self.other_source}"
        )
        if self.node == self.entity:
            return (
                f"{head}; the node keeps {shown(self.label)} (the first declaration's label) "
                f"and {shown(self.other)} as an alias"
            )
        return f"{head}; both are aliases of {self.node!r} ({shown(self.node_label)})"


@dataclass(frozen=True)
class Source:
    """One annotated text and its metadata."""

    id: str
    annotation_path: Path
    text_path: Path
    text: str
    title: str
    url: str
    date: dt.date
    site: str | None = None
    publisher: str | None = None
    original_title: str | None = None
    original_url: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None
    # the SHA-256 of the annotation file and the text as read (``source_digest``), which
    # tells a later command that a build read the same input; "" where not read from files
    digest: str = field(default="", compare=False)


@dataclass(frozen=True)
class Entity:
    """An actor, institution, group, incident, event, document or position.

    ``same_as`` lists the ids this entity was declared the same as (the annotation's
    ``same_as`` field). In a corpus from ``load_corpus`` an entity may merge several
    declarations: ``id`` is then the canonical id (see ``graph.merging.canonical_id``:
    an id named by ``same_as``, else the id most sources declare, else the first in load
    order) and ``merged_ids`` the other ids, which no longer name an entity of their own.
    ``coded_by`` names the coder who accepted or added the declaration; it stays out of
    the graph.
    """

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    description: str | None = None
    wikidata: str | None = None
    iso3166: str | None = None
    sources: tuple[str, ...] = ()
    reviewed: bool | None = None
    confidence: float | None = None
    same_as: tuple[str, ...] = ()
    merged_ids: tuple[str, ...] = ()
    coded_by: str | None = None


@dataclass(frozen=True)
class Statement:
    """One claim made in one source, with the evidence that states it.

    ``coded_by`` names the coder who accepted or added it (``apg review``); it stays out
    of the graph.
    """

    id: str
    source: str
    subject: str
    relation: str
    object: str
    modality: str
    evidence: Evidence
    about: str | None = None
    where: str | None = None
    when: str | None = None
    role: str | None = None
    former: bool | None = None
    note: str | None = None
    claimed_by: str | None = None
    reviewed: bool | None = None
    confidence: float | None = None
    coded_by: str | None = None

    @property
    def quote(self) -> str:
        return self.evidence.exact

    @property
    def hedged(self) -> bool:
        """True when the source hedges the claim (alleged, implicit or speculative)."""
        return self.modality in HEDGED_MODALITIES


@dataclass(frozen=True)
class Corpus:
    """All annotated sources, each entity's declarations merged into one entity.

    ``entities`` is keyed by canonical id (see ``Entity.merged_ids`` and ``canonical``);
    statements refer to canonical ids. ``ambiguities`` are the names that two or more
    entities go by after merging; ``unknown_same_as`` the ``same_as`` links to ids that no
    loaded source declares, which merged nothing; ``label_conflicts`` the declarations
    that give an id another label than its first declaration does.
    """

    sources: tuple[Source, ...]
    entities: Mapping[str, Entity]
    statements: tuple[Statement, ...] = field(default=())
    ambiguities: tuple[Ambiguity, ...] = ()
    unknown_same_as: tuple[UnknownSameAs, ...] = ()
    label_conflicts: tuple[LabelConflict, ...] = ()

    def source(self, source_id: str) -> Source:
        return next(s for s in self.sources if s.id == source_id)

    def canonical(self, entity_id: str) -> str:
        """The id under which the entity declared as ``entity_id`` is in ``entities``.

        Raises ``KeyError`` for an id that no source declares.
        """
        return self._canonical_ids[entity_id]

    @cached_property
    def _canonical_ids(self) -> dict[str, str]:
        ids = {}
        for entity in self.entities.values():
            ids[entity.id] = entity.id
            ids.update(dict.fromkeys(entity.merged_ids, entity.id))
        return ids

    def warnings(self) -> list[str]:
        """What a user should hear about before trusting the graph, one line each.

        One line per ambiguous name (``Ambiguity.message``), one per ``same_as`` to an
        id that no loaded source declares (``UnknownSameAs.message``: ``SOURCE-ID:
        entity 'X' is same_as 'Y', which no loaded source declares; kept as it is``),
        one per declaration that labels an id otherwise than its first declaration
        (``LabelConflict.message``), then one per source that holds unreviewed
        statements: ``SOURCE-ID: N of M statements are unreviewed drafts``.
        """
        lines = [ambiguity.message for ambiguity in self.ambiguities]
        lines += [link.message for link in self.unknown_same_as]
        lines += [conflict.message for conflict in self.label_conflicts]
        totals = Counter(statement.source for statement in self.statements)
        drafts = Counter(s.source for s in self.statements if s.reviewed is False)
        for source in self.sources:
            if drafts[source.id]:
                lines.append(
                    f"{source.id}: {drafts[source.id]} of {totals[source.id]} statements "
                    "are unreviewed drafts"
                )
        return lines


def record_bytes(
    records: Iterable[Entity] | Iterable[Statement], kind: type[Entity] | type[Statement]
) -> bytes:
    """Bytes that ``records`` (each an ``Entity``, or each a ``Statement``: ``kind``),
    in order, and only records equal to them, give: what a digest of them is made of.

    The values of their fields (a statement's evidence as the values of its own), in
    ``marshal``'s format 2, which writes the same values as the same bytes whichever
    objects hold them (no references, no interned strings): about two thirds of what
    writing their ``repr`` costs. Their ``repr`` where a value is of a type ``marshal``
    does not write.
    """
    listed = list(records)
    values = _FIELD_VALUES[kind]
    if kind is Statement:
        at = _EVIDENCE_AT
        rows = [(*row[:at], *_EVIDENCE(row[at]), *row[at + 1 :]) for row in map(values, listed)]
    else:
        rows = list(map(values, listed))
    try:
        return b"M" + marshal.dumps((kind.__name__, _NAMES[kind], rows), 2)
    except ValueError:  # a value marshal does not write
        return b"R" + "\n".join(map(repr, listed)).encode("utf-8", "surrogatepass")


_NAMES = {kind: tuple(f.name for f in fields(kind)) for kind in (Entity, Statement)}
_FIELD_VALUES = {kind: attrgetter(*names) for kind, names in _NAMES.items()}
_EVIDENCE = attrgetter(*(f.name for f in fields(Evidence)))
_EVIDENCE_AT = [f.name for f in fields(Statement)].index("evidence")
