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
from pathlib import Path
from typing import Any

import networkx as nx

from .annotations import annotation_paths, read_source_digest
from .buildcache import cache_folder, code_digest, read_headed, write_whole
from .corpus import Corpus
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
_FORMAT = "apg kept network 2"


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
) -> bytes:
    """The file that keeps ``network``, the projection of the graph of ``corpus``, and
    its ``camps``, made of ``inputs`` by today's code (``edges``: the network's edges as
    ``edges(keys=True, data=True)`` lists them, where listed already).

    With ``digest`` (``graph.networks.kept.network_digest`` of ``network``), the file
    names the network by it and by the code; with ``before`` too (the file the build
    before kept), the network's text (most of the file: 47 MB at 100,000 statements) is
    taken from that file where it names the same network, once its SHA-256 is found to
    hold, not made again. The bytes are the same either way.
    """
    made = _entry(corpus, camps, inputs, digest, before, lambda: network_document(network, edges))
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


def _entry(
    corpus: Corpus,
    camps: Sequence[Sequence[str]],
    inputs: Sequence[SourceInput],
    digest: str | None,
    before: Path | None,
    document: Callable[[], dict[str, Any]] | None,
) -> bytes | None:
    named = None if digest is None else _network_key(digest)
    head: dict[str, Any] = {
        "inputs": [[source.folder, source.text, source.digest] for source in inputs],
        "titles": [[source.id, source.title] for source in corpus.sources],
        "camps": [list(members) for members in camps],
    }
    if named is not None:
        head["network_key"] = named
    text = None if named is None or before is None else _network_text(before, named)
    if text is None:
        if document is None:
            return None
        text = _json(document())
    payload = _json(head)[:-1] + b',"network":' + text + b"}"
    header = {"format": _FORMAT, "key": _key(inputs), "sha256": hashlib.sha256(payload).hexdigest()}
    return json.dumps(header).encode() + b"\n" + payload


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _network_key(digest: str) -> str:
    """What names a network in the file: its digest, and the code that wrote its text."""
    return hashlib.sha256(f"{_FORMAT}\n{code_digest()}\n{digest}".encode()).hexdigest()


def _network_text(path: Path, named: str) -> bytes | None:
    """The text of the network named ``named`` in the file ``path`` keeps, or None where
    the file is missing, damaged or keeps another network. A quotation mark inside a
    text of the file is escaped, so the member that names the network is found by its
    bytes."""
    found = _checked_file(path)
    if found is None:
        return None
    payload = found[1]
    marker = b',"network_key":"' + named.encode() + b'","network":'
    at = payload.find(marker)
    if at < 0 or not payload.endswith(b"}"):
        return None
    return payload[at + len(marker) : -1]


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
