"""The statement network of the last build, kept for the commands that come after it.

A build projects its graph onto the statement multigraph (``to_networkx``) for the page
and the network files. It keeps that network, the sources' titles and the camps its
page rings in ``OUT/.cache/network/`` with what they were made of: the SHA-256 of each
source's annotation file and text as the build read them
(``graph.annotations.source_digest``) and of the code and ontology that turned them
into a graph. ``apg analyze`` and ``apg render`` read the sources' files again, hash
them, and when every digest is the one kept, start from what the build kept: they
neither read the YAML, build the graph, check it nor project it, which is most of their
work at corpus size.
The build passed the shapes with the same input and code, so the graph would pass them
again. On any difference the command does its whole work, as without a build.

The file is JSON, not a pickle: a file someone else wrote can make a wrong analysis,
never run code. A first line holds the key and the SHA-256 of the rest, so a file cut
short or edited is read as missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from pathlib import Path
from typing import Any

import networkx as nx

from .annotations import annotation_paths, read_source_digest
from .buildcache import cache_folder, code_digest, read_headed, write_whole
from .corpus import Corpus
from .hashing import joined_digest
from .output import Content, StagedFile

__all__ = [
    "KEPT_FILE",
    "KeptNetwork",
    "SourceInput",
    "corpus_inputs",
    "current_inputs",
    "keep_staged",
    "kept_entry",
    "kept_network",
    "kept_path",
    "network_document",
    "network_from_document",
    "taken_entry",
    "write_kept",
]

KEPT_FILE = "network.json"
_FORMAT = "apg kept network 3"


@dataclass(frozen=True)
class KeptNetwork:
    """What a build kept: its statement network, the id and title of each source in the
    order of the corpus (the page's title and its links to the sources need them), and
    the members of each camp of the network, as its page rings them
    (``graph.networks.analysis.camp_members``)."""

    network: nx.MultiDiGraph
    titles: tuple[tuple[str, str], ...]
    camps: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class SourceInput:
    """A source as a build read it: its folder in the data folder, its text's path
    relative to that folder, and the digest of both files (``source_digest``)."""

    folder: str
    text: str
    digest: str


def kept_path(out_dir: Path | str) -> Path:
    """Where the build into ``out_dir`` keeps its network."""
    return cache_folder(out_dir, "network") / KEPT_FILE


def corpus_inputs(corpus: Corpus) -> list[SourceInput] | None:
    """The inputs of a corpus read from a data folder, in the order of its sources; None
    when a source was not read from files (its digest is unknown)."""
    inputs = []
    for source in corpus.sources:
        if not source.digest:
            return None
        folder = source.annotation_path.parent
        inputs.append(
            SourceInput(folder.name, source.text_path.relative_to(folder).as_posix(), source.digest)
        )
    return inputs


def current_inputs(data_dir: Path | str, kept: Sequence[SourceInput]) -> list[SourceInput] | None:
    """The inputs of ``data_dir`` as its files are now, each text found where ``kept``
    says; None when the folders are not those of ``kept`` or a file cannot be read."""
    paths = annotation_paths(Path(data_dir))
    if [path.parent.name for path in paths] != [source.folder for source in kept]:
        return None
    inputs = []
    for path, source in zip(paths, kept, strict=True):
        digest = read_source_digest(path, source.text, data_dir)
        if digest is None:
            return None
        inputs.append(SourceInput(source.folder, source.text, digest))
    return inputs


def kept_entry(
    network: nx.MultiDiGraph,
    corpus: Corpus,
    camps: Sequence[Sequence[str]],
    inputs: Sequence[SourceInput],
    *,
    digest: str | None = None,
    before: Path | None = None,
    edges: Sequence[tuple[str, str, str, dict[str, Any]]] | None = None,
    edge_digests: Sequence[str | None] | None = None,
) -> bytes:
    """The file that keeps ``network``, the projection of the graph of ``corpus``, and
    its ``camps``, made of ``inputs`` by today's code (``edges``: the network's edges as
    ``edges(keys=True, data=True)`` lists them, where listed already).

    With ``digest`` (``graph.networks.kept.network_digest`` of ``network``), the file
    names the network by it and by the code; with ``before`` too (the file the build
    before kept), the network's text (most of the file: 47 MB at 100,000 statements) is
    taken from that file where it names the same network, once its SHA-256 is found to
    hold, not made again. Where the network changed, the text of the edges of each
    source whose edges did not change (by ``edge_digests``, the digest of each of
    ``edges``: ``graph.networks.documents.element_digests``) is taken from that file,
    and only the others' written. The bytes are the same either way.
    """
    made = _entry(
        corpus, camps, inputs, digest, before, partial(_network_text, network, edges, edge_digests)
    )
    assert made is not None  # the text is made where it is not taken
    return made


def taken_entry(
    corpus: Corpus,
    camps: Sequence[Sequence[str]],
    inputs: Sequence[SourceInput],
    *,
    digest: str,
    before: Path,
) -> bytes | None:
    """``kept_entry`` of the network of digest ``digest``, without the network: None
    where its text cannot be taken from ``before``."""
    return _entry(corpus, camps, inputs, digest, before, None)


_Runs = list[list[Any]]
"""Where the edges of each source lie in a network's text: the digest of the run (None
where one of its edges has none), its first byte and the byte after its last."""


def _entry(
    corpus: Corpus,
    camps: Sequence[Sequence[str]],
    inputs: Sequence[SourceInput],
    digest: str | None,
    before: Path | None,
    document: Callable[[_Before | None], tuple[bytes, _Runs]] | None,
) -> bytes | None:
    named = None if digest is None else _network_key(digest)
    found = None if before is None else _Before.read(before)
    taken, runs = (None, None) if named is None or found is None else found.network(named)
    text: bytes | memoryview
    if taken is not None:
        text = taken
    elif document is not None:
        text, runs = document(found)
    else:
        return None
    head: dict[str, Any] = {
        "inputs": [[source.folder, source.text, source.digest] for source in inputs],
        "titles": [[source.id, source.title] for source in corpus.sources],
        "camps": [list(members) for members in camps],
    }
    if runs is not None:
        head["runs"] = {"code": _text_key(), "of": runs}
    if named is not None:
        head["network_key"] = named
    payload = b"".join([_json(head)[:-1], _NETWORK, text, b"}"])
    header = {"format": _FORMAT, "key": _key(inputs), "sha256": hashlib.sha256(payload).hexdigest()}
    return json.dumps(header).encode() + b"\n" + payload


def _network_text(
    network: nx.MultiDiGraph,
    edges: Sequence[tuple[str, str, str, dict[str, Any]]] | None,
    digests: Sequence[str | None] | None,
    before: _Before | None,
) -> tuple[bytes, _Runs]:
    """The text of ``network_document(network)``, and where each source's edges lie in
    it: the edges of a source (a run of edges of one ``source`` in the order of their
    keys) whose digest ``before`` holds taken from it, the others written."""
    listed = list(network.edges(keys=True, data=True)) if edges is None else edges
    order = sorted(range(len(listed)), key=lambda number: listed[number][2])
    nodes = [[node, data] for node, data in network.nodes(data=True)]
    parts: list[bytes | memoryview] = [b'{"nodes":', _json(nodes), b',"edges":[']
    at = sum(map(len, parts))
    runs: _Runs = []
    for _, run in groupby(order, key=lambda number: listed[number][3].get("source")):
        numbers = list(run)
        digest = (
            None if digests is None else joined_digest(b"", (b"", [digests[n] for n in numbers]))
        )
        taken = None if digest is None or before is None else before.run(digest)
        text = _edges_text([listed[n] for n in numbers]) if taken is None else taken
        if runs:
            parts.append(b",")
            at += 1
        parts.append(text)
        runs.append([digest, at, at + len(text)])
        at += len(text)
    parts.append(b"]}")
    return b"".join(parts), runs


def _edges_text(edges: list[tuple[str, str, str, dict[str, Any]]]) -> bytes:
    """The text of ``edges`` in a network's text, as ``network_document`` lists them."""
    return _json([[u, v, key, data] for u, v, key, data in edges])[1:-1]


def _text_key() -> str:
    """What names the code that writes a network's text: only a run written by the same
    code is taken."""
    return hashlib.sha256(f"{_FORMAT}\n{code_digest()}".encode()).hexdigest()


class _Before:
    """The file the build before kept (``kept_entry``), read once its SHA-256 is found
    to hold: its network's text, named by its key, and the runs of edges in it."""

    def __init__(self, payload: bytes) -> None:
        self._payload = payload
        self._at = at = payload.find(_NETWORK)
        head = json.loads(payload[:at] + b"}") if at > 0 and payload.endswith(b"}") else {}
        self._head = head if isinstance(head, dict) else {}
        self._runs: dict[str, tuple[int, int]] | None = None

    @staticmethod
    def read(path: Path) -> _Before | None:
        found = _checked_file(path)
        if found is None:
            return None
        try:
            return _Before(found[1])
        except ValueError:
            return None

    def network(self, named: str) -> tuple[memoryview | None, _Runs | None]:
        """The text of the network named ``named`` and its runs (None where they are of
        other code), or (None, None) where this file keeps another network."""
        if self._at < 0 or self._head.get("network_key") != named:
            return None, None
        runs = self._head.get("runs")
        taken = runs.get("of") if isinstance(runs, dict) and self._of_today() else None
        return memoryview(self._payload)[self._at + len(_NETWORK) : -1], taken

    def run(self, digest: str) -> memoryview | None:
        """The text of the run of edges of digest ``digest``, where this file holds one
        written by today's code."""
        if self._runs is None:
            self._runs = {}
            runs = self._head.get("runs")
            if self._at >= 0 and isinstance(runs, dict) and self._of_today():
                start = self._at + len(_NETWORK)
                for item in runs.get("of", []):
                    if isinstance(item, list) and len(item) == 3 and isinstance(item[0], str):
                        first, last = item[1], item[2]
                        if type(first) is int and type(last) is int and 0 <= first <= last:
                            self._runs[item[0]] = (start + first, start + last)
        found = self._runs.get(digest)
        if found is None or found[1] > len(self._payload) - 1:
            return None
        return memoryview(self._payload)[found[0] : found[1]]

    def _of_today(self) -> bool:
        runs = self._head.get("runs")
        return isinstance(runs, dict) and runs.get("code") == _text_key()


_NETWORK = b',"network":'
"""What begins a file's network (a quotation mark in a text of the file is escaped, so
the first is the member's)."""


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _network_key(digest: str) -> str:
    """What names a network in the file: its digest, and the code that wrote its text."""
    return hashlib.sha256(f"{_FORMAT}\n{code_digest()}\n{digest}".encode()).hexdigest()


def _checked_file(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """The header and the payload of the file ``path`` (``kept_entry``), where it is of
    this format and its payload has the SHA-256 its header holds; else None."""
    return read_headed(path, format=_FORMAT)


def write_kept(out_dir: Path | str, entry: bytes) -> None:
    """Keep ``entry`` (``kept_entry``) as the network of ``out_dir``'s build, whole or not
    at all; a failure to write is no error (the next command does its whole work)."""
    write_whole(kept_path(out_dir), entry)


def keep_staged(out_dir: Path | str, entry: Content) -> None:
    """``write_kept``, for an entry made by a build's worker: a file it staged in the
    output folder is moved into place, not copied."""
    if not isinstance(entry, StagedFile):
        write_kept(out_dir, entry)
        return
    path = kept_path(out_dir)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(entry.path, path)


def kept_network(out_dir: Path | str | None, data_dir: Path | str) -> KeptNetwork | None:
    """What the build into ``out_dir`` kept, when it was made of the files of
    ``data_dir`` as they are now, by today's code; else None (and for None)."""
    found = None if out_dir is None else _checked_file(kept_path(out_dir))
    if found is None:
        return None
    header, payload = found
    try:
        document = json.loads(payload)
        kept = [SourceInput(*map(_text, row)) for row in document["inputs"]]
        if not kept:  # no build is of no source: a data folder without any is an error
            return None
        inputs = current_inputs(data_dir, kept)
        if inputs is None or header.get("key") != _key(inputs) or inputs != kept:
            return None
        titles = tuple((_text(id_), _text(title)) for id_, title in document["titles"])
        camps = tuple(tuple(map(_text, members)) for members in document["camps"])
        return KeptNetwork(network_from_document(document["network"]), titles, camps)
    except (ValueError, TypeError, KeyError):
        return None


def network_document(
    network: nx.MultiDiGraph, edges: Sequence[tuple[str, str, str, dict[str, Any]]] | None = None
) -> dict[str, Any]:
    """``network`` as plain data: its nodes in order, and its edges in the order of their
    keys, the order in which ``to_networkx`` adds them (see ``network_from_document``);
    ``edges``, where given, those of ``network`` as ``edges(keys=True, data=True)`` lists
    them."""
    listed = network.edges(keys=True, data=True) if edges is None else edges
    return {
        "nodes": [[node, data] for node, data in network.nodes(data=True)],
        "edges": [[u, v, key, data] for u, v, key, data in sorted(listed, key=_edge_key)],
    }


def network_from_document(document: dict[str, Any]) -> nx.MultiDiGraph:
    """The network of ``network_document``: the same nodes, edges, keys and attributes,
    each node's edges out and in listed in the same order."""
    network = nx.MultiDiGraph()
    for node, data in document["nodes"]:
        network.add_node(_text(node), **_mapping(data))
    for u, v, key, data in document["edges"]:
        network.add_edge(_text(u), _text(v), key=_text(key), **_mapping(data))
    return network


def _edge_key(edge: tuple[str, str, str, dict[str, Any]]) -> str:
    return edge[2]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    return value


def _mapping(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise TypeError(f"expected a mapping, got {type(value).__name__}")
    return value


def _key(inputs: Sequence[SourceInput]) -> str:
    digest = hashlib.sha256(code_digest().encode())
    for source in inputs:
        digest.update(f"\n{source.folder}\0{source.text}\0{source.digest}".encode())
    return digest.hexdigest()
