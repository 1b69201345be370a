"""The main job: load annotations, build and validate the graph, write every output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import Dataset, Graph

from .annotations import Corpus, load_corpus
from .build import build_dataset, source_iri, union_graph
from .export import serialise, write_files
from .projection import to_networkx
from .render import render_html
from .validate import ValidationReport, check_graph

__all__ = ["BuildResult", "build", "load_graph"]

TITLE = "Actors and positions"


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` made: the corpus, its graphs, the validation report, the files."""

    corpus: Corpus
    dataset: Dataset
    graph: Graph
    report: ValidationReport
    files: dict[str, Path]


def load_graph(data_dir: Path | str = "data") -> Graph:
    """Build and validate the graph of ``data_dir`` in memory, writing nothing."""
    graph = union_graph(build_dataset(load_corpus(data_dir)))
    check_graph(graph)
    return graph


def build(data_dir: Path | str = "data", out_dir: Path | str = "output") -> BuildResult:
    """Build the graph of every annotated source under ``data_dir`` into ``out_dir``.

    Writes ``graph.ttl``, ``graph.trig`` (one named graph per source), ``graph.jsonld``
    and ``graph.html``. Raises ``BuildError`` (an ``AnnotationError`` or
    ``ValidationError``) before anything is written when the input is bad.
    """
    corpus = load_corpus(data_dir)
    dataset = build_dataset(corpus)
    graph = union_graph(dataset)
    report = check_graph(graph)
    files = serialise(dataset, graph)
    titles = {str(source_iri(source.id)): source.title for source in corpus.sources}
    html = render_html(to_networkx(graph), TITLE, titles)
    files["graph.html"] = html.encode("utf-8")
    written = write_files(out_dir, files)
    return BuildResult(corpus, dataset, graph, report, written)
