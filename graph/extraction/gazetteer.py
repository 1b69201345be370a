"""What the extractor already knows: states, international bodies, and annotated entities.

Three layers, each overriding the one before: every state in ISO 3166 (pycountry), the
tables in ``gazetteer/`` (short labels, Wikidata ids, demonyms, capitals; international
bodies and agencies), and the entities of the sources already annotated under ``data/``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from ..corpus import Corpus
from ..names import normalise_name
from ..resources import resource_dir

__all__ = [
    "Gazetteer",
    "KnownEntity",
    "base_gazetteer",
    "gazetteer_dir",
    "normalise_name",
    "slug",
]

STATES_FILE = "states.tsv"
BODIES_FILE = "bodies.yaml"


@dataclass(frozen=True)
class KnownEntity:
    """An entity the extractor can link a mention to."""

    id: str
    type: str
    label: str
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None
    iso3166: str | None = None
    part_of: str | None = None  # ISO 3166 code of the state an agency belongs to
    origin: str = "gazetteer"  # "iso3166", "gazetteer" or the id of an annotated source


@dataclass
class Gazetteer:
    """Names, demonyms and ISO codes, each leading to the entities they can denote."""

    entities: dict[str, KnownEntity] = field(default_factory=dict)
    names: dict[str, list[str]] = field(default_factory=dict)  # normalised name -> ids
    demonyms: dict[str, str] = field(default_factory=dict)  # normalised demonym -> state id
    by_iso: dict[str, str] = field(default_factory=dict)  # ISO 3166 alpha-2 -> state id

    def add(self, entity: KnownEntity, *, replace: bool = True) -> str:
        """Add ``entity``, or merge it into the entity with its ISO code or Wikidata id."""
        existing = self._same(entity)
        if existing is not None and not replace:
            return existing
        if existing is not None:
            old = self.entities.pop(existing)
            self._forget(old)
            aliases = tuple(dict.fromkeys((*entity.aliases, old.label, *old.aliases)))
            entity = KnownEntity(
                id=entity.id,
                type=entity.type,
                label=entity.label,
                aliases=tuple(a for a in aliases if a != entity.label),
                wikidata=entity.wikidata or old.wikidata,
                iso3166=entity.iso3166 or old.iso3166,
                part_of=entity.part_of or old.part_of,
                origin=entity.origin,
            )
        self.entities[entity.id] = entity
        for name in (entity.label, *entity.aliases):
            ids = self.names.setdefault(normalise_name(name), [])
            if entity.id not in ids:
                ids.append(entity.id)
        if entity.iso3166:
            self.by_iso[entity.iso3166] = entity.id
        return entity.id

    def _same(self, entity: KnownEntity) -> str | None:
        if entity.id in self.entities:
            return entity.id
        if entity.iso3166 and entity.iso3166 in self.by_iso:
            return self.by_iso[entity.iso3166]
        if entity.wikidata:
            for known in self.entities.values():
                if known.wikidata == entity.wikidata:
                    return known.id
        return None

    def _forget(self, entity: KnownEntity) -> None:
        for name in (entity.label, *entity.aliases):
            ids = self.names.get(normalise_name(name), [])
            if entity.id in ids:
                ids.remove(entity.id)
        for demonym, state in list(self.demonyms.items()):
            if state == entity.id:
                del self.demonyms[demonym]
        if entity.iso3166 and self.by_iso.get(entity.iso3166) == entity.id:
            del self.by_iso[entity.iso3166]

    def lookup(self, name: str) -> list[KnownEntity]:
        """The entities a name can denote (more than one means it is ambiguous)."""
        return [self.entities[i] for i in self.names.get(normalise_name(name), ())]

    def demonym(self, word: str) -> KnownEntity | None:
        """The state a demonym ("Cuban", "Russians") stands for, if any."""
        state = self.demonyms.get(normalise_name(word))
        return self.entities.get(state) if state else None

    def all_names(self) -> Iterable[tuple[str, str]]:
        """Every (name as written, entity id) pair, for a phrase matcher."""
        for entity in self.entities.values():
            for name in (entity.label, *entity.aliases):
                yield name, entity.id

    def with_corpus(
        self, corpus: Corpus | None, *, exclude_source: str | Collection[str] | None = None
    ) -> Gazetteer:
        """A copy that also knows the entities of ``corpus`` (but not those only in
        ``exclude_source``, a source id or several, so a text is never linked to its own
        annotation)."""
        single = isinstance(exclude_source, str)
        excluded = {exclude_source} if single else set(exclude_source or ())
        copy = Gazetteer(
            entities=dict(self.entities),
            names={name: list(ids) for name, ids in self.names.items()},
            demonyms=dict(self.demonyms),
            by_iso=dict(self.by_iso),
        )
        if corpus is None:
            return copy
        for entity in corpus.entities.values():
            sources = [s for s in entity.sources if s not in excluded]
            if not sources or entity.type == "position":
                continue
            state_id = copy._same(
                KnownEntity(
                    entity.id, entity.type, entity.label, (), entity.wikidata, entity.iso3166
                )
            )
            known = KnownEntity(
                id=entity.id,
                type=entity.type,
                label=entity.label,
                aliases=tuple(a for a in entity.aliases if _usable_alias(a)),
                wikidata=entity.wikidata,
                iso3166=entity.iso3166,
                origin=sources[0],
            )
            demonyms = [d for d, s in copy.demonyms.items() if s == state_id] if state_id else []
            new_id = copy.add(known)
            for demonym in demonyms:
                copy.demonyms[demonym] = new_id
        return copy


def _usable_alias(alias: str) -> bool:
    """Aliases that name the entity, not a phrase that only fits one article.

    A name has a capital letter beyond a leading article: "UK foreign office" names the
    body anywhere, "foreign office" or "the government" only in the article that used it.

    >>> [_usable_alias(a) for a in ("Moscow", "UK foreign office", "foreign office")]
    [True, True, False]
    >>> _usable_alias("The government")
    False
    """
    words = alias.split()
    rest = words[1:] if words and words[0].lower() in ("the", "a", "an") else words
    return len(words) <= 6 and any(char.isupper() for char in " ".join(rest))


def gazetteer_dir() -> Path:
    """The folder of ``states.tsv`` and ``bodies.yaml`` (packaged, or in a checkout)."""
    return resource_dir("gazetteer", STATES_FILE)


@cache
def _base() -> Gazetteer:
    import pycountry

    gazetteer = Gazetteer()
    for country in pycountry.countries:
        label = getattr(country, "common_name", None) or country.name
        if "," in label:
            continue  # "Korea, Republic of": the table below gives these their usual names
        gazetteer.add(
            KnownEntity(
                id=slug(label), type="state", label=label, iso3166=country.alpha_2, origin="iso3166"
            )
        )
    with (gazetteer_dir() / STATES_FILE).open(encoding="utf-8") as handle:
        rows = csv.reader((line for line in handle if not line.startswith("#")), delimiter="\t")
        for row in rows:
            iso, label, wikidata, demonyms, *rest = (*row, "")
            others = [name.strip() for name in rest[0].split(",") if name.strip()]
            state_id = gazetteer.add(
                KnownEntity(
                    id=slug(label),
                    type="state",
                    label=label,
                    aliases=tuple(others),
                    wikidata=wikidata or None,
                    iso3166=iso,
                    origin="gazetteer",
                )
            )
            for demonym in demonyms.split(","):
                if demonym.strip():
                    gazetteer.demonyms[normalise_name(demonym)] = state_id
    bodies = yaml.safe_load((gazetteer_dir() / BODIES_FILE).read_text(encoding="utf-8"))
    for body in bodies:
        gazetteer.add(
            KnownEntity(
                id=body["id"],
                type=body["type"],
                label=body["label"],
                aliases=tuple(body.get("aliases", ())),
                wikidata=body.get("wikidata"),
                part_of=body.get("part_of"),
            )
        )
    return gazetteer


def base_gazetteer(
    corpus: Corpus | None = None, *, exclude_source: str | Collection[str] | None = None
) -> Gazetteer:
    """States and bodies, and the entities of ``corpus`` if given (see ``with_corpus``):
    a fresh copy, which the caller may change."""
    return _base().with_corpus(corpus, exclude_source=exclude_source)


def slug(text: str, max_words: int = 8) -> str:
    """An id made of a text's first words: ASCII, lower case, joined by '-'.

    >>> slug("Miguel Rodríguez")
    'miguel-rodriguez'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.casefold())
    return "-".join(words[:max_words]) or "item"
