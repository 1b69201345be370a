"""Load a corpus, build its graph and validate it, writing nothing."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from rdflib import Dataset, Graph

from . import collector
from .annotations import load_corpus
from .buildcache import cache_folder
from .corpus import Corpus, Statement
from .digests import SharedDigests
from .errors import ValidationError
from .forked import run_all
from .keptsources import KeptSources
from .namespaces import ENT
from .rdf import build_dataset, graph_inputs, statement_iri, union_view
from .validate import (
    DatasetCheck,
    ValidationCache,
    ValidationReport,
    Violation,
    checks_in_pieces,
    validate_dataset,
)

__all__ = [
    "CheckedGraph",
    "build_checks",
    "build_sources",
    "load_checked",
    "load_checked_beside",
    "load_graph",
]

T = TypeVar("T")


@dataclass(frozen=True)
class CheckedGraph:
    """A corpus and its graphs, validated: one named graph per source, and their union.

    ``graph`` is a read-only view of the union over the dataset's own store (see
    ``graph.rdf.union_view``): the triples are held once.
    """

    corpus: Corpus
    dataset: Dataset
    graph: Graph
    report: ValidationReport


def build_checks(out_dir: Path | str | None) -> ValidationCache | None:
    """What the builds in ``out_dir`` found when they checked each source's graph, for
    a build there or a command that loads and checks the same sources (None for None).

    The entries are ``build``'s cache (``OUT/.cache/validation``), each kept under the
    SHA-256 of a source's triples and of the shapes: a source whose graph a build
    checked, and which has not changed since, is not checked again, and its violations
    are the ones the build found. Nothing is written unless the caller saves the cache,
    which only ``build`` does; a missing or damaged folder or entry is a miss, and the
    source is checked.
    """
    if out_dir is None:
        return None
    return ValidationCache(cache_folder(out_dir, "validation"))


def build_sources(out_dir: Path | str | None) -> KeptSources | None:
    """The sources the builds in ``out_dir`` read, as they read them, for a command that
    loads the same sources (None for None): one whose annotation file and text did not
    change since is not parsed again (see ``graph.keptsources``). Read, never written."""
    if out_dir is None:
        return None
    return KeptSources(cache_folder(out_dir, "sources"), read_only=True)


def load_checked(
    data_dir: Path | str = "data",
    *,
    cache: ValidationCache | None = None,
    jobs: int | None = None,
    kept_sources: KeptSources | None = None,
) -> CheckedGraph:
    """Load the annotated sources of ``data_dir``, build their graph and validate it.

    Each source is validated on its own, and what looks across sources by SPARQL (see
    ``graph.validate.validate_dataset``); with ``cache``, a source whose graph was
    validated before is not validated again. A large corpus is read and checked by up to
    ``jobs`` worker processes (by default one per CPU). Raises ``AnnotationError`` or
    ``ValidationError`` (whose lines name the annotation file and item behind each
    violation); writes nothing but the cache's entries. With ``kept_sources``, the
    sources a build read and that did not change since are taken as read then.
    """
    with collector.paused():
        corpus = load_corpus(data_dir, jobs=jobs, kept=kept_sources)
        dataset = build_dataset(corpus)
        inputs = None if cache is None else graph_inputs(corpus)
        report = _check(corpus, validate_dataset(dataset, cache, jobs=jobs, inputs=inputs))
    return CheckedGraph(corpus, dataset, union_view(dataset), report)


def load_checked_beside(
    data_dir: Path | str,
    work: Callable[[Corpus, Dataset, Graph, SharedDigests], Sequence[Callable[[], T]]],
    *,
    cache: ValidationCache | None = None,
    jobs: int | None = None,
    arrived: Callable[[int, T], None] | None = None,
    passed: Callable[[ValidationReport], None] | None = None,
    kept_sources: KeptSources | None = None,
    early: Callable[[Corpus], Sequence[Callable[[], T]]] | None = None,
    spare: Callable[[Mapping[str, str]], Collection[str]] | None = None,
) -> tuple[CheckedGraph, list[T]]:
    """``load_checked``, with the pieces of work that ``work`` gives for the graph done
    while the graph is checked, by the same worker processes (see ``graph.forked``).

    ``work`` is given the corpus, its dataset, the union view and the board on which
    the checks put the digest of each source's graph (see ``graph.digests``), for the
    pieces that need them to take rather than make them. The results of its
    pieces, in order, are returned once the graph has passed the shapes. When it fails,
    the pieces still under way are stopped and ``ValidationError`` is raised as
    ``load_checked`` raises it; an exception a piece raises is raised only once the
    graph has passed, since a bad graph would explain it better. ``arrived``, when given,
    is called in this process with each piece's index and result as soon as it comes,
    before the graph is known to pass (the caller undoes what it starts if the graph
    fails). ``passed``, when given, is called in this process with the report as soon
    as the graph is known to pass, while the pieces may still be at work.

    ``early``, when given, is given the corpus as soon as it is read, for pieces that
    need nothing else: the first of them begin in workers while this process builds
    the dataset, the rest after the checks and the pieces of ``work``. Their results
    follow those of ``work`` (and their indices, for ``arrived``).

    The checks are handed to the workers first, so that a graph that fails stops the
    work early, and the pieces after them find the digests they made. With
    ``kept_sources``, the sources a build read before and that did not change are taken
    as read then.

    ``spare``, when given with ``cache``, is given the digest of each graph that a
    build before found for the same records (by name: the graphs that did not change),
    and names those of them that the pieces of ``work`` can do without reading whole.
    Of each of these whose checks the cache holds (``ValidationCache.holds``), the
    dataset holds only the part other graphs may share (see ``graph.rdf.build_dataset``:
    building the others costs a fraction of the time): the pieces of ``work`` are given
    that dataset, and so is the graph returned (``graph.rdf.partial_graphs`` names
    them); what needs the whole dataset builds it from the corpus.
    """
    with collector.paused():
        corpus = load_corpus(data_dir, jobs=jobs, kept=kept_sources)
        begun = [_Held.run_of(piece) for piece in (early(corpus) if early is not None else [])]
        later: list[_Built] = []  # what this process made while the early pieces began
        found: dict[int, Any] = {}
        reports: list[ValidationReport] = []

        def checked_and_made() -> list[Callable[[], _Held]]:
            inputs = None if cache is None else graph_inputs(corpus)
            known = None if cache is None or inputs is None else cache.known_digests(inputs)
            spared: list[str] = []
            if spare is not None and cache is not None and known and checks_in_pieces():
                spared = [name for name in spare(known) if cache.holds(known[name])]
            dataset = build_dataset(corpus, partial=spared)
            view = union_view(dataset)
            digests = SharedDigests(str(graph.identifier) for graph in dataset.graphs())
            pieces = [_Held.run_of(piece) for piece in work(corpus, dataset, view, digests)]
            check = DatasetCheck(
                dataset,
                cache,
                jobs=jobs,
                digests=digests,
                inputs=inputs,
                known=known,
                whole=lambda: build_dataset(corpus),
            )
            if check.pieces is None:  # pyshacl checks the shapes: first, on their own
                report = _check(corpus, validate_dataset(dataset, cache, jobs=jobs, inputs=inputs))
                reports.append(report)
                if passed is not None:
                    passed(report)
            later.append(_Built(dataset, view, check, len(pieces)))
            return [*(check.pieces or []), *pieces]

        def role(index: int) -> tuple[str, int]:
            """What the piece of ``index`` in the run is, a check or a piece of work, and
            which: the early pieces, then the checks, then the pieces of ``work``; the
            results of the early pieces follow those of ``work``."""
            if index < len(begun):
                return "made", later[0].made + index
            checks = len(later[0].check.pieces or [])
            at = index - len(begun)
            return ("check", at) if at < checks else ("made", at - checks)

        def watch(index: int, result: Any) -> None:
            kind, number = role(index)
            if kind == "check":
                found[number] = result
                checks = len(later[0].check.pieces or [])
                if len(found) == checks:
                    reports.append(later[0].check.report([found[n] for n in range(checks)]))
                    _check(corpus, reports[0])  # a failure stops the other pieces
                    if passed is not None:
                        passed(reports[0])
            elif arrived is not None and result.error is None:
                arrived(number, result.result)

        done = run_all(begun, jobs, check=watch, then=checked_and_made)
        made: dict[int, _Held] = {}
        for index, held in enumerate(done):
            kind, number = role(index)
            if kind == "made":
                made[number] = held
        report = reports[0]
    return (
        CheckedGraph(corpus, later[0].dataset, later[0].view, report),
        [made[number].value() for number in range(len(made))],
    )


@dataclass(frozen=True)
class _Built:
    """What ``load_checked_beside`` builds while its early pieces begin: the dataset, its
    union view, the checks, and how many pieces of work it gave."""

    dataset: Dataset
    view: Graph
    check: DatasetCheck
    made: int


@dataclass(frozen=True)
class _Held:
    """What a piece of work gave: its result, or the exception it raised and where."""

    result: Any = None
    error: BaseException | None = None
    where: str = ""

    @staticmethod
    def run_of(piece: Callable[[], Any]) -> Callable[[], _Held]:
        def run() -> _Held:
            try:
                return _Held(piece())
            except Exception as error:
                return _Held(error=error, where=traceback.format_exc())

        return run

    def value(self) -> Any:
        if self.error is not None:
            self.error.add_note(f"raised in a worker:\n{self.where}")
            raise self.error
        return self.result


def load_graph(data_dir: Path | str = "data") -> Graph:
    """Build and validate the graph of ``data_dir`` in memory, writing nothing."""
    return load_checked(data_dir).graph


def _check(corpus: Corpus, report: ValidationReport) -> ValidationReport:
    """Pass ``report`` on; on failure, name the annotation file and item behind each
    violation."""
    if not report.conforms:
        statements = {str(statement_iri(s.source, s.id)): s for s in corpus.statements}
        lines = [_explain(corpus, statements, v) for v in report.violations]
        raise ValidationError(report.text, lines)
    return report


def _explain(corpus: Corpus, statements: dict[str, Statement], violation: Violation) -> str:
    """Say which annotation file and item a violation comes from, when it can be told."""
    for term in (violation.focus, violation.value):
        if term in statements:
            statement = statements[term]
            path = corpus.source(statement.source).annotation_path
            return f"{path}: statement {statement.id!r}: {violation.message}"
    entity_id = violation.focus.removeprefix(str(ENT))
    if violation.focus.startswith(str(ENT)) and entity_id in corpus.entities:
        relation, _, rest = violation.message.partition(":")
        end = "subject" if "subject" in rest.split()[:3] else "object"
        for statement in corpus.statements:
            if statement.relation == relation and getattr(statement, end) == entity_id:
                path = corpus.source(statement.source).annotation_path
                return f"{path}: statement {statement.id!r}: {violation.message}"
        entity = corpus.entities[entity_id]
        path = corpus.source(entity.sources[0]).annotation_path
        return f"{path}: entity {entity_id!r}: {violation.message}"
    return str(violation)
