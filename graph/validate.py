"""Validate a graph against the SHACL shapes in ``ontology/``.

The shapes are run by the project's SHACL engine (``graph.shacl``), which gives the
violations pyshacl gives in about a fifteenth of the time; ``reference_report`` runs
pyshacl itself, and shapes the engine does not read are run by pyshacl too.

``validate_graph`` checks one whole graph. ``validate_dataset`` gives the same
violations for a dataset of one named graph per source: each source's graph is checked
on its own with the shapes that look only inside one source, and the few shapes that
read the type of an entity another source may declare are checked by the engine on the
triples of all sources that they read (or, where the engine does not read them, by the
SPARQL queries of ``queries/checks/`` on an Oxigraph store of those triples). A
source whose graph has not changed since a previous build takes its violations from the
build's cache (``graph.buildcache``) instead of being checked again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Literal

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH

from .digests import SharedDigests, graph_digest, lines_digest, sorted_lines
from .errors import ValidationError
from .forked import cpus, even_runs, run_all
from .namespaces import compact_iri
from .ontology import load_ontology, load_shapes, ontology_dir
from .rdf import BuiltInPart, each_triple, held_graphs, partial_graphs, union_view, whole_graph
from .resources import resource_dir
from .shacl import CompiledShapes, Unsupported, compile_shapes, ntriples_line, oxigraph_quad

__all__ = [
    "CROSS_SOURCE_QUERIES",
    "ValidationCache",
    "ValidationReport",
    "Violation",
    "check_graph",
    "graph_digest",
    "query_cross_source_violations",
    "reference_report",
    "validate_dataset",
    "validate_graph",
]

CROSS_SOURCE_QUERIES = (
    "property-class.rq",
    "property-node.rq",
    "subjects-of-relations.rq",
    "objects-of-relations.rq",
)
"""The queries of ``queries/checks/`` that check the shapes which look across sources."""
_SHAPES_GRAPH = "urn:apg:cross-source-shapes"
_PARALLEL_TRIPLES = 20_000
_ENGINE_PARALLEL_TRIPLES = 50_000
# what a type set (apgsh:IsActor, ...) may use for the queries to read it as pyshacl does
_TYPE_SET_TERMS = frozenset({RDF.type, RDF.first, RDF.rest, RDFS.comment, SH.message, SH["and"],
                             SH["or"], SH["not"], SH["class"]})  # fmt: skip


@dataclass(frozen=True, order=True)
class Violation:
    """One top-level SHACL result of severity Violation; terms are full IRIs or literals."""

    focus: str
    message: str
    path: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        details = [
            f"{name} {compact_iri(term)}"
            for name, term in (("path", self.path), ("value", self.value))
            if term
        ]
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{compact_iri(self.focus)}: {self.message}{suffix}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a SHACL validation: a flag, the violations, pyshacl's full text.

    ``digests`` gives, when a dataset was checked with a cache, the SHA-256 of each
    named graph's triples as the cache keys it (see ``ValidationCache``), by the graph's
    IRI: what ``graph.sparql.store`` compares to learn which graphs a store must change.
    """

    conforms: bool
    violations: tuple[Violation, ...]
    text: str
    digests: Mapping[str, str] = field(default_factory=dict, compare=False)


def validate_graph(graph: Graph) -> ValidationReport:
    """Check ``graph`` against the project's shapes, with the ontology beside it.

    The ontology is read with the graph so that ``sh:class`` and ``sh:targetClass``
    follow ``rdfs:subClassOf``; this is what RDFS inference would give the shapes.
    """
    engine = _engine("whole")
    if engine is None:
        return reference_report(graph)
    return _report(Violation(*found) for found in engine.violations(graph))


def reference_report(graph: Graph) -> ValidationReport:
    """Check ``graph`` with pyshacl itself: the reference the engine is tested against."""
    conforms, results, text = _pyshacl(graph, load_shapes())
    return ValidationReport(bool(conforms), tuple(_violations(results)), str(text))


def validate_dataset(
    dataset: Dataset,
    cache: ValidationCache | None = None,
    *,
    jobs: int | None = None,
    inputs: Mapping[str, str] | None = None,
) -> ValidationReport:
    """Check the union of the graphs of ``dataset`` against the shapes, one graph at a time.

    Gives the violations ``validate_graph`` gives for the union, when each named graph
    holds one source as ``graph.rdf.build_dataset`` builds it: every statement with its
    evidence, plain triple and source, every entity with the whole description the corpus
    gives it. With ``cache``, a graph whose triples were validated before is not validated
    again. The graphs left to validate are shared among ``jobs`` processes (by default
    one per CPU) when they hold enough triples to be worth starting them. Shapes that use
    a form the cross-source queries cannot read are all run by pyshacl over the union
    instead. With ``inputs`` too (``graph.rdf.graph_inputs`` of the corpus), a graph
    made of the records a build before saw is known by the digest that build found, and
    its triples are not read to find it again (see ``ValidationCache.known_digests``).
    """
    check = DatasetCheck(dataset, cache, jobs=jobs, inputs=inputs)
    if check.pieces is None:
        return _validate_by_pyshacl(dataset, cache, jobs)
    return check.report(run_all(check.pieces, check.workers))


def checks_in_pieces() -> bool:
    """Whether ``DatasetCheck`` makes pieces of the checks (the engine reads the shapes),
    rather than leave pyshacl to check every graph whole."""
    return _split_shapes() is not None and _engine("per source") is not None


class DatasetCheck:
    """``validate_dataset`` as pieces of work that can run beside others (``graph.forked``).

    ``pieces`` are the cross-source checks (taken from the cache when the triples they
    read are those of a build before, see ``_checked_across``), then the sources cut
    into runs of about equal size, in order; each run's piece makes its sources' cache
    keys, takes what the cache holds and has the engine check the rest. ``report``
    turns their results, in order, into the report ``validate_dataset`` gives, and
    keeps the new violations in the cache. ``workers`` is the number of processes worth starting for
    them alone. ``pieces`` is None when the engine does not read the shapes (pyshacl
    then checks them, see ``validate_dataset``).
    """

    def __init__(
        self,
        dataset: Dataset,
        cache: ValidationCache | None = None,
        *,
        jobs: int | None = None,
        digests: SharedDigests | None = None,
        inputs: Mapping[str, str] | None = None,
        known: Mapping[str, str] | None = None,
        whole: Callable[[], Dataset] | None = None,
    ) -> None:
        self.cache = cache
        self._inputs = {} if cache is None or inputs is None else dict(inputs)
        if self._inputs and cache is not None:
            if digests is None:
                digests = SharedDigests(str(graph.identifier) for graph in dataset.graphs())
            if known is None:
                known = cache.known_digests(self._inputs)
            for name, digest in known.items():
                digests.put(name, digest)
        known = {} if not self._inputs or known is None else dict(known)
        self.pieces: list[Callable[[], Any]] | None = None
        self.workers = 1
        engine = _engine("per source")
        if _split_shapes() is None or engine is None:
            return
        parts = list(held_graphs(dataset))
        self._names = [str(part.identifier) for part in parts]
        if sum(len(part) for part in parts) >= _ENGINE_PARALLEL_TRIPLES:
            self.workers = min(jobs or cpus(), len(parts))
        # a graph whose digest a build before found for the same records is, but for a
        # damaged cache, one whose violations are kept: looked up, not checked
        work = [1 if str(part.identifier) in known else len(part) for part in parts]
        runs = even_runs(work, 1 if self.workers == 1 else 4 * self.workers)
        self.pieces = [
            partial(_checked_across, dataset, cache, known, whole),
            *(
                partial(_check_sources, engine, [parts[n] for n in run], cache, digests)
                for run in runs
            ),
        ]

    def report(self, results: list[Any]) -> ValidationReport:
        """The report of the results of ``pieces``, in their order."""
        crossing, *runs = results
        assert isinstance(crossing, _Crossing)
        found: set[Violation] = set(crossing.violations)
        digests: dict[str, str] = {}
        checked = (each for run in runs for each in run)  # the runs cut the graphs in order
        for name, (digest, key, violations, cached) in zip(self._names, checked, strict=True):
            found.update(violations)
            if self.cache is not None and key is not None and digest is not None:
                digests[name] = digest
                if cached:
                    self.cache.found_elsewhere(key)
                else:
                    self.cache.put(key, violations)
        if self.cache is not None:
            self.cache.remember_digests(self._inputs, digests)
            crossing.keep(self.cache, digests)
        return _report(found, digests)


@dataclass(frozen=True)
class _Crossing:
    """What ``_checked_across`` found: the cross-source violations; with a cache, their
    key, whether the cache held them, each graph's share (``_share_digest``) by name,
    and the names of the graphs whose share was made rather than looked up."""

    violations: tuple[Violation, ...]
    key: str | None = None
    cached: bool = False
    shares: Mapping[str, str] = field(default_factory=dict)
    made: frozenset[str] = frozenset()

    def keep(self, cache: ValidationCache, digests: Mapping[str, str]) -> None:
        """Keep the violations under their key, and each graph's share under the digest
        of its triples (``digests``: by graph name), for the next build's look-ups."""
        if self.key is None:
            return
        if self.cached:
            cache.found_elsewhere(self.key)
        else:
            cache.put(self.key, list(self.violations))
        for name, share in self.shares.items():
            digest = digests.get(name)
            if digest is not None:
                cache.put_share(digest, share, made=name in self.made)


def _checked_across(
    dataset: Dataset,
    cache: ValidationCache | None,
    known: Mapping[str, str],
    whole: Callable[[], Dataset] | None = None,
) -> _Crossing:
    """``cross_source_violations(dataset)``, or the violations the cache holds for the
    same triples: those shapes read the union of every graph's share of the triples
    they follow (``_share_digest``), so the same shares give the same violations. A
    graph whose digest is ``known`` (by name: found by a build before for the same
    records) has its share looked up by that digest; the others' are made. Where some
    graphs of ``dataset`` were built in part (their shares then looked up), and the
    cache holds no violations for the shares, they are found in the dataset ``whole``
    gives."""
    if cache is None:
        return _Crossing(tuple(cross_source_violations(dataset)))
    shares: dict[str, str] = {}
    made: set[str] = set()
    for part in held_graphs(dataset):
        name = str(part.identifier)
        digest = known.get(name)
        share = None if digest is None else cache.share(digest)
        if share is None:
            share = _share_digest(part)
            made.add(name)
        shares[name] = share
    key = cache.across_key(shares.values())
    held = cache.get(key)
    if held is not None:
        return _Crossing(tuple(held), key, True, shares, frozenset(made))
    if partial_graphs(dataset):
        if whole is None:
            raise BuiltInPart("the cross-source checks read every graph whole")
        dataset = whole()
    violations = tuple(cross_source_violations(dataset))
    return _Crossing(violations, key, False, shares, frozenset(made))


def _share_digest(graph: Graph) -> str:
    """The SHA-256 of the triples of ``graph`` that the cross-source shapes read (those of
    ``_followed_predicates``), one line of N-Triples each, sorted."""
    followed = _followed()
    triples = each_triple(whole_graph(graph))
    return lines_digest(sorted(ntriples_line(t) for t in triples if t[1] in followed))


@cache
def _followed() -> frozenset[URIRef]:
    """The data predicates the cross-source shapes read (``_followed_predicates``)."""
    split = _split_shapes()
    assert split is not None
    return frozenset(_followed_predicates(split[1]))


_Checked = tuple[str | None, str | None, list[Violation], bool]
"""What ``_check_sources`` says of a graph: the digest of its triples and its cache key
(None without a cache), its violations, and whether the cache held them."""


def _check_sources(
    engine: CompiledShapes,
    parts: list[Graph],
    cache: ValidationCache | None,
    digests: SharedDigests | None = None,
) -> list[_Checked]:
    """What each graph of ``parts`` is found to be (``_Checked``); the engine checks
    those the cache does not hold, all at once. The digests made are put on
    ``digests``, for the pieces of work beside the checks."""
    found: list[_Checked] = []
    missed: list[int] = []
    texts: list[str] = []
    for part in parts:
        name = str(part.identifier)
        given = None if digests is None else digests.get(name)
        digest, key, known = _looked_up(part, cache, given)
        if digests is not None and digest is not None and digest != given:
            digests.put(name, digest)
        if isinstance(known, str):  # the graph's triples, to check
            missed.append(len(found))
            texts.append(known)
            found.append((digest, key, [], False))
        else:
            found.append((digest, key, known, True))
    read = [each_triple(parts[n]) for n in missed]  # each read once: the texts are given
    checked = engine.validate_many(read, texts) if missed else []
    for index, violations in zip(missed, checked, strict=True):
        digest, key, _, _ = found[index]
        found[index] = (digest, key, sorted(Violation(*each) for each in violations), False)
    return found


def _looked_up(
    part: Graph, cache: ValidationCache | None, digest: str | None = None
) -> tuple[str | None, str | None, list[Violation] | str]:
    """A graph's digest and cache key, and either the violations the cache holds under
    that key or, where it holds none, the graph's triples to check, as sorted N-Triples
    lines; without a cache, no digest or key. With ``digest`` (the graph's, known
    already), the lines are made only when the cache holds no violations for it."""
    if cache is not None and digest is not None:
        key = cache.key(digest)
        known = cache.get(key)
        if known is not None:
            return digest, key, known
    lines = sorted_lines(part)
    if cache is None:
        return None, None, "".join(lines)
    digest = lines_digest(lines)
    key = cache.key(digest)
    known = cache.get(key)
    return digest, key, "".join(lines) if known is None else known


def _validate_by_pyshacl(
    dataset: Dataset, cache: ValidationCache | None, jobs: int | None
) -> ValidationReport:
    """``validate_dataset`` when the engine does not read the shapes: pyshacl checks each
    source's graph, or the union when the cross-source queries cannot read them."""
    if _split_shapes() is None:
        return validate_graph(union_view(dataset))
    found: set[Violation] = set()
    pending: list[tuple[str | None, str]] = []  # (cache key, the graph's N-Triples)
    digests: dict[str, str] = {}
    for part in held_graphs(dataset):
        digest, key, known = _looked_up(part, cache)
        if digest is not None:
            digests[str(part.identifier)] = digest
        if isinstance(known, str):  # the graph's triples, to check
            pending.append((key, known))
        else:
            found.update(known)
    texts = [text for _, text in pending]
    workers = 1 if sum(t.count("\n") for t in texts) < _PARALLEL_TRIPLES else jobs or cpus()
    if texts:
        import pyshacl  # noqa: F401  (imported once, before any fork, for every worker)
    checked = run_all([partial(_validate_turtle, text) for text in texts], workers)
    for (key, _), part_violations in zip(pending, checked, strict=True):
        found.update(part_violations)
        if cache is not None and key is not None:
            cache.put(key, part_violations)
    found.update(cross_source_violations(dataset))
    return _report(found, digests)


def cross_source_violations(dataset: Dataset) -> list[Violation]:
    """The violations of the shapes that read an entity's type, over all of ``dataset``.

    The engine (``graph.shacl``) checks those shapes on the triples of the whole dataset
    that they read: types, subclasses, their paths and relations (a tenth of the
    triples). Where the engine does not read them, the queries of ``queries/checks/``
    check them on an in-memory Oxigraph store (``query_cross_source_violations``).
    """
    split = _split_shapes()
    if split is None:
        raise ValueError("the shapes use a form the cross-source queries cannot read")
    engine = _engine("across sources")
    if engine is None:
        return query_cross_source_violations(dataset)
    read = [
        triple
        for predicate in sorted(_followed())  # what each graph's share holds, too
        for triple in _union_triples(dataset, predicate)
    ]
    return sorted({Violation(*violation) for violation in engine.violations(read)})


def query_cross_source_violations(dataset: Dataset) -> list[Violation]:
    """``cross_source_violations`` by the queries of ``queries/checks/``, on an in-memory
    Oxigraph store of the dataset's type triples and the triples those shapes follow,
    with the ontology."""
    split = _split_shapes()
    if split is None:
        raise ValueError("the shapes use a form the cross-source queries cannot read")
    _, shapes = split
    store = pyoxigraph.Store()
    shapes_graph = pyoxigraph.NamedNode(_SHAPES_GRAPH)
    store.bulk_extend(oxigraph_quad(triple, shapes_graph) for triple in shapes)
    store.bulk_extend(oxigraph_quad(triple) for triple in load_ontology())
    for predicate in sorted(_followed_predicates(shapes)):
        text = "".join(map(ntriples_line, _union_triples(dataset, predicate)))
        try:
            store.load(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        except SyntaxError:  # an IRI N-Triples cannot write: the terms one by one
            store.bulk_extend(oxigraph_quad(t) for t in _union_triples(dataset, predicate))
    found = set()
    for name in CROSS_SOURCE_QUERIES:
        solutions = store.query(_check_query(name))
        assert isinstance(solutions, pyoxigraph.QuerySolutions)
        for row in solutions:
            path, value = row["path"], row["value"]
            found.add(
                Violation(
                    focus=_term(row["focus"]),
                    message=str(row["message"].value),
                    path=None if path is None else _term(path),
                    value=None if value is None else _term(value),
                )
            )
    return sorted(found)


def check_graph(graph: Graph) -> ValidationReport:
    """Validate ``graph`` and raise ``ValidationError`` when it does not conform."""
    report = validate_graph(graph)
    if not report.conforms:
        raise ValidationError(report.text, [str(v) for v in report.violations])
    return report


def _pyshacl(graph: Graph, shapes: Graph) -> tuple[bool, Graph, str]:
    """pyshacl's outcome for ``graph`` with the ontology, against ``shapes``."""
    data = Graph()
    for triple in graph:
        data.add(triple)
    for triple in load_ontology():
        data.add(triple)
    from pyshacl import validate as shacl_validate  # loaded when a graph is validated

    conforms, results, text = shacl_validate(
        data,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        inplace=True,
    )
    return bool(conforms), results, str(text)


def _validate_turtle(text: str) -> list[Violation]:
    """The violations of the one-source shapes in the graph that ``text`` (Turtle) holds."""
    split = _split_shapes()
    assert split is not None
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return _violations(_pyshacl(graph, split[0])[1])


@cache
def _engine(shapes: Literal["whole", "per source", "across sources"]) -> CompiledShapes | None:
    """The shapes compiled by the engine: all of them, those checked per source, or those
    checked across sources; None when the engine does not read them, or when the shapes
    cannot be split (``_split_shapes``)."""
    if shapes == "whole":
        chosen = load_shapes()
    else:
        split = _split_shapes()
        if split is None:
            return None
        chosen = split[0] if shapes == "per source" else split[1]
    try:
        return compile_shapes(chosen, load_ontology())
    except Unsupported:
        return None


def _report(
    violations: Iterable[Violation], digests: Mapping[str, str] | None = None
) -> ValidationReport:
    found = tuple(sorted(set(violations)))
    return ValidationReport(not found, found, _report_text(found), dict(digests or {}))


def _report_text(violations: tuple[Violation, ...]) -> str:
    """A report in the words of pyshacl's summary: the flag, then one line per violation."""
    lines = ["Validation Report", f"Conforms: {not violations}"]
    if violations:
        lines.append(f"Results ({len(violations)}):")
        lines += [f"  {violation}" for violation in violations]
    return "\n".join(lines) + "\n"


@cache
def _split_shapes() -> tuple[Graph, Graph] | None:
    """The shapes split into those checked per source and those checked across sources.

    Across sources: the node shapes aimed at the subjects or objects of a relation, and
    the property shapes whose values must be of an entity type (``sh:class apg:Entity``
    or ``sh:node``), each with the type sets they name. None when one of them uses a form
    that the queries of ``queries/checks/`` do not read.
    """
    from .ontology import vocabulary  # the entity types and relations of the ontology

    shapes = load_shapes()
    relations = set(vocabulary().relations.values())
    entity = URIRef("https://w3id.org/actor-position-graph/ontology#Entity")
    cross = Graph()
    for shape in set(shapes.subjects(SH.targetSubjectsOf)) | set(
        shapes.subjects(SH.targetObjectsOf)
    ):
        targets = set(shapes.objects(shape, SH.targetSubjectsOf)) | set(
            shapes.objects(shape, SH.targetObjectsOf)
        )
        if not targets <= relations:
            continue
        if not _node_shape_readable(shapes, shape):
            return None
        _move(shapes, cross, shape)
    for owner, prop in list(shapes.subject_objects(SH.property)):
        if (prop, SH["class"], entity) not in shapes and (prop, SH.node, None) not in shapes:
            continue
        if not _property_shape_readable(shapes, prop):
            return None
        shapes.remove((owner, SH.property, prop))
        cross.add((owner, SH.property, prop))
        for target in shapes.objects(owner, SH.targetClass):
            cross.add((owner, SH.targetClass, target))
        _move(shapes, cross, prop)
    for type_set in set(cross.objects(None, SH.node)):
        if not _type_set_readable(shapes, type_set):
            return None
        for triple in _description(shapes, type_set):
            cross.add(triple)
    return shapes, cross


def _node_shape_readable(shapes: Graph, shape: Any) -> bool:
    allowed = {RDF.type, SH.targetSubjectsOf, SH.targetObjectsOf, SH.node, SH.message,
               RDFS.comment}  # fmt: skip
    return set(shapes.predicates(shape)) <= allowed and shapes.value(shape, SH.message) is not None


def _property_shape_readable(shapes: Graph, prop: Any) -> bool:
    allowed = {SH.path, SH["class"], SH.node, SH.nodeKind, SH.message}
    kind = shapes.value(prop, SH.nodeKind)
    return (
        set(shapes.predicates(prop)) <= allowed
        and isinstance(shapes.value(prop, SH.path), URIRef)
        and shapes.value(prop, SH.message) is not None
        and kind in (None, SH.IRI)
        and len(set(shapes.objects(prop, SH["class"])) | set(shapes.objects(prop, SH.node))) == 1
    )


def _type_set_readable(shapes: Graph, type_set: Any) -> bool:
    """Whether a type set uses only ``sh:and``, ``sh:or``, ``sh:not`` and ``sh:class``."""
    return all(
        predicate in _TYPE_SET_TERMS and (predicate != SH.node)
        for _, predicate, _ in _description(shapes, type_set)
    )


def _description(shapes: Graph, node: Any) -> Iterator[Any]:
    """The triples of ``node`` and of the blank nodes and lists it leads to."""
    seen: set[object] = set()
    todo = [node]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for _, predicate, obj in shapes.triples((current, None, None)):
            yield current, predicate, obj
            if isinstance(obj, BNode):
                todo.append(obj)


def _move(shapes: Graph, cross: Graph, node: Any) -> None:
    for triple in list(_description(shapes, node)):
        cross.add(triple)
        if triple[0] == node:
            shapes.remove(triple)


def _followed_predicates(cross: Graph) -> set[URIRef]:
    """The data predicates the cross-source shapes read: types, paths and relations."""
    followed = {RDF.type, RDFS.subClassOf}
    followed.update(p for p in cross.objects(None, SH.path) if isinstance(p, URIRef))
    for target in (SH.targetSubjectsOf, SH.targetObjectsOf):
        followed.update(p for p in cross.objects(None, target) if isinstance(p, URIRef))
    return followed


def _union_triples(dataset: Dataset, predicate: URIRef) -> Iterable[Any]:
    """The distinct triples of ``predicate`` in all the graphs of ``dataset``."""
    for triple, _ in dataset.store.triples((None, predicate, None), context=None):
        yield triple


@cache
def _check_query(name: str) -> str:
    folder = resource_dir("queries", f"checks/{name}") / "checks"
    return (folder / name).read_text(encoding="utf-8")


def _term(term: object) -> str:
    """A term of a query's answer as ``Violation`` holds it (as pyshacl's results do)."""
    if isinstance(term, pyoxigraph.Literal):
        return term.value
    if isinstance(term, pyoxigraph.NamedNode):
        return term.value
    return str(term)


@cache
def _rules_digest() -> str:
    """The SHA-256 of all that decides a graph's violations besides the graph itself."""
    digest = hashlib.sha256()
    engine = Path(__file__).with_name("shacl.py")
    for path in (ontology_dir() / "apg.ttl", ontology_dir() / "shapes.ttl", Path(__file__), engine):
        digest.update(path.read_bytes())
    for package in ("pyshacl", "rdflib", "actor-position-graph"):
        try:
            digest.update(f"{package} {version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    return digest.hexdigest()


class ValidationCache:
    """Violations of graphs validated before, kept in a folder by the SHA-256 of each graph.

    An entry holds its own key; one that cannot be read, or holds another key, is a miss,
    so a damaged cache costs time, never a wrong answer. New entries are written by
    ``save`` (so that a build that fails before its output folder exists leaves no
    folder behind); ``keep_only_used`` drops the entries a build did not use.
    """

    def __init__(self, folder: Path | str) -> None:
        from .buildcache import EntryFolder  # the cache's files

        self.entries = EntryFolder(Path(folder))
        self.used: set[str] = set()
        self.unsaved: dict[str, list[Violation]] = {}
        self.unsaved_digests: dict[str, str] = {}
        self.kept_digests: dict[str, str] = {}  # what known_digests read from the folder

    def key(self, content_digest: str) -> str:
        """The key of a graph whose triples have ``content_digest``, under today's shapes."""
        return hashlib.sha256(f"{_rules_digest()} {content_digest}".encode()).hexdigest()

    def holds(self, content_digest: str) -> bool:
        """Whether the checks of a graph whose triples have ``content_digest`` need not
        read it: the cache holds its violations and its share of the cross-source
        shapes' triples (see ``DatasetCheck``)."""
        violations = self.get(self.key(content_digest))
        return violations is not None and self.share(content_digest) is not None

    def get(self, key: str) -> list[Violation] | None:
        """The violations kept under ``key``, or None."""
        self.used.add(key)
        if key in self.unsaved:
            return self.unsaved[key]
        document = self.entries.read(key)
        if not isinstance(document, list):
            return None
        violations = []
        for item in document:
            if not (isinstance(item, list) and len(item) == 4):
                return None
            focus, message, path, value = item
            if not (isinstance(focus, str) and isinstance(message, str)):
                return None
            if not all(term is None or isinstance(term, str) for term in (path, value)):
                return None
            violations.append(Violation(focus, message, path, value))
        return violations

    def across_key(self, shares: Iterable[str]) -> str:
        """The key of the cross-source violations of a dataset whose graphs' shares of
        the triples those shapes read have the digests ``shares``, under today's shapes."""
        listed = " ".join(sorted(shares))
        return hashlib.sha256(f"{_rules_digest()} across {listed}".encode()).hexdigest()

    def share(self, digest: str) -> str | None:
        """The digest of the share of the cross-source shapes' triples of a graph whose
        triples have ``digest`` (``put_share``), or None."""
        from .buildcache import is_sha256

        key = self._share_key(digest)
        self.used.add(key)
        document = self.unsaved_digests.get(key) or self.entries.read(key)
        return document if is_sha256(document) else None

    def put_share(self, digest: str, share: str, *, made: bool = True) -> None:
        """Keep ``share`` as the share of a graph whose triples have ``digest``, written
        by ``save``; one looked up (``made=False``) is only kept as used."""
        key = self._share_key(digest)
        self.used.add(key)
        if made:
            self.unsaved_digests[key] = share

    def _share_key(self, digest: str) -> str:
        return hashlib.sha256(f"{_rules_digest()} share {digest}".encode()).hexdigest()

    def found_elsewhere(self, key: str) -> None:
        """Mark the entry under ``key`` as used by this build: another process (a worker)
        read it from the folder, so ``keep_only_used`` keeps it."""
        self.used.add(key)

    def put(self, key: str, violations: list[Violation]) -> None:
        """Keep ``violations`` under ``key``, written to the folder by ``save``."""
        self.used.add(key)
        self.unsaved[key] = violations

    def save(self) -> None:
        """Write the entries ``put`` since the last save (a failure to write is no error)."""
        for key, violations in self.unsaved.items():
            rows = [[v.focus, v.message, v.path, v.value] for v in violations]
            self.entries.write(key, rows)
        self.unsaved.clear()
        for key, digest in self.unsaved_digests.items():
            self.entries.write(key, digest)
        self.unsaved_digests.clear()

    def keep_only_used(self) -> None:
        """Remove the entries that no ``get``, ``put`` or ``found_elsewhere`` named since
        this cache was made."""
        self.entries.keep_only(self.used)

    def known_digests(self, inputs: Mapping[str, str]) -> dict[str, str]:
        """The digest of each graph of ``inputs`` (its name, and the SHA-256 of the
        records it was made of: ``graph.rdf.graph_inputs``) that a build before found
        for a graph made of the same records by the same code."""
        from .buildcache import is_sha256

        found = {}
        for name, records in inputs.items():
            key = _inputs_key(records)
            self.used.add(key)
            document = self.unsaved_digests.get(key) or self.entries.read(key)
            if is_sha256(document):
                self.kept_digests[key] = found[name] = document
        return found

    def remember_digests(self, inputs: Mapping[str, str], digests: Mapping[str, str]) -> None:
        """Keep, for ``known_digests``, the digest of each graph of ``inputs`` found in
        ``digests`` (written by ``save``, where not kept already)."""
        for name, records in inputs.items():
            digest = digests.get(name)
            if digest is None:
                continue
            key = _inputs_key(records)
            self.used.add(key)
            if self.kept_digests.get(key) != digest:
                self.unsaved_digests[key] = digest


def _inputs_key(records: str) -> str:
    """The key of the digest of a graph made of the records of SHA-256 ``records``."""
    from .buildcache import code_digest

    return hashlib.sha256(f"graph of {code_digest()} {records}".encode()).hexdigest()


def _violations(results: Graph) -> list[Violation]:
    """The top-level violations (nested ``sh:detail`` results are left out), sorted."""
    found = set()
    for result in results.objects(None, SH.result):
        if (result, SH.resultSeverity, SH.Violation) not in results:
            continue
        path, value = results.value(result, SH.resultPath), results.value(result, SH.value)
        found.add(
            Violation(
                focus=str(results.value(result, SH.focusNode)),
                message=str(results.value(result, SH.resultMessage) or "violates a shape"),
                path=None if path is None else str(path),
                value=None if value is None else str(value),
            )
        )
    return sorted(found)
