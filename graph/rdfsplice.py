"""The Turtle and TriG of a rebuild, made from the documents of the build before.

Both documents are a line for each prefix they use, then the text of each subject, and
a last new line; TriG puts each named graph's subjects, in the order of the graphs'
names, between ``name {`` and ``}``. Where no triple has a blank node, each subject's
text is made from its triples alone, and the subjects are in the order of a key, then
of their IRI: the references to the subject counted over the union (Turtle: the
triples that have it as object, each triple once however many graphs hold it), or over
the graphs up to its own (TriG: the triples of those graphs that have it as object, and
each of those graphs that describes it). A rebuild after one source of a hundred changed
still took every other subject's text from the texts kept by graph
(``graph.fragments``), counting every object to order them: about 7 s of a worker at
100,000 statements, for a few thousand subjects to write.

A build that writes both documents a subject at a time keeps an index of them
(``TextIndex``, beside the kept texts): the graphs, each with the SHA-256 of its
triples, the prefixes its triples use, its name as TriG writes it and how many times it
names each IRI as an object; how many more times than once the union would count each
IRI for the triples several graphs hold; and for each document its size and SHA-256,
and, in its order, each subject with where its text lies and its key. The next build
(``TextSplice``) maps the documents of the build ``OUT/current`` points at, checks their
bytes, and:

- writes, of TriG, the block of each graph whose triples did not change as the bytes of
  the block before, where none of its subjects' keys changed; where some did, its
  subjects' texts before in the order of their new keys; and the block of each graph
  that changed from its triples;
- writes, of Turtle, each subject no changed graph describes (nor described before) as
  its text before, in its place before or, where its key changed, in its new place; and
  each subject a changed graph describes, now or before, from its triples in the union;
- makes the line of prefixes from the prefixes of the graphs.

The bytes are those of a write of every triple (the tests compare them). The documents
are written as before instead where the index or a document before is missing or
damaged, where a changed graph has a blank node or a top class (``rdfs:Class``) as
object, or where its names would need a prefix made up for them.
"""

from __future__ import annotations

import json
import mmap
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from rdflib import RDFS, BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from .output import mapped_before
from .rdf import built_in_part, each_triple, held_graphs
from .spliceindex import cut_head, index_path, keep_encoded, read_decoded, runs, strings
from .triplesets import TripleSets
from .turtle import SubjectTexts, TextPlaces

__all__ = ["INDEX_FORMAT", "DocumentPlaces", "TextIndex", "TextSplice", "index_file"]

INDEX_FORMAT = "apg text index 1"

_Int64 = np.dtype("<i8")
_Int32 = np.dtype("<i4")

_Prefixes = list[tuple[str, str]]


@dataclass(frozen=True)
class DocumentPlaces:
    """Where each subject's text lies in a document: the subjects (numbers in the
    index's IRIs) in the order of the document, the first byte of each text and the byte
    after it, and its key; ``firsts[k]`` is where graph ``k``'s subjects begin (TriG;
    Turtle's one union begins at 0), ``firsts[-1]`` the number of subjects."""

    size: int
    sha256: str
    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    keys: np.ndarray
    firsts: np.ndarray

    def arrays(self) -> list[np.ndarray]:
        return [
            self.ids.astype(_Int32),
            self.starts.astype(_Int64),
            self.ends.astype(_Int64),
            self.keys.astype(_Int64),
            self.firsts.astype(_Int64),
        ]

    def check(self, graphs: int, iris: int) -> None:
        """Raise ``ValueError`` unless the texts lie in order inside the document, each
        of a subject among ``iris``, in ``graphs`` runs."""
        count = len(self.ids)
        starts, ends, firsts = self.starts, self.ends, self.firsts
        if not (len(starts) == len(ends) == len(self.keys) == count and count):
            raise ValueError("not the subjects counted")
        if not (
            starts[0] >= 0
            and np.all(starts < ends)
            and np.all(ends[:-1] < starts[1:])
            and ends[-1] < self.size
        ):
            raise ValueError("texts out of the document")
        if not (len(firsts) == graphs + 1 and firsts[0] == 0 and firsts[-1] == count):
            raise ValueError("not the graphs counted")
        if not np.all(firsts[1:] > firsts[:-1]):
            raise ValueError("a graph of no subject")
        if self.ids.min() < 0 or self.ids.max() >= iris:
            raise ValueError("a subject not among the IRIs")


@dataclass(frozen=True)
class TextIndex:
    """What a build keeps of its Turtle and TriG for the next (see the module).

    ``counts_ids[count_firsts[k]:count_firsts[k + 1]]`` are the IRIs graph ``k`` names
    as objects, and ``counts_values`` as many times each; ``several_ids`` and
    ``several_values`` the IRIs the union counts fewer times than the graphs, and how
    many fewer."""

    graphs: list[str]
    digests: list[str]
    labels: list[str]
    prefixes: list[_Prefixes]
    name_prefixes: list[_Prefixes]
    iris: list[str]
    count_firsts: np.ndarray
    counts_ids: np.ndarray
    counts_values: np.ndarray
    several_ids: np.ndarray
    several_values: np.ndarray
    turtle: DocumentPlaces
    trig: DocumentPlaces

    def encoded(self) -> list[bytes] | None:
        """The index as kept in its file, in pieces: a line of JSON (the graphs, the
        documents, the counts), the IRIs one a line, then the numbers. None where an IRI
        holds a line break, or a label, which JSON could not keep as it is."""
        iris = "\n".join(self.iris)
        if iris.count("\n") != len(self.iris) - 1:
            return None
        text = iris.encode()
        documents = {
            kind: {"size": places.size, "sha256": places.sha256, "subjects": len(places.ids)}
            for kind, places in (("turtle", self.turtle), ("trig", self.trig))
        }
        head = {
            "graphs": self.graphs,
            "digests": self.digests,
            "labels": self.labels,
            "prefixes": [[list(pair) for pair in each] for each in self.prefixes],
            "names": [[list(pair) for pair in each] for each in self.name_prefixes],
            "documents": documents,
            "iris": len(self.iris),
            "counts": len(self.counts_ids),
            "several": len(self.several_ids),
            "text": len(text),
        }
        numbers: list[np.ndarray] = [
            self.count_firsts.astype(_Int64),
            self.counts_ids.astype(_Int32),
            self.counts_values.astype(_Int32),
            self.several_ids.astype(_Int32),
            self.several_values.astype(_Int32),
            *self.turtle.arrays(),
            *self.trig.arrays(),
        ]
        line = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
        return [line, b"\n", text, *(array.tobytes() for array in numbers)]

    @staticmethod
    def of(payload: bytes | memoryview) -> TextIndex:
        """The index ``encoded`` wrote; raises ``ValueError``, ``TypeError`` or
        ``KeyError`` when it is not one."""
        line, rest = cut_head(payload)
        head = json.loads(line)
        graphs, digests, labels = head["graphs"], head["digests"], head["labels"]
        if not all(strings(each) for each in (graphs, digests, labels)):
            raise TypeError("not the graphs")
        if not len(graphs) == len(digests) == len(labels):
            raise ValueError("not the graphs counted")
        prefixes = [_pairs(each) for each in head["prefixes"]]
        name_prefixes = [_pairs(each) for each in head["names"]]
        if not len(prefixes) == len(name_prefixes) == len(graphs):
            raise ValueError("not the prefixes of the graphs")
        sizes = [head[key] for key in ("iris", "counts", "several", "text")]
        if not all(type(n) is int and n >= 0 for n in sizes):
            raise TypeError("not counts")
        iri_count, counted, several, length = sizes
        iris = str(rest[:length], "utf-8").split("\n") if iri_count else []
        if len(iris) != iri_count:
            raise ValueError("not the IRIs counted")
        documents = head["documents"]
        subjects = {kind: documents[kind]["subjects"] for kind in ("turtle", "trig")}
        if not all(type(n) is int and n > 0 for n in subjects.values()):
            raise TypeError("not counts")
        reader = _Reader(rest, length)
        count_firsts = reader.take(_Int64, len(graphs) + 1)
        counts_ids = reader.take(_Int32, counted)
        counts_values = reader.take(_Int32, counted)
        several_ids = reader.take(_Int32, several)
        several_values = reader.take(_Int32, several)
        places = {}
        for kind, graph_count in (("turtle", 1), ("trig", len(graphs))):
            count = subjects[kind]
            document = documents[kind]
            size, sha256 = document["size"], document["sha256"]
            if not (type(size) is int and isinstance(sha256, str)):
                raise TypeError("not a document")
            places[kind] = DocumentPlaces(
                size,
                sha256,
                reader.take(_Int32, count),
                reader.take(_Int64, count),
                reader.take(_Int64, count),
                reader.take(_Int64, count),
                reader.take(_Int64, graph_count + 1),
            )
        reader.end()
        index = TextIndex(
            graphs, digests, labels, prefixes, name_prefixes, iris,
            count_firsts, counts_ids, counts_values, several_ids, several_values,
            places["turtle"], places["trig"],
        )  # fmt: skip
        index.check()
        return index

    def check(self) -> None:
        """Raise ``ValueError`` unless the numbers hold together (see ``of``)."""
        iris, firsts = len(self.iris), self.count_firsts
        if not (firsts[0] == 0 and firsts[-1] == len(self.counts_ids)):
            raise ValueError("not the counts counted")
        if not np.all(firsts[1:] >= firsts[:-1]):
            raise ValueError("counts out of order")
        for ids in (self.counts_ids, self.several_ids):
            if len(ids) and (ids.min() < 0 or ids.max() >= iris):
                raise ValueError("an object not among the IRIs")
        if len(self.counts_values) and self.counts_values.min() < 1:
            raise ValueError("a count below one")
        self.turtle.check(1, iris)
        self.trig.check(len(self.graphs), iris)


class _Reader:
    """Arrays read one after the other from ``payload``, from ``at``."""

    def __init__(self, payload: bytes | memoryview, at: int) -> None:
        self._payload, self._at = payload, at

    def take(self, dtype: np.dtype, count: int) -> np.ndarray:
        end = self._at + dtype.itemsize * count
        if end > len(self._payload):
            raise ValueError("cut short")
        found = np.frombuffer(self._payload, dtype=dtype, count=count, offset=self._at)
        self._at = end
        return found.copy()  # aligned: numpy copies an unaligned array at every search

    def end(self) -> None:
        if self._at != len(self._payload):
            raise ValueError("more than counted")


def _pairs(items: Any) -> _Prefixes:
    if not (isinstance(items, list) and all(strings(pair) and len(pair) == 2 for pair in items)):
        raise TypeError("not prefixes")
    return [(prefix, namespace) for prefix, namespace in items]


def index_file(folder: Path) -> Path:
    """The file in ``folder`` (the kept texts of Turtle and TriG) of the index of the
    documents a build wrote, for the code that runs now."""
    return index_path(folder, INDEX_FORMAT)


def read_index(path: Path) -> TextIndex | None:
    """The index written as ``path`` (``graph.spliceindex.keep_encoded``), or None
    when it is missing or damaged."""
    return read_decoded(path, TextIndex.of)


def head_text(prefixes: Iterable[tuple[str, str]]) -> str:
    """The line of each prefix, as the writers begin a document."""
    return "".join(f"@prefix {prefix}: <{namespace}> .\n" for prefix, namespace in sorted(prefixes))


_TAIL = b"\n"  # what ends both documents, after the last subject's (or graph's) new line


class _Iris:
    """The IRIs an index numbers, and those a build adds (numbered after them)."""

    def __init__(self, iris: list[str]) -> None:
        self.iris = list(iris)
        self._number = {iri: number for number, iri in enumerate(iris)}

    def number(self, iri: str) -> int:
        found = self._number.get(iri)
        if found is None:
            found = self._number[iri] = len(self.iris)
            self.iris.append(iri)
        return found

    def numbers(self, iris: Iterable[str]) -> np.ndarray:
        return np.array([self.number(iri) for iri in iris], dtype=np.int64)


@dataclass
class _Graph:
    """A graph of the dataset as the index counts it: its name, digest, prefixes, name
    as TriG writes it (and its prefix), and the IRIs it names as objects, how many
    times each; and its graph (changed graphs: their triples are read)."""

    name: str
    digest: str
    prefixes: _Prefixes
    label: str
    name_prefix: _Prefixes
    count_ids: np.ndarray
    count_values: np.ndarray
    graph: Graph | None = None  # a changed graph
    before: int = -1  # its number in the index, where it did not change
    subjects: np.ndarray | None = None  # a changed graph's subjects, in no order


def object_counts(graph: Graph, iris: _Iris) -> tuple[np.ndarray, np.ndarray]:
    """The IRIs ``graph`` names as objects (numbered by ``iris``), and how many times."""
    counted = Counter(o for _, _, o in each_triple(graph) if type(o) is not Literal)
    ids = iris.numbers(map(str, counted))
    values = np.fromiter(counted.values(), dtype=np.int64, count=len(counted))
    order = np.argsort(ids, kind="stable")
    return ids[order], values[order]


def several_counts(dataset: Dataset, iris: _Iris) -> tuple[np.ndarray, np.ndarray] | None:
    """For each IRI, how many more times the graphs of ``dataset`` name it as the object
    of a triple than their union does (the triples several graphs hold); None where the
    dataset's store cannot say which triples several graphs hold."""
    store = dataset.store
    if not isinstance(store, TripleSets):
        return None
    counted: Counter[str] = Counter()
    for (_, _, obj), holders in store.held_by_several():
        if type(obj) is not Literal:
            counted[str(obj)] += holders - 1
    ids = iris.numbers(counted)
    values = np.fromiter(counted.values(), dtype=np.int64, count=len(counted))
    order = np.argsort(ids, kind="stable")
    return ids[order], values[order]


def _totals(size: int, ids: Sequence[np.ndarray], values: Sequence[np.ndarray]) -> np.ndarray:
    """The counts of ``ids`` (with their ``values``) summed by IRI, over ``size`` IRIs."""
    if not ids:
        return np.zeros(size, dtype=np.int64)
    joined = np.concatenate(ids)
    weights = np.concatenate(values).astype(np.float64)
    return np.bincount(joined, weights=weights, minlength=size).astype(np.int64)


def index_of(
    graphs: Sequence[tuple[str, str, Graph, _Prefixes]],
    dataset: Dataset,
    turtle: TextPlaces,
    trig: TextPlaces,
    namespaces: dict[str, str],
    documents: tuple[tuple[int, str], tuple[int, str]],
) -> TextIndex | None:
    """The index of the Turtle and TriG a build wrote a subject at a time, whose places
    ``turtle`` and ``trig`` noted, of the dataset whose graphs are ``graphs`` (names,
    digests, graphs and the prefixes their triples use, in the order of their names);
    ``namespaces`` the prefixes bound when TriG was written, ``documents`` the size and
    SHA-256 of each. None where the places are not to be relied on."""
    if not (turtle.usable and trig.usable and turtle.subjects and trig.subjects):
        return None
    if [str(name) for name in trig.graphs] != [name for name, _, _, _ in graphs]:
        return None  # a graph of no subject, or out of order: not a corpus's
    iris = _Iris([])
    several = several_counts(dataset, iris)
    if several is None:
        return None
    made = []
    for (name, digest, graph, prefixes), label in zip(graphs, trig.labels, strict=True):
        ids, values = object_counts(graph, iris)
        prefix = _label_prefix(label, namespaces)
        made.append(_Graph(name, digest, sorted(prefixes), label, prefix, ids, values))
    if _top_class_named(made, iris):
        return None
    turtle_places = _places_of(turtle, iris, documents[0])
    trig_places = _places_of(trig, iris, documents[1])
    return _index(made, iris, several, turtle_places, trig_places)


def _label_prefix(label: str, namespaces: dict[str, str]) -> _Prefixes:
    """The prefix TriG names a graph with in ``label``, with its namespace (none where
    the name is written in full)."""
    if label.startswith("<"):
        return []
    prefix = label.split(":", 1)[0]
    return [(prefix, namespaces[prefix])]


def _top_class_named(graphs: Sequence[_Graph], iris: _Iris) -> bool:
    """Whether a graph names a top class as object (rdflib's writers then put the
    members of that class first, not by their key)."""
    top = iris.number(str(RDFS.Class))
    return any(bool(np.any(graph.count_ids == top)) for graph in graphs)


def _places_of(places: TextPlaces, iris: _Iris, document: tuple[int, str]) -> DocumentPlaces:
    return DocumentPlaces(
        document[0],
        document[1],
        iris.numbers(map(str, places.subjects)),
        np.frombuffer(places.starts, dtype=np.int64).copy(),
        np.frombuffer(places.ends, dtype=np.int64).copy(),
        np.frombuffer(places.keys, dtype=np.int64).copy(),
        np.array([*places.firsts, len(places.subjects)], dtype=np.int64),
    )


def _index(
    graphs: Sequence[_Graph],
    iris: _Iris,
    several: tuple[np.ndarray, np.ndarray],
    turtle: DocumentPlaces,
    trig: DocumentPlaces,
) -> TextIndex:
    sizes = [len(graph.count_ids) for graph in graphs]
    empty = np.zeros(0, dtype=np.int64)
    return TextIndex(
        [graph.name for graph in graphs],
        [graph.digest for graph in graphs],
        [graph.label for graph in graphs],
        [graph.prefixes for graph in graphs],
        [graph.name_prefix for graph in graphs],
        iris.iris,
        np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)]).astype(np.int64),
        np.concatenate([empty, *(graph.count_ids for graph in graphs)]),
        np.concatenate([empty, *(graph.count_values for graph in graphs)]),
        several[0],
        several[1],
        turtle,
        trig,
    )


class _Document:
    """A document being written from pieces, and the places of its subjects."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.at = 0
        self._ids: list[np.ndarray] = []
        self._starts: list[np.ndarray] = []
        self._ends: list[np.ndarray] = []
        self._keys: list[np.ndarray] = []
        self._firsts: list[int] = []
        self._count = 0

    def write(self, data: bytes | memoryview) -> None:
        self._stream.write(data)
        self.at += len(data)

    def graph(self) -> None:
        """A graph's subjects begin."""
        self._firsts.append(self._count)

    def copy(
        self, before: mmap.mmap, places: DocumentPlaces, first: int, last: int, keys: np.ndarray
    ) -> None:
        """Subjects ``first`` to ``last`` of the document before, one after the other,
        each text with its new line, of the new ``keys``."""
        start, end = int(places.starts[first]), int(places.ends[last]) + 1
        shift = self.at - start
        with memoryview(before) as copied:  # a slice written, never copied first
            self.write(copied[start:end])
        self._add(
            places.ids[first : last + 1],
            places.starts[first : last + 1] + shift,
            places.ends[first : last + 1] + shift,
            keys,
        )

    def text(self, subject: int, text: bytes, key: int) -> None:
        """A subject's text, and its new line."""
        start = self.at
        self.write(text + b"\n")
        self._add(
            np.array([subject]),
            np.array([start]),
            np.array([start + len(text)]),
            np.array([key]),
        )

    def _add(self, ids: np.ndarray, starts: np.ndarray, ends: np.ndarray, keys: Any) -> None:
        self._ids.append(np.asarray(ids, dtype=np.int64))
        self._starts.append(np.asarray(starts, dtype=np.int64))
        self._ends.append(np.asarray(ends, dtype=np.int64))
        self._keys.append(np.asarray(keys, dtype=np.int64))
        self._count += len(ids)

    def places(self) -> DocumentPlaces:
        """The places of what was written (the document's size and SHA-256 left out)."""
        return DocumentPlaces(
            0,
            "",
            np.concatenate(self._ids),
            np.concatenate(self._starts),
            np.concatenate(self._ends),
            np.concatenate(self._keys),
            np.array([*self._firsts, self._count], dtype=np.int64),
        )


@dataclass(frozen=True)
class _Block:
    """How TriG writes a graph: copied whole (``whole``), its subjects before in a new
    order (``order``, with their new ``keys``), or made (``texts``, by subject number,
    in order, with their keys)."""

    graph: _Graph
    whole: bool = False
    order: np.ndarray | None = None
    keys: np.ndarray | None = None
    texts: list[tuple[int, bytes, int]] | None = None


@dataclass(frozen=True)
class _Placed:
    """A subject Turtle writes out of its place before: its number, key and text (made,
    or ``before`` its number among the subjects of the document before), and where it
    goes among the subjects before (the first not less)."""

    subject: int
    key: int
    at: int
    text: bytes | None = None
    before: int = -1


class TextSplice:
    """The Turtle and TriG of a dataset made from the documents before (see the module).

    ``prepared`` gives one only where it can write both documents; ``write_turtle`` and
    ``write_trig`` write them, and ``keep`` keeps the index of what they wrote."""

    def __init__(
        self,
        index: TextIndex,
        befores: tuple[mmap.mmap, mmap.mmap],
        iris: _Iris,
        graphs: list[_Graph],
        several: tuple[np.ndarray, np.ndarray],
        blocks: list[_Block],
        placed: list[_Placed],
        taken: np.ndarray,
    ) -> None:
        self._index = index
        self._turtle_before, self._trig_before = befores
        self._iris = iris
        self._graphs = graphs
        self._several = several
        self._blocks = blocks
        self._placed = placed
        self._taken = taken
        self._written: dict[str, DocumentPlaces] = {}

    @staticmethod
    def prepared(
        folder: Path,
        before: Path,
        dataset: Dataset,
        union: Graph,
        digest_of: Callable[[Graph], str],
    ) -> TextSplice | None:
        """The splice of the Turtle and TriG of ``dataset`` (whose union is ``union``)
        from those of the build folder ``before``, by the index kept in ``folder``; None
        where they are to be written as before (see the module)."""
        index = read_index(index_file(folder))
        if index is None:
            return None
        turtle = mapped_before(before / "graph.ttl", index.turtle.size, index.turtle.sha256)
        if turtle is None:
            return None
        trig = mapped_before(before / "graph.trig", index.trig.size, index.trig.sha256)
        if trig is None:
            turtle.close()
            return None
        made = _Making(index, dataset, union, digest_of).made()
        if made is None:
            turtle.close()
            trig.close()
            return None
        return TextSplice(index, (turtle, trig), *made)

    def write_trig(self, stream: IO[bytes]) -> None:
        index, before = self._index, self._trig_before
        places = index.trig
        document = _Document(stream)
        prefixes = {pair for graph in self._graphs for pair in graph.prefixes}
        prefixes.update(pair for graph in self._graphs for pair in graph.name_prefix)
        document.write(head_text(prefixes).encode())
        for block in self._blocks:
            graph = block.graph
            document.graph()
            document.write(_opener(graph.label))
            if block.whole:
                first, last = places.firsts[graph.before], places.firsts[graph.before + 1] - 1
                document.copy(before, places, first, last, places.keys[first : last + 1])
            elif block.order is not None:
                assert block.keys is not None
                for number, key in zip(block.order.tolist(), block.keys.tolist(), strict=True):
                    document.copy(before, places, number, number, np.array([key]))
            else:
                assert block.texts is not None
                for subject, text, key in block.texts:
                    document.text(subject, text, key)
            document.write(b"}\n")
        document.write(_TAIL)
        self._written["trig"] = document.places()
        before.close()

    def write_turtle(self, stream: IO[bytes]) -> None:
        index, before = self._index, self._turtle_before
        places = index.turtle
        document = _Document(stream)
        document.write(head_text({p for graph in self._graphs for p in graph.prefixes}).encode())
        document.graph()
        old = 0
        keys = places.keys
        for item in [*self._placed, None]:
            end = len(places.ids) if item is None else item.at
            for first, last in runs(self._taken, old, end):
                document.copy(before, places, first, last, keys[first : last + 1])
            old = end
            if item is None:
                break
            if item.text is not None:
                document.text(item.subject, item.text, item.key)
            else:
                document.copy(before, places, item.before, item.before, np.array([item.key]))
        document.write(_TAIL)
        self._written["turtle"] = document.places()
        before.close()

    def keep(self, path: Path, documents: Sequence[tuple[int, str]]) -> bool:
        """Keep the index of the documents written, of the sizes and SHA-256 of
        ``documents`` (Turtle's, TriG's), as ``path``; whether it was kept."""
        written = self._written
        if set(written) != {"turtle", "trig"} or len(documents) != 2:
            return False
        (turtle_size, turtle_sha), (trig_size, trig_sha) = documents

        def placed(places: DocumentPlaces, size: int, sha256: str) -> DocumentPlaces:
            return DocumentPlaces(
                size, sha256, places.ids, places.starts, places.ends, places.keys, places.firsts
            )

        index = _index(
            self._graphs,
            self._iris,
            self._several,
            placed(written["turtle"], turtle_size, turtle_sha),
            placed(written["trig"], trig_size, trig_sha),
        )
        return keep_encoded(path, index)


def _opener(label: str) -> bytes:
    """What TriG writes before a graph's subjects."""
    return f"\n{label} {{".encode()


class _Making:
    """What a splice copies from the documents before, and what it makes."""

    def __init__(
        self, index: TextIndex, dataset: Dataset, union: Graph, digest_of: Callable[[Graph], str]
    ) -> None:
        self._index = index
        self._dataset = dataset
        self._union = union
        self._digest_of = digest_of

    def made(self) -> tuple[Any, ...] | None:
        index, dataset = self._index, self._dataset
        iris = _Iris(index.iris)
        number_before = {name: number for number, name in enumerate(index.graphs)}
        current = held_graphs(dataset)
        if not current:  # nothing to write a subject at a time
            return None
        graphs: list[_Graph] = []
        texts = SubjectTexts(dataset)
        for graph in current:
            name, digest = str(graph.identifier), self._digest_of(graph)
            found = number_before.get(name)
            if found is not None and index.digests[found] == digest:
                start, end = index.count_firsts[found], index.count_firsts[found + 1]
                graphs.append(
                    _Graph(
                        name, digest, index.prefixes[found], index.labels[found],
                        index.name_prefixes[found], index.counts_ids[start:end],
                        index.counts_values[start:end], before=found,
                    )
                )  # fmt: skip
                continue
            if built_in_part(graph):  # to read whole: written from the whole dataset
                return None
            made = self._changed(graph, name, digest, iris, texts)
            if made is None:
                return None
            graphs.append(made)
        if _top_class_named([g for g in graphs if g.graph is not None], iris):
            return None
        several = several_counts(dataset, iris)
        if several is None:
            return None
        blocks = self._blocks(graphs, iris, texts)
        if blocks is None:
            return None
        turtle = self._turtle(graphs, iris, several, texts)
        if turtle is None:
            return None
        return (iris, graphs, several, blocks, *turtle)

    def _changed(
        self, graph: Graph, name: str, digest: str, iris: _Iris, texts: SubjectTexts
    ) -> _Graph | None:
        """A graph that changed (or is new), read; None where its triples cannot be
        written a subject at a time."""
        subjects: dict[Node, None] = {}
        for subject, _, obj in each_triple(graph):
            if type(subject) is not URIRef or isinstance(obj, BNode):
                return None
            subjects[subject] = None
        label = texts.label(graph)
        if label is None:
            return None
        ids, values = object_counts(graph, iris)
        prefixes = texts.prefixes(graph)
        if prefixes is None:
            return None
        name_prefix = _label_prefix(label, texts.namespaces())
        numbers = iris.numbers(map(str, subjects))
        return _Graph(
            name, digest, sorted(prefixes), label, name_prefix, ids, values, graph, -1, numbers
        )

    def _blocks(
        self, graphs: list[_Graph], iris: _Iris, texts: SubjectTexts
    ) -> list[_Block] | None:
        """How TriG writes each graph: the keys of an unchanged graph's subjects change
        by the changes, before it, in how many times the changed graphs name them (as
        objects, and as the subject of a triple of theirs)."""
        index = self._index
        places = index.trig
        size = len(iris.iris)
        change = np.zeros(size, dtype=np.int64)
        unchanged = {graph.before for graph in graphs}
        changed_before = [n for n in range(len(index.graphs)) if n not in unchanged]
        # the graphs before and now, in the order of their names: what each changes
        steps: list[tuple[str, int, _Graph | None]] = []
        steps += [(index.graphs[n], n, None) for n in changed_before]
        steps += [(graph.name, -1, graph) for graph in graphs]
        steps.sort(key=lambda step: (step[0], step[2] is not None))
        blocks: list[_Block] = []
        counted: list[tuple[np.ndarray, np.ndarray]] = []  # the graphs now, so far
        for _, before, graph in steps:
            if graph is None:  # a graph before that changed or is gone: it counts no more
                start, end = index.count_firsts[before], index.count_firsts[before + 1]
                np.subtract.at(change, index.counts_ids[start:end], index.counts_values[start:end])
                first, last = places.firsts[before], places.firsts[before + 1]
                np.subtract.at(change, places.ids[first:last], 1)
                continue
            if graph.graph is None:  # unchanged
                first, last = places.firsts[graph.before], places.firsts[graph.before + 1]
                ids = places.ids[first:last]
                counted.append((graph.count_ids, graph.count_values))
                counted.append((ids, np.ones(len(ids), dtype=np.int64)))
                moved = change[ids]
                if not moved.any():
                    blocks.append(_Block(graph, whole=True))
                    continue
                keys = places.keys[first:last] + moved
                names = [iris.iris[n] for n in ids.tolist()]
                order = sorted(range(len(ids)), key=lambda k: (int(keys[k]), names[k]))
                chosen = np.array(order, dtype=np.int64)
                blocks.append(_Block(graph, order=chosen + first, keys=keys[chosen]))
                continue
            assert graph.subjects is not None
            np.add.at(change, graph.count_ids, graph.count_values)
            np.add.at(change, graph.subjects, 1)
            counted.append((graph.count_ids, graph.count_values))
            counted.append((graph.subjects, np.ones(len(graph.subjects), dtype=np.int64)))
            totals = _totals(size, [c[0] for c in counted], [c[1] for c in counted])
            made = texts.trig_texts(graph.graph)
            if made is None:
                return None
            keyed = [(int(totals[iris.number(str(s))]), str(s), s) for s in made]
            keyed.sort(key=lambda item: (item[0], item[1]))
            written = [(iris.number(text), made[s].encode(), key) for key, text, s in keyed]
            blocks.append(_Block(graph, texts=written))
        return blocks

    def _turtle(
        self,
        graphs: list[_Graph],
        iris: _Iris,
        several: tuple[np.ndarray, np.ndarray],
        texts: SubjectTexts,
    ) -> tuple[list[_Placed], np.ndarray] | None:
        """What Turtle copies in place, and what it writes out of place: each subject of
        a changed graph (now or before) made from its triples in the union, and each
        other subject whose key changed moved."""
        index = self._index
        places = index.turtle
        size = len(iris.iris)
        before_totals = _totals(
            size,
            [index.counts_ids, index.several_ids],
            [index.counts_values, -index.several_values.astype(np.int64)],
        )
        now_totals = _totals(
            size,
            [*(graph.count_ids for graph in graphs), several[0]],
            [*(graph.count_values for graph in graphs), -several[1]],
        )
        rekeyed = now_totals != before_totals
        # the subjects of the changed graphs, before and now
        remade = np.zeros(size, dtype=bool)
        described = np.zeros(size, dtype=bool)  # by an unchanged graph
        unchanged = {graph.before for graph in graphs if graph.graph is None}
        trig = index.trig
        for number in range(len(index.graphs)):
            ids = trig.ids[trig.firsts[number] : trig.firsts[number + 1]]
            if number in unchanged:
                described[ids] = True
            else:
                remade[ids] = True
        changed = [graph for graph in graphs if graph.graph is not None]
        for graph in changed:
            assert graph.subjects is not None
            remade[graph.subjects] = True
        subjects_now = described.copy()
        for graph in changed:
            assert graph.subjects is not None
            subjects_now[graph.subjects] = True
        ids = places.ids
        taken = ~(remade[ids] | rekeyed[ids])
        moved = np.flatnonzero(~taken & ~remade[ids])
        wanted = np.flatnonzero(remade & subjects_now)
        names: dict[Node, int] = {URIRef(iris.iris[n]): n for n in wanted.tolist()}
        made = self._union_texts(names, texts)
        if made is None:
            return None
        keys = places.keys
        subject_names = ids.tolist()
        placed: list[_Placed] = []

        def where(key: int, text: str) -> int:
            low = int(np.searchsorted(keys, key, side="left"))
            high = int(np.searchsorted(keys, key, side="right"))
            return bisect_left(subject_names, text, low, high, key=lambda n: iris.iris[n])

        for subject, text in made.items():
            number = names[subject]
            key = int(now_totals[number])
            placed.append(_Placed(number, key, where(key, str(subject)), text.encode()))
        for before in moved.tolist():
            number = int(ids[before])
            key = int(now_totals[number])
            placed.append(_Placed(number, key, where(key, iris.iris[number]), before=before))
        placed.sort(key=lambda item: (item.key, iris.iris[item.subject]))
        return placed, taken

    def _union_texts(
        self, subjects: dict[Node, int], texts: SubjectTexts
    ) -> dict[Node, str] | None:
        """Turtle's text of each of ``subjects``, from its triples in the union: those
        of the changed graphs, and of the unchanged graphs that describe it (as the
        dataset holds them, built in part or whole: all it holds of ``subjects``).

        The union is walked once: the graphs that describe them share most of what
        they hold of them, and a walk of each (at 100,000 statements, five thousand
        subjects described by all hundred graphs) read the same triples many times,
        eight times as long."""
        triples = [t for t in each_triple(self._union) if t[0] in subjects]
        return texts.turtle_texts(self._union, triples, subjects)
