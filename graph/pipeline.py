"""The main job: load annotations, build and validate the graph, write every output."""

from __future__ import annotations

import datetime
import json
import os
import shutil
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import ExitStack
from functools import cache, partial
from pathlib import Path
from typing import BinaryIO, Literal, cast

import networkx as nx
from markupsafe import escape
from rdflib import Dataset, Graph, URIRef

from . import collector
from .buildcache import cache_folder
from .checked import (
    CheckedGraph,
    build_checks,
    build_sources,
    load_checked,
    load_checked_beside,
    load_graph,
)
from .corpus import Corpus
from .digests import SharedDigests, digest_function
from .explorer.inline import InlinePage
from .explorer.layout import fit_to_pane, layout_digest, layout_positions
from .explorer.pagesplice import frame_key, page_key, page_record, spliced_page
from .explorer.render import (
    EDGE_LABEL_LIMIT,
    PageText,
    StatementOrder,
    render_page,
    statement_digests,
    statement_order,
    statement_texts,
    views_text,
)
from .explorer.subgraph import select_subgraph, selection_title
from .export import serialisers, stream_writers, write_files
from .forked import HandOff, run_all
from .fragments import KeptTexts, keep_spliced, move_staged
from .iris import PREFIX_IRIS
from .jsonldsplice import NodeSplice, index_file as node_index_file
from .keptnetwork import (
    SourceInput,
    corpus_inputs,
    keep_staged,
    kept_entry,
    kept_network,
    kept_path,
    taken_entry,
)
from .keptsources import KeptSources
from .networks.analysis import (
    CENTRAL_PARTS,
    Analysis,
    betweenness_parts,
    camp_members,
    ranked,
    signed_camp_members,
    signed_network,
    ties_network,
    with_central,
)
from .networks.discourse import (
    STANCE_RELATIONS,
    Level,
    calendar_windows,
    relations_read,
    speakers,
    time_windows,
)
from .networks.exchange import each_network_file
from .networks.kept import KeptFiles, ReadDigests, keep_records, network_digest
from .networks.projection import Edge, corpus_digest, corpus_edges, corpus_network, to_networkx
from .output import (
    Content,
    FolderWriter,
    StagedFile,
    building,
    current_build,
    stage_file,
    stage_stream,
)
from .rdf import (
    build_dataset,
    each_triple,
    graph_sizes,
    partial_graphs,
    source_iri,
    union_size,
    union_view,
)
from .rdfsplice import TextSplice, index_file as text_index_file
from .sparql.previous import PreviousStore, keep_store_record, previous_store
from .sparql.store import (
    STORE_DIR,
    StoreError,
    StoreLoad,
    link_store_texts,
    store_change_files,
    write_store,
    write_store_texts,
)
from .turtle import trig
from .validate import ValidationReport

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


class BuildResult(CheckedGraph):
    """What ``build`` made: the checked graph, the files it wrote by name, and how many
    triples the union of its graphs holds (``triples``).

    A rebuild that made only part of the graphs of the sources that did not change
    (see ``build``) makes ``dataset`` and ``graph`` from the corpus when they are first
    asked for: the triples are those of a build without a cache.
    """

    files: dict[str, Path]
    triples: int

    def __init__(
        self,
        corpus: Corpus,
        report: ValidationReport,
        files: dict[str, Path],
        triples: int,
        dataset: Dataset | None = None,
    ) -> None:
        """``dataset`` is the dataset built, None to build it when asked for."""
        for name, value in (("corpus", corpus), ("report", report), ("files", files)):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "triples", triples)
        object.__setattr__(self, "_made", dataset)

    @property
    def dataset(self) -> Dataset:
        made: Dataset | None = self.__dict__["_made"]
        if made is None:
            made = build_dataset(self.corpus)
            object.__setattr__(self, "_made", made)
        return made

    @property
    def graph(self) -> Graph:
        return union_view(self.dataset)


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
    ``BuildError`` (an ``AnnotationError`` or ``ValidationError``) when the input is
    bad, ``graph.output.OutputBusy`` when another build is writing into ``out_dir``, and
    ``BuildError`` when the files cannot be written; the previous build is then left
    whole, and a first build leaves no folder behind.

    The outputs are made while the graph is checked, by the same workers, and thrown
    away if it fails the shapes (see ``graph.checked.load_checked_beside``); the page,
    which needs the corpus alone, is begun as soon as the sources are read, while this
    process builds the dataset. With
    ``cache`` (the default), what the shapes said of each source's graph is kept in
    ``out_dir/.cache/`` (see ``graph.buildcache``) and a source whose graph did not change
    is not validated again, nor is a source whose files did not change parsed again (see
    ``graph.keptsources``); the files written are the same either way. The statement
    network is kept there too, for ``analyse_data``, ``render`` and ``show`` (see
    ``graph.keptnetwork``). The work is shared among up to ``jobs`` processes (by default
    one per CPU), the same bytes with any number (see ``build_outputs``).
    """
    with building(out_dir) as output, collector.paused(), ExitStack() as staged:
        existed = Path(out_dir).is_dir()
        validation = build_checks(out_dir) if cache else None
        previous = previous_store(out_dir) if cache else None
        kept_sources = KeptSources(cache_folder(out_dir, "sources")) if cache else None
        kept_files = cache_folder(out_dir, "files") if cache else None
        before = current_build(out_dir) if cache else None  # where network files are taken from
        made: list[_Outputs] = []

        def early(corpus: Corpus) -> list[_Piece]:
            # made once the sources are read: a bad annotation makes no folder
            staging = staged.enter_context(output.staging())
            made.append(
                _Outputs(
                    corpus,
                    staging,
                    stage_files=True,
                    keep_network=kept_path(out_dir) if cache else None,
                    previous=previous,
                    kept_texts=cache_folder(out_dir, "texts") if cache else None,
                    kept_files=None if kept_files is None else (kept_files, before),
                )
            )
            staged.callback(made[0].stop)  # before the staging folder is removed
            return made[0].early

        def outputs(
            corpus: Corpus, dataset: Dataset, graph: Graph, digests: SharedDigests
        ) -> list[_Piece]:
            return made[0].later(dataset, graph, digests)

        def spare(known: Mapping[str, str]) -> list[str]:
            # the graphs that did not change, each in the store before with its size: their
            # outputs are made from the build before's, their size is known (for ``triples``)
            if previous is None:
                return []
            recorded, sizes = previous.digests, previous.sizes
            same = (name for name, digest in known.items() if recorded.get(name) == digest)
            return [name for name in same if name in sizes]

        try:
            checked, results = load_checked_beside(
                data_dir,
                outputs,
                cache=validation,
                jobs=jobs,
                arrived=lambda index, result: made[0].arrived(index, result),
                passed=lambda report: made[0].passed(report),
                kept_sources=kept_sources,
                early=early,
                spare=spare if cache else None,
            )
            files, folders = made[0].assemble(results)
            written = output.publish(files, folders)
            # what the next build takes, kept while the build before is removed (see
            # ``graph.output.OutputBuild.publish``): the network the page was made of
            if made[0].kept is not None:
                keep_staged(out_dir, made[0].kept)
            staged_texts = made[0].staged_texts
            if cache and staged_texts is not None:  # and the texts of its RDF files
                move_staged(staged_texts, cache_folder(out_dir, "texts"))
            sizes = graph_sizes(checked.dataset, {} if previous is None else previous.sizes)
            if cache:
                keep_store_record(out_dir, checked.report.digests, sizes)
            if kept_files is not None:
                keep_records(kept_files, made[0].file_records)
        finally:
            # kept even when a source fails, for the build after it is fixed; but a
            # failed first build leaves no output folder behind
            if existed or output.published:
                if validation is not None:
                    validation.save()
                if kept_sources is not None:
                    kept_sources.save()
        if validation is not None:
            validation.keep_only_used()
        if kept_sources is not None:
            kept_sources.keep_only_used()
    partial = partial_graphs(checked.dataset)
    assert sizes is not None or not partial, "a graph built in part whose size is unknown"
    triples = union_size(checked.dataset, sizes or {})
    dataset = None if partial else checked.dataset  # made whole when asked for
    return BuildResult(checked.corpus, checked.report, written, triples, dataset)


def build_outputs(
    checked: CheckedGraph, *, jobs: int | None = None, staging: Path | None = None
) -> tuple[dict[str, bytes], dict[str, FolderWriter]]:
    """Everything ``build`` writes for a checked graph: files by name, and the store.

    The store is a function that writes it at the path it is given (see
    ``graph.output.publish``). Five pieces are made at once by up to ``jobs`` worker
    processes (by default one per CPU; see ``graph.forked``): Turtle and TriG, JSON-LD,
    the page, the network files of the statements and of actors, and those of states;
    the bytes are the same with any number. With
    ``staging`` (a folder on the file system the store will be written to), the store
    is loaded there, by a process started as soon as Turtle and TriG are made, while
    the other pieces are made (see ``graph.sparql.store.StoreLoad``), and the function
    returned waits for it and moves it into place; without, the function loads it.
    """
    outputs = _Outputs(checked.corpus, staging)
    pieces = [*outputs.later(checked.dataset, checked.graph), *outputs.early]
    try:
        files, folders = outputs.assemble(run_all(pieces, jobs, check=outputs.arrived))
    except BaseException:
        outputs.stop()
        raise
    return {name: _bytes(content) for name, content in files.items()}, folders


def _bytes(content: Content) -> bytes:
    if not isinstance(content, bytes):  # only ``build`` stages its files
        raise TypeError(f"expected the bytes of a file, got {content!r}")
    return content


_Made = tuple[dict[str, Content], dict[str, FolderWriter]]


_Piece = Callable[[], Mapping[str, Content]]
_PieceFiles = Mapping[str, Content] | Iterator[tuple[str, Content]]
"""What a piece of ``_Outputs`` makes: its files by name, or each name with its bytes
(or, staged already, where they are)."""


class _Outputs:
    """The pieces of ``build_outputs``, what to do as each result comes, and what makes
    their results its result.

    With a staging folder, the piece that makes Turtle and TriG also writes them there
    as files, and the build process starts the store's loader on them as soon as that
    piece is done (``arrived``; see ``graph.sparql.store.StoreLoad``): the store is then
    loaded while the workers make the other pieces, and waited for when it is moved into
    the build. With ``previous``, the store of the build before (see
    ``graph.sparql.previous``), the loader starts as soon as the graph has passed the
    shapes (``passed``) and changes a copy of that store where few graphs changed; it
    loads the store whole from Turtle and TriG if that fails. ``stop`` kills a loader
    still at work. With ``kept_texts`` (a folder of the build cache), the pieces that
    write Turtle and TriG, and JSON-LD, take the texts of the graphs that did not
    change from the build before and keep those of the others for the next (see
    ``graph.fragments``), each graph's digest taken from ``digests`` where the checks
    made it (see ``graph.digests``). With ``stage_files`` too, each piece
    writes each of its files into the staging folder as it is made, and gives back where
    they are (``graph.output.stage_file``), not their bytes; Turtle, TriG and JSON-LD
    are written there as they are made (``graph.output.stage_stream``), and the loader
    reads those very Turtle and TriG files. With ``keep_network`` (where the build keeps
    its network), the piece that makes the page also makes the file that keeps its
    network (``graph.keptnetwork``), which ``assemble`` leaves out of the build as
    ``kept``; the network's text is taken from the file there where the network did not
    change.

    The page and the network files are three pieces, so that two workers share them
    evenly; the first that needs the statement network of the corpus
    (``corpus_network``, with kept files its digest and those of what each network
    reads: about 2.5 s of CPU at 100,000 statements) makes it and hands it to those that
    come after it in other workers through a file of the staging folder
    (``graph.forked.HandOff``: read back in about 0.2 s); a piece that comes before it
    is made makes its own. They need the corpus alone (``early``), and ``build`` begins
    the first, the page, in a worker while it builds the dataset; Turtle with TriG, and
    JSON-LD, need the graph (``later``). With ``kept_files`` (a folder of the build
    cache, and the build folder before), the network files of each network that did not
    change, and the page's camps and layout when the statement network did not, are
    taken from the build before (see ``graph.networks.kept``).
    """

    def __init__(
        self,
        corpus: Corpus,
        staging: Path | None,
        *,
        stage_files: bool = False,
        keep_network: Path | None = None,
        previous: PreviousStore | None = None,
        kept_texts: Path | None = None,
        kept_files: tuple[Path, Path | None] | None = None,
    ):
        self._made_store = None if staging is None else staging / STORE_DIR
        self._corpus = corpus
        self.kept: Content | None = None
        self.file_records: dict[str, object] = {}  # what to keep of the network files
        inputs = None if keep_network is None else corpus_inputs(corpus)
        self._network_before = keep_network
        self._loads: list[StoreLoad] = []
        self._dataset: Dataset | None = None
        self._previous = previous
        self._store_texts = False  # Turtle and TriG are made, for a whole load
        self._passed = False
        # the texts kept for the next build, staged: moved in once the graph has passed
        self.staged_texts = None if staging is None else staging / _STAGED_TEXTS
        streamed = self._streamed = staging if stage_files else None  # files written as made
        self._kept_texts = kept_texts
        self._before = None if kept_files is None else kept_files[1]  # the build folder before
        taking = None if kept_files is None or streamed is None else (*kept_files, streamed)

        # made by the first piece that needs it, and handed to the pieces that come after
        # it in other workers (where the pieces run in this process, made once for all):
        # held by the build process before the fork, it would be copied into each worker
        # page by page as the pieces read it. With kept files, its digest and those of
        # what each network reads, which every piece that makes it reads, come with it.
        handed = None if streamed is None else HandOff[_Projection](streamed / _HANDED)

        listed: list[list[Edge]] = []  # its edges, where this process made it

        @cache
        def projection() -> _Projection:
            def made() -> _Projection:
                network = corpus_network(corpus)
                listed.append(list(network.edges(keys=True, data=True)))
                if taking is None:
                    return network, None, None
                reads = ReadDigests(network, listed[0]).made()
                return network, network_digest(network, reads.elements()), reads

            return made() if handed is None else handed.value(made)

        def projected() -> nx.MultiDiGraph:
            return projection()[0]

        def edges() -> tuple[list[Edge], list[str | None] | None]:
            # the statement network's edges, as ``edges(keys=True, data=True)`` lists
            # them, walked once in this process, with their digests where made
            network, _, reads = projection()
            if not listed:
                listed.append(list(network.edges(keys=True, data=True)))
            return listed[0], None if reads is None else reads.elements()[1]

        def digested() -> str | None:  # asked for only with kept files, which make it
            return projection()[1]

        def taken_files() -> KeptFiles:
            assert taking is not None
            return KeptFiles(*taking, reads=lambda: projection()[2])

        # the digest of the records the statement network is made of, made by the first
        # piece that needs it and put on a board the others read (forked after it is made)
        board = SharedDigests([_RECORDS])

        def records() -> str:
            found = board.get(_RECORDS)
            if found is None:
                found = corpus_digest(corpus)
                board.put(_RECORDS, found)
            return found

        def page() -> Iterator[tuple[str, bytes]]:
            kept = None if taking is None else taken_files()
            # where only titles changed, without making the statement network
            taken = None
            if kept is not None:
                taken = _taken_page(kept, corpus, records(), inputs, self._network_before)
            if taken is not None:
                yield "graph.html", taken[0]
                if taken[1] is not None:
                    yield _KEPT, taken[1]
                assert kept is not None
                yield _kept_records(kept)
                return
            network = projected()
            digest = None if kept is None else digested()
            drawing = None if kept is None else kept.drawing(network, digest)
            listing = edges()
            if drawing is None:
                camps, layout = _drawing(network, kept, digest, listing[0])
            else:
                camps, layout = drawing
            titles = _titles(corpus)
            yield "graph.html", _made_page(kept, digest, titles, network, camps, layout, listing)
            if inputs is not None:  # the network's text taken from the file before
                before = self._network_before
                entry = kept_entry(
                    network,
                    corpus,
                    camps,
                    inputs,
                    digest=digest,
                    before=before,
                    edges=listing[0],
                    edge_digests=listing[1],
                )
                yield _KEPT, entry
            if kept is not None:
                yield _kept_records(kept)

        def networks(*parts: str) -> Iterator[tuple[str, Content]]:
            # the files one at a time, staged (or gathered) as they come
            if taking is None:
                yield from each_network_file(projected(), parts)
                return
            kept = taken_files()
            # the statement network made only if the files of the build before are not
            # all known by its records (a retitle makes none)
            yield from kept.each_file(projected, digested, records(), parts)
            yield _kept_records(kept)

        self.early: list[_Piece] = self._pieces(
            [page, partial(networks, "statements", "actor"), partial(networks, "state")]
        )

    def _pieces(self, made: list[Callable[[], _PieceFiles]]) -> list[_Piece]:
        streamed = self._streamed
        return [
            partial(_gathered, piece) if streamed is None else partial(_staged, piece, streamed)
            for piece in made
        ]

    def later(
        self, dataset: Dataset, graph: Graph, digests: SharedDigests | None = None
    ) -> list[_Piece]:
        """The pieces that need the graph, ``dataset`` and its union ``graph``: Turtle
        with TriG (the first, see ``arrived``), and JSON-LD; ``early`` needs only the
        corpus (the page, the network files)."""
        self._dataset = dataset
        made_store, streamed = self._made_store, self._streamed
        kept_texts, staged_texts = self._kept_texts, self.staged_texts
        corpus = self._corpus

        @cache
        def whole() -> tuple[Dataset, Graph]:
            """The dataset with every graph whole, for what reads them all: made (once in
            a process) where some graphs of ``dataset`` were built in part."""
            if not partial_graphs(dataset):
                return dataset, graph
            made = build_dataset(corpus)
            return made, union_view(made)

        def rdf() -> _PieceFiles:
            if streamed is not None and kept_texts is not None:
                spliced = _spliced_texts(kept_texts, self._before, dataset, graph, digests)
                if spliced is not None:  # made from the documents before
                    splicers = {"graph.ttl": spliced.write_turtle, "graph.trig": spliced.write_trig}
                    made = _streamed_rdf(splicers, streamed, made_store)
                    sizes = _documents(made["graph.ttl"], made["graph.trig"])
                    name = text_index_file(kept_texts / "rdf").name
                    keep = partial(spliced.keep, documents=sizes)
                    keep_spliced(kept_texts, "rdf", name, keep, staged=staged_texts)
                    return made
                kept = KeptTexts(kept_texts, "rdf", *whole(), staged=staged_texts, digests=digests)
                writers = {**stream_writers(*whole()), **kept.writers()}
                made = _streamed_rdf(writers, streamed, made_store)
                kept.keep(*_documents(made["graph.ttl"], made["graph.trig"]))
                return made
            if streamed is not None:
                return _streamed_rdf(stream_writers(*whole()), streamed, made_store)
            turtle_file, trig_file, _ = serialisers(*whole())
            files = {**turtle_file(), **trig_file()}
            if made_store is not None:
                write_store_texts(files["graph.trig"], files["graph.ttl"], made_store)
            return files

        def linked_data() -> _PieceFiles:
            if streamed is not None and kept_texts is not None:
                spliced = _spliced(kept_texts, self._before, dataset, graph, digests)
                if spliced is not None:  # made from the document before
                    file = stage_stream(streamed, spliced.write)
                    name = node_index_file(kept_texts / "jsonld").name
                    keep = partial(spliced.keep, document=(file.size, file.sha256))
                    keep_spliced(kept_texts, "jsonld", name, keep, staged=staged_texts)
                    return {"graph.jsonld": file}
                kept = KeptTexts(
                    kept_texts, "jsonld", *whole(), staged=staged_texts, digests=digests
                )
                file = stage_stream(streamed, kept.writers()["graph.jsonld"])
                kept.keep((file.size, file.sha256))
                return {"graph.jsonld": file}
            if streamed is not None:  # written as made, never held whole
                writer = stream_writers(*whole())["graph.jsonld"]
                return {"graph.jsonld": stage_stream(streamed, writer)}
            return serialisers(*whole())[2]()

        return self._pieces([rdf, linked_data])

    def arrived(self, index: int, result: Mapping[str, Content]) -> None:
        if index != 0 or self._made_store is None:
            return
        self._store_texts = True
        # with a store before, whether to change it is known once the graph has passed
        if self._previous is None or (self._passed and not self._loads):
            self._loads.append(StoreLoad(self._made_store))

    def passed(self, report: ValidationReport) -> None:
        """The graph has passed the shapes: change the store before where few of the
        graphs changed (their digests are in ``report``), else load it whole once
        Turtle and TriG are made."""
        made_store, previous = self._made_store, self._previous
        if made_store is None or previous is None:
            return
        self._passed = True
        changes = previous.changes(report.digests)
        assert self._dataset is not None, "passed before the pieces of the graph were made"
        if changes is not None and partial_graphs(self._dataset).intersection(changes[1]):
            changes = None  # a graph to load was built in part: loaded whole from the files
        if changes is not None:
            dropped, loaded = changes
            changed, dropped_file = store_change_files(made_store)
            try:
                changed.write_bytes(_graphs_trig(self._dataset, loaded))
                dropped_file.write_text("".join(f"{n}\n" for n in dropped), encoding="utf-8")
            except OSError:
                changes = None  # loaded whole, as the first build's was
        if changes is not None:
            self._loads.append(StoreLoad(made_store, previous.path))
        elif self._store_texts:
            self._loads.append(StoreLoad(made_store))

    def assemble(self, results: list[Mapping[str, Content]]) -> _Made:
        files: dict[str, Content] = {}
        for each in results:
            for name, made in each.items():
                if name == _KEPT_FILES:  # what the piece's KeptFiles found to keep
                    self.file_records.update(json.loads(_read_content(made)))
                else:
                    files[name] = made
        self.kept = files.pop(_KEPT, None)
        made_store, loads = self._made_store, self._loads

        def store(path: Path) -> None:
            if made_store is None:
                write_store(_bytes(files["graph.trig"]), _bytes(files["graph.ttl"]), path)
                return
            try:
                loads[0].wait()
            except StoreError:
                if loads[0].previous is None:
                    raise
                # the store before could not be changed: load it whole
                shutil.rmtree(made_store, ignore_errors=True)
                loads.append(StoreLoad(made_store))
                loads[-1].wait()
            os.rename(made_store, path)

        return files, {STORE_DIR: store}

    def stop(self) -> None:
        for load in self._loads:
            load.stop()


_Projection = tuple[nx.MultiDiGraph, str | None, ReadDigests | None]
"""The statement network of a corpus, with its digest and the digests of what each
network reads (``ReadDigests``) where a build keeps its files."""
_HANDED = ".statement-network"  # the staging folder's file of the statement network
_KEPT = ".kept-network"  # the kept network among a piece's files, never a file of the build
_RECORDS = "records"  # the slot of the digest of the statement network's records
_KEPT_FILES = ".kept-files"  # what to keep of the network files, among a piece's files
_STAGED_TEXTS = ".kept-texts"  # the staging folder's folder of texts kept for the next build


def _drawing(
    network: nx.MultiDiGraph,
    kept: KeptFiles | None,
    digest: str | None,
    edges: Sequence[Edge] | None = None,
) -> tuple[tuple[tuple[str, ...], ...], dict[str, tuple[float, float]]]:
    """The camps the page of ``network`` (of digest ``digest``; its edges ``edges``,
    where listed already) rings and its layout:
    each taken from ``kept`` where what it is made of did not change (the stances, else
    the signed network they make; the nodes and the pairs they join), else made; kept
    for the next build."""
    if kept is None:
        return signed_camp_members(signed_network(network)), fit_to_pane(layout_positions(network))
    # the signed network of the page's camps reads the actors' stances
    by_stances = kept.read_digest(network, relations_read(STANCE_RELATIONS, "actor"))
    by_camps = by_stances
    camps = kept.camps(by_stances, network)
    if camps is None:
        signed = signed_network(network)
        by_ties = network_digest(signed)
        camps = kept.camps(by_ties, network)
        if camps is None:
            camps = signed_camp_members(signed)
            kept.keep_camps(by_ties, camps)
        kept.keep_camps(by_stances, camps)
        by_camps = by_ties if by_stances is None else by_stances
    by_pairs = layout_digest(network, edges)
    layout = kept.layout(by_pairs, network)
    if layout is None:
        layout = fit_to_pane(layout_positions(network))
        kept.keep_layout(by_pairs, layout)
    kept.keep_drawing(digest, by_camps, by_pairs)
    return camps, layout


def _kept_records(kept: KeptFiles) -> tuple[str, bytes]:
    """What a piece's ``KeptFiles`` found to keep, as a file of its results."""
    return _KEPT_FILES, json.dumps(kept.records, sort_keys=True).encode()


def _read_content(content: Content) -> bytes:
    """The bytes of a piece's file, read (and removed) where it was staged."""
    if not isinstance(content, StagedFile):
        return content
    try:
        return content.path.read_bytes()
    finally:
        content.path.unlink(missing_ok=True)


def _graphs_trig(dataset: Dataset, names: Collection[str]) -> bytes:
    """The TriG of the named graphs ``names`` of ``dataset``, as ``graph.trig`` writes
    them: the store reads the same terms from it."""
    part = Dataset()
    for name in names:
        graph = part.graph(URIRef(name))
        for triple in each_triple(dataset.graph(URIRef(name))):
            graph.add(triple)
    return trig(part)


def _spliced(
    kept_texts: Path,
    before: Path | None,
    dataset: Dataset,
    graph: Graph,
    digests: SharedDigests | None,
) -> NodeSplice | None:
    """The JSON-LD of ``dataset`` made from that of the build folder ``before``, where
    it can be (see ``graph.jsonldsplice``)."""
    if before is None:
        return None
    digest_of = digest_function(digests)
    document = before / "graph.jsonld"
    return NodeSplice.prepared(
        kept_texts / "jsonld", document, dataset, graph, PREFIX_IRIS, digest_of
    )


def _spliced_texts(
    kept_texts: Path,
    before: Path | None,
    dataset: Dataset,
    graph: Graph,
    digests: SharedDigests | None,
) -> TextSplice | None:
    """The Turtle and TriG of ``dataset`` made from those of the build folder
    ``before``, where they can be (see ``graph.rdfsplice``)."""
    if before is None:
        return None
    digest_of = digest_function(digests)
    return TextSplice.prepared(kept_texts / "rdf", before, dataset, graph, digest_of)


def _documents(*files: Content) -> tuple[tuple[int, str], ...]:
    """The size and SHA-256 of each of ``files``, staged."""
    return tuple((file.size, file.sha256) for file in files if isinstance(file, StagedFile))


def _streamed_rdf(
    writers: Mapping[str, Callable[[BinaryIO], None]], staging: Path, made_store: Path | None
) -> dict[str, Content]:
    """Turtle and TriG (of ``graph.export.stream_writers``) written into ``staging`` as
    they are made, never held whole (about 300 MB at 100,000 statements), and given to
    the store's loader as they are: second names of the same files, not copies."""
    union = stage_stream(staging, writers["graph.ttl"])
    named = stage_stream(staging, writers["graph.trig"])
    if made_store is not None:
        link_store_texts(named.path, union.path, made_store)
    return {"graph.ttl": union, "graph.trig": named}


def _items(made: _PieceFiles) -> Iterator[tuple[str, Content]]:
    return iter(made.items()) if isinstance(made, Mapping) else made


def _gathered(piece: Callable[[], _PieceFiles]) -> dict[str, Content]:
    return dict(_items(piece()))


def _staged(piece: Callable[[], _PieceFiles], folder: Path) -> dict[str, Content]:
    """The files ``piece`` makes, each written into ``folder`` as it comes."""
    return {
        name: content if isinstance(content, StagedFile) else stage_file(folder, content)
        for name, content in _items(piece())
    }


def render(
    data_dir: Path | str = "data",
    out_file: Path | str = "output/graph.html",
    *,
    focus: str | None = None,
    depth: int = 1,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
    build_cache: Path | str | None = None,
) -> Path:
    """Render the part of the graph asked for (see ``select_subgraph``) to ``out_file``.

    The page is titled by what was asked for ("Around Oleg Khramov, 1 step", "Blames only",
    see ``selection_title``), or by the corpus when the whole graph is asked for. With
    ``build_cache``, the output folder of a build, the sources that build read and
    checked and that have not changed since are neither parsed nor checked again (see
    ``build_sources`` and ``build_checks``); and when no
    file of the sources changed since, nor the code, the page is drawn from the network
    that build kept (see ``graph.keptnetwork``): nothing is read, built or checked.

    Raises ``BuildError`` (a bad annotation, a graph that fails the shapes, or a
    ``SelectionError`` for an unknown entity, relation or type) before writing anything.
    """
    network, titles, camps = _network(data_dir, build_cache)
    page = _selected_page(network, titles, camps, focus, depth, relations, types).encode()
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
    build_cache: Path | str | None = None,
) -> InlinePage:
    """The page ``render`` would write, to show in a notebook cell ``height`` pixels tall.

    ``data`` is a data folder, or a graph already loaded (what ``build`` returns), which
    saves loading it again; ``build_cache`` is as for ``render``. The page travels
    inside the cell's output (see ``graph.explorer.inline``), so it draws wherever the
    notebook server was started. Raises what ``render`` raises, and ``ValueError`` for
    a height below 1.
    """
    if isinstance(data, CheckedGraph):
        network, titles, camps = to_networkx(data.graph), _titles(data.corpus), None
    else:
        network, titles, camps = _network(data, build_cache)
    page = _selected_page(network, titles, camps, focus, depth, relations, types)
    return InlinePage(page, height)


_Titles = tuple[tuple[str, str], ...]
"""The id and title of each source, in the order of the corpus."""
_Camps = Sequence[Sequence[str]]


def _network(
    data_dir: Path | str, build_cache: Path | str | None
) -> tuple[nx.MultiDiGraph, _Titles, _Camps | None]:
    """The statement network of the sources under ``data_dir``, checked, their titles
    and the network's camps: those a build into ``build_cache`` kept when they are still
    right, else those of the sources, read and checked (with the build's checks), and no
    camps (see ``_page``)."""
    if (kept := kept_network(build_cache, data_dir)) is not None:
        return kept.network, kept.titles, kept.camps
    checked = load_checked(
        data_dir, cache=build_checks(build_cache), kept_sources=build_sources(build_cache)
    )
    return corpus_network(checked.corpus), _titles(checked.corpus), None


def _titles(corpus: Corpus) -> _Titles:
    return tuple((source.id, source.title) for source in corpus.sources)


def _selected_page(
    network: nx.MultiDiGraph,
    titles: _Titles,
    camps: _Camps | None,
    focus: str | None,
    depth: int,
    relations: Collection[str] | None,
    types: Collection[str] | None,
) -> str:
    """The page of the part of ``network`` asked for (see ``select_subgraph``)."""
    selected = select_subgraph(network, focus=focus, depth=depth, relations=relations, types=types)
    title = selection_title(network, focus=focus, depth=depth, relations=relations, types=types)
    return _page_text(titles, selected, network, camps, title).text()


def _page_text(
    titles: _Titles,
    shown: nx.MultiDiGraph,
    network: nx.MultiDiGraph,
    camps: _Camps | None = None,
    title: str | None = None,
    *,
    layout: Mapping[str, tuple[float, float]] | None = None,
) -> PageText:
    """The HTML page of ``shown``, as the text of its parts
    (``graph.explorer.render.PageText``): its actors ringed by their camps in all of
    ``network`` (``camps``, or else found here: ``camp_members(network)``), laid out by
    ``layout`` where it was made before (see ``render_page``).

    Without ``title``, the page is titled by the corpus, whose sources ``titles`` names.
    """
    if camps is None:
        camps = camp_members(network)
    return render_page(
        shown,
        title or _corpus_title(titles),
        _links(titles),
        layout=layout,
        camps=camps,
        speakers=speakers(network),
    )


def _links(titles: _Titles) -> dict[str, str]:
    """The title of each source, by its IRI."""
    return {str(source_iri(source_id)): source_title for source_id, source_title in titles}


def _taken_page(
    kept: KeptFiles,
    corpus: Corpus,
    records: str,
    inputs: Sequence[SourceInput] | None,
    network_before: Path | None,
) -> tuple[bytes, bytes | None] | None:
    """The page of ``corpus`` and the file that keeps its statement network (with
    ``inputs``, see ``graph.keptnetwork``), made from those of the build before without
    making the network, where a build made that network (known by ``records``, the
    digest of the records it is made of: ``corpus_digest``), its drawing and a page of
    it, and since then only titles of sources changed: the JSON of the retitled sources'
    statements made from the corpus (``corpus_edges``). None where any of them is not
    kept."""
    digest = kept.network_of(records)
    drawing = None if digest is None else kept.drawing(None, digest)
    if digest is None or drawing is None:
        return None
    camps, layout = drawing
    entry = None
    if inputs is not None:
        if network_before is None:
            return None
        entry = taken_entry(corpus, camps, inputs, digest=digest, before=network_before)
        if entry is None:
            return None
    key = page_key(digest, camps, layout, EDGE_LABEL_LIMIT)
    page = _spliced_page(kept, key, key, _titles(corpus), partial(corpus_edges, corpus))
    return None if page is None else (page, entry)


def _spliced_page(
    kept: KeptFiles,
    found_by: str,
    key: str,
    titles: _Titles,
    edges: Callable[[Collection[str]], Sequence[Edge]],
    *,
    digests: Mapping[str, str] | None = None,
    views: Callable[[], str] | None = None,
    order: StatementOrder | None = None,
) -> bytes | None:
    """The page of key ``key`` made from the page of the build before where the build
    before kept a record of it under ``found_by`` (a page key or a frame key, see
    ``graph.explorer.pagesplice``), its sources titled by ``titles``: the statements of
    the retitled sources (with ``digests``, of the sources whose statements changed too)
    written from the edges ``edges`` gives for them (every statement's edge, those of
    the sources it is given with their attributes; ``order``, where given, their
    ``statement_order``), the views ``views`` gives where given; what the next build
    needs kept in ``kept``, under ``key`` and the record's frame key. None where the page
    cannot be made so."""
    found = kept.page(found_by)
    if found is None:
        return None
    links = _links(titles)

    def remade(only: Collection[str]) -> list[tuple[str, str]]:
        made = edges(only)
        lazy = len(made) > EDGE_LABEL_LIMIT
        return statement_texts(made, links, lazy_labels=lazy, only=only, order=order)

    heading = str(escape(_corpus_title(titles)))
    made_views = None if views is None else views()
    spliced = spliced_page(
        found[1], found[0], heading, links, remade, digests=digests, views=made_views
    )
    if spliced is None:
        return None
    frame = found[0].get("frame")
    _keep_page(kept, key, frame if isinstance(frame, str) else None, spliced[1])
    return spliced[0]


def _keep_page(kept: KeptFiles, key: str, frame: str | None, record: dict[str, object]) -> None:
    """Keep ``record`` of a page under its key and its frame key (which it names)."""
    record = {**record, "frame": frame}
    kept.keep_page(key, record)
    if frame is not None:
        kept.keep_page(frame, record)


def _made_page(
    kept: KeptFiles | None,
    digest: str | None,
    titles: _Titles,
    network: nx.MultiDiGraph,
    camps: _Camps,
    layout: Mapping[str, tuple[float, float]] | None,
    listing: tuple[list[Edge], Sequence[str | None] | None],
) -> bytes:
    """The bytes of the page of the corpus of statement network ``network`` (of digest
    ``digest``; ``listing``: its edges as ``edges(keys=True, data=True)`` lists them, and
    their digests where made, see ``graph.networks.documents.element_digests``): made
    from the page of the build before where only the titles of sources changed since,
    or where its frame did not change (the JSON of the sources whose statements changed
    and the views made again; see ``graph.explorer.pagesplice``), else made whole; with
    ``kept``, what the next build needs for the same is kept there."""
    if kept is None or digest is None or layout is None:
        return _page_text(titles, network, network, camps, layout=layout).text().encode()
    key = page_key(digest, camps, layout, EDGE_LABEL_LIMIT)
    edges, edge_digests = listing
    spliced = _spliced_page(kept, key, key, titles, lambda _: edges)
    if spliced is not None:
        return spliced
    frame = frame_key(network, camps, layout, EDGE_LABEL_LIMIT, edges)
    lazy = len(edges) > EDGE_LABEL_LIMIT
    order = statement_order(edges)
    digests = statement_digests(edges, lazy_labels=lazy, digests=edge_digests, order=order)
    if frame is not None:

        def views() -> str:  # made only where the page before is found
            return views_text(network, speakers(network, edges), edges)

        spliced = _spliced_page(
            kept, frame, key, titles, lambda _: edges, digests=digests, views=views, order=order
        )
        if spliced is not None:
            return spliced
    text = _page_text(titles, network, network, camps, layout=layout)
    page, record = page_record(text, _links(titles), digests)
    _keep_page(kept, key, frame, record)
    return page


def _corpus_title(titles: _Titles) -> str:
    if len(titles) == 1:
        return f"{TITLE}: {titles[0][1]}"
    return f"{TITLE}: {len(titles)} sources"


def analyse_data(
    data_dir: Path | str = "data",
    level: Level = "actor",
    *,
    hedged: bool = True,
    window: int | Literal["year", "month"] | None = None,
    window_start: datetime.date | None = None,
    jobs: int | None = None,
    build_cache: Path | str | None = None,
) -> list[tuple[str, Analysis]]:
    """Analyse the camps of the sources under ``data_dir`` (see ``graph.networks.analysis``).

    ``hedged=False`` leaves out alleged, implicit and speculative statements. With
    ``window``, returns one analysis per window that holds a statement, labelled
    ``first..last``: per calendar ``"year"`` or ``"month"``, or per run of that many days
    from ``window_start`` or else the earliest statement date. Statements are dated by
    their ``when``, else by their source's date. Without ``window``, one analysis
    labelled ``all``.

    The graph is checked against the shapes as ``load_checked`` checks it, and a graph
    that fails raises ``ValidationError``; the analysis is made by the workers while
    the dataset is built and checked (up to ``jobs`` processes, by default one per CPU;
    it needs the corpus alone: ``load_checked_beside(early=)``): the camps and
    rankings of each window (or of all) are one piece of work and each part of its
    betweenness (``graph.networks.analysis.betweenness_parts``) another, the same values
    as ``analyse`` gives. With ``build_cache``, the output folder of a build, the sources
    that build read and checked and that have not changed since are neither parsed nor
    checked again (see ``build_sources`` and ``build_checks``); and when no file of the
    sources changed since, nor the code,
    the network that build kept is analysed (see ``graph.keptnetwork``): nothing is
    read, built, checked or projected.
    """

    made: list[_Analysing] = []

    def analysing(network: nx.MultiDiGraph) -> list[Callable[[], object]]:
        made.append(_Analysing(network, level, hedged, window, window_start))
        return made[0].pieces

    if (kept := kept_network(build_cache, data_dir)) is not None:
        results = run_all(analysing(kept.network), jobs)
        return made[0].analyses(results)

    # the analysis needs the corpus alone: its first piece begins while the dataset is
    # built, the checks come next (the cross-source queries are one long piece), then
    # the rest of the analysis
    _, results = load_checked_beside(
        data_dir,
        lambda *graph: [],
        cache=build_checks(build_cache),
        jobs=jobs,
        kept_sources=build_sources(build_cache),
        early=lambda corpus: analysing(corpus_network(corpus)),
    )
    return made[0].analyses(results)


class _Analysing:
    """The pieces of work of the analyses of ``analyse_data``, and the analyses from their
    results.

    Each window that holds a statement (or the whole network, without ``window``) is
    analysed in pieces: its camps and rankings, and each part of its betweenness, the
    longest of them by far. The windows, their signed networks and their ties are made
    here, before the workers start, to be shared by the pieces.
    """

    def __init__(
        self,
        network: nx.MultiDiGraph,
        level: Level,
        hedged: bool,
        window: int | Literal["year", "month"] | None,
        window_start: datetime.date | None,
    ) -> None:
        modalities = _modalities(hedged)
        self.labelled: list[tuple[str, nx.Graph]] = []  # each analysis's label and ties
        self.pieces: list[Callable[[], object]] = []
        for label, part in _windows(network, window, window_start):
            signed = signed_network(part, level, modalities)
            ties = ties_network(signed)
            self.labelled.append((label, ties))
            self.pieces.append(partial(ranked, part, level, modalities, signed))
            self.pieces += betweenness_parts(ties, "distance")

    def analyses(self, results: Sequence[object]) -> list[tuple[str, Analysis]]:
        """The analyses, labelled, from the results of ``pieces`` in order."""
        each = 1 + CENTRAL_PARTS
        found = []
        for number, (label, ties) in enumerate(self.labelled):
            analysis, *parts = results[number * each : (number + 1) * each]
            central = cast(list[list[float]], parts)
            found.append((label, with_central(cast(Analysis, analysis), ties, central)))
        return found


def _windows(
    network: nx.MultiDiGraph,
    window: int | Literal["year", "month"] | None,
    window_start: datetime.date | None,
) -> list[tuple[str, nx.MultiDiGraph]]:
    """``network`` labelled ``all`` without ``window``; else each window that holds a
    statement, labelled ``first..last``."""
    if window is None:
        return [("all", network)]
    if isinstance(window, str):
        windows = calendar_windows(network, window)
    else:
        windows = time_windows(network, window, start=window_start)
    return [(f"{first}..{last}", part) for first, last, part in windows if part.number_of_edges()]


def _modalities(hedged: bool) -> set[str] | None:
    """The modalities an analysis keeps: all, or the firm ones without hedged claims."""
    return None if hedged else {"asserted", "reported"}
