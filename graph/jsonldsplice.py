"""The JSON-LD of a rebuild, made from the document of the build before.

A corpus's JSON-LD is a head, its nodes in the order of their ``@id`` and a tail
(``graph.jsonld``); where no triple has a blank node or a list, the document is written
a node at a time and each node's text is made from its subject's triples alone. A
rebuild after one source of a hundred changed still read every triple to order the
nodes and took each unchanged node's text from the texts kept by graph
(``graph.fragments``): about 8 s of a worker at 100,000 statements, with few nodes to
make.

A build that writes the document a node at a time keeps an index of it (``NodeIndex``,
beside the kept texts): the graphs of the dataset, each with the SHA-256 of its triples;
for each node, in the order of the document, its ``@id``, its subject, where its text
lies, whether it was made from its subject's triples alone, and the graphs that describe
its subject; and the size and SHA-256 of the document. The next build (``NodeSplice``)
finds the document before in the build folder ``OUT/current`` points at, checks its
bytes, and:

- takes each node made from its subject's triples alone whose graphs all have the
  digests they had, as the bytes of the document before (each run of such nodes, one
  slice of it);
- makes the node of every other subject: those of the graphs that changed (new, or of
  another digest), and those of the nodes not taken that an unchanged graph still
  describes, from their triples in the union, read in its order;
- writes them all in the order of their ``@id``.

The bytes are those of a write of every triple. The document is written as before
instead where the index or the document before is missing or damaged, where a graph
that changed has a blank node or a list, or where the document would not be written a
node at a time (two subjects of one ``@id``, fewer than two nodes).
"""

from __future__ import annotations

import json
import mmap
from bisect import bisect_left
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, cast

import numpy as np
from rdflib import RDF, BNode, Dataset, Graph, URIRef
from rdflib.term import Node

from .jsonld import (
    DOCUMENT_TAIL,
    FIRST_NODE,
    NODE_SEPARATOR,
    NodePlaces,
    _CachedContext,
    _CachedConverter,
    _node_text,
    document_head,
)
from .output import mapped_before
from .rdf import SubjectRuns, built_in_part, each_triple, held_graphs
from .spliceindex import cut_head, index_path, keep_encoded, read_decoded, runs, strings

__all__ = ["INDEX_FORMAT", "NodeIndex", "NodeSplice", "index_file"]

INDEX_FORMAT = "apg node index 1"

_Int64 = np.dtype("<i8")
_Int32 = np.dtype("<i4")


@dataclass(frozen=True)
class NodeIndex:
    """Where each node of a JSON-LD document lies, and the graphs it is made of (see the
    module). ``owners[owner_starts[k]:owner_starts[k + 1]]`` are the numbers, in
    ``graphs``, of the graphs that describe the subject of node ``k``."""

    graphs: list[str]
    digests: list[str]
    size: int
    sha256: str
    ids: list[str]
    subjects: list[str]
    starts: np.ndarray
    ends: np.ndarray
    plain: np.ndarray
    owner_starts: np.ndarray
    owners: np.ndarray

    def encoded(self) -> list[bytes] | None:
        """The index as kept in its file, in pieces: a line of JSON (the graphs, the
        document, the counts), the ids and the subjects one a line, then the numbers.
        None where an id or a subject holds a line break, which its line could not."""
        ids, subjects = "\n".join(self.ids), "\n".join(self.subjects)
        if ids.count("\n") + subjects.count("\n") != max(0, 2 * len(self.ids) - 2):
            return None
        texts = [ids.encode(), subjects.encode()] if self.ids else []
        length = sum(map(len, texts)) + (1 if texts else 0)  # and the line break between
        head = {
            "graphs": self.graphs,
            "digests": self.digests,
            "document": {"size": self.size, "sha256": self.sha256},
            "nodes": len(self.ids),
            "owners": len(self.owners),
            "text": length,
        }
        numbers: list[np.ndarray] = [
            self.starts.astype(_Int64),
            self.ends.astype(_Int64),
            self.plain.astype(np.uint8),
            self.owner_starts.astype(_Int64),
            self.owners.astype(_Int32),
        ]
        line = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
        between = [texts[0], b"\n", texts[1]] if texts else []
        return [line, b"\n", *between, *(array.tobytes() for array in numbers)]

    @staticmethod
    def of(payload: bytes | memoryview) -> NodeIndex:
        """The index ``encoded`` wrote; raises ``ValueError``, ``TypeError`` or
        ``KeyError`` when it is not one."""
        line, rest = cut_head(payload)
        head = json.loads(line)
        count, owned, length = head["nodes"], head["owners"], head["text"]
        graphs, digests, document = head["graphs"], head["digests"], head["document"]
        if not all(type(n) is int and n >= 0 for n in (count, owned, length)):
            raise TypeError("not counts")
        if not (strings(graphs) and strings(digests) and len(graphs) == len(digests)):
            raise TypeError("not the graphs")
        size, sha256 = document["size"], document["sha256"]
        if not (type(size) is int and isinstance(sha256, str)):
            raise TypeError("not a document")
        lines = str(rest[:length], "utf-8").split("\n") if count else []
        if len(lines) != 2 * count:
            raise ValueError("not the ids and subjects counted")
        at = length
        arrays = []
        for dtype, items in (
            (_Int64, count),
            (_Int64, count),
            (np.dtype(np.uint8), count),
            (_Int64, count + 1),
            (_Int32, owned),
        ):
            end = at + dtype.itemsize * items
            if end > len(rest):
                raise ValueError("cut short")
            arrays.append(np.frombuffer(rest, dtype=dtype, count=items, offset=at))
            at = end
        if at != len(rest):
            raise ValueError("more than counted")
        starts, ends, plain, owner_starts, owners = arrays
        index = NodeIndex(
            graphs, digests, size, sha256, lines[:count], lines[count:],
            starts, ends, plain.astype(bool), owner_starts, owners,
        )  # fmt: skip
        index.check()
        return index

    def check(self) -> None:
        """Raise ``ValueError`` unless the nodes lie in order inside the document, each
        with one graph or more of those named."""
        starts, ends, owner_starts = self.starts, self.ends, self.owner_starts
        count = len(self.ids)
        if count and not (
            starts[0] >= 0
            and np.all(starts <= ends)
            and np.all(ends[:-1] <= starts[1:])
            and ends[-1] <= self.size
        ):
            raise ValueError("nodes out of the document")
        if not (owner_starts[0] == 0 and owner_starts[-1] == len(self.owners)):
            raise ValueError("not the owners counted")
        if count and not np.all(owner_starts[1:] > owner_starts[:-1]):
            raise ValueError("a node of no graph")
        if len(self.owners) and not (
            self.owners.min() >= 0 and self.owners.max() < len(self.graphs)
        ):
            raise ValueError("an owner not among the graphs")


def index_file(folder: Path) -> Path:
    """The file in ``folder`` (the kept texts of JSON-LD) of the index of the document
    a build wrote, for the code that runs now."""
    return index_path(folder, INDEX_FORMAT)


def read_index(path: Path) -> NodeIndex | None:
    """The index written as ``path`` (``graph.spliceindex.keep_encoded``), or None
    when it is missing or damaged."""
    return read_decoded(path, NodeIndex.of)


def index_of(
    places: NodePlaces,
    graphs: Sequence[tuple[str, str]],
    owners_of: Callable[[Node], Iterable[int]],
    document: tuple[int, str],
) -> NodeIndex:
    """The index of a document written a node at a time, whose nodes ``places`` noted,
    of the dataset whose graphs are ``graphs`` (names and digests): ``owners_of`` gives
    the numbers of the graphs that describe a subject; ``document`` is the size and
    SHA-256 of the document."""
    counts, owners = [], []
    for subject in places.subjects:
        found = list(owners_of(subject))
        counts.append(len(found))
        owners.extend(found)
    return NodeIndex(
        [name for name, _ in graphs],
        [digest for _, digest in graphs],
        document[0],
        document[1],
        places.ids,
        cast(list[str], places.subjects),  # IRIs: text
        np.frombuffer(places.starts, dtype=np.int64),
        np.frombuffer(places.ends, dtype=np.int64),
        np.frombuffer(bytes(places.plain), dtype=np.uint8).astype(bool),
        np.concatenate([[0], np.cumsum(counts, dtype=np.int64)]).astype(np.int64),
        np.array(owners, dtype=np.int32),
    )


@dataclass(frozen=True)
class _Made:
    """A node made here: its ``@id``, subject, text, whether it was made from its
    subject's triples alone, where it goes among the nodes before (the first whose
    ``@id`` is not less) and the numbers of its graphs in the dataset."""

    node_id: str
    subject: Node
    text: str
    plain: bool
    at: int
    owners: list[int]


class NodeSplice:
    """The JSON-LD of a dataset made from the document before (see the module).

    ``prepared`` gives one only where it can write the document; ``write`` writes it,
    and ``index`` is then the index of what it wrote, but for the document's size and
    SHA-256 (``keep``)."""

    def __init__(
        self,
        before: mmap.mmap,
        index: NodeIndex,
        context: dict[str, str],
        taken: np.ndarray,
        made: list[_Made],
        graphs: list[tuple[str, str]],
        renumbered: np.ndarray,
    ) -> None:
        self._before = before
        self._index = index
        self._context = context
        self._taken = taken
        self._made = made
        self._graphs = graphs
        self._renumbered = renumbered
        self.index: NodeIndex | None = None

    @staticmethod
    def prepared(
        folder: Path,
        document: Path,
        dataset: Dataset,
        union: Graph,
        prefixes: Mapping[str, str],
        digest_of: Callable[[Graph], str],
    ) -> NodeSplice | None:
        """The splice of the JSON-LD of ``dataset`` (whose union is ``union``) from
        ``document``, the document before, by the index kept in ``folder``; None where
        the document is to be written as before (see the module)."""
        index = read_index(index_file(folder))
        if index is None or len(index.ids) < 2:
            return None
        before = mapped_before(document, index.size, index.sha256)
        if before is None:
            return None
        graphs = [(str(graph.identifier), graph) for graph in held_graphs(dataset)]
        current = [(name, digest_of(graph), graph) for name, graph in graphs]
        made = _Making(index, current, union, dict(sorted(prefixes.items())))
        if not made.ready():
            before.close()
            return None
        return NodeSplice(
            before,
            index,
            made.context,
            made.taken,
            made.made,
            [(name, digest) for name, digest, _ in current],
            made.renumbered,
        )

    def write(self, stream: IO[bytes]) -> None:
        """Write the document, taking each node taken from the document before."""
        index, before, taken, made = self._index, self._before, self._taken, self._made
        head = document_head(self._context).encode()
        stream.write(head)
        at = len(head)
        pieces = _Pieces(index, self._renumbered)
        written = 0  # nodes written
        old = 0  # the first node before not yet passed
        copied = memoryview(before)  # slices of it written, never copied first
        for node in [*made, None]:
            end = len(index.ids) if node is None else node.at
            for first, last in runs(taken, old, end):
                separator = (NODE_SEPARATOR if written else FIRST_NODE).encode()
                stream.write(separator)
                stream.write(copied[int(index.starts[first]) : int(index.ends[last])])
                pieces.take(first, last, at + len(separator))
                at += len(separator) + int(index.ends[last] - index.starts[first])
                written += last - first + 1
            old = end
            if node is None:
                break
            separator = (NODE_SEPARATOR if written else FIRST_NODE).encode()
            text = node.text.encode()
            stream.write(separator + text)
            pieces.add(node, at + len(separator), at + len(separator) + len(text))
            at += len(separator) + len(text)
            written += 1
        stream.write(DOCUMENT_TAIL.encode())
        self.index = pieces.index(self._graphs)
        copied.release()
        self._before.close()

    def keep(self, path: Path, document: tuple[int, str]) -> bool:
        """Keep the index of the document written, of ``document``'s size and SHA-256,
        as ``path``; whether it was kept."""
        if self.index is None:
            return False
        size, sha256 = document
        return keep_encoded(path, replace(self.index, size=size, sha256=sha256))


class _Making:
    """The nodes a splice takes from the document before, and those it makes."""

    def __init__(
        self,
        index: NodeIndex,
        current: list[tuple[str, str, Graph]],
        union: Graph,
        context: dict[str, str],
    ) -> None:
        self.context = context
        self.made: list[_Made] = []
        self._index = index
        number_before = {name: number for number, name in enumerate(index.graphs)}
        # each graph before: its number now where it did not change, else -1
        self.renumbered = np.full(len(index.graphs), -1, dtype=np.int32)
        self._changed: list[tuple[int, Graph]] = []
        for number, (name, digest, graph) in enumerate(current):
            found = number_before.get(name)
            if found is not None and index.digests[found] == digest:
                self.renumbered[found] = number
            else:
                self._changed.append((number, graph))
        unchanged = self.renumbered >= 0
        owners, starts = index.owners, index.owner_starts
        changed_owners = np.add.reduceat((~unchanged[owners]).astype(np.int32), starts[:-1])
        unchanged_owners = np.add.reduceat(unchanged[owners].astype(np.int32), starts[:-1])
        self.taken = (changed_owners == 0) & index.plain
        # the nodes not taken whose subject an unchanged graph still describes
        self._again = np.flatnonzero(~self.taken & (unchanged_owners > 0))
        self._union = union

    def ready(self) -> bool:
        """Make the nodes to make; whether the document can be spliced (not where a
        graph to read was built in part: its nodes are written from the whole dataset)."""
        if any(built_in_part(graph) for _, graph in self._changed):
            return False
        index = self._index
        fresh: dict[Node, list[int]] = {}  # each subject to make, its changed graphs
        for number, graph in self._changed:
            for subject, predicate, obj in each_triple(graph):
                if type(subject) is not URIRef or isinstance(obj, BNode) or predicate == RDF.first:
                    return False
                found = fresh.get(subject)
                if found is None:
                    fresh[subject] = [number]
                elif found[-1] != number:
                    found.append(number)
        for again in self._again.tolist():
            fresh.setdefault(URIRef(index.subjects[again]), [])
        triples = [triple for triple in each_triple(self._union) if triple[0] in fresh]
        runs = SubjectRuns(self._union, triples)
        converter = _CachedConverter(_CachedContext(self.context), self._union, set(), runs)
        if converter.has_lists:
            return False
        shrunk = converter.context.shrunk_once  # type: ignore[attr-defined]
        for subject in runs.subjects():
            if type(subject) is not URIRef:
                return False
            node_id = str(shrunk(subject))
            node = converter.plain_node(converter.view, subject, node_id)
            plain = node is not None
            if node is None:
                node = converter.process_subject(converter.view, subject, {})  # type: ignore[arg-type]
            at = bisect_left(index.ids, node_id)
            place = self._before(at, node_id, subject)
            if place == -2:  # another subject of the same id: written as before
                return False
            owners = self._owners(place, fresh[subject])
            text = _node_text(node, plain)
            self.made.append(_Made(node_id, subject, text, plain, at, owners))
        self.made.sort(key=lambda made: made.node_id)
        ids = [made.node_id for made in self.made]
        if any(ids[place] == ids[place - 1] for place in range(1, len(ids))):
            return False
        return int(self.taken.sum()) + len(self.made) >= 2

    def _before(self, place: int, node_id: str, subject: Node) -> int:
        """The node before of ``subject`` (-1 for none), no longer taken; -2 where a
        node before of another subject has its ``@id``. ``place`` is where ``node_id``
        goes among the nodes before."""
        index = self._index
        if place == len(index.ids) or index.ids[place] != node_id:
            return -1
        if index.subjects[place] != str(subject):
            return -2
        self.taken[place] = False
        return place

    def _owners(self, before: int, changed: list[int]) -> list[int]:
        """The numbers now of the graphs that describe a subject: the unchanged ones of
        its node before (``before``, or none) and the changed ones (``changed``)."""
        owners: list[int] = []
        if before >= 0:
            index = self._index
            numbers = index.owners[index.owner_starts[before] : index.owner_starts[before + 1]]
            owners = [int(n) for n in self.renumbered[numbers] if n >= 0]
        return sorted({*owners, *changed})


class _Pieces:
    """The index of a document being spliced, piece by piece."""

    def __init__(self, index: NodeIndex, renumbered: np.ndarray) -> None:
        self._before = index
        self._renumbered = renumbered
        self._ids: list[str] = []
        self._subjects: list[str] = []
        self._starts: list[np.ndarray] = []
        self._ends: list[np.ndarray] = []
        self._plain: list[np.ndarray] = []
        self._counts: list[np.ndarray] = []
        self._owners: list[np.ndarray] = []

    def take(self, first: int, last: int, at: int) -> None:
        """Nodes ``first`` to ``last`` of the document before, the first now at ``at``."""
        before = self._before
        self._ids.extend(before.ids[first : last + 1])
        self._subjects.extend(before.subjects[first : last + 1])
        shift = at - int(before.starts[first])
        self._starts.append(before.starts[first : last + 1] + shift)
        self._ends.append(before.ends[first : last + 1] + shift)
        self._plain.append(before.plain[first : last + 1])
        bounds = before.owner_starts[first : last + 2]
        self._counts.append(np.diff(bounds))
        self._owners.append(self._renumbered[before.owners[bounds[0] : bounds[-1]]])

    def add(self, made: _Made, start: int, end: int) -> None:
        self._ids.append(made.node_id)
        self._subjects.append(str(made.subject))
        self._starts.append(np.array([start], dtype=np.int64))
        self._ends.append(np.array([end], dtype=np.int64))
        self._plain.append(np.array([made.plain]))
        self._counts.append(np.array([len(made.owners)], dtype=np.int64))
        self._owners.append(np.array(made.owners, dtype=np.int32))

    def index(self, graphs: list[tuple[str, str]]) -> NodeIndex:
        counts = np.concatenate(self._counts) if self._counts else np.zeros(0, np.int64)
        return NodeIndex(
            [name for name, _ in graphs],
            [digest for _, digest in graphs],
            0,
            "",
            self._ids,
            self._subjects,
            np.concatenate(self._starts).astype(np.int64),
            np.concatenate(self._ends).astype(np.int64),
            np.concatenate(self._plain).astype(bool),
            np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            np.concatenate(self._owners).astype(np.int32),
        )
