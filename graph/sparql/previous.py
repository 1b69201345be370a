"""The store of the build before, and which of its graphs a rebuild changes.

Loading the store is the largest cost of a rebuild that changed one source: every quad
of every source is parsed and indexed again (seconds at 10,000 statements, most of a
minute and 1.5 GiB at 100,000). A build keeps, in ``OUT/.cache/store/``, the name of
its build folder and the SHA-256 of each named graph its store holds (the digests the
shapes' cache is keyed by, ``graph.validate.ValidationReport.digests``). The next build
into the same folder compares them with its own: when ``OUT/current`` still points at
that build and its store is there, the store is copied and only the graphs whose
digest differs are dropped and put in (``graph.sparql.store.update_store``), which
gives the quads a whole load gives.

The record is read as missing when it is damaged (it holds the SHA-256 of its content),
names another build, or was written for another Oxigraph or another layout of the
store; the store is then loaded whole, as it is when more than half the graphs changed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from ..buildcache import EntryFolder, cache_folder
from ..output import current_build
from .defaults import STORE_DIR

__all__ = ["PreviousStore", "keep_store_record", "previous_store"]

_LAYOUT = "apg store 1: one named graph per source, their union as the default graph"


@dataclass(frozen=True)
class PreviousStore:
    """The store of the build before (``path``), the digest of each of its graphs and,
    where recorded, how many triples each holds."""

    path: Path
    digests: Mapping[str, str]
    sizes: Mapping[str, int] = field(default_factory=dict)

    def changes(self, digests: Mapping[str, str]) -> tuple[list[str], list[str]] | None:
        """The graphs to drop from this store and those to put in for a dataset whose
        graphs have ``digests``: the graphs gone or changed, and the graphs new or
        changed, each sorted; None when loading afresh is the cheaper (more than half
        the graphs differ) or there are no digests to go by."""
        if not digests:
            return None
        dropped = sorted(name for name, old in self.digests.items() if digests.get(name) != old)
        loaded = sorted(name for name, new in digests.items() if self.digests.get(name) != new)
        if 2 * len(set(dropped) | set(loaded)) > len(digests):
            return None
        return dropped, loaded


def previous_store(out_dir: Path | str) -> PreviousStore | None:
    """The store of the build ``out_dir/current`` points at, as its build recorded it;
    None when there is no such build or store, or no sound record of it."""
    build = current_build(out_dir)
    if build is None or not (build / STORE_DIR).is_dir():
        return None
    content = _records(out_dir).read(_key(build.name))
    if not (isinstance(content, dict) and isinstance(content.get("graphs"), dict)):
        return None
    graphs = content["graphs"]
    if not all(isinstance(n, str) and isinstance(d, str) for n, d in graphs.items()):
        return None
    sizes = content.get("sizes", {})
    if not (
        isinstance(sizes, dict)
        and all(type(size) is int and size >= 0 and name in graphs for name, size in sizes.items())
    ):
        sizes = {}
    return PreviousStore(build / STORE_DIR, graphs, sizes)


def keep_store_record(
    out_dir: Path | str, digests: Mapping[str, str], sizes: Mapping[str, int] | None = None
) -> None:
    """Record the digests of the graphs of the store of the build ``out_dir/current``
    points at (the one just published), and how many triples each holds (``sizes``,
    where known), for the next build; with no digests, forget any record. A record
    that cannot be written costs the next build time, no more."""
    records = _records(out_dir)
    build = current_build(out_dir)
    if build is None or not digests:
        records.keep_only(())
        return
    key = _key(build.name)
    record: dict[str, object] = {"graphs": dict(sorted(digests.items()))}
    if sizes:
        record["sizes"] = {name: sizes[name] for name in sorted(sizes) if name in digests}
    records.write(key, record)
    records.keep_only((key,))


def _records(out_dir: Path | str) -> EntryFolder:
    return EntryFolder(cache_folder(out_dir, "store"))


def _key(build_name: str) -> str:
    """The record's key: the build's folder name, the layout and Oxigraph's version."""
    text = f"{_LAYOUT}\n{pyoxigraph.__version__}\n{build_name}"
    return hashlib.sha256(text.encode()).hexdigest()
