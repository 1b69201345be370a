"""The network files and the page's drawing of the build before, taken where their
network did not change.

The 52 network files (``graph.networks.exchange``) are a function of the statement
network alone, and each network's four files of that network alone; a rebuild after one
source changed made them all again, though most edits (a title, a date, an entity's
description, a quote) change few of the networks or none. A build keeps, in
``OUT/.cache/files/``, for each network it wrote: the SHA-256 of the network
(``network_digest``) and the name, size and SHA-256 of each of its files, under three
keys: the network's own digest, the digest of the records the statement network is made
of (``graph.networks.projection.corpus_digest``), and that of what the network reads.
The next build then, for each network:

- finds the entry of the records the statement network is made of, and takes the files
  without making the statement network or the network (the same records make the same
  statement network, and so the same projections);
- else finds the entry of what the network reads (``ReadDigests``: the statements of the
  relations it is made of, and the labels and types of the nodes), and takes the files
  without making it (a hedged blame changes the blame networks, not the ten others);
- else makes the network and finds the entry of its own digest (an edit of what a
  network reads may leave it as it was: a quote, a date);
- else writes its files, as a build without a cache does; the statement network's
  files are made again from those of the build before where they are kept with the
  digest of each node and edge and the length of its text (one entry, under its stem),
  copying every element whose digest the file before holds and writing the others
  (``graph.networks.documents.splice``).

A file is taken from the build before (the build folder ``OUT/current`` points at) as a
second name of the same file on disk (a hard link, or a copy where links cannot be made),
and only once its bytes are found to have the SHA-256 kept: a file missing, edited or
that cannot be read is written again. Every key holds the code's digest
(``graph.buildcache.code_digest``): files written by other code are never taken. The
files are byte for byte those a build into a new folder writes.

The camps the page rings and its layout are a function of the statement network too:
an entry under its digest names them (``keep_drawing``) for a build whose statement
network did not change (``drawing``). The camps are a function of the signed network
alone, and the layout of the nodes and the pairs they join alone: each is kept under
the digest of those too (``keep_camps``, ``keep_layout``), and taken after an edit that
changed the statement network but not them (a hedge, a quote, a date); the camps are
kept under the digest of the stances they are made of as well, and taken after an edit
of no stance without making the signed network. The page is
written again all the same: the sources' titles are on it.
"""

from __future__ import annotations

import hashlib
import json
import mmap
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from ..buildcache import EntryFolder, code_digest, is_sha256
from ..hashing import joined_digest
from ..output import (
    Content,
    StagedFile,
    mapped_before,
    stage_file,
    stage_linked,
    stage_stream,
)
from .discourse import NODE_FIELDS
from .documents import (
    Before,
    ElementDigests,
    assemble,
    element_digester,
    element_digests,
    splice,
)
from .exchange import (
    PARTS,
    each_document_of,
    each_file_of,
    each_network,
    file_names,
    relations_of,
    stems,
)

__all__ = ["KeptFiles", "ReadDigests", "keep_records", "network_digest"]

_FORMAT = "apg kept files 1"
_T = TypeVar("_T")


def network_digest(network: nx.Graph, elements: ElementDigests | None = None) -> str | None:
    """The SHA-256 of all a network's files are made of: its kind, its attributes, and
    the digest of each of its nodes and edges in order (``element_digests``, with their
    attributes and the edges' keys; ``elements`` where they are made already); None for
    a network holding a value no digest is made of (its files are then always made)."""
    nodes, edges = element_digests(network) if elements is None else elements
    try:
        head = _json([type(network).__name__, network.graph])
    except (TypeError, ValueError):
        return None
    return joined_digest(head, (b"N", nodes), (b"E", edges))


class ReadDigests:
    """The SHA-256 of what a network made of the statements of some relations of the
    statement network ``network`` reads (``graph.networks.discourse.relations_read``):
    those statements, each with its key and all its attributes, in order, and the
    ``NODE_FIELDS`` of every node. Two statement networks of the same such digest have
    the same network of those relations.

    The statements of each relation are digested once, the first time a digest is asked
    for, in one pass over the statement network that also makes the digest of each of
    its elements (``elements``: what ``network_digest`` and the splices of its files are
    made of).
    """

    def __init__(
        self, network: nx.MultiDiGraph, edges: list[tuple[Any, Any, Any, Any]] | None = None
    ) -> None:
        self.network = network
        self._edges = edges  # where listed already, as ``network.edges`` lists them
        self._parts: dict[object, str | None] | None = None
        self._elements: ElementDigests | None = None

    def made(self) -> ReadDigests:
        """These digests, every relation's digested now (to be handed to another process
        with the network: see ``KeptFiles``)."""
        if self._parts is None:
            self._parts = self._digested()
        return self

    def elements(self) -> ElementDigests:
        """``element_digests`` of the network."""
        if self._elements is None:
            self._parts = self._digested()
        assert self._elements is not None
        return self._elements

    def of(self, relations: Collection[str]) -> str | None:
        """The digest of the statements of ``relations`` and of the nodes; None where one
        of them holds a value no digest is made of."""
        if self._parts is None:
            self._parts = self._digested()
        parts = [self._parts[_NODES], *(self._parts.get(r, _NONE) for r in sorted(relations))]
        if None in parts:
            return None
        return hashlib.sha256(_json([sorted(relations), parts])).hexdigest()

    def _digested(self) -> dict[object, str | None]:
        digest = element_digester()
        edges: list[str | None] = []
        grouped: dict[object, list[str | None]] = defaultdict(list)
        listed, self._edges = self._edges, None  # not handed on with the digests
        for edge in self.network.edges(keys=True, data=True) if listed is None else listed:
            found = digest(edge)
            edges.append(found)
            grouped[edge[3].get("relation")].append(found)
        nodes = list(self.network.nodes(data=True))
        self._elements = ([digest(node) for node in nodes], edges)
        fields = [
            digest((node, {field: data[field] for field in NODE_FIELDS if field in data}))
            for node, data in nodes
        ]
        parts = {
            relation: joined_digest(_json(relation), (b"E", each))
            for relation, each in grouped.items()
        }
        return {**parts, _NODES: joined_digest(_json(NODE_FIELDS), (b"N", fields))}


_NODES = "\x00nodes"  # the key of the nodes' digest among the relations' (no relation's)
_NONE = hashlib.sha256(b"no statement").hexdigest()  # the digest of a relation of none


def _json(value: object) -> bytes:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8", "surrogatepass")


class KeptFiles:
    """The files of networks kept in ``folder`` by the builds before, taken from the
    build folder ``previous`` into ``staging`` (see ``graph.output.OutputBuild.staging``).

    ``each_file`` makes (or takes) the files of some of the networks, ``drawing`` and
    ``keep_drawing`` take and keep the page's; ``records`` is then what to keep for the
    next build, for ``keep_records`` to write once the build is published. Several
    processes may each make some of the networks, each with its own ``KeptFiles``: the
    build process gathers their records. ``reads``, where given, gives the digests of
    what the networks read of the statement network made once for them all elsewhere
    (``ReadDigests(network).made()``), taken for that very network.
    """

    def __init__(
        self,
        folder: Path,
        previous: Path | None,
        staging: Path,
        *,
        reads: Callable[[], ReadDigests | None] | None = None,
    ) -> None:
        self._entries = EntryFolder(folder)
        self._previous = previous
        self._staging = staging
        self._given = reads
        self._reads: ReadDigests | None = None
        self.records: dict[str, Any] = {}

    def each_file(
        self,
        statements: Callable[[], nx.MultiDiGraph],
        digest: Callable[[], str | None],
        records: str | None,
        parts: Collection[str] = PARTS,
    ) -> Iterator[tuple[str, Content]]:
        """The files of the networks of ``parts`` (as ``each_network_file`` names and
        orders them), each staged: taken from the build before, else written.

        ``records`` is the digest of what the statement network is made of
        (``graph.networks.projection.corpus_digest``); ``statements`` gives the
        statement network, and is called only where a network's files are not known by
        ``records`` alone; ``digest`` gives its digest (``network_digest``), called only
        where the statement network's own files are not."""
        makers: dict[str, Callable[[], nx.Graph]] = {}
        for stem in stems(parts):
            made_of = None if records is None else _key("made of", stem, records)
            entry = self._read(made_of)
            taken = self._taken(stem, entry)
            reads = None if entry is None else entry.get("reads")
            if taken is None:
                network = statements()
                if not makers:
                    makers.update(each_network(network, parts))
                if (relations := relations_of(stem)) is not None:
                    reads = self.read_digest(network, relations)
                    entry = self._read(None if reads is None else _key("reads", stem, reads))
                    taken = self._taken(stem, entry)
            if taken is None:
                made = makers[stem]()
                elements = None  # of a network spliced
                if stem == _STATEMENTS:
                    own = digest()
                else:
                    elements = element_digests(made) if stem in _SPLICED else None
                    own = network_digest(made, elements)
                entry = self._read(None if own is None else _key("network", stem, own))
                taken = self._taken(stem, entry)
                if taken is None:  # each file staged as it is made
                    if stem in _SPLICED:  # spliced where it can be
                        if elements is None:  # the statement network's, made with its reads
                            elements = self._read_digests(made).elements()
                        taken = self._written(stem, made, elements)
                    else:
                        written = each_file_of(stem, made)
                        taken = {name: stage_file(self._staging, data) for name, data in written}
                    entry = {"network": own, "files": _listed(taken)}
            assert entry is not None  # files are taken only with their entry
            # the entry names what the network reads: a build that takes it by the
            # statement network's records keeps it under that digest too, for the next
            entry = {**entry, "reads": reads}
            keys = (
                made_of,
                None if reads is None else _key("reads", stem, reads),
                None if entry["network"] is None else _key("network", stem, entry["network"]),
            )
            self.records.update({key: entry for key in keys if key is not None})
            if stem in _SPLICED:  # the elements of files taken: those kept before
                self.records.setdefault(_key("elements", stem, _LAST), None)
            yield from taken.items()

    def _written(
        self, stem: str, network: nx.Graph, digests: ElementDigests
    ) -> dict[str, StagedFile]:
        """The files of ``network``, each staged as it is made: made again from the
        file of the build before where few of its elements changed (see
        :mod:`.documents`; ``digests``: ``element_digests`` of ``network``), else
        written whole. What the next build needs for the same is kept under the stem's
        key of elements, which ``each_file`` records as kept.

        Only the files of the statement network and of the two blame networks
        (``_SPLICED``) are made so: any edit of a statement changes the statement
        network, and a hedged or unhedged blame, the edit this tool's users make most
        (an accusation reported, then said to be alleged), changes the blame networks,
        which mark a tie hedged when all its statements are; the other projections
        change with the statements of their relations alone, and the digests and
        lengths of the elements of all twelve cost a first build at 30,000 statements
        about 1.5 s of CPU, for the next edit of a stance (four projections of 37,000
        ties each) to save about as much."""
        key = _key("elements", stem, _LAST)
        before = self._elements_before(key)
        layout: dict[str, Any] = {"nodes": digests[0], "edges": digests[1], "files": {}}
        staged: dict[str, StagedFile] = {}
        for name, document in each_document_of(stem, network):
            if isinstance(document, bytes):  # written by NetworkX: never spliced
                staged[name] = stage_file(self._staging, document)
                continue
            made = None
            found = None if before is None else self._before(name, before)
            if found is not None:
                made = splice(document, digests, found)
            if made is None:
                made = assemble(document)
            staged[name] = file = stage_stream(self._staging, made.write)
            layout["files"][name] = {
                "size": file.size,
                "sha256": file.sha256,
                "fixed": document.fixed_digest(),
                "lengths": list(made.lengths),
            }
        # written now, not with the records: it is as large as the network (and a build
        # that fails leaves it describing files never published, which no build takes)
        self._entries.write(key, layout)
        return staged

    def _elements_before(self, key: str) -> dict[str, Any] | None:
        found = self._entries.read(key)
        if not (
            isinstance(found, dict)
            and all(_digest_list(found.get(kind)) for kind in ("nodes", "edges"))
            and isinstance(found.get("files"), dict)
        ):
            return None
        return found

    def _before(self, name: str, elements: dict[str, Any]) -> Before | None:
        """The file ``name`` of the build before, as ``elements`` (its stem's entry of
        elements) describes it, once its bytes are found to be those described."""
        described = elements["files"].get(name)
        if self._previous is None or not isinstance(described, dict):
            return None
        lengths = described.get("lengths")
        if not (
            isinstance(lengths, list)
            and len(lengths) == 2
            and all(_length_list(run) for run in lengths)
            and is_sha256(described.get("fixed"))
        ):
            return None
        data = _read_checked(self._previous / name, described.get("size"), described.get("sha256"))
        if data is None:
            return None
        return Before(
            data,
            described["fixed"],
            (elements["nodes"], elements["edges"]),
            (lengths[0], lengths[1]),
        )

    def read_digest(self, network: nx.MultiDiGraph, relations: Collection[str]) -> str | None:
        """``ReadDigests(network).of(relations)``, the statements of each relation of
        ``network`` digested once for all the networks this ``KeptFiles`` makes (or
        those ``reads`` gives, where made for ``network``)."""
        return self._read_digests(network).of(relations)

    def _read_digests(self, network: nx.MultiDiGraph) -> ReadDigests:
        if self._reads is None or self._reads.network is not network:
            given = None if self._given is None else self._given()
            if given is None or given.network is not network:
                given = ReadDigests(network)
            self._reads = given
        return self._reads

    def drawing(self, network: nx.MultiDiGraph | None, digest: str | None) -> _Drawing | None:
        """The camps and the layout of the page (``fit_to_pane(layout_positions(...))``)
        kept for the statement network ``network`` of digest ``digest``, or None: the
        entry names the digests they are kept by (see ``camps`` and ``layout``). Without
        ``network`` (not made), they are taken as kept for its digest, their nodes not
        checked against its nodes."""
        key = None if digest is None else _key("drawing", "graph.html", digest)
        found = None if key is None else self._entries.read(key)
        if not (isinstance(found, dict) and _digests(found, "camps", "layout")):
            return None
        camps, layout = self.camps(found["camps"], network), self.layout(found["layout"], network)
        if camps is None or layout is None or key is None:
            return None
        self.records[key] = found
        return camps, layout

    def keep_drawing(self, digest: str | None, camps: str | None, layout: str | None) -> None:
        """Keep, for ``drawing``, that the page of the statement network of digest
        ``digest`` has the camps and the layout kept by the digests ``camps`` and
        ``layout``."""
        if digest is not None and camps is not None and layout is not None:
            key = _key("drawing", "graph.html", digest)
            self.records[key] = {"camps": camps, "layout": layout}

    def camps(self, digest: str | None, network: nx.MultiDiGraph | None) -> _Camps | None:
        """The camps kept for the signed network (``signed_network``) of digest
        ``digest``, when they are camps of nodes of ``network``; else None."""
        return self._page_entry("camps", digest, lambda found: _camps(found, network))

    def keep_camps(self, digest: str | None, camps: _Camps) -> None:
        """Keep ``camps``, of the signed network of digest ``digest``, for ``camps``."""
        if digest is not None:
            self.records[_key("camps", "graph.html", digest)] = [list(camp) for camp in camps]

    def layout(self, digest: str | None, network: nx.MultiDiGraph | None) -> _Layout | None:
        """The layout kept for a network whose nodes and pairs
        (``graph.explorer.layout.layout_digest``) have digest ``digest``, when it places
        each node of ``network`` and no other; else None."""
        return self._page_entry("layout", digest, lambda found: _layout(found, network))

    def keep_layout(self, digest: str | None, layout: _Layout) -> None:
        """Keep ``layout``, of a network of layout digest ``digest``, for ``layout``."""
        if digest is not None:
            self.records[_key("layout", "graph.html", digest)] = {
                node: list(place) for node, place in layout.items()
            }

    def network_of(self, records: str | None) -> str | None:
        """The digest of the statement network made of the records of digest ``records``
        (``graph.networks.projection.corpus_digest``), as the build that made it kept it;
        None where no build did."""
        found = self._read(None if records is None else _key("made of", _STATEMENTS, records))
        own = None if found is None else found.get("network")
        return own if is_sha256(own) else None

    def page(self, key: str) -> tuple[dict[str, Any], mmap.mmap] | None:
        """The record kept for the page of key ``key`` (see
        ``graph.explorer.pagesplice``) and the page of the build before it describes
        (mapped in memory), once its bytes are found to have the size and SHA-256 the
        record holds; None where either is missing or not as kept."""
        found = self._entries.read(_key("page", "graph.html", key))
        if not isinstance(found, dict) or self._previous is None:
            return None
        page = _read_checked(self._previous / "graph.html", found.get("size"), found.get("sha256"))
        return None if page is None else (found, page)

    def keep_page(self, key: str, record: Mapping[str, Any]) -> None:
        """Keep ``record``, of the page of key ``key``, for ``page``."""
        self.records[_key("page", "graph.html", key)] = dict(record)

    def _page_entry(
        self, kind: str, digest: str | None, taken: Callable[[object], _T | None]
    ) -> _T | None:
        """What ``taken`` finds in the page's entry ``kind`` kept under ``digest`` (None
        for an entry it refuses); a taken entry is kept for the next build."""
        key = None if digest is None else _key(kind, "graph.html", digest)
        found = None if key is None else self._entries.read(key)
        value = taken(found)
        if value is not None and key is not None:
            self.records[key] = found
        return value

    def _read(self, key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        found = self._entries.read(key)
        return found if _well_formed(found) else None

    def _taken(self, stem: str, entry: dict[str, Any] | None) -> dict[str, StagedFile] | None:
        """The files of ``stem`` that ``entry`` lists, from the build before, each with
        the bytes kept; None when one of them is not (or the entry lists others)."""
        if entry is None or self._previous is None:
            return None
        names = file_names(stem)
        if sorted(entry["files"]) != sorted(names):
            return None
        taken: dict[str, StagedFile] = {}
        for name in names:
            size, sha256 = entry["files"][name]
            found = stage_linked(self._staging, self._previous / name, size, sha256)
            if found is None:
                for each in taken.values():
                    each.path.unlink(missing_ok=True)
                return None
            taken[name] = found
        return taken


def keep_records(folder: Path, records: Mapping[str, Any]) -> None:
    """Keep in ``folder`` the ``records`` of every ``KeptFiles`` of a build, and only
    them: any other entry names files of a build the next one no longer takes from. A
    record of None keeps the entry there is, as it is (the elements of files taken)."""
    entries = EntryFolder(folder)
    for key, entry in records.items():
        if entry is not None and entries.read(key) != entry:
            entries.write(key, entry)
    entries.keep_only(records)


def _digest_list(found: object) -> bool:
    return isinstance(found, list) and all(d is None or isinstance(d, str) for d in found)


def _length_list(found: object) -> bool:
    return isinstance(found, list) and all(type(n) is int and n >= 0 for n in found)


def _read_checked(path: Path, size: object, sha256: object) -> mmap.mmap | None:
    """The plain file ``path``, mapped in memory to be read (not copied), when there are
    ``size`` bytes in it (one or more) and their SHA-256 is ``sha256``; else None (see
    ``mapped_before``)."""
    if not is_sha256(sha256):
        return None
    return mapped_before(path, size, sha256)


_STATEMENTS = "networks/statements"
_SPLICED = frozenset({_STATEMENTS, "networks/actor/blame", "networks/state/blame"})
"""The stems whose files a build makes from those before (see ``KeptFiles._written``)."""
_LAST = "the build before"  # the key of a stem's elements: one entry, of the last files


def _key(kind: str, stem: str, digest: str) -> str:
    text = json.dumps([_FORMAT, code_digest(), kind, stem, digest])
    return hashlib.sha256(text.encode()).hexdigest()


def _listed(files: Mapping[str, StagedFile]) -> dict[str, list[Any]]:
    return {name: [file.size, file.sha256] for name, file in files.items()}


_Camps = tuple[tuple[str, ...], ...]
_Layout = dict[str, tuple[float, float]]
_Drawing = tuple[_Camps, _Layout]
"""The camps of a page (``camp_members``) and its layout, by node."""


def _digests(found: dict[str, Any], *names: str) -> bool:
    """Whether ``found`` holds a SHA-256 under each of ``names``."""
    return all(is_sha256(found.get(name)) for name in names)


def _camps(found: object, network: nx.MultiDiGraph | None) -> _Camps | None:
    if not isinstance(found, list):
        return None
    if not all(
        isinstance(camp, list)
        and all(isinstance(m, str) and (network is None or m in network) for m in camp)
        for camp in found
    ):
        return None
    return tuple(tuple(camp) for camp in found)


def _layout(found: object, network: nx.MultiDiGraph | None) -> _Layout | None:
    if not isinstance(found, dict) or (network is not None and found.keys() != set(network)):
        return None
    places: _Layout = {}
    for node, place in found.items():
        if not (
            isinstance(place, list)
            and len(place) == 2
            and all(type(value) in (int, float) for value in place)
        ):
            return None
        places[node] = (place[0], place[1])
    return places


def _well_formed(entry: object) -> bool:
    if not (isinstance(entry, dict) and isinstance(entry.get("network"), str)):
        return False
    if not (entry.get("reads") is None or is_sha256(entry["reads"])):
        return False
    files = entry.get("files")
    return isinstance(files, dict) and all(
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], int)
        and isinstance(value[1], str)
        for value in files.values()
    )
