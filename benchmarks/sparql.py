"""Time the bundled SPARQL queries on synthetic graphs: our engine, bare pyoxigraph, rdflib.

Run: python3 benchmarks/sparql.py --sizes 10000,100000,1000000 [--rdflib-max 10000] [--repeat 3]

For each size (a number of statements) it writes a synthetic corpus as N-Quads in the shape
``graph/rdf.py`` gives (statement nodes with their evidence, the plain triple, entity and
source descriptions; it conforms to ``ontology/shapes.ttl``), one named graph per source of
1,000 statements, with about one actor per 10 statements and one position per 100. The
entities the bundled queries take as defaults (``ent:russia``, ``ent:oleg-khramov``,
``ent:self-defence-applies-in-cyberspace``) are in 50 to 500 statements each, and, as
annotators do, every source that names one declares it; ``src:un-gge-talks-collapse-2017``
is one of the sources. Other entities are declared by one source each.

It loads the file into an in-memory Oxigraph store laid out as ``apg build`` lays out its
own (the named graphs, and their union as the default graph) and, up to ``--rdflib-max``
statements, into an rdflib ``Dataset``, and prints one table per size, in wall-clock
milliseconds, best of ``--repeat`` runs:

- ``ours``: ``graph.sparql.query.run_query`` (what ``apg query`` and ``apg serve`` call);
- ``floor``: the same query run directly in pyoxigraph, every value of every solution read
  (by position, the cheapest way);
- ``rdflib``: rdflib's engine over the union of the named graphs.

Each query runs in a forked process that sees the loaded data without copying it, is
killed after ``--timeout`` (``--rdflib-timeout``) seconds, shown as ``>300 s``, and cannot
allocate more than ``--memory`` GiB, nor leave the machine under 1.5 GiB, shown as
``out of memory``. ``--queries`` runs some of the bundled queries only.

The targets, at 100,000 statements: a query about one entity (one with a ``# Parameters:``
header) under 100 ms; ours at most 1.5 times the floor; rdflib at least 10 times slower.
The ``targets`` column checks them at every size, but they apply at 100,000 only.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import math
import multiprocessing
import os
import platform
import random
import resource
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, NamedTuple

import pyoxigraph
import rdflib
from rdflib.query import ResultRow

from graph.namespaces import (
    APG,
    DCTERMS,
    ENT,
    OA,
    OWL,
    PREFIX_IRIS,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SRC,
    WD,
    XSD,
)
from graph.ontology import vocabulary
from graph.rdf import MODALITY_CONCEPTS
from graph.sparql.query import bundled_queries, load_query, run_query, with_prefixes

TARGET_SIZE = 100_000
TARGET_ONE_MS = 100.0  # a query about one entity, at TARGET_SIZE
TARGET_FLOOR = 1.5  # ours / floor, at most
TARGET_RDFLIB = 10.0  # rdflib / ours, at least
STATEMENTS_PER_SOURCE = 1000

SEED_SOURCE = "un-gge-talks-collapse-2017"
# the entities the bundled queries use as defaults: id, type, label, statements about it
# per 10,000 statements (at least 50, at most 500), and where it stands in them
DEFAULT_ENTITIES = {
    "russia": ("state", "Russia", 50, ("subject", "subject", "object", "object", "claimed_by")),
    "oleg-khramov": ("official", "Oleg Khramov", 25, ("subject",) * 4 + ("claimed_by",)),
    "self-defence-applies-in-cyberspace": (
        "position",
        "Self-defence applies in cyberspace",
        50,
        ("object",) * 5 + ("about",),
    ),
}

ACTORS = ("state", "official", "person", "institution", "group")
# relation, subject types, object types, relative frequency (near the seed annotation's)
RELATIONS: list[tuple[str, tuple[str, ...], tuple[str, ...], int]] = [
    ("supports_position", ACTORS, ("position",), 15),
    ("opposes_position", ACTORS, ("position",), 8),
    ("endorses", ACTORS, ("position", "document"), 3),
    ("blames", ACTORS, ("state", "group", "institution", "official"), 6),
    ("represents", ("official", "person"), ("state", "institution", "group"), 6),
    ("leads", ("official", "person"), ("institution", "group", "event"), 2),
    ("affiliated_with", ("official", "person"), ("institution",), 2),
    ("member_of", ("state", "institution"), ("institution", "group"), 5),
    ("participates_in", ACTORS, ("event",), 8),
    ("part_of", ("document", "event", "institution"), ("document", "event", "institution"), 6),
    ("attributed_to", ("incident",), ("state", "group"), 3),
    ("targets", ("incident",), ("state", "institution", "group"), 2),
    ("intended_to_benefit", ("incident",), ("state", "group", "event"), 1),
    ("speaks_at", ACTORS, ("event", "document"), 3),
    ("located_in", ("event", "institution"), ("state",), 2),
    ("caused_by", ("event", "incident"), ("event", "incident"), 2),
    ("codifies", ("document",), ("position",), 1),
    ("concerned_about", ACTORS, ("state", "group", "incident"), 2),
    ("observes", ACTORS, ("event",), 1),
    ("editor_of", ("official", "person"), ("document",), 1),
]
# when the default entity is the subject or the object of a statement, the relations used
DEFAULT_RELATIONS = {
    ("state", "subject"): (
        "blames",
        "supports_position",
        "opposes_position",
        "member_of",
        "participates_in",
        "concerned_about",
    ),
    ("state", "object"): ("blames", "represents", "attributed_to", "targets"),
    ("official", "subject"): (
        "represents",
        "blames",
        "supports_position",
        "opposes_position",
        "speaks_at",
        "affiliated_with",
    ),
    ("position", "object"): ("supports_position", "opposes_position", "endorses"),
}
MODALITIES = {"asserted": 30, "reported": 35, "alleged": 15, "implicit": 10, "speculative": 10}
HEDGED = {"alleged", "implicit", "speculative"}
ROLES = ("foreign minister", "special envoy", "spokesperson", "delegate", "director")
ABOUT_TYPES = ("position", "incident", "event")
WHERE_TYPES = ("event", "state")


def entity_counts(statements: int) -> dict[str, int]:
    """Return how many entities of each type a corpus of ``statements`` statements has.

    About one actor per 10 statements (at most 250 states, the rest officials, persons,
    institutions and groups), one position per 100, a few incidents, events and documents.
    """
    actors = max(40, statements // 10)
    states = min(250, max(10, actors // 10))
    rest = actors - states
    officials, persons, institutions = rest * 35 // 100, rest * 15 // 100, rest * 25 // 100
    return {
        "state": states,
        "official": officials,
        "person": persons,
        "institution": institutions,
        "group": rest - officials - persons - institutions,
        "position": max(10, statements // 100),
        "incident": max(3, statements // 2000),
        "event": max(5, statements // 500),
        "document": max(3, statements // 1000),
    }


@dataclass(frozen=True)
class _Terms:
    """The N-Quads spelling of every IRI the generator writes."""

    type: str
    label: str
    alt_label: str
    comment: str
    same_as: str
    iso3166: str
    derived: str
    subject: str
    predicate: str
    object: str
    statement: str
    source: str
    modality: str
    modalities: dict[str, str]
    hedged: str
    quote: str
    date: str
    when: str
    about: str
    where: str
    claimed_by: str
    role: str
    former: str
    note: str
    evidence: str
    specific_resource: str
    has_source: str
    has_selector: str
    quote_selector: str
    exact: str
    prefix: str
    suffix: str
    position_selector: str
    start: str
    end: str
    relations: dict[str, str]
    types: dict[str, str]
    xsd_date: str
    xsd_boolean: str
    xsd_nonneg: str
    when_types: dict[int, str]

    @classmethod
    def make(cls) -> _Terms:
        vocab = vocabulary()

        def iri(term: object) -> str:
            return f"<{term}>"

        return cls(
            type=iri(RDF.type),
            label=iri(RDFS.label),
            alt_label=iri(SKOS.altLabel),
            comment=iri(RDFS.comment),
            same_as=iri(OWL.sameAs),
            iso3166=iri(APG.iso3166),
            derived=iri(PROV.wasDerivedFrom),
            subject=iri(RDF.subject),
            predicate=iri(RDF.predicate),
            object=iri(RDF.object),
            statement=iri(APG.Statement),
            source=iri(APG.Source),
            modality=iri(APG.modality),
            modalities={key: iri(concept) for key, concept in MODALITY_CONCEPTS.items()},
            hedged=iri(APG.hedged),
            quote=iri(APG.quote),
            date=iri(DCTERMS.date),
            when=iri(APG.when),
            about=iri(APG.about),
            where=iri(APG.where),
            claimed_by=iri(APG.claimedBy),
            role=iri(APG.role),
            former=iri(APG.former),
            note=iri(SKOS.note),
            evidence=iri(APG.evidence),
            specific_resource=iri(OA.SpecificResource),
            has_source=iri(OA.hasSource),
            has_selector=iri(OA.hasSelector),
            quote_selector=iri(OA.TextQuoteSelector),
            exact=iri(OA.exact),
            prefix=iri(OA.prefix),
            suffix=iri(OA.suffix),
            position_selector=iri(OA.TextPositionSelector),
            start=iri(OA.start),
            end=iri(OA.end),
            relations={key: iri(term) for key, term in vocab.relations.items()},
            types={key: iri(term) for key, term in vocab.entity_types.items()},
            xsd_date=iri(XSD.date),
            xsd_boolean=iri(XSD.boolean),
            xsd_nonneg=iri(XSD.nonNegativeInteger),
            when_types={4: iri(XSD.gYear), 7: iri(XSD.gYearMonth), 10: iri(XSD.date)},
        )


class _Statement(NamedTuple):
    """The drawn content of one statement; entity ids, annotation keys, literal values."""

    subject: str
    relation: str
    object: str
    modality: str
    quote: str
    when: str | None
    about: str | None
    where: str | None
    claimed_by: str | None
    role: str | None
    former: str | None
    note: str | None


class _Corpus:
    """A synthetic corpus: its entities, and a plan of which statements name a default.

    Generated text holds no quote, backslash or line break, so literals need no escaping.
    """

    def __init__(self, statements: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.statements = statements
        self.sources = max(1, math.ceil(statements / STATEMENTS_PER_SOURCE))
        self.terms = _Terms.make()
        self.by_type: dict[str, list[str]] = {}
        self.labels: dict[str, str] = {}
        self.types: dict[str, str] = {}
        self.homes: dict[int, list[str]] = {}
        for entity_type, count in entity_counts(statements).items():
            ids = [f"{entity_type}-{number}" for number in range(count)]
            self.by_type[entity_type] = ids
            for number, entity_id in enumerate(ids):
                self.labels[entity_id] = f"{entity_type.title()} {number}"
                self.types[entity_id] = entity_type
                self.homes.setdefault(self.rng.randrange(self.sources), []).append(entity_id)
        # the defaults are left out of random draws, so that they are in a known number
        # of statements whatever the size
        self.planned: dict[int, tuple[str, str]] = {}
        draws = iter(self.rng.sample(range(statements), min(statements, 1500)))
        for entity_id, (entity_type, label, per_10k, roles) in DEFAULT_ENTITIES.items():
            self.labels[entity_id] = label
            self.types[entity_id] = entity_type
            for _ in range(min(500, max(50, statements * per_10k // 10_000))):
                drawn = next(draws, None)
                if drawn is not None:
                    self.planned[drawn] = (entity_id, self.rng.choice(roles))
        self.relation_names = [name for name, *_ in RELATIONS]
        self.relation_weights = [weight for *_, weight in RELATIONS]
        self.relation_types = {name: (subj, obj) for name, subj, obj, _ in RELATIONS}
        self.modality_names = list(MODALITIES)
        self.modality_weights = list(MODALITIES.values())

    def source_id(self, number: int) -> str:
        return SEED_SOURCE if number == 0 else f"synthetic-source-{number:05d}"

    def pick(self, types: tuple[str, ...]) -> str:
        rng = self.rng
        return rng.choice(self.by_type[rng.choice(types)])

    def write(self, out: IO[str]) -> int:
        """Write the corpus as N-Quads, one source at a time; return the lines written."""
        lines = 0
        for number in range(self.sources):
            first = number * STATEMENTS_PER_SOURCE
            last = min(self.statements, first + STATEMENTS_PER_SOURCE)
            chunk = self._source(number, range(first, last))
            lines += chunk.count("\n")
            out.write(chunk)
        return lines

    def _source(self, number: int, statements: range) -> str:
        t = self.terms
        source_id = self.source_id(number)
        source = f"<{SRC}{source_id}>"
        graph = source
        day = f"20{10 + number % 10:02d}-{1 + number % 12:02d}-{1 + number % 28:02d}"
        declared: set[str] = set()
        planned = [self._plan(n, declared) for n in statements]
        # the text is the quotes laid end to end, so that the offsets select the quotes
        text = " ".join(statement.quote for statement in planned)
        parts, start = [], 0
        for n, statement in zip(statements, planned, strict=True):
            end = start + len(statement.quote)
            context = (text[max(0, start - 32) : start], text[end : end + 32])
            parts.append(self._render(statement, n, source_id, day, start, context))
            start = end + 1
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        parts += [
            f"{source} {t.type} {t.source} {graph} .\n"
            f'{source} <{DCTERMS.title}> "Synthetic source {number}" {graph} .\n'
            f'{source} {t.date} "{day}"^^{t.xsd_date} {graph} .\n'
            f'{source} <{SCHEMA.url}> "https://example.org/news/{number}"'
            f"^^<{XSD.anyURI}> {graph} .\n"
            f'{source} <{DCTERMS.creator}> "Author {number % 97}" {graph} .\n'
            f'{source} <{DCTERMS.publisher}> "Publisher {number % 13}" {graph} .\n'
            f'{source} <{DCTERMS.language}> "en" {graph} .\n'
            f'{source} <{APG.text}> "{text}" {graph} .\n'
            f'{source} <{APG.textSha256}> "{digest}" {graph} .\n'
        ]
        if number % 2:
            parts.append(f'{source} <{APG.originalPublisher}> "Wire {number % 7}" {graph} .\n')
        # a source declares the defaults it names, and the entities whose home it is
        if number == 0:
            declared.update(DEFAULT_ENTITIES)
        declared.update(self.homes.get(number, ()))
        parts.extend(self._entity(entity_id, graph, source) for entity_id in sorted(declared))
        return "".join(parts)

    def _entity(self, entity_id: str, graph: str, source: str) -> str:
        t = self.terms
        node = f"<{ENT}{entity_id}>"
        entity_type = self.types[entity_id]
        number = sum(map(ord, entity_id))
        lines = [
            f"{node} {t.type} {t.types[entity_type]} {graph} .\n"
            f'{node} {t.label} "{self.labels[entity_id]}" {graph} .\n'
            f"{node} {t.derived} {source} {graph} .\n"
        ]
        if number % 3 == 0:
            lines.append(f'{node} {t.alt_label} "{self.labels[entity_id]} (alias)" {graph} .\n')
        if number % 2 == 0:
            lines.append(f'{node} {t.comment} "A synthetic {entity_type}." {graph} .\n')
        if entity_type == "state":
            code = chr(65 + number % 26) + chr(65 + number // 26 % 26)
            lines.append(f"{node} {t.same_as} <{WD}Q{1000 + number}> {graph} .\n")
            lines.append(f'{node} {t.iso3166} "{code}" {graph} .\n')
        return "".join(lines)

    def _plan(self, n: int, declared: set[str]) -> _Statement:
        """Draw statement ``n``; add the defaults it names to ``declared``."""
        rng = self.rng
        plan = self.planned.get(n)
        claimed_by = about = None
        if plan is not None:
            declared.add(plan[0])
        if plan is not None and plan[1] in ("subject", "object"):
            entity_id, place = plan
            relation = rng.choice(DEFAULT_RELATIONS[(self.types[entity_id], place)])
            subject_types, object_types = self.relation_types[relation]
            if place == "subject":
                subject = entity_id
                obj = "russia" if relation == "represents" and rng.random() < 0.5 else ""
                obj = obj or self.pick(("position",) if relation == "endorses" else object_types)
            else:
                subject, obj = self.pick(subject_types), entity_id
        else:
            relation = rng.choices(self.relation_names, self.relation_weights)[0]
            subject_types, object_types = self.relation_types[relation]
            subject, obj = self.pick(subject_types), self.pick(object_types)
            if plan is not None:
                claimed_by = plan[0] if plan[1] == "claimed_by" else None
                about = plan[0] if plan[1] == "about" else None
        modality = rng.choices(self.modality_names, self.modality_weights)[0]
        if claimed_by is None and modality != "asserted" and rng.random() < 0.4:
            claimed_by = self.pick(ACTORS)
        if about is None and rng.random() < 0.25:
            about = self.pick(ABOUT_TYPES)
        where = self.pick(WHERE_TYPES) if rng.random() < 0.3 else None
        when = None
        if rng.random() < 0.3:
            when = rng.choice(("2016", "2017-06", f"2017-06-{1 + n % 28:02d}"))
        role: str | None = None
        former = note = None
        if relation in ("represents", "leads", "affiliated_with"):
            role = rng.choice(ROLES) if rng.random() < 0.6 else None
            former = ("true" if rng.random() < 0.75 else "false") if rng.random() < 0.2 else None
        if rng.random() < 0.6:
            note = f"Coded {modality} from the wording."
        quote = (
            f"{self.labels[subject]} {relation.replace('_', ' ')} "
            f"{self.labels[obj]}, statement {n} says"
        )
        return _Statement(
            subject,
            relation,
            obj,
            modality,
            quote,
            when,
            about,
            where,
            claimed_by,
            role,
            former,
            note,
        )

    def _render(
        self,
        statement: _Statement,
        n: int,
        source_id: str,
        day: str,
        start: int,
        context: tuple[str, str],
    ) -> str:
        """Return the N-Quads of a statement whose quote starts at ``start`` in the text."""
        t = self.terms
        subject, relation, obj, modality, quote, when = statement[:6]
        node = f"<{SRC}{source_id}/statement/s{n}>"
        graph = source = f"<{SRC}{source_id}>"
        subject_iri, object_iri = f"<{ENT}{subject}>", f"<{ENT}{obj}>"
        predicate = t.relations[relation]
        hedged = "true" if modality in HEDGED else "false"
        date = f'"{when}"^^{t.when_types[len(when)]}' if when else f'"{day}"^^{t.xsd_date}'
        base = node[:-1]
        evidence, quote_sel, position_sel = (
            f"{base}/evidence>",
            f"{base}/quote-selector>",
            f"{base}/position-selector>",
        )
        parts = [
            f"{subject_iri} {predicate} {object_iri} {graph} .\n"
            f"{node} {t.type} {t.statement} {graph} .\n"
            f"{node} {t.subject} {subject_iri} {graph} .\n"
            f"{node} {t.predicate} {predicate} {graph} .\n"
            f"{node} {t.object} {object_iri} {graph} .\n"
            f"{node} {t.derived} {source} {graph} .\n"
            f"{node} {t.modality} {t.modalities[modality]} {graph} .\n"
            f'{node} {t.hedged} "{hedged}"^^{t.xsd_boolean} {graph} .\n'
            f'{node} {t.quote} "{quote}" {graph} .\n'
            f"{node} {t.date} {date} {graph} .\n"
            f"{node} {t.evidence} {evidence} {graph} .\n"
            f"{evidence} {t.type} {t.specific_resource} {graph} .\n"
            f"{evidence} {t.has_source} {source} {graph} .\n"
            f"{evidence} {t.has_selector} {quote_sel} {graph} .\n"
            f"{evidence} {t.has_selector} {position_sel} {graph} .\n"
            f"{quote_sel} {t.type} {t.quote_selector} {graph} .\n"
            f'{quote_sel} {t.exact} "{quote}" {graph} .\n'
            f'{quote_sel} {t.prefix} "{context[0]}" {graph} .\n'
            f'{quote_sel} {t.suffix} "{context[1]}" {graph} .\n'
            f"{position_sel} {t.type} {t.position_selector} {graph} .\n"
            f'{position_sel} {t.start} "{start}"^^{t.xsd_nonneg} {graph} .\n'
            f'{position_sel} {t.end} "{start + len(quote)}"^^{t.xsd_nonneg} {graph} .\n'
        ]
        if when:
            parts.append(f"{node} {t.when} {date} {graph} .\n")
        qualifiers = (
            (t.about, statement.about),
            (t.where, statement.where),
            (t.claimed_by, statement.claimed_by),
        )
        for qualifier, value in qualifiers:
            if value:
                parts.append(f"{node} {qualifier} <{ENT}{value}> {graph} .\n")
        if statement.role:
            parts.append(f'{node} {t.role} "{statement.role}" {graph} .\n')
        if statement.former:
            parts.append(f'{node} {t.former} "{statement.former}"^^{t.xsd_boolean} {graph} .\n')
        if statement.note:
            parts.append(f'{node} {t.note} "{statement.note}" {graph} .\n')
        return "".join(parts)


def write_corpus(path: Path, statements: int, seed: int = 7) -> int:
    """Write a synthetic corpus of ``statements`` statements to ``path`` as N-Quads.

    Returns the number of lines (quads, some of them repeated plain triples). The file is
    written one source at a time, so memory holds one source's text, not the corpus.
    """
    corpus = _Corpus(statements, seed)
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        return corpus.write(out)


def load_oxigraph(path: Path) -> pyoxigraph.Store:
    """Return an in-memory Oxigraph store laid out as ``apg build`` lays out its store:
    the N-Quads file ``path`` as named graphs, and their union as the default graph."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
    union = path.with_suffix(".union.nt")
    with path.open(encoding="utf-8") as quads, union.open("w", encoding="utf-8") as triples:
        for line in quads:  # "S P O G ." -> "S P O ."; G is an IRI, the last term
            triples.write(line.rstrip().rsplit(" ", 2)[0] + " .\n")
    store.bulk_load(path=str(union), format=pyoxigraph.RdfFormat.N_TRIPLES)
    union.unlink()
    return store


def load_rdflib(path: Path) -> rdflib.Dataset:
    """Return an rdflib Dataset holding ``path``, its default graph the union of the rest."""
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(str(path), format="nquads")
    return dataset


def timed(function: Callable[[], int]) -> tuple[float, int]:
    """Return the seconds ``function`` took (after a garbage collection) and its value."""
    gc.collect()
    start = time.perf_counter()
    value = function()
    return time.perf_counter() - start, value


def ours(sparql: str, store: pyoxigraph.Store) -> int:
    """Run a query as ``apg query`` does; return its number of rows."""
    return len(run_query(sparql, store).rows)


def floor(sparql: str, store: pyoxigraph.Store) -> int:
    """Run a query directly in pyoxigraph, reading every value; return its number of rows.

    Values are read by position, the cheapest way: ``solution[name]`` costs 0.9 µs a value
    more, and ``solution[Variable]`` 1.6 µs.
    """
    answer = store.query(sparql, prefixes=PREFIX_IRIS)
    assert isinstance(answer, pyoxigraph.QuerySolutions)
    rows = 0
    for solution in answer:
        tuple(solution)
        rows += 1
    return rows


def in_rdflib(sparql: str, dataset: rdflib.Dataset) -> int:
    """Run a query in rdflib's engine, reading every value; return its number of rows."""
    result = dataset.query(sparql)
    variables = result.vars or []
    rows = 0
    for row in result:
        assert isinstance(row, ResultRow)
        [row[variable] for variable in variables]
        rows += 1
    return rows


LOW_MEMORY_KIB = 1536 * 1024  # a query process is killed when the machine has less left

# one timed run, as a child process reports it: engine, seconds, rows
Run = tuple[str, float, int]
Report = Callable[[Run], None]


def _status_kib(field: str, path: str = "/proc/self/status") -> int:
    with open(path, encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _child(work: Callable[[Report], None], connection: Connection, memory_gib: float) -> None:
    # a query that runs away must not take the machine down with it (one that kept every
    # intermediate row filled 24 GiB): cap what this process may allocate beyond its parent
    available = _status_kib("MemAvailable", "/proc/meminfo") * 1024 - 2**30
    extra = int(min(memory_gib * 2**30, max(available, 2**30)))
    limit = _status_kib("VmSize") * 1024 + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        work(connection.send)
    except MemoryError:
        connection.send(("failed", "out of memory"))
    except Exception as error:  # a failure is a figure, not a crash
        connection.send(("failed", f"{type(error).__name__}: {error}"[:60]))
    finally:
        connection.close()


def in_child(
    work: Callable[[Report], None], timeout: float, memory_gib: float
) -> tuple[list[Run], str | None]:
    """Run ``work`` in a forked process; return the runs it reported and what stopped it.

    The process sees the parent's store or dataset without copying it. It is killed after
    ``timeout`` seconds, and cannot allocate more than ``memory_gib`` beyond what it
    inherited; the second value is then ``>N s``, ``out of memory`` or an error, else None.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, sender, memory_gib))
    process.start()
    sender.close()
    deadline = time.perf_counter() + timeout
    runs: list[Run] = []
    problem = None
    try:
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                problem = f">{timeout:g} s"
                break
            if not receiver.poll(min(left, 0.25)):
                # pages the child writes to are copied from its parent's without counting
                # against its address-space limit: watch what the machine has left
                if _status_kib("MemAvailable", "/proc/meminfo") < LOW_MEMORY_KIB:
                    problem = "out of memory"
                    break
                continue
            try:
                message = receiver.recv()
            except EOFError:
                break
            if message[0] == "failed":
                problem = message[1]
                break
            runs.append(message)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if problem is None and process.exitcode:
        # Rust aborts (SIGABRT) when an allocation fails
        problem = "out of memory" if process.exitcode == -6 else f"died ({process.exitcode})"
    return runs, problem


Timing = float | str  # best seconds, or why there is none (">300 s", "out of memory")


def _best(runs: list[Run], engine: str, problem: str | None) -> tuple[Timing, int | None]:
    mine = [(seconds, rows) for name, seconds, rows in runs if name == engine]
    if not mine:
        return problem or "no run", None
    seconds, rows = min(mine)
    return seconds, rows


@dataclass
class Figures:
    """The timings of one query on one graph."""

    name: str
    one_entity: bool
    rows: int | None
    ours: Timing
    floor: Timing
    rdflib: Timing | None = None
    rdflib_rows: int | None = None


def measure_oxigraph(store: pyoxigraph.Store, arguments: argparse.Namespace) -> list[Figures]:
    """Time every bundled query with ``run_query`` and bare pyoxigraph, runs interleaved.

    Each query runs in its own process (see ``in_child``); a query whose runs both took
    more than ``--slow`` seconds is not run again.
    """
    figures = []
    names = arguments.queries.split(",") if arguments.queries else list(bundled_queries())
    for name in names:
        sparql = load_query(name)

        def work(report: Report, sparql: str = sparql) -> None:
            for _ in range(arguments.repeat):
                seconds, rows = timed(lambda: ours(sparql, store))
                report(("ours", seconds, rows))
                floor_seconds, floor_rows = timed(lambda: floor(sparql, store))
                report(("floor", floor_seconds, floor_rows))
                if min(seconds, floor_seconds) > arguments.slow:
                    break

        runs, problem = in_child(work, arguments.timeout, arguments.memory)
        ours_timing, rows = _best(runs, "ours", problem)
        floor_timing, floor_rows = _best(runs, "floor", problem)
        if None not in (rows, floor_rows) and rows != floor_rows:
            _progress(f"  {name}: run_query gave {rows} rows, pyoxigraph {floor_rows}")
        one_entity = "# Parameters:" in sparql
        figures.append(Figures(name, one_entity, rows, ours_timing, floor_timing))
        _progress(f"  {name}: {rows} rows, ours {_cell(ours_timing)}, floor {_cell(floor_timing)}")
    return figures


def measure_rdflib(
    dataset: rdflib.Dataset, figures: list[Figures], arguments: argparse.Namespace
) -> None:
    """Time every bundled query in rdflib, filling ``Figures.rdflib``."""
    for figure in figures:
        sparql = with_prefixes(load_query(figure.name))

        def work(report: Report, sparql: str = sparql) -> None:
            for _ in range(arguments.repeat):
                seconds, rows = timed(lambda: in_rdflib(sparql, dataset))
                report(("rdflib", seconds, rows))
                if seconds > arguments.slow:
                    break

        runs, problem = in_child(work, arguments.rdflib_timeout, arguments.memory)
        figure.rdflib, figure.rdflib_rows = _best(runs, "rdflib", problem)
        _progress(f"  {figure.name}: rdflib {_cell(figure.rdflib)}")


def _row(cells: list[str]) -> str:
    """A table line: the query name left-aligned, figures right-aligned, targets last."""
    widths = (22, 7, 10, 10, 10, 11, 11)
    figures = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=False)]
    return "  ".join([cells[0].ljust(widths[0]), *figures, *cells[len(widths) :]]).rstrip()


def _cell(timing: Timing | None) -> str:
    if timing is None:
        return "-"
    return f"{timing * 1000:,.1f}" if isinstance(timing, float) else timing


def _mark(met: bool | None) -> str:
    return "?" if met is None else "ok" if met else "MISS"


def _ratio(slower: Timing | None, faster: Timing | None) -> tuple[str, float | None]:
    """The ratio of two timings as a cell, and its value when both are known."""
    if isinstance(slower, float) and isinstance(faster, float):
        return f"{slower / faster:,.2f}", slower / faster
    if isinstance(slower, str) and slower.startswith(">") and isinstance(faster, float):
        bound = float(slower.strip(">s ")) / faster
        return f">{bound:,.0f}", bound  # a lower bound: enough for an "at least" target
    return "-", None


def table(figures: list[Figures], size: int) -> Iterator[str]:
    """The lines of one size's table, then footnotes."""
    header = ["query", "rows", "ours_ms", "floor_ms", "ours/floor", "rdflib_ms", "rdflib/ours"]
    yield _row([*header, "targets"])
    notes = []
    for figure in figures:
        floor_cell, floor_ratio = _ratio(figure.ours, figure.floor)
        rdflib_cell, rdflib_ratio = _ratio(figure.rdflib, figure.ours)
        marks = [f"floor {_mark(None if floor_ratio is None else floor_ratio <= TARGET_FLOOR)}"]
        if figure.one_entity:
            fast = isinstance(figure.ours, float) and figure.ours * 1000 < TARGET_ONE_MS
            marks.insert(0, f"<{TARGET_ONE_MS:.0f}ms {_mark(fast)}")
        if figure.rdflib is not None:
            met = None if rdflib_ratio is None else rdflib_ratio >= TARGET_RDFLIB
            if rdflib_cell.startswith(">") and not met:
                met = None  # rdflib was cut short: a lower bound below the target says nothing
            marks.append(f"rdflib {_mark(met)}")
        rdflib_text = _cell(figure.rdflib)
        if figure.rdflib_rows is not None and figure.rdflib_rows != figure.rows:
            rdflib_text += "*"
            notes.append(f"* {figure.name}: rdflib gave {figure.rdflib_rows} rows")
        rows = "-" if figure.rows is None else f"{figure.rows:,}"
        cells = [figure.name, rows, _cell(figure.ours), _cell(figure.floor), floor_cell]
        yield _row([*cells, rdflib_text, rdflib_cell, ", ".join(marks)])
    if size != TARGET_SIZE:
        notes.append(f"(the targets apply at {TARGET_SIZE:,} statements; shown for reference)")
    yield from notes


def describe_defaults(store: pyoxigraph.Store) -> str:
    """Say in how many statements each default entity is, and how many sources declare it.

    Oxigraph's union default graph repeats a triple once per named graph holding it, so a
    query's intermediate rows grow with the number of sources declaring an entity.
    """
    parts = []
    for entity_id in DEFAULT_ENTITIES:
        entity = f"<{ENT}{entity_id}>"
        statements = _count(store, "?s", f"GRAPH ?g {{ ?s ?role {entity} ; a apg:Statement }}")
        sources = _count(store, "?g", f"GRAPH ?g {{ {entity} rdfs:label ?label }}")
        parts.append(
            f"ent:{entity_id} in {statements:,} statements, declared by {sources:,} sources"
        )
    return "; ".join(parts)


def _count(store: pyoxigraph.Store, variable: str, where: str) -> int:
    """The number of distinct values of ``variable`` in the solutions of ``where``."""
    sparql = f"SELECT (COUNT(DISTINCT {variable}) AS ?n) WHERE {{ {where} }}"
    answer = store.query(sparql, prefixes=PREFIX_IRIS)
    assert isinstance(answer, pyoxigraph.QuerySolutions)
    return int(next(answer)[0].value)


def _peak_rss_gib(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 2**20


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run_size(size: int, arguments: argparse.Namespace, folder: Path) -> None:
    """Generate, load and measure one size; print its table."""
    path = folder / f"synthetic-{size}.nq"
    _progress(f"{size:,} statements: writing N-Quads")
    start = time.perf_counter()
    lines = write_corpus(path, size, arguments.seed)
    write_seconds = time.perf_counter() - start
    megabytes = path.stat().st_size / 1e6
    _progress(f"{size:,}: {lines:,} lines, {megabytes:,.0f} MB in {write_seconds:.1f} s; loading")

    start = time.perf_counter()
    store = load_oxigraph(path)
    oxigraph_load = time.perf_counter() - start
    quads = len(store)
    graphs = sum(1 for _ in store.named_graphs())
    defaults = describe_defaults(store)
    _progress(f"{size:,}: Oxigraph loaded {quads:,} quads in {oxigraph_load:.1f} s; querying")
    figures = measure_oxigraph(store, arguments)
    del store
    gc.collect()

    rdflib_load = None
    if size <= arguments.rdflib_max:
        _progress(f"{size:,}: loading into rdflib")
        start = time.perf_counter()
        dataset = load_rdflib(path)
        rdflib_load = time.perf_counter() - start
        _progress(f"{size:,}: rdflib loaded {len(dataset):,} triples in {rdflib_load:.1f} s")
        measure_rdflib(dataset, figures, arguments)
        del dataset
        gc.collect()
    path.unlink()

    print()
    print(
        f"== {size:,} statements: {quads:,} quads in {graphs:,} named graphs "
        f"(N-Quads {megabytes:,.0f} MB, written in {write_seconds:.1f} s)"
    )
    print(f"   {defaults}")
    rdflib_text = (
        f"rdflib Dataset.parse {rdflib_load:.1f} s"
        if rdflib_load is not None
        else f"rdflib skipped (above --rdflib-max {arguments.rdflib_max:,})"
    )
    print(
        f"   load: Oxigraph bulk_load {oxigraph_load:.1f} s; {rdflib_text}; "
        f"peak RSS so far {_peak_rss_gib():.1f} GiB, "
        f"{_peak_rss_gib(resource.RUSAGE_CHILDREN):.1f} GiB in a query process"
    )
    for line in table(figures, size):
        print(line)
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="statement counts, comma-separated")
    parser.add_argument(
        "--rdflib-max", type=int, default=10_000, help="largest size also run in rdflib"
    )
    parser.add_argument(
        "--timeout", type=float, default=300.0, help="seconds per query in Oxigraph, all runs"
    )
    parser.add_argument(
        "--rdflib-timeout", type=float, default=120.0, help="seconds per query in rdflib"
    )
    parser.add_argument(
        "--memory", type=float, default=6.0, help="GiB a query may allocate, per process"
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the best counts")
    parser.add_argument(
        "--slow", type=float, default=30.0, help="seconds past which a query is not repeated"
    )
    parser.add_argument("--queries", help="bundled queries to run, comma-separated (default: all)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", help="folder for the N-Quads files (default: a temp dir)")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}; pyoxigraph {pyoxigraph.__version__}; "
        f"rdflib {rdflib.__version__}"
    )
    print(
        f"times in ms, best of {arguments.repeat}; targets at {TARGET_SIZE:,} statements: "
        f"a query about one entity < {TARGET_ONE_MS:.0f} ms, ours/floor <= {TARGET_FLOOR}, "
        f"rdflib/ours >= {TARGET_RDFLIB:.0f}"
    )
    with tempfile.TemporaryDirectory(dir=arguments.workdir) as folder:
        for size in sizes:
            run_size(size, arguments, Path(folder))


if __name__ == "__main__":
    main()
