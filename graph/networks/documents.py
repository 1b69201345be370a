"""A network file as fixed texts around two runs of elements, and a file made again from
the file before where few elements changed.

Each of the four formats of :mod:`graph.networks.exchange` writes a network as a head,
its nodes, a text between, its edges (in node-link JSON, the edges first) and a tail;
each node's or edge's text is a function of that element alone and of what the fixed
texts declare (GraphML's keys, GEXF's attributes, the columns of CSV), except GEXF's
edge ids, which number the edges in order. A ``Document`` is that shape: the fixed
texts, made from the elements' kinds of attributes (``Elements.distinct_nodes``,
``distinct_edges``), and each run of elements, whose texts are made only when asked for.

``assemble`` writes a document whole and gives the length of each element's text;
``splice`` writes it from the file of the build before where the fixed texts are the
same: each element whose digest (``element_digests``) is one of that file's is copied
from it, the others written, so that a hedged statement among 30,000 writes one edge
and copies the rest. Both give the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import mmap
import pickle
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

import networkx as nx

from ..hashing import parts_digest

__all__ = [
    "Before",
    "Document",
    "ElementDigests",
    "Elements",
    "Run",
    "Written",
    "assemble",
    "element_digester",
    "element_digests",
    "splice",
]

Node = tuple[Any, dict[str, Any]]
Edge = tuple[Any, Any, Any, dict[str, Any]]
"""A node with its attributes; an edge's ends, its key (None in a graph of no keys) and
its attributes."""


class Elements:
    """The nodes and edges of ``network``, in its order, each with its attributes as
    ``prepare`` makes them (by default as they are), made when first asked for and
    kept; its graph attributes, or none (``graph_attributes=False``).

    The names and types of the attributes ``prepare`` gives must follow from the names
    and types of those it is given (``graph.networks.exchange.flat``'s do: a list is
    always text), so that the first element of each kind stands for all of its kind.
    """

    def __init__(
        self,
        network: nx.Graph,
        prepare: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
        *,
        graph_attributes: bool = True,
    ) -> None:
        self.directed = network.is_directed()
        self.multigraph = network.is_multigraph()
        self.graph: dict[str, Any] = network.graph if graph_attributes else {}
        self._prepare = prepare
        self._nodes: list[Node] = list(network.nodes(data=True))
        self._edges: list[Edge] = (
            list(network.edges(keys=True, data=True))
            if self.multigraph
            else [(u, v, None, data) for u, v, data in network.edges(data=True)]
        )
        self._prepared_nodes: dict[int, Node] = {}
        self._prepared_edges: dict[int, Edge] = {}
        self._distinct: dict[str, list[Any]] = {}  # found once for the four formats

    @property
    def node_count(self) -> int:
        return len(self._nodes)

    @property
    def edge_count(self) -> int:
        return len(self._edges)

    def node(self, index: int) -> Node:
        found = self._prepared_nodes.get(index)
        if found is None:
            node, data = self._nodes[index]
            found = self._prepared_nodes[index] = (node, self._ready(data))
        return found

    def edge(self, index: int) -> Edge:
        found = self._prepared_edges.get(index)
        if found is None:
            u, v, key, data = self._edges[index]
            found = self._prepared_edges[index] = (u, v, key, self._ready(data))
        return found

    def nodes(self) -> Iterator[Node]:
        return (self.node(index) for index in range(len(self._nodes)))

    def edges(self) -> Iterator[Edge]:
        return (self.edge(index) for index in range(len(self._edges)))

    def distinct_nodes(self) -> list[Node]:
        """The first node of each kind of attributes (their names and the types of their
        values, in order), in the order of the nodes, prepared: what a writer declares is
        made of them alone. Only those nodes are prepared."""
        if "nodes" not in self._distinct:
            found: dict[tuple[Any, ...], int] = {}
            for index, (_, data) in enumerate(self._nodes):
                found.setdefault(tuple([(name, type(v)) for name, v in data.items()]), index)
            self._distinct["nodes"] = [self.node(index) for index in found.values()]
        return list(self._distinct["nodes"])

    def distinct_edges(self) -> list[Edge]:
        """As ``distinct_nodes``, for the edges, the type of the key counted too."""
        if "edges" not in self._distinct:
            found: dict[tuple[Any, ...], int] = {}
            for index, (_, _, key, data) in enumerate(self._edges):
                signature = (type(key), *[(name, type(v)) for name, v in data.items()])
                found.setdefault(signature, index)
            self._distinct["edges"] = [self.edge(index) for index in found.values()]
        return list(self._distinct["edges"])

    def _ready(self, data: dict[str, Any]) -> dict[str, Any]:
        return data if self._prepare is None else self._prepare(data)


@dataclass(frozen=True)
class Run:
    """The elements of a document between two fixed texts: ``count`` of them, the bytes
    of each by ``text``, ``separator`` between two. ``moves``: an element's text
    depends on its place (GEXF's edge ids), so it is copied only to the same place."""

    count: int
    text: Callable[[int], bytes]
    separator: bytes = b""
    moves: bool = False


@dataclass(frozen=True)
class Document:
    """A file: ``fixed[0]``, ``runs[0]``, ``fixed[1]``, ``runs[1]``, ``fixed[2]``; the
    runs hold the nodes and the edges, in the order of ``kinds``. ``spliceable`` is
    False where an element's text depends on more than the fixed texts and its place
    (then ``splice`` gives None)."""

    fixed: tuple[bytes, bytes, bytes]
    runs: tuple[Run, Run]
    kinds: tuple[str, str] = ("node", "edge")  # what each run holds ("": nothing)
    spliceable: bool = True

    def fixed_digest(self) -> str:
        """The SHA-256 of the fixed texts and separators: two documents of the same
        digest give an element of the same digest the same text."""
        return parts_digest((*self.fixed, *(run.separator for run in self.runs)))


@dataclass(frozen=True)
class Written:
    """A document's bytes, as the parts they are made of in order (some of them views of
    the file before: ``write`` writes them without copying them first), and the length
    of each element's text, run by run."""

    parts: list[bytes | memoryview]
    lengths: tuple[list[int], list[int]]

    @property
    def data(self) -> bytes:
        """The bytes, joined."""
        return b"".join(self.parts)

    def write(self, stream: IO[bytes]) -> None:
        """Write the bytes into ``stream``, part by part."""
        for part in self.parts:
            stream.write(part)


def assemble(document: Document) -> Written:
    """The bytes of ``document``, every element written."""
    parts: list[bytes | memoryview] = [document.fixed[0]]
    lengths: tuple[list[int], list[int]] = ([], [])
    for run, fixed, sizes in zip(document.runs, document.fixed[1:], lengths, strict=True):
        for index in range(run.count):
            if index:
                parts.append(run.separator)
            text = run.text(index)
            sizes.append(len(text))
            parts.append(text)
        parts.append(fixed)
    return Written(parts, lengths)


@dataclass(frozen=True)
class Before:
    """A file of the build before: its bytes (or the file mapped in memory), the digest
    of its fixed texts, the digest of each node and of each edge (None where it has
    none), and for each run the length of each element's text."""

    data: bytes | mmap.mmap
    fixed_digest: str
    digests: tuple[Sequence[str | None], Sequence[str | None]]
    lengths: tuple[Sequence[int], Sequence[int]]


def splice(
    document: Document, digests: tuple[Sequence[str | None], Sequence[str | None]], before: Before
) -> Written | None:
    """The bytes of ``document``, whose nodes and edges have ``digests``
    (``element_digests``), with each element of
    a digest ``before`` holds copied from it (a run of them in one piece); None where
    ``before`` cannot give any (its fixed texts differ, or the document is not
    spliceable)."""
    if not document.spliceable or document.fixed_digest() != before.fixed_digest:
        return None
    parts: list[bytes | memoryview] = [document.fixed[0]]
    lengths: tuple[list[int], list[int]] = ([], [])
    view = memoryview(before.data)
    start = len(document.fixed[0])  # where each run of the file before begins
    for number, run in enumerate(document.runs):
        old_lengths = before.lengths[number]
        if not document.kinds[number]:  # a run of nothing (the nodes of an edge list)
            if run.count or old_lengths:
                return None
            parts.append(document.fixed[number + 1])
            start += len(document.fixed[number + 1])
            continue
        kind = 0 if document.kinds[number] == "node" else 1
        old_digests = before.digests[kind]
        if len(old_lengths) != len(old_digests):
            return None
        separator = len(run.separator)
        starts = []
        at = start
        for length in old_lengths:
            starts.append(at)
            at += length + separator
        place = {d: i for i, d in enumerate(old_digests) if d is not None}
        sizes = lengths[number]
        new_digests = digests[kind]
        if len(new_digests) != run.count:
            return None
        index = 0
        while index < run.count:
            if index:
                parts.append(run.separator)
            digest = new_digests[index]
            found = None if digest is None else place.get(digest)
            if found is None or (run.moves and found != index):
                text = run.text(index)
                sizes.append(len(text))
                parts.append(text)
                index += 1
                continue
            # with it, the longest run of elements that follow each other in both files
            more = 1
            while (
                index + more < run.count
                and found + more < len(old_digests)
                and new_digests[index + more] is not None
                and new_digests[index + more] == old_digests[found + more]
            ):
                more += 1
            last = found + more - 1
            sizes.extend(old_lengths[found : last + 1])
            parts.append(view[starts[found] : starts[last] + old_lengths[last]])
            index += more
        parts.append(document.fixed[number + 1])
        # the next run of the file before begins after its fixed text
        end = at - separator if old_lengths else at
        start = end + len(document.fixed[number + 1])
    if start != len(before.data):  # the lengths are not those of the file before
        return None
    return Written(parts, lengths)


def element_digests(network: nx.Graph) -> ElementDigests:
    """The digest of each node of ``network`` (with its attributes) and each edge (with
    its ends, its key in a multigraph and its attributes), in order (see
    ``element_digester``)."""
    digest = element_digester()
    multigraph = network.is_multigraph()
    edges = network.edges(keys=True, data=True) if multigraph else network.edges(data=True)
    return [digest(node) for node in network.nodes(data=True)], [digest(e) for e in edges]


ElementDigests = tuple[list[str | None], list[str | None]]
"""The digests of a network's nodes and of its edges, in order."""


def element_digester() -> Callable[[object], str | None]:
    """A function giving the digest of an element: the BLAKE2b (128 bits, hexadecimal)
    of its pickle (protocol 5) written without a memo, so that an object met twice is
    written twice and the same values give the same bytes whichever objects hold them;
    None for one that does not pickle. Its values are strings, numbers, truth values and
    lists or tuples of them: a third of what writing them as JSON costs, and two
    elements of the same digest write the same text."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo

    def digest(element: object) -> str | None:
        buffer.seek(0)
        buffer.truncate()
        try:
            pickler.dump(element)
        except (pickle.PicklingError, TypeError, ValueError, AttributeError, RecursionError):
            return None
        return hashlib.blake2b(buffer.getvalue(), digest_size=16).hexdigest()

    return digest
