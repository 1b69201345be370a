"""Time the bundled SPARQL queries on synthetic graphs: our engine, bare pyoxigraph, rdflib.

Run: python3 benchmarks/sparql.py --sizes 10000,100000,1000000 [--rdflib-max 10000] [--repeat 3]

For each size (a number of statements) it writes a synthetic corpus as N-Quads, in the
shape ``graph/build.py`` gives (statement nodes with their evidence, the plain triple,
entity and source descriptions), one named graph per source of 1,000 statements. The
entities the bundled queries take as defaults (``ent:russia``, ``ent:oleg-khramov``,
``ent:self-defence-applies-in-cyberspace``, ``src:un-gge-talks-collapse-2017``) are in it,
in 50 to 500 statements each. It then loads the file into an in-memory Oxigraph store and,
up to ``--rdflib-max`` statements, into an rdflib ``Dataset``, and prints one table per
size, in wall-clock milliseconds, best of ``--repeat`` runs:

- ``ours``: ``graph.query.run_query`` (what ``apg query`` and ``apg serve`` call);
- ``floor``: the same query run directly in pyoxigraph, every value of every solution read;
- ``rdflib``: rdflib's engine over the union of the named graphs, in a forked process that
  is killed after ``--rdflib-timeout`` seconds (shown as ``>120 s``).

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
from typing import IO

import pyoxigraph
import rdflib
from rdflib.query import ResultRow

from graph.build import MODALITY_CONCEPTS
from graph.namespaces import (
    APG,
    DCTERMS,
    ENT,
    OA,
    OWL,
    PREFIXES,
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
from graph.query import bundled_queries, load_query, run_query, with_prefixes

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
        parts, quotes, cursor = [], [], 0
        declared: set[str] = set()
        for n in statements:
            nquads, quote = self._statement(n, source_id, day, cursor, declared)
            parts.append(nquads)
            quotes.append(quote)
            cursor += len(quote) + 1
        # the text is the quotes laid end to end: short, and the offsets select the quotes
        text = " ".join(quotes)
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

    def _statement(
        self, n: int, source_id: str, day: str, start: int, declared: set[str]
    ) -> tuple[str, str]:
        """Return a statement's N-Quads and its quote, which starts at ``start`` in the text."""
        t, rng = self.terms, self.rng
        plan = self.planned.get(n)
        claimed_by = about = None
        if plan is not None:
            declared.add(plan[0])
        if plan is not None and plan[1] in ("subject", "object"):
            entity_id, role = plan
            relation = rng.choice(DEFAULT_RELATIONS[(self.types[entity_id], role)])
            subject_types, object_types = self.relation_types[relation]
            if role == "subject":
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

        node = f"<{SRC}{source_id}/statement/s{n}>"
        graph = source = f"<{SRC}{source_id}>"
        subject_iri, object_iri = f"<{ENT}{subject}>", f"<{ENT}{obj}>"
        predicate = t.relations[relation]
        quote = (
            f"{self.labels[subject]} {relation.replace('_', ' ')} "
            f"{self.labels[obj]}, statement {n} says"
        )
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
            f'{quote_sel} {t.prefix} "{prefix}" {graph} .\n'
            f'{quote_sel} {t.suffix} "{suffix}" {graph} .\n'
            f"{position_sel} {t.type} {t.position_selector} {graph} .\n"
            f'{position_sel} {t.start} "{start}"^^{t.xsd_nonneg} {graph} .\n'
            f'{position_sel} {t.end} "{start + len(quote)}"^^{t.xsd_nonneg} {graph} .\n'
        ]
        if when:
            parts.append(f"{node} {t.when} {date} {graph} .\n")
        qualifiers = ((t.about, about), (t.where, where), (t.claimed_by, claimed_by))
        for qualifier, value in qualifiers:
            if value:
                parts.append(f"{node} {qualifier} <{ENT}{value}> {graph} .\n")
        if relation in ("represents", "leads", "affiliated_with"):
            if rng.random() < 0.6:
                parts.append(f'{node} {t.role} "{rng.choice(ROLES)}" {graph} .\n')
            if rng.random() < 0.2:
                former = "true" if rng.random() < 0.75 else "false"
                parts.append(f'{node} {t.former} "{former}"^^{t.xsd_boolean} {graph} .\n')
        if rng.random() < 0.6:
            parts.append(f'{node} {t.note} "Coded {modality} from the wording." {graph} .\n')
        return "".join(parts), quote


def write_corpus(path: Path, statements: int, seed: int = 7) -> int:
    """Write a synthetic corpus of ``statements`` statements to ``path`` as N-Quads.

    Returns the number of lines (quads, some of them repeated plain triples). The file is
    written one source at a time, so memory holds one source's text, not the corpus.
    """
    corpus = _Corpus(statements, seed)
    with path.open("w", encoding="utf-8", buffering=1 << 20) as out:
        return corpus.write(out)


def load_oxigraph(path: Path) -> pyoxigraph.Store:
    """Return an in-memory Oxigraph store holding the N-Quads file ``path``."""
    store = pyoxigraph.Store()
    store.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
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


def floor(sparql: str, store: pyoxigraph.Store, prefixes: dict[str, str]) -> int:
    """Run a query directly in pyoxigraph, reading every value; return its number of rows."""
    answer = store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)
    assert isinstance(answer, pyoxigraph.QuerySolutions)
    variables = answer.variables
    rows = 0
    for solution in answer:
        [solution[variable] for variable in variables]
        rows += 1
    return rows


def _rdflib_runs(dataset: rdflib.Dataset, sparql: str, repeat: int, connection: Connection) -> None:
    """Run a query in rdflib up to ``repeat`` times, sending (seconds, rows) after each."""
    try:
        for _ in range(repeat):
            gc.collect()
            start = time.perf_counter()
            result = dataset.query(sparql)
            variables = result.vars or []
            rows = 0
            for row in result:
                assert isinstance(row, ResultRow)
                [row[variable] for variable in variables]
                rows += 1
            connection.send((time.perf_counter() - start, rows))
    except Exception as error:  # an rdflib failure is a figure, not a crash
        connection.send((type(error).__name__, str(error)[:80]))
    finally:
        connection.close()


def time_rdflib(
    dataset: rdflib.Dataset, sparql: str, repeat: int, timeout: float
) -> tuple[float, int] | str:
    """Time a query in rdflib in a forked process; return (best seconds, rows) or a note.

    The process is killed ``timeout`` seconds after it starts; the runs that finished by
    then count, and when none did the note says ``>TIMEOUT s``.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_rdflib_runs, args=(dataset, sparql, repeat, sender))
    process.start()
    sender.close()
    deadline = time.perf_counter() + timeout
    runs: list[tuple[float, int]] = []
    note = f">{timeout:.0f} s"
    try:
        while len(runs) < repeat and receiver.poll(max(0.0, deadline - time.perf_counter())):
            first, second = receiver.recv()
            if isinstance(first, str):
                note = f"{first}: {second}"
                break
            runs.append((first, second))
    except EOFError:
        note = "crashed"
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    return min(runs) if runs else note


@dataclass
class Figures:
    """The timings of one query on one graph; seconds, or a note for rdflib."""

    name: str
    one_entity: bool
    rows: int
    ours: float
    floor: float
    rdflib: tuple[float, int] | str | None = None


def measure_oxigraph(store: pyoxigraph.Store, repeat: int) -> list[Figures]:
    """Time every bundled query with ``run_query`` and bare pyoxigraph, runs interleaved."""
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    figures = []
    for name in bundled_queries():
        sparql = load_query(name)
        best_ours = best_floor = math.inf
        rows = floor_rows = 0
        for _ in range(repeat):
            seconds, rows = timed(lambda: ours(sparql, store))  # noqa: B023
            best_ours = min(best_ours, seconds)
            seconds, floor_rows = timed(lambda: floor(sparql, store, prefixes))  # noqa: B023
            best_floor = min(best_floor, seconds)
        if rows != floor_rows:
            print(f"  {name}: run_query gave {rows} rows, pyoxigraph {floor_rows}", file=sys.stderr)
        one_entity = "# Parameters:" in sparql
        figures.append(Figures(name, one_entity, rows, best_ours, best_floor))
        print(f"  {name}: {rows} rows, ours {best_ours * 1000:.1f} ms", file=sys.stderr)
    return figures


def measure_rdflib(
    dataset: rdflib.Dataset, figures: list[Figures], repeat: int, timeout: float
) -> None:
    """Time every bundled query in rdflib, filling ``Figures.rdflib``."""
    for figure in figures:
        figure.rdflib = time_rdflib(
            dataset, with_prefixes(load_query(figure.name)), repeat, timeout
        )
        shown = figure.rdflib if isinstance(figure.rdflib, str) else f"{figure.rdflib[0]:.2f} s"
        print(f"  {figure.name}: rdflib {shown}", file=sys.stderr)


def _row(cells: list[str]) -> str:
    """A table line: the query name left-aligned, figures right-aligned, targets last."""
    widths = (22, 7, 10, 10, 10, 11, 11)
    figures = [cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=False)]
    return "  ".join([cells[0].ljust(widths[0]), *figures, *cells[len(widths) :]]).rstrip()


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}"


def _mark(met: bool) -> str:
    return "ok" if met else "MISS"


def table(figures: list[Figures], size: int) -> Iterator[str]:
    """The lines of one size's table, then footnotes for rdflib answers that differ."""
    yield _row(
        [
            "query",
            "rows",
            "ours_ms",
            "floor_ms",
            "ours/floor",
            "rdflib_ms",
            "rdflib/ours",
            "targets",
        ]
    )
    notes = []
    for figure in figures:
        ratio = figure.ours / figure.floor if figure.floor else math.inf
        marks = [f"floor {_mark(ratio <= TARGET_FLOOR)}"]
        if figure.one_entity:
            marks.insert(0, f"<{TARGET_ONE_MS:.0f}ms {_mark(figure.ours * 1000 < TARGET_ONE_MS)}")
        if figure.rdflib is None:
            rdflib_cell = versus = "-"
        elif isinstance(figure.rdflib, str):
            rdflib_cell, versus = figure.rdflib, "-"
            if figure.rdflib.startswith(">"):
                cap = float(figure.rdflib.strip(">s "))
                versus = f">{cap / figure.ours:,.0f}"
                marks.append(f"rdflib {_mark(cap / figure.ours >= TARGET_RDFLIB)}")
        else:
            seconds, rows = figure.rdflib
            rdflib_cell, versus = _ms(seconds), f"{seconds / figure.ours:,.1f}"
            marks.append(f"rdflib {_mark(seconds / figure.ours >= TARGET_RDFLIB)}")
            if rows != figure.rows:
                rdflib_cell += "*"
                notes.append(f"* {figure.name}: rdflib gave {rows} rows, Oxigraph {figure.rows}")
        cells = [
            figure.name,
            f"{figure.rows:,}",
            _ms(figure.ours),
            _ms(figure.floor),
            f"{ratio:.2f}",
            rdflib_cell,
            versus,
            ", ".join(marks),
        ]
        yield _row(cells)
    if size != TARGET_SIZE:
        notes.append(f"(the targets apply at {TARGET_SIZE:,} statements; shown for reference)")
    yield from notes


def _peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


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
    _progress(f"{size:,}: Oxigraph loaded {quads:,} quads in {oxigraph_load:.1f} s; querying")
    figures = measure_oxigraph(store, arguments.repeat)
    del store
    gc.collect()

    rdflib_load = None
    if size <= arguments.rdflib_max:
        _progress(f"{size:,}: loading into rdflib")
        start = time.perf_counter()
        dataset = load_rdflib(path)
        rdflib_load = time.perf_counter() - start
        _progress(f"{size:,}: rdflib loaded {len(dataset):,} triples in {rdflib_load:.1f} s")
        measure_rdflib(dataset, figures, arguments.repeat, arguments.rdflib_timeout)
        del dataset
        gc.collect()
    path.unlink()

    print()
    print(
        f"== {size:,} statements: {quads:,} quads in {graphs:,} named graphs "
        f"(N-Quads {megabytes:,.0f} MB, written in {write_seconds:.1f} s)"
    )
    rdflib_text = (
        f"rdflib Dataset.parse {rdflib_load:.1f} s"
        if rdflib_load is not None
        else f"rdflib skipped (above --rdflib-max {arguments.rdflib_max:,})"
    )
    print(
        f"   load: Oxigraph bulk_load {oxigraph_load:.1f} s; {rdflib_text}; "
        f"peak RSS so far {_peak_rss_gib():.1f} GiB"
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
    parser.add_argument("--rdflib-timeout", type=float, default=120.0, help="seconds per query")
    parser.add_argument("--repeat", type=int, default=3, help="runs per query; the best counts")
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
