"""Write compacted JSON-LD byte for byte as ``graph.export`` wrote it, in less time.

The document is the one rdflib's JSON-LD writer builds (``from_rdf`` with the project's
prefixes as context), with its nodes and values sorted. rdflib's converter has no step
that grows faster than the graph, but a large constant one: for every object it asks
the graph (through rdflib's generators and store) whether the object starts an RDF list,
twice, and it compacts the same predicate, datatype and IRI again at every use. The
converter here is rdflib's own with a short path for the statements that make up a
graph of this project (``_CachedConverter``) and its compact names cached; the document
then goes to the writer as values, not written as text and parsed back, and is indented
by ``graph.jsontext.indented`` rather than ``json``'s encoder in Python, and written
into a stream a node at a time (``write_jsonld``), never held whole. About half the time of
rdflib's writer (``benchmarks/serialise.py --rdflib``), still linear in the graph.

Where each node is its subject's triples alone (no blank node, no RDF list: the graph
of a corpus), the nodes are not even made all at once: the subjects are put in the
order of their ``@id`` first, and each node is made from its subject's triples
(``graph.rdf.SubjectRuns``), written, and let go (``_write_each_node``). At 100,000
statements, the writer then holds less than a third of the memory it did with every node
made before the first was written.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from array import array
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from typing import IO, Any, cast

from rdflib import RDF, BNode, Graph, Literal, Node, URIRef
from rdflib.plugins.serializers.jsonld import PLAIN_LITERAL_TYPES, Converter
from rdflib.plugins.shared.jsonld.context import UNDEF, Context
from rdflib.plugins.shared.jsonld.keys import CONTEXT, GRAPH

from .jsontext import indented
from .rdf import SubjectRuns, looks_up_in_triple_order

__all__ = ["NodeReuse", "SpooledNodes", "jsonld", "write_jsonld"]


def jsonld(graph: Graph, prefixes: Mapping[str, str]) -> bytes:
    """``graph`` as UTF-8 compacted JSON-LD with ``prefixes`` as context, sorted.

    Nodes are sorted by ``@id``, the values of a key by their JSON, and the keys of every
    object by name: the same graph gives the same bytes in any run, as rdflib's writer,
    which emits nodes in hash order, does not.
    """
    stream = io.BytesIO()
    write_jsonld(graph, prefixes, stream)
    return stream.getvalue()


class SpooledNodes:
    """The ``@id`` and text of nodes by subject, the texts kept in a temporary file.

    A write of a corpus's graph leaves a node for most of its subjects (about 0.2 GiB
    of text at 100,000 statements), read back one graph at a time once the document is
    written (``graph.fragments``); here only where each one lies takes memory.
    """

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._number: dict[Node, int] = {}  # each subject's place in the arrays below
        self._starts = array("q")  # where each node begins in the file
        self._id_sizes = array("q")
        self._text_sizes = array("q")

    def __setitem__(self, subject: Node, node: tuple[str, str]) -> None:
        if self._file is None:  # closed by clear, or when let go
            self._file = tempfile.TemporaryFile()  # noqa: SIM115
        node_id, text = node[0].encode(), node[1].encode()
        self._starts.append(self._file.seek(0, os.SEEK_END))
        self._file.write(node_id + text)
        self._id_sizes.append(len(node_id))
        self._text_sizes.append(len(text))
        self._number[subject] = len(self._starts) - 1  # a node made again replaces its first

    def __getitem__(self, subject: Node) -> tuple[str, str]:
        number = self._number[subject]
        assert self._file is not None
        self._file.seek(self._starts[number])
        id_size = self._id_sizes[number]
        data = self._file.read(id_size + self._text_sizes[number])
        return data[:id_size].decode(), data[id_size:].decode()

    def __contains__(self, subject: object) -> bool:
        return subject in self._number

    def __len__(self) -> int:
        return len(self._number)

    def clear(self) -> None:
        """Forget every node, and the file."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._number.clear()
        for sizes in (self._starts, self._id_sizes, self._text_sizes):
            del sizes[:]


class NodePlaces:
    """Where each node of a document written a node at a time (``_write_each_node``)
    lies: its subject, ``@id``, the first byte of its text and the byte after it, and
    whether it was made from its subject's triples alone (``_CachedConverter.plain_node``),
    in the order of the document (see ``graph.jsonldsplice``)."""

    def __init__(self) -> None:
        self.subjects: list[Node] = []
        self.ids: list[str] = []
        self.starts = array("q")
        self.ends = array("q")
        self.plain = bytearray()

    def __len__(self) -> int:
        return len(self.ids)

    def add(self, subject: Node, node_id: str, start: int, end: int, plain: bool) -> None:
        self.subjects.append(subject)
        self.ids.append(node_id)
        self.starts.append(start)
        self.ends.append(end)
        self.plain.append(plain)


@dataclass
class NodeReuse:
    """The nodes a write takes from an earlier one, and those it leaves for a later one.

    ``kept`` gives, by subject, the ``@id`` and the text written before of its node;
    the write does not convert those subjects. ``made`` gets the ``@id`` and text of
    every node made in one step here (``_CachedConverter._plain_values``), which depends
    on the subject's own triples alone: the others, and every node of a graph with an
    RDF list (whose heads change how other nodes are written), are neither taken nor
    left (``plain`` is then false). With ``places``, a write a node at a time notes
    where each node lies in the document (a document made whole notes nothing).
    """

    kept: dict[Node, tuple[str, str]] = field(default_factory=dict)
    made: SpooledNodes = field(default_factory=SpooledNodes)
    plain: bool = True
    places: NodePlaces | None = None


def write_jsonld(
    graph: Graph, prefixes: Mapping[str, str], stream: IO[bytes], reuse: NodeReuse | None = None
) -> None:
    """Write the bytes of ``jsonld(graph, prefixes)`` into ``stream``, a node at a time:
    the text is never held whole. With ``reuse``, some nodes' text is taken from an
    earlier write (see ``NodeReuse``)."""
    context = dict(sorted(prefixes.items()))
    plain_already: set[int] = set()
    runs = SubjectRuns(graph)
    converter = _CachedConverter(_CachedContext(context), graph, plain_already, runs)
    if reuse is not None and converter.has_lists:
        reuse.kept.clear()
        reuse.plain = False
    kept = {} if reuse is None else reuse.kept
    order = _node_order(converter, runs, kept)
    if order is not None:
        _write_each_node(converter, order, kept, context, stream, reuse)
        return
    converter.skipped = kept.keys()
    document = _from_rdf(converter, graph, context)
    nodes = document.get("@graph", [document])
    if kept and "@graph" not in document:  # one node converted: the document is that node
        nodes = [{key: value for key, value in document.items() if key != CONTEXT}]
    if kept and len(nodes) + len(kept) < 2:  # one node in all: it is the document
        kept.clear()
        plain_already.clear()
        converter = _CachedConverter(_CachedContext(context), graph, plain_already, runs)
        document = _from_rdf(converter, graph, context)
        nodes = document.get("@graph", [document])
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    taken = sorted(kept.values())
    # the text of {"@context": context, "@graph": nodes}, indented by 2
    stream.write(document_head(context).encode())
    if not nodes and not taken:
        stream.write(b"[]\n}\n")
        return
    number, next_taken = 0, 0
    for index, node in enumerate(nodes):  # one node at a time: one whole copy is held
        node_id = str(node.get("@id", ""))
        while next_taken < len(taken) and taken[next_taken][0] < node_id:
            stream.write(((",\n    " if number else "[\n    ") + taken[next_taken][1]).encode())
            number, next_taken = number + 1, next_taken + 1
        made = id(node) in plain_already
        subject = converter.subject_of.get(id(node))
        nodes[index] = None
        text = _node_text(node, made)
        if made and reuse is not None and reuse.plain and subject is not None:
            reuse.made[subject] = (node_id, text)
        stream.write(((",\n    " if number else "[\n    ") + text).encode())
        number += 1
    for _, text in taken[next_taken:]:
        stream.write(((",\n    " if number else "[\n    ") + text).encode())
        number += 1
    stream.write(b"\n  ]\n}\n")


def _node_order(
    converter: _CachedConverter, runs: SubjectRuns, kept: Mapping[Node, tuple[str, str]]
) -> list[tuple[str, Node]] | None:
    """The ``@id`` of every subject's node with the subject, in the order of the
    document, where each node can be made and written on its own: the graph has no
    blank node and no RDF list (each node is then its subject's triples alone), every
    subject is an IRI, no two nodes share an ``@id`` and there are two nodes or more
    (one node is the document itself). None otherwise: the document is then made whole.
    """
    if converter.has_lists or len(runs) < 2:
        return None
    if not all(type(subject) is URIRef for subject in runs.subjects()):
        return None
    if BNode in set(map(type, map(itemgetter(2), runs.triples()))):
        return None
    context = converter.context
    shrunk = context.shrunk_once if isinstance(context, _CachedContext) else context.shrink_iri
    order = [  # an IRI not shrunk is its own id: as text, compared as text
        (kept[subject][0] if subject in kept else str(shrunk(cast(URIRef, subject))), subject)
        for subject in runs.subjects()
    ]
    order.sort(key=itemgetter(0))
    if any(order[place][0] == order[place - 1][0] for place in range(1, len(order))):
        return None  # rdflib keeps one node of an id: which one depends on the hash seed
    return order


_GATHERED = 4096
"""The texts ``_write_each_node`` gathers before it encodes them into the stream."""


def _write_each_node(
    converter: _CachedConverter,
    order: list[tuple[str, Node]],
    kept: Mapping[Node, tuple[str, str]],
    context: dict[str, str],
    stream: IO[bytes],
    reuse: NodeReuse | None,
) -> None:
    """Write the document of ``write_jsonld``, each node made and written in turn, in
    ``order`` (see ``_node_order``): never more than one node is held, and the texts of
    up to ``_GATHERED`` are encoded together."""
    head = document_head(context)
    stream.write(head.encode())
    leaving = reuse is not None and reuse.plain
    places = None if reuse is None else reuse.places
    at = _size(head)  # where the next text begins, in bytes
    view = converter.view
    texts: list[str] = []  # gathered, and encoded together
    for number, (node_id, subject) in enumerate(order):
        if len(texts) >= _GATHERED:
            stream.write("".join(texts).encode())
            texts.clear()
        separator = NODE_SEPARATOR if number else FIRST_NODE
        texts.append(separator)
        taken = kept.get(subject)
        made = True  # as the node taken was made
        if taken is not None:
            text = taken[1]
        else:
            node = converter.plain_node(view, cast(URIRef, subject), node_id)
            made = node is not None
            if node is None:
                nodemap: dict[str, Any] = {}
                node = converter.process_subject(view, subject, nodemap)  # type: ignore[arg-type]
            text = _node_text(node, made)
            if made and leaving:
                assert reuse is not None
                reuse.made[subject] = (node_id, text)
        texts.append(text)
        if places is not None:
            start = at + len(separator)
            at = start + _size(text)
            places.add(subject, node_id, start, at, made)
    texts.append(DOCUMENT_TAIL)
    stream.write("".join(texts).encode())


FIRST_NODE = "[\n    "
NODE_SEPARATOR = ",\n    "
DOCUMENT_TAIL = "\n  ]\n}\n"
"""What comes before the first node of a document and between two nodes, each
indented two levels down, and after the last."""


def document_head(context: Mapping[str, str]) -> str:
    """What a document of nodes begins with, up to its first node's ``FIRST_NODE``."""
    return '{\n  "@context": ' + indented(dict(context), depth=1) + ',\n  "@graph": '


def _size(text: str) -> int:
    """The length of ``text`` in UTF-8."""
    return len(text) if text.isascii() else len(text.encode())


def _node_text(node: dict[str, Any], made: bool) -> str:
    """The text of ``node`` in the document: plain (unless ``made`` so), the values of
    each key sorted by their JSON, indented two levels down."""
    plain = node if made else _plain(node)
    for key, value in plain.items():
        if isinstance(value, list) and len(value) > 1:
            plain[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    return indented(plain, depth=2)


def _from_rdf(converter: _CachedConverter, graph: Graph, context_data: dict[str, str]) -> Any:
    """rdflib's ``from_rdf`` (7.x) for a context of prefixes, with ``_CachedConverter``,
    which notes the nodes it made plain (see ``_plain``)."""
    result = converter.convert(graph)
    context = converter.context
    if context.active:
        if isinstance(result, list):
            result = {context.get_key(GRAPH): result}
        result[CONTEXT] = context_data
    return result


class _CachedContext(Context):
    """rdflib's JSON-LD ``Context``, its compact names cached.

    The context does not change while a document is built, so each compact name is a
    function of its arguments.
    """

    def __init__(self, data: dict[str, str]) -> None:
        self._shrunk: dict[str, str] = {}
        self._symbols: dict[str, Any] = {}
        self._terms: dict[tuple[Any, ...], Any] = {}
        super().__init__(data)

    def shrink_iri(self, iri: str) -> str:
        key = str(iri)
        if key not in self._shrunk:
            self._shrunk[key] = super().shrink_iri(iri)
        return self._shrunk[key]

    def shrunk_once(self, iri: str) -> str:
        """``shrink_iri``, not kept: the ``@id`` of a subject, asked once."""
        found = self._shrunk.get(str(iri))
        return super().shrink_iri(iri) if found is None else found

    def to_symbol(self, iri: str) -> Any:
        key = str(iri)
        if key not in self._symbols:
            self._symbols[key] = super().to_symbol(iri)
        return self._symbols[key]

    def find_term(
        self,
        idref: str,
        coercion: Any = None,
        container: Any = UNDEF,
        language: str | None = None,
        reverse: bool = False,
    ) -> Any:
        key = (idref, coercion, container, language, reverse)
        if key not in self._terms:
            self._terms[key] = super().find_term(idref, coercion, container, language, reverse)
        return self._terms[key]


class _CachedConverter(Converter):
    """rdflib's JSON-LD ``Converter`` with a short path for the common statement.

    A statement whose object is an IRI that starts no list, or a literal, and whose
    predicate no term of the context matches (all of them, with a context of prefixes)
    becomes the value rdflib's ``add_to_node`` makes, with the predicate's key and the
    object's compact name cached; every other statement goes to ``add_to_node`` itself.
    The graph is asked whether a node starts a list only for the nodes that have an
    ``rdf:first``, found in one pass.

    An IRI all of whose statements take that short path, or are types that are IRIs,
    becomes its node here in one step, already plain (what ``_plain`` would make of it),
    its id noted in ``plain_already``: most nodes of a corpus's graph. Every other
    subject is rdflib's.
    """

    def __init__(
        self, context: Context, graph: Graph, plain_already: set[int], runs: SubjectRuns
    ) -> None:
        # rdflib passes a tuple for ``use_native_types``, which is always true
        super().__init__(context, use_native_types=True, use_rdf_type=False)
        # asked of the graph only if some triple has rdf:first: the question makes the
        # store index every triple by its predicate
        predicates = set(map(itemgetter(1), runs.triples()))
        self._heads = set(graph.subjects(RDF.first, None)) if RDF.first in predicates else set()
        self.view = _ListHeads(graph, self._heads, runs)
        # the IRIs that ``context.find_term`` may answer for, whatever else it is asked
        self._named = {idref for idref, *_ in getattr(context, "_lookup", {})}
        self._keys: dict[Node, str | None] = {}
        self._iris: dict[Node, dict[str, str]] = {}
        self._datatypes: dict[Node, Any] = {}
        self._types: dict[Node, str] = {}
        self._plain_already = plain_already
        self.has_lists = bool(self._heads)
        self.skipped: Collection[Node] = ()  # subjects whose nodes are not made
        self.subject_of: dict[int, Node] = {}  # the subject of each node made plain

    def from_graph(self, graph: Graph) -> Any:
        """rdflib's ``from_graph``, each IRI of plain statements made by ``_plain_node``."""
        view = self.view
        nodemap: dict[str, Any] = {}
        skipped = self.skipped
        for s in set(view.subjects()):
            if s in skipped:
                continue
            if isinstance(s, URIRef):
                if not self._plain_node(view, s, nodemap):
                    self.process_subject(view, s, nodemap)  # type: ignore[arg-type]
            elif isinstance(s, BNode) and not any(view.subjects(None, s)):
                self.process_subject(view, s, nodemap)  # type: ignore[arg-type]
        return list(nodemap.values())

    def _plain_node(self, view: _ListHeads, s: URIRef, nodemap: dict[str, Any]) -> bool:
        """Make the node of ``s`` into ``nodemap`` as rdflib's ``process_subject`` and
        ``_plain`` would, when ``_plain_values`` can; else leave it and say so."""
        values = self._plain_values(view, s)
        if values is None:
            return False
        node_id = self.context.shrink_iri(s)
        if node_id in nodemap:
            return True  # as rdflib's process_subject: the first node of an id stays
        node = nodemap[node_id] = self._node(node_id, values)
        self._plain_already.add(id(node))
        self.subject_of[id(node)] = s
        return True

    def plain_node(self, view: _ListHeads, s: URIRef, node_id: str) -> dict[str, Any] | None:
        """The node of ``s`` (whose ``@id`` is ``node_id``), plain, as ``_plain_node``
        makes it; None where ``_plain_values`` cannot make it."""
        values = self._plain_values(view, s)
        return None if values is None else self._node(node_id, values)

    def _node(self, node_id: str, values: list[tuple[str, Any]]) -> dict[str, Any]:
        node: dict[str, Any] = {self.context.id_key: node_id}
        for key, value in values:
            _add_value(node, key, value)
        return node

    def _plain_values(self, view: _ListHeads, s: URIRef) -> list[tuple[str, Any]] | None:
        """The keys and plain values of the node of ``s``, when every statement of
        ``s`` takes the short path of ``add_to_node`` or is a type that is an IRI."""
        values: list[tuple[str, Any]] = []
        for p, o in view.predicate_objects(s):
            if p == RDF.type and type(o) is URIRef:
                key = self._type_key(o)
                if key is None:
                    return None
                values.append((self.context.type_key, key))
                continue
            key = self._plain_key(p, o)
            if key is None:
                return None
            value = self._short_value(o)
            if type(value) is float and not math.isfinite(value):
                # a first value rdflib keeps (it is true) but writes as null with orjson,
                # which _add_value would replace: rdflib's path
                return None
            values.append((key, _plain_value(value)))
        return values

    def _type_key(self, o: URIRef) -> str | None:
        """The compact type rdflib's ``add_to_node`` gives for ``rdf:type`` ``o``, when
        it takes that path (no term of the context names ``rdf:type``, ``o`` starts no
        list); else ``None``."""
        if o in self._heads or str(RDF.type) in self._named or not self.context.active:
            return None
        found = self._types.get(o)
        if found is None:
            symbol = self.context.to_symbol(o)
            found = self._types[o] = str(symbol)
        return found

    def add_to_node(
        self,
        graph: Any,
        s: Any,
        p: Any,
        o: Any,
        s_node: dict[str, Any],
        nodemap: dict[str, Any],
    ) -> None:
        key = self._plain_key(p, o)
        if key is None:
            super().add_to_node(graph, s, p, o, s_node, nodemap)
            return
        _add_value(s_node, key, self._short_value(o))

    def _short_value(self, o: Node) -> Any:
        """The value of the short path for an object ``_plain_key`` accepts."""
        return self._literal_value(o) if type(o) is Literal else self._iri_value(o)

    def _plain_key(self, p: Node, o: Node) -> str | None:
        """The key of ``p`` when the short path gives what rdflib does, else ``None``."""
        if type(o) is Literal:
            if o.language is not None or o.datatype == RDF.langString:
                return None
        elif type(o) is not URIRef or o in self._heads:
            return None
        if p not in self._keys:
            self._keys[p] = self._key(p)
        return self._keys[p]

    def _key(self, p: Any) -> str | None:
        """rdflib's key for ``p`` when no term of the context names it, else ``None``."""
        context = self.context
        if not context.active or p == RDF.type or str(p) in self._named:
            return None
        key = context.to_symbol(p)
        if not isinstance(key, str):
            return None
        term = context.terms.get(key)
        if term and (term.type or term.container):
            return None
        return key

    def _iri_value(self, o: Any) -> dict[str, str]:
        value = self._iris.get(o)
        if value is None:
            value = self._iris[o] = {self.context.id_key: self.context.shrink_iri(o)}
        return value

    def _literal_value(self, o: Literal) -> Any:
        """rdflib's ``to_raw_value`` of a literal without a language, in an active context."""
        datatype = o.datatype
        if datatype is None:
            return str(o)
        if datatype in PLAIN_LITERAL_TYPES:
            return o.toPython()
        symbol = self._datatypes.get(datatype)
        if symbol is None:
            symbol = self._datatypes[datatype] = self.context.to_symbol(datatype)
        return {self.context.type_key: symbol, self.context.value_key: str(o)}


class _ListHeads:
    """A graph whose ``value(node, rdf:first)`` is answered at once for most nodes, and
    whose subjects, and the predicates and objects of most IRIs, are read from the runs
    of its triples by subject (``graph.rdf.SubjectRuns``).

    rdflib's converter takes the subjects of the graph, then the predicates and objects
    of each: a look-up per subject. The predicates and objects of an IRI whose every
    predicate has one object come here in the order of the graph's triples, not
    rdflib's (by predicate), which the document cannot show: each predicate is a key
    of its own with one value. Where a predicate has several objects, rdflib's document
    depends on their order (a first value that is false, such as 0, is replaced by the
    next), so they, and a blank node's, are asked of the graph, as is every other
    question; unless the graph gives them in the order of its triples anyway
    (``looks_up_in_triple_order``), as the union of a built dataset does.
    """

    def __init__(self, graph: Graph, heads: set[Node], runs: SubjectRuns) -> None:
        self._graph = graph
        self._heads = heads
        self._runs = runs
        self._every = looks_up_in_triple_order(graph)

    def value(self, subject: Node, predicate: Node) -> Node | None:
        if predicate == RDF.first and subject not in self._heads:
            return None
        return self._graph.value(subject, predicate)

    def subjects(self, predicate: Node | None = None, object: Node | None = None) -> Any:
        if predicate is None and object is None:
            return iter(self._runs.subjects())
        return self._graph.subjects(predicate, object)

    def predicate_objects(self, subject: Node) -> Any:
        run = self._runs.run(subject)
        if self._every or (
            type(subject) is URIRef and len({predicate for _, predicate, _ in run}) == len(run)
        ):
            return iter([(predicate, obj) for _, predicate, obj in run])
        return self._graph.predicate_objects(subject)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._graph, name)


def _plain(value: Any) -> Any:
    """``value`` as ``json.loads`` of rdflib's written document gives it back.

    rdflib writes with orjson when it is installed and with ``json`` otherwise; both give
    back the same values, except a float that is not finite, which orjson writes as
    ``null``.
    """
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Literal | str):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value) and _writes_with_orjson():
        return None
    return value


def _add_value(node: dict[str, Any], key: str, value: Any) -> None:
    """Add ``value`` under ``key`` as rdflib's ``add_to_node`` does: a first value, or a
    list of them; a value that is false (``0``, ``""``, ``False``) is replaced, not kept."""
    found = node.get(key)
    if found:
        if not isinstance(found, list):
            found = node[key] = [found]
        found.append(value)
    else:
        node[key] = value


def _plain_value(value: Any) -> Any:
    """``_plain`` of a value of ``_CachedConverter``'s short path: text, a finite number, a
    truth value, or a small dictionary of text."""
    if isinstance(value, dict):
        return {str(key): str(item) for key, item in value.items()}
    if isinstance(value, str):  # a literal rdflib could not make a Python value of, too
        return str(value)
    return value


def _writes_with_orjson() -> bool:
    from rdflib.plugins.shared.jsonld import util

    return bool(getattr(util, "_HAS_ORJSON", False))
