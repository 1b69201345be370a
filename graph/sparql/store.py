"""Keep the graph in an on-disk Oxigraph store, the project's SPARQL engine."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph

from ..errors import BuildError
from .defaults import STORE_DIR

__all__ = [
    "STORE_DIR",
    "StoreError",
    "memory_store",
    "open_store",
    "write_store",
    "write_store_afresh",
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
    """
    for text, format_ in ((trig, pyoxigraph.RdfFormat.TRIG), (union, pyoxigraph.RdfFormat.TURTLE)):
        if isinstance(text, Path):
            store.bulk_load(path=str(text), format=format_)
        else:
            store.bulk_load(text, format=format_)


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


def write_store_afresh(trig: bytes, union: bytes, path: Path | str) -> Path:
    """``write_store`` done by a new Python process, started rather than forked.

    Oxigraph's on-disk store keeps threads and locks that a forked copy of a process
    does not get: in a process forked from one that has opened a store, opening another
    can wait forever. A build's workers are forked (``graph.forked``), so the one that
    loads the store hands the work to a process of its own. The two texts reach it as
    files beside ``path``, removed afterwards. Raises ``StoreError`` naming ``path`` and
    the loader's last word when the store cannot be written.
    """
    path = Path(path)
    texts = {path.with_name(f".{path.name}.{kind}.tmp"): text
             for kind, text in (("trig", trig), ("ttl", union))}  # fmt: skip
    try:
        for file, text in texts.items():
            file.write_bytes(text)
        command = [sys.executable, "-c", _LOADER, *map(str, texts), str(path)]
        # the loader imports this very package, wherever this process found it
        found = os.environ.get("PYTHONPATH")
        package_root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [package_root, found]))}
        completed = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    finally:
        for file in texts:
            file.unlink(missing_ok=True)
    if completed.returncode != 0:
        said = completed.stderr.strip().splitlines() or [f"status {completed.returncode}"]
        raise StoreError(f"{path}: cannot write the graph store: {said[-1]}")
    return path


_LOADER = "import sys; from graph.sparql.store import _write_from_files; _write_from_files()"


def _write_from_files() -> None:
    """The loader of ``write_store_afresh``: ``TRIG_FILE TURTLE_FILE STORE`` in ``sys.argv``."""
    trig, union, path = sys.argv[1:4]
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
