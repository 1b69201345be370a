"""The main job: load annotations, build and validate the graph, write every output."""

from __future__ import annotations

import datetime
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import networkx as nx

from . import collector
from .buildcache import cache_folder
from .checked import CheckedGraph, load_checked, load_graph
from .corpus import Corpus
from .explorer.inline import InlinePage
from .explorer.render import render_html
from .explorer.subgraph import select_subgraph, selection_title
from .export import serialisers, write_files
from .forked import run_all
from .networks.analysis import Analysis, analyse, camp_members
from .networks.discourse import Level, calendar_windows, speakers, time_windows
from .networks.exchange import network_files
from .networks.projection import to_networkx
from .output import FolderWriter, building
from .rdf import source_iri
from .sparql.store import STORE_DIR, write_store, write_store_afresh
from .validate import ValidationCache

__all__ = [
    "BuildResult",
    "CheckedGraph",
    "analyse_data",
    "build",
    "build_outputs",
    "load_checked",
    "load_graph",
    "render",
    "show",
]

TITLE = "Actors and positions"


@dataclass(frozen=True)
class BuildResult(CheckedGraph):
    """What ``build`` made: the checked graph, and the files it wrote, by name."""

    files: dict[str, Path]


def build(
    data_dir: Path | str = "data",
    out_dir: Path | str = "output",
    *,
    cache: bool = True,
    jobs: int | None = None,
) -> BuildResult:
    """Build the graph of every annotated source under ``data_dir`` into ``out_dir``.

    Writes ``graph.ttl``, ``graph.trig`` (one named graph per source), ``graph.jsonld``,
    ``graph.html``, the networks under ``networks/`` (see ``graph.networks.exchange``) and the
    Oxigraph store ``store/`` that ``apg query`` reads, as a new build folder that
    replaces the previous build in one step (see ``graph.output``). Raises
    ``BuildError`` (an ``AnnotationError`` or ``ValidationError``) before anything is
    written when the input is bad, ``graph.output.OutputBusy`` when another build is
    writing into ``out_dir``, and ``BuildError`` when the files cannot be written; the
    previous build is then left whole.

    With ``cache`` (the default), what the shapes said of each source's graph is kept in
    ``out_dir/.cache/`` (see ``graph.buildcache``) and a source whose graph did not change
    is not validated again; the files written are the same either way. The sources are
    checked and the outputs written by up to ``jobs`` processes at once (by default one
    per CPU), the same bytes with any number (see ``build_outputs``).
    """
    with building(out_dir) as output, collector.paused():
        validation = ValidationCache(cache_folder(out_dir, "validation")) if cache else None
        try:
            checked = load_checked(data_dir, cache=validation, jobs=jobs)
        finally:
            # kept even when a source fails, for the build after it is fixed; but a
            # failed first build leaves no output folder behind
            if validation is not None and Path(out_dir).is_dir():
                validation.save()
        with output.staging() as staging:
            written = output.publish(*build_outputs(checked, jobs=jobs, staging=staging))
        if validation is not None:
            validation.save()
            validation.keep_only_used()
    return BuildResult(checked.corpus, checked.dataset, checked.graph, checked.report, written)


def build_outputs(
    checked: CheckedGraph, *, jobs: int | None = None, staging: Path | None = None
) -> tuple[dict[str, bytes], dict[str, FolderWriter]]:
    """Everything ``build`` writes for a checked graph: files by name, and the store.

    The store is a function that writes it at the path it is given (see
    ``graph.output.publish``). Three pieces are made at once by up to ``jobs`` worker
    processes (by default one per CPU; see ``graph.forked``): Turtle and TriG, the page
    with the networks, and JSON-LD; the bytes are the same with any number. With
    ``staging`` (a folder on the file system the store will be written to), the worker
    that made Turtle and TriG has the store loaded there while the other pieces are
    made (by a process it starts, see ``graph.sparql.store.write_store_afresh``), and
    the function returned moves it into place; without, the function loads it.
    """
    graph, dataset, corpus = checked.graph, checked.dataset, checked.corpus
    made_store = None if staging is None else staging / STORE_DIR
    turtle_file, trig_file, jsonld_file = serialisers(dataset, graph)

    def rdf() -> dict[str, bytes]:
        files = {**turtle_file(), **trig_file()}
        if made_store is not None:
            write_store_afresh(files["graph.trig"], files["graph.ttl"], made_store)
        return files

    def networks() -> dict[str, bytes]:
        network = to_networkx(graph)
        files = {"graph.html": _page(corpus, network, network).encode("utf-8")}
        files.update(network_files(network))
        return files

    # the longest first, so that the shortest fills the time beside them
    rdf_files, page_files, jsonld_files = run_all([rdf, networks, jsonld_file], jobs)
    files = {**rdf_files, **jsonld_files, **page_files}  # the order they always had

    def store(path: Path) -> None:
        if made_store is None:
            write_store(files["graph.trig"], files["graph.ttl"], path)
        else:
            os.rename(made_store, path)

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

    The page is titled by what was asked for ("Around Oleg Khramov, 1 step", "Blames only",
    see ``selection_title``), or by the corpus when the whole graph is asked for.

    Raises ``BuildError`` (a bad annotation, a graph that fails the shapes, or a
    ``SelectionError`` for an unknown entity, relation or type) before writing anything.
    """
    page = _selected_page(load_checked(data_dir), focus, depth, relations, types).encode()
    out_file = Path(out_file)
    written = write_files(out_file.parent, {out_file.name: page})
    return written[out_file.name]


def show(
    data: CheckedGraph | Path | str = "data",
    *,
    focus: str | None = None,
    depth: int = 1,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
    height: int = 600,
) -> InlinePage:
    """The page ``render`` would write, to show in a notebook cell ``height`` pixels tall.

    ``data`` is a data folder, or a graph already loaded (what ``build`` returns), which
    saves loading it again. The page travels inside the cell's output (see
    ``graph.explorer.inline``), so it draws wherever the notebook server was started.
    Raises what ``render`` raises, and ``ValueError`` for a height below 1.
    """
    checked = data if isinstance(data, CheckedGraph) else load_checked(data)
    return InlinePage(_selected_page(checked, focus, depth, relations, types), height)


def _selected_page(
    checked: CheckedGraph,
    focus: str | None,
    depth: int,
    relations: Collection[str] | None,
    types: Collection[str] | None,
) -> str:
    """The page of the part of ``checked`` asked for (see ``select_subgraph``)."""
    network = to_networkx(checked.graph)
    selected = select_subgraph(network, focus=focus, depth=depth, relations=relations, types=types)
    title = selection_title(network, focus=focus, depth=depth, relations=relations, types=types)
    return _page(checked.corpus, selected, network, title)


def _page(
    corpus: Corpus, shown: nx.MultiDiGraph, network: nx.MultiDiGraph, title: str | None = None
) -> str:
    """The HTML page of ``shown``, its actors ringed by their camps in all of ``network``.

    Without ``title``, the page is titled by the corpus.
    """
    camps = camp_members(network)
    titles = {str(source_iri(source.id)): source.title for source in corpus.sources}
    return render_html(
        shown, title or _corpus_title(corpus), titles, camps=camps, speakers=speakers(network)
    )


def _corpus_title(corpus: Corpus) -> str:
    if len(corpus.sources) == 1:
        return f"{TITLE}: {corpus.sources[0].title}"
    return f"{TITLE}: {len(corpus.sources)} sources"


def analyse_data(
    data_dir: Path | str = "data",
    level: Level = "actor",
    *,
    hedged: bool = True,
    window: int | Literal["year", "month"] | None = None,
    window_start: datetime.date | None = None,
) -> list[tuple[str, Analysis]]:
    """Analyse the camps of the sources under ``data_dir`` (see ``graph.networks.analysis``).

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
