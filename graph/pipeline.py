"""The main job: load annotations, build and validate the graph, write every output."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx
from rdflib import Dataset, Graph

from .analysis import Analysis, analyse
from .annotations import Corpus, Statement, load_corpus
from .build import build_dataset, source_iri, statement_iri, union_graph
from .errors import ValidationError
from .exchange import network_files
from .export import serialise, write_files
from .namespaces import ENT
from .networks import Level, calendar_windows, time_windows
from .output import FolderWriter, building
from .projection import to_networkx
from .render import render_html
from .store import STORE_DIR, write_store
from .subgraph import select_subgraph
from .validate import ValidationReport, Violation, validate_graph

__all__ = [
    "BuildResult",
    "CheckedGraph",
    "analyse_data",
    "build",
    "build_outputs",
    "load_checked",
    "load_graph",
    "render",
]

TITLE = "Actors and positions"


@dataclass(frozen=True)
class CheckedGraph:
    """A corpus and its graphs, validated: one named graph per source, and their union."""

    corpus: Corpus
    dataset: Dataset
    graph: Graph
    report: ValidationReport


@dataclass(frozen=True)
class BuildResult(CheckedGraph):
    """What ``build`` made: the checked graph, and the files it wrote, by name."""

    files: dict[str, Path]


def load_checked(data_dir: Path | str = "data") -> CheckedGraph:
    """Load the annotated sources of ``data_dir``, build their graph and validate it.

    Raises ``AnnotationError`` or ``ValidationError`` (whose lines name the annotation
    file and item behind each violation); writes nothing.
    """
    corpus = load_corpus(data_dir)
    dataset = build_dataset(corpus)
    graph = union_graph(dataset)
    return CheckedGraph(corpus, dataset, graph, _check(corpus, graph))


def load_graph(data_dir: Path | str = "data") -> Graph:
    """Build and validate the graph of ``data_dir`` in memory, writing nothing."""
    return load_checked(data_dir).graph


def _check(corpus: Corpus, graph: Graph) -> ValidationReport:
    """Validate; on failure, name the annotation file and item behind each violation."""
    report = validate_graph(graph)
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


def build(data_dir: Path | str = "data", out_dir: Path | str = "output") -> BuildResult:
    """Build the graph of every annotated source under ``data_dir`` into ``out_dir``.

    Writes ``graph.ttl``, ``graph.trig`` (one named graph per source), ``graph.jsonld``,
    ``graph.html``, the networks under ``networks/`` (see ``graph.exchange``) and the
    Oxigraph store ``store/`` that ``apg query`` reads, as a new build folder that
    replaces the previous build in one step (see ``graph.output``). Raises
    ``BuildError`` (an ``AnnotationError`` or ``ValidationError``) before anything is
    written when the input is bad, ``graph.output.OutputBusy`` when another build is
    writing into ``out_dir``, and ``BuildError`` when the files cannot be written; the
    previous build is then left whole.
    """
    with building(out_dir) as output:
        checked = load_checked(data_dir)
        written = output.publish(*build_outputs(checked))
    return BuildResult(checked.corpus, checked.dataset, checked.graph, checked.report, written)


def build_outputs(checked: CheckedGraph) -> tuple[dict[str, bytes], dict[str, FolderWriter]]:
    """Everything ``build`` writes for a checked graph: files by name, and the store.

    The store is a function that writes it at the path it is given (see
    ``graph.output.publish``).
    """
    files = serialise(checked.dataset, checked.graph)
    network = to_networkx(checked.graph)
    files["graph.html"] = _page(checked.corpus, network, network).encode("utf-8")
    files.update(network_files(network))

    def store(path: Path) -> None:
        write_store(files["graph.trig"], files["graph.ttl"], path)

    return files, {STORE_DIR: store}


def render(
    data_dir: Path | str = "data",
    out_file: Path | str = "output/graph.html",
    *,
    focus: str | None = None,
    depth: int = 1,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
) -> Path:
    """Render the part of the graph asked for (see ``select_subgraph``) to ``out_file``.

    Raises ``BuildError`` (a bad annotation, a graph that fails the shapes, or a
    ``SelectionError`` for an unknown entity, relation or type) before writing anything.
    """
    checked = load_checked(data_dir)
    network = to_networkx(checked.graph)
    selected = select_subgraph(network, focus=focus, depth=depth, relations=relations, types=types)
    out_file = Path(out_file)
    page = _page(checked.corpus, selected, network).encode()
    written = write_files(out_file.parent, {out_file.name: page})
    return written[out_file.name]


def _page(corpus: Corpus, shown: nx.MultiDiGraph, network: nx.MultiDiGraph) -> str:
    """The HTML page of ``shown``, its actors ringed by their camps in all of ``network``."""
    camps = [camp.members for camp in analyse(network).camps]
    titles = {str(source_iri(source.id)): source.title for source in corpus.sources}
    if len(corpus.sources) == 1:
        title = f"{TITLE}: {corpus.sources[0].title}"
    else:
        title = f"{TITLE}: {len(corpus.sources)} sources"
    return render_html(shown, title, titles, camps=camps)


def analyse_data(
    data_dir: Path | str = "data",
    level: Level = "actor",
    *,
    hedged: bool = True,
    window: int | Literal["year", "month"] | None = None,
    window_start: datetime.date | None = None,
) -> list[tuple[str, Analysis]]:
    """Analyse the camps of the sources under ``data_dir`` (see ``graph.analysis``).

    ``hedged=False`` leaves out alleged, implicit and speculative statements. With
    ``window``, returns one analysis per window that holds a statement, labelled
    ``first..last``: per calendar ``"year"`` or ``"month"``, or per run of that many days
    from ``window_start`` or else the earliest statement date. Statements are dated by
    their ``when``, else by their source's date. Without ``window``, one analysis
    labelled ``all``.
    """
    network = to_networkx(load_checked(data_dir).graph)
    modalities = None if hedged else {"asserted", "reported"}
    if window is None:
        return [("all", analyse(network, level, modalities))]
    if isinstance(window, str):
        windows = calendar_windows(network, window)
    else:
        windows = time_windows(network, window, start=window_start)
    return [
        (f"{first}..{last}", analyse(part, level, modalities))
        for first, last, part in windows
        if part.number_of_edges()
    ]
