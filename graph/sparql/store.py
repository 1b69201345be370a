"""Keep the graph in an on-disk Oxigraph store, the project's SPARQL engine."""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph

from ..errors import BuildError
from ..forked import available_bytes
from .defaults import STORE_DIR

__all__ = [
    "STORE_DIR",
    "StoreError",
    "StoreLoad",
    "link_store_texts",
    "memory_store",
    "open_store",
    "store_change_files",
    "store_text_files",
    "update_store",
    "write_store",
    "write_store_afresh",
    "write_store_texts",
]


class StoreError(BuildError):
    """The graph store is missing or cannot be opened."""


def memory_store(trig: bytes, union: bytes) -> pyoxigraph.Store:
    """Return an in-memory store laid out as ``apg build`` lays out its store on disk."""
    store = pyoxigraph.Store()
    _load(store, trig, union)
    return store


def _load(store: pyoxigraph.Store, trig: bytes | Path, union: bytes | Path) -> None:
    """Load one named graph per source (TriG) and their union (Turtle) as the default graph,
    each given as its text or as the file that holds it.

    Queries then read the default graph as it is: Oxigraph's union-of-named-graphs mode
    answered the bundled queries 10 to 20 times slower on 100,000 statements.

    Oxigraph's bulk loader holds all the quads of the text it is given: 1.5 GiB for the
    2.3 million quads of each text of 100,000 statements (a text of 160 MB), about ten
    times the text. A text larger than ``BULK_TEXT``, or where the memory available
    (``graph.forked.available_bytes``) is less than ``BULK_MEMORY`` times its size, has
    its quads go in batches of ``LOAD_BATCH`` instead: 0.2 GiB whatever the size, in
    34 s where the bulk loader takes 23 s for both texts of 100,000 statements (each
    loader alone); a build loads them beside its other pieces. The store holds the same
    quads either way.
    """
    for text, format_ in ((trig, pyoxigraph.RdfFormat.TRIG), (union, pyoxigraph.RdfFormat.TURTLE)):
        if isinstance(text, Path):
            source: dict[str, Any] = {"path": str(text)}
            size = text.stat().st_size
        else:
            source, size = {"input": text}, len(text)
        if _bulk_fits(size):
            store.bulk_load(format=format_, **source)
            continue
        for batch in _batches(pyoxigraph.parse(format=format_, **source)):
            store.bulk_extend(batch)


def _bulk_fits(size: int) -> bool:
    """Whether Oxigraph's bulk loader is to load a text of ``size`` bytes: one of at
    most ``BULK_TEXT`` bytes whose copy the memory available holds (unknown, not Linux,
    counts as yes)."""
    if size > BULK_TEXT:
        return False
    try:
        return available_bytes() > BULK_MEMORY * size
    except (OSError, ValueError):
        return True


BULK_MEMORY = 16
"""The memory available, in times a text's size, under which the store's loader reads the
text in batches rather than with Oxigraph's bulk loader (see ``_load``)."""

BULK_TEXT = 32 * 2**20
"""The largest text the store's loader gives Oxigraph's bulk loader (about 0.3 GiB of
quads held; the texts of 20,000 statements): the bulk loader, in a process of its own,
runs beside the pieces of a build, and on a larger text would hold more memory than
any of them."""

LOAD_BATCH = 100_000
"""How many quads the store's loader hands to Oxigraph at a time (see ``_load``)."""


def write_store(trig: bytes, union: bytes, path: Path | str) -> Path:
    """Write a new on-disk store at ``path`` (which must not exist), laid out as
    ``memory_store`` lays it out, and close it.

    ``apg build`` writes it inside a new build folder (see ``graph.output``), so no
    reader ever sees it half-written.
    """
    path = Path(path)
    store = pyoxigraph.Store(str(path))
    _load(store, trig, union)
    store.flush()
    del store  # closes the database
    return path


def update_store(
    previous: Path | str, path: Path | str, changed: Path | bytes, dropped: Iterable[str]
) -> Path:
    """Write at ``path`` (which must not exist) the store at ``previous`` with the named
    graphs ``dropped`` taken out and those of the TriG ``changed`` (a file or its text)
    put in, and close it: the store ``write_store`` writes for the new dataset, when
    ``previous`` holds the old one and the graphs that differ are dropped and given.

    ``previous`` is only read: it is copied first (Oxigraph's backup, hard links to its
    files on the same file system, so a store of millions of quads is copied in
    milliseconds), and the copy changed. A graph both dropped and given (a changed
    source's) loses only the triples it no longer holds and gains only the new: a hedged
    statement among a source's 22,000 triples writes two quads, not 44,000 (1.0 s of CPU
    at 100,000 statements before). The default graph stays the union of the named
    graphs: a triple of a dropped graph leaves it unless another graph still holds it.
    """
    path = Path(path)
    pyoxigraph.Store.read_only(os.path.realpath(previous)).backup(str(path))
    store = pyoxigraph.Store(str(path))
    given: dict[pyoxigraph.NamedNode, set[pyoxigraph.Triple]] = {}
    source = {"path": str(changed)} if isinstance(changed, Path) else {"input": changed}
    for quad in pyoxigraph.parse(format=pyoxigraph.RdfFormat.TRIG, **source):
        if not isinstance(quad.graph_name, pyoxigraph.NamedNode):
            raise ValueError(f"a changed graph's triple outside a named graph: {quad}")
        given.setdefault(quad.graph_name, set()).add(quad.triple)
    gone: set[pyoxigraph.Triple] = set()  # triples that may leave the union
    added: set[pyoxigraph.Triple] = set()
    for graph in dict.fromkeys([*map(pyoxigraph.NamedNode, dropped), *given]):
        held = {quad.triple for quad in store.quads_for_pattern(None, None, None, graph)}
        now = given.get(graph, set())
        left, fresh = held - now, now - held
        if graph in given:
            for triple in left:
                store.remove(
                    pyoxigraph.Quad(triple.subject, triple.predicate, triple.object, graph)
                )
        else:  # dropped alone: gone with its name
            store.remove_graph(graph)
        for batch in _batches(fresh):
            store.extend(pyoxigraph.Quad(t.subject, t.predicate, t.object, graph) for t in batch)
        gone.update(left)
        added.update(fresh)
    for batch in _batches(added):
        store.extend(_in_union(triple) for triple in batch)
    union = pyoxigraph.DefaultGraph()
    for triple in gone - added:
        holders = store.quads_for_pattern(triple.subject, triple.predicate, triple.object, None)
        if all(quad.graph_name == union for quad in holders):
            store.remove(_in_union(triple))
    store.flush()
    del store  # closes the database
    return path


_T = TypeVar("_T")


def _batches(items: Iterable[_T]) -> Iterator[list[_T]]:
    """``items`` in lists of ``LOAD_BATCH``, the last shorter."""
    each = iter(items)
    while batch := list(islice(each, LOAD_BATCH)):
        yield batch


def _in_union(triple: pyoxigraph.Triple) -> pyoxigraph.Quad:
    return pyoxigraph.Quad(triple.subject, triple.predicate, triple.object)


def write_store_afresh(trig: bytes, union: bytes, path: Path | str) -> Path:
    """``write_store`` done by a new Python process, started rather than forked.

    Oxigraph's on-disk store keeps threads and locks that a forked copy of a process
    does not get: in a process forked from one that has opened a store, opening another
    can wait forever. The two texts reach the new process as files beside ``path``,
    removed afterwards (see ``StoreLoad``). Raises ``StoreError`` naming ``path`` and
    the loader's last word when the store cannot be written.
    """
    write_store_texts(trig, union, path)
    return StoreLoad(path).wait()


def store_text_files(path: Path | str) -> tuple[Path, Path]:
    """Where ``StoreLoad`` reads the TriG and the Turtle of the store it writes at ``path``."""
    path = Path(path)
    return path.with_name(f".{path.name}.trig.tmp"), path.with_name(f".{path.name}.ttl.tmp")


def store_change_files(path: Path | str) -> tuple[Path, Path]:
    """Where ``StoreLoad(path, previous)`` reads the TriG of the graphs it puts in, and
    the names of those it drops (one IRI a line)."""
    path = Path(path)
    return path.with_name(f".{path.name}.changed.trig.tmp"), path.with_name(
        f".{path.name}.dropped.tmp"
    )


def write_store_texts(trig: bytes, union: bytes, path: Path | str) -> None:
    """Write the TriG and the Turtle where ``StoreLoad(path)`` reads them."""
    for file, text in zip(store_text_files(path), (trig, union), strict=True):
        file.write_bytes(text)


def link_store_texts(trig: Path, union: Path, path: Path | str) -> None:
    """Put the files ``trig`` and ``union`` where ``StoreLoad(path)`` reads them, as
    second names of the same files (copies where the file system has no hard links):
    the build's own Turtle and TriG, written once. The loader removes only its names."""
    for file, text in zip(store_text_files(path), (trig, union), strict=True):
        try:
            os.link(text, file)
        except OSError:
            shutil.copyfile(text, file)


class StoreLoad:
    """A store being written at ``path`` by a Python process of its own, started here.

    It reads the TriG and the Turtle from ``store_text_files(path)``, which ``wait`` and
    ``stop`` remove. The process is killed if this one ends first (Linux), so that a
    build that stops never leaves it writing into a folder the build removes. ``apg
    build`` starts it as soon as Turtle and TriG are made, and waits for it only when
    the build is published: meanwhile the workers make the other outputs.

    With ``previous``, the store of the build before, it writes instead the store
    ``update_store`` makes of it, from ``store_change_files(path)``: the TriG of the
    graphs to put in and the names of those to drop.
    """

    def __init__(self, path: Path | str, previous: Path | str | None = None) -> None:
        self.path = Path(path)
        self.previous = None if previous is None else Path(previous)
        if self.previous is None:
            self.files = store_text_files(self.path)
        else:
            self.files = store_change_files(self.path)
        self._ended = False
        arguments = [*map(str, self.files), str(self.path)]
        if self.previous is not None:
            arguments.append(str(self.previous))
        command = [sys.executable, "-c", _LOADER, *arguments]
        # the loader imports this very package, wherever this process found it
        found = os.environ.get("PYTHONPATH")
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, found]))}
        try:
            self.process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                preexec_fn=_end_with_parent(os.getpid()),
            )
        except OSError as error:
            self._remove_files()
            raise StoreError(f"{self.path}: cannot start the store's loader: {error}") from None

    def wait(self) -> Path:
        """Wait for the store; raise ``StoreError`` naming the path and the loader's last
        word when it could not be written."""
        try:
            _, said = self.process.communicate()
        finally:
            self._remove_files()
            self._ended = True
        if self.process.returncode != 0:
            lines = said.strip().splitlines() or [f"status {self.process.returncode}"]
            raise StoreError(f"{self.path}: cannot write the graph store: {lines[-1]}")
        return self.path

    def stop(self) -> None:
        """Kill the loader if it is still at work, and remove its texts (once waited
        for, it has nothing left to stop)."""
        if self._ended:
            return
        self._ended = True
        if self.process.poll() is None:
            self.process.kill()
        self.process.communicate()
        self._remove_files()

    def _remove_files(self) -> None:
        for file in self.files:
            file.unlink(missing_ok=True)


def _end_with_parent(parent: int) -> Callable[[], None] | None:
    """What a started process runs first to be killed when ``parent`` ends (Linux's
    ``PR_SET_PDEATHSIG``): a build that stops a worker stops its loader too, which
    would otherwise go on writing into a folder the build removes."""
    if not sys.platform.startswith("linux"):
        return None  # pragma: no cover (not Linux)

    def end_with_parent() -> None:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # ended before the call above
            os._exit(1)

    return end_with_parent


_PR_SET_PDEATHSIG = 1
_LOADER = "import sys; from graph.sparql.store import _write_from_files; _write_from_files()"


def _write_from_files() -> None:
    """The loader of ``StoreLoad``: ``TRIG_FILE TURTLE_FILE STORE`` in ``sys.argv``, or
    ``CHANGED_TRIG_FILE DROPPED_FILE STORE PREVIOUS_STORE``."""
    trig, union, path, *previous = sys.argv[1:5]
    if previous:
        dropped = Path(union).read_text(encoding="utf-8").splitlines()
        update_store(previous[0], path, Path(trig), dropped)
        return
    store = pyoxigraph.Store(path)
    _load(store, Path(trig), Path(union))
    store.flush()


def open_store(path: Path | str = f"output/{STORE_DIR}") -> pyoxigraph.Store:
    """Open the store that ``apg build`` wrote (``output/store``), read-only.

    Read-only opening lets any number of processes (``apg query``, ``apg serve``) read
    at once. Links are resolved once, at opening; hold ``graph.output.reading`` around
    the use of the store so that a later build does not delete it. Raises
    ``StoreError`` when there is no store.
    """
    path = Path(path)
    if not path.is_dir():
        raise StoreError(f"{path}: no graph store here; run `apg build` first")
    try:
        # the real folder, never through the output folder's links: a build switched in
        # meanwhile would otherwise mix two stores' files (see graph.output.reading)
        return pyoxigraph.Store.read_only(os.path.realpath(path))
    except OSError as error:
        raise StoreError(f"{path}: cannot open the graph store: {error}") from None
