"""Write Turtle and TriG byte for byte as rdflib writes them, in time linear in the graph.

rdflib's writers ask the graph's ``NamespaceManager`` for the compact name of every term
of every triple. The manager caches the IRIs it can compact but not those it cannot, and
for each of these scans every namespace it has met that extends the IRI's own. A graph
holds one such namespace per statement (``.../statement/s1/`` for the statement's
evidence), so each statement IRI scans them all and writing took time quadratic in the
statements (213 s for the Turtle of 10,000). ``QnameCache`` gives the manager's answers
from a set of namespaces and a cache of both kinds of answer; the writers here are
rdflib's own with that cache in the one place they ask.
"""

from __future__ import annotations

import io
from array import array
from collections import _count_elements  # type: ignore[attr-defined]
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, NamespaceManager, split_uri
from rdflib.plugins.serializers.trig import TrigSerializer
from rdflib.plugins.serializers.turtle import _GEN_QNAME_FOR_DT, OBJECT, VERB, TurtleSerializer
from rdflib.term import (
    _NUMERIC_INF_NAN_LITERAL_TYPES,
    _PLAIN_LITERAL_TYPES,
    Node,
    _is_valid_uri,
)

from .rdf import SubjectRuns, each_triple

__all__ = [
    "QnameCache",
    "Reuse",
    "SubjectTexts",
    "TextPlaces",
    "trig",
    "turtle",
    "write_trig",
    "write_turtle",
]

_Qname = tuple[str, URIRef, str]


class QnameCache:
    """The compact names of IRIs as ``manager.compute_qname`` (rdflib 7) gives them.

    The same answers, from the same namespaces: rdflib's manager keeps the namespaces it
    has met in a trie and takes the longest one that extends the IRI's own and starts
    the IRI; this keeps them in a set and tries the IRI's prefixes, longest first. The
    manager's trie and cache are read once, when the cache is made, and never changed; a
    prefix generated for a namespace (``ns1``) is bound through the manager, as rdflib
    binds it. ``generation`` counts the bindings made, after which names refused before
    may be given. Like the manager, it keeps the names it gives, not its refusals: a
    writer keeps every answer it is given for the rest of its document (``_CachedNames``),
    and a corpus's graph has an IRI refused a name for each of its statements.
    """

    def __init__(self, manager: NamespaceManager) -> None:
        self._manager = manager
        self._store = manager.store
        # the manager's own state (name-mangled); bound namespaces are in its trie too
        trie = getattr(manager, "_NamespaceManager__trie", None)
        met = _trie_keys(trie) if isinstance(trie, dict) else set()
        self._namespaces = met | {str(namespace) for _, namespace in manager.namespaces()}
        found = getattr(manager, "_NamespaceManager__cache", None)
        self._found: dict[str, _Qname] = dict(found) if isinstance(found, dict) else {}
        self.generation = 0

    def compute_qname(self, uri: str, generate: bool = True) -> _Qname:
        """``(prefix, namespace, local name)`` of ``uri``.

        Raises ``KeyError`` when no prefix is bound to its namespace and ``generate`` is
        false, and ``ValueError`` when the IRI is not valid or cannot be split, as rdflib
        does.
        """
        found = self._found.get(uri)
        if found is None:
            found = self._found[uri] = self._compute(uri, generate)
        return found

    def _compute(self, uri: str, generate: bool) -> _Qname:
        """rdflib's ``NamespaceManager.compute_qname``, its trie replaced by a set."""
        if not _is_valid_uri(uri):
            raise ValueError(f'"{uri}" does not look like a valid URI, cannot serialize this')
        text = str(uri)
        try:
            namespace, name = split_uri(text)
        except ValueError:
            if not self._store.prefix(URIRef(text)):
                raise
            namespace, name = text, ""
        self._meet(namespace)
        for end in range(len(text), len(namespace), -1):
            if text[:end] in self._namespaces:
                namespace, name = text[:end], text[end:]
                break
        namespace_iri = URIRef(namespace)
        prefix = self._store.prefix(namespace_iri)
        if prefix is None:
            if not generate:
                raise KeyError(f"No known prefix for {namespace} and generate=False")
            prefix = self._bind_generated(namespace_iri)
        return prefix, namespace_iri, name

    def _meet(self, namespace: str) -> None:
        """Add ``namespace`` to those met; a bound one may give names refused before."""
        if namespace not in self._namespaces:
            self._namespaces.add(namespace)
            if self._store.prefix(URIRef(namespace)) is not None:
                self.generation += 1

    def _bind_generated(self, namespace: URIRef) -> str:
        """Bind the first free prefix ``ns1``, ``ns2``, ... to ``namespace``, as rdflib does."""
        number = 1
        while self._store.namespace(f"ns{number}"):
            number += 1
        prefix = f"ns{number}"
        self._manager.bind(prefix, namespace)
        self.generation += 1
        return prefix


def _trie_keys(trie: dict[str, Any]) -> set[str]:
    """Every key of rdflib's namespace trie (dicts in dicts), at any depth."""
    keys: set[str] = set()
    pending = [trie]
    while pending:
        level = pending.pop()
        for key, below in level.items():
            keys.add(str(key))
            if isinstance(below, dict):
                pending.append(below)
    return keys


# the datatypes rdflib writes a literal of as a bare number or boolean, or whose infinite
# and undefined values it spells in XSD's way (rdflib.term)
_SHORT_OR_SPECIAL = frozenset((*_PLAIN_LITERAL_TYPES, *_NUMERIC_INF_NAN_LITERAL_TYPES))


@dataclass
class _Quiet:
    """The terms not to ask a name for again, as object (or subject) and as verb: those
    given one, and those refused one since the manager last bound a prefix."""

    named: set[Node]
    as_object: set[Node]
    as_verb: set[Node]
    generation: int

    def name(self, node: Node) -> None:
        self.named.add(node)
        self.as_object.add(node)
        self.as_verb.add(node)

    def forget_refusals(self, generation: int) -> None:
        # in place: the reading loop holds the sets
        for kept in (self.as_object, self.as_verb):
            kept.clear()
            kept.update(self.named)
        self.generation = generation


@dataclass
class Reuse:
    """The texts a write takes from an earlier one, and those it leaves for a later one.

    ``kept`` gives, by graph (the union's identifier for Turtle, each named graph's for
    TriG), the text written before for some of its subjects, each a subject's whole
    statement (``statement``); the write does not read those subjects' triples, but
    counts their objects and takes ``prefixes`` as the prefixes they use, so that the
    document is the one a write of every triple gives. ``whole`` names the graphs
    whose every subject has its text kept. With ``capture``, ``made``
    gets, by graph, the text of every subject written here in one piece (not those with
    a blank node; with ``captured`` too, only the subjects and texts it accepts), and ``done``, when
    given, is handed each graph's texts (and they leave ``made``) as soon as the writer
    has written that graph. ``plain`` is false when the write generated a prefix or
    renamed one: names then depend on the order of the triples, and no text is taken,
    nor should any be kept. With ``places``, the write notes where each subject's text
    lies in the document (see ``TextPlaces``).
    """

    kept: dict[Node, dict[Node, str]] = field(default_factory=dict)
    prefixes: set[tuple[str, str]] = field(default_factory=set)
    whole: set[Node] = field(default_factory=set)
    made: dict[Node, dict[Node, str]] = field(default_factory=dict)
    capture: bool = True
    captured: Callable[[Node, str], bool] | None = None
    done: Callable[[Node, dict[Node, str]], None] | None = None
    plain: bool = True
    namer: _CachedNames | None = None
    places: TextPlaces | None = None
    _writing: Node | None = None

    def writing(self, graph: Node | None) -> None:
        """The writer writes ``graph`` now (None: it has ended): hand ``done`` the
        texts of the graph it wrote before."""
        if graph is self._writing or graph == self._writing:  # rdflib's == is Python's
            return
        if self._writing is not None and self.done is not None:
            self.done(self._writing, self.made.pop(self._writing, {}))
        self._writing = graph

    def captures(self, subject: Node, text: str) -> bool:
        """Whether ``made`` gets ``text``, written of ``subject`` in one piece."""
        return self.capture and (self.captured is None or self.captured(subject, text))

    def prefixes_of(self, triples: Iterable[Any]) -> set[tuple[str, str]]:
        """The prefixes that ``triples``, all written by the last write, use."""
        assert self.namer is not None, "nothing written yet"
        return self.namer.prefixes_of(triples)


class TextPlaces:
    """Where a write put each subject's text, in the order of the document: by graph
    (TriG's named graphs; Turtle's one union), the subjects, the first byte of each
    text and the byte after it, and the references counted to each subject when the
    subjects were ordered (its key: see ``_CachedNames.orderSubjects``); and, for each
    graph, its name as written (TriG's, before ``{``) and where its subjects begin in
    the lists. ``usable`` is false where some subject was not written as one text of
    its own triples (a blank node), or the order was not by key alone (a top class):
    the places then say nothing to rely on (see ``graph.rdfsplice``)."""

    def __init__(self) -> None:
        self.graphs: list[Node] = []
        self.labels: list[str] = []
        self.firsts: list[int] = []  # where each graph's subjects begin in ``subjects``
        self.subjects: list[Node] = []
        self.starts = array("q")
        self.ends = array("q")
        self.keys = array("q")
        self.usable = True
        self._keys: dict[Node, dict[Node, int]] = {}  # by graph, by subject

    def ordered(self, graph: Node, keys: dict[Node, int]) -> None:
        """The subjects of ``graph`` were ordered by ``keys``."""
        self._keys[graph] = keys

    def enter(self, graph: Node, label: str) -> None:
        self.graphs.append(graph)
        self.labels.append(label)
        self.firsts.append(len(self.subjects))

    def add(self, subject: Node, start: int, end: int) -> None:
        self.subjects.append(subject)
        self.starts.append(start)
        self.ends.append(end)
        found = self._keys.get(self.graphs[-1], {}).get(subject)
        if found is None:
            self.usable = False
        else:
            self.keys.append(found)


def _encoded_size(text: str) -> int:
    """The bytes of ``text`` in UTF-8, as the writers encode it."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "replace"))


_GATHERED = 4096
"""The texts ``_CachedNames.write`` gathers before it encodes them into the stream."""


class _KeptRun:
    """Subjects that follow each other in a document, each with its text kept
    (``Reuse``): one item of the writer's order of subjects, written by one call of
    ``statement`` (rdflib writes a new line after each)."""

    __slots__ = ("subjects",)

    def __init__(self, subjects: list[Node]) -> None:
        self.subjects = subjects


class _CachedNames:
    """rdflib's ``get_pname`` and ``buildPredicateHash`` for its Turtle and TriG writers,
    answered from caches.

    Compact names come from a ``QnameCache`` of the namespace manager of the graph being
    written (TriG's named graphs share their dataset's). The written name of a term is
    kept for the rest of the document: rdflib registers the same prefix under the same
    name each time it meets a namespace, so asking again would give the same answer.

    A subject's triples are taken, when it is written, from the triples of the graph
    being written grouped by subject in one list (``graph.rdf.SubjectRuns``), made once
    per graph: not asked of the store (through a dataset's union, each such question
    cost a walk over the store's graphs), nor held subject by subject in dictionaries
    for the whole document (about 0.3 GiB at 100,000 statements).

    The texts written are gathered and encoded together (``write``), not each on its
    own, and a subject whose text is taken from an earlier write is written without
    asking anything of ``Reuse`` but its text (``statement``).
    """

    store: Graph
    LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX = (
        TurtleSerializer.LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX
    )

    def __init__(self, store: Graph, reuse: Reuse | None = None) -> None:
        self.reuse = reuse
        self._qnames: dict[int, QnameCache] = {}
        self._pnames: dict[tuple[int, int, bool], dict[Node, str | None]] = {}
        self._groups: SubjectRuns | None = None
        self._labels: dict[bool, dict[Node, str]] = {False: {}, True: {}}
        self._quiet: dict[int, _Quiet] = {}
        self._pending: list[str] = []  # written, to be encoded together
        self._kept_for: Graph | None = None  # the graph whose kept texts are ``_kept``
        self._kept: dict[Node, str] | None = None
        self._unkept: dict[int, list[Any]] = {}  # by graph, the triples ``_kept_read`` left
        self.places = None if reuse is None else reuse.places
        self._at = 0  # the bytes written, where ``places`` notes them
        super().__init__(store)  # type: ignore[call-arg]

    def write(self, text: str) -> None:
        """rdflib's ``write``: ``text`` encoded into the stream, with the texts written
        before it and after it, every ``_GATHERED`` texts and at the end of the
        document (the same bytes: each character is encoded on its own)."""
        pending = self._pending
        pending.append(text)
        if self.places is not None:
            self._at += _encoded_size(text)
        if len(pending) >= _GATHERED:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            joined = "".join(self._pending)
            self._pending.clear()
            self.stream.write(joined.encode(self.encoding, "replace"))  # type: ignore[attr-defined]

    def endDocument(self) -> None:
        """rdflib's ``endDocument``, and what ``write`` gathered written: rdflib writes
        the document's last line into the stream itself."""
        super().endDocument()  # type: ignore[misc]
        self._flush()

    def reset(self) -> None:
        """Forget the written names with the prefixes that rdflib's ``reset`` forgets."""
        self._pnames = {}
        self._groups = None
        self._labels = {False: {}, True: {}}
        self._quiet = {}
        self._pending = []
        self._kept_for = self._kept = None
        self._unkept = {}
        self._at = 0
        super().reset()  # type: ignore[misc]

    def preprocessTriple(self, triple: Any) -> None:
        """rdflib's ``preprocessTriple`` (see ``_read``)."""
        if self.base is not None:  # type: ignore[attr-defined]
            super().preprocessTriple(triple)  # type: ignore[misc]
        else:
            self._read((triple,))

    def _read(self, triples: Iterable[Any]) -> None:
        """rdflib's ``preprocessTriple`` of each triple, each term's name asked until it
        is given.

        rdflib asks for the name of every term of every triple (and of a literal's
        datatype) only for what asking does on the way: the namespace is registered,
        a prefix generated. Once a term has a name, asking again does nothing more, so
        it is not asked again; a term refused a name is asked again once a prefix has
        been bound since, which may give it one (until then, the manager's answer and
        what asking does are the same: see ``QnameCache.generation``). One loop, for
        the millions of triples of a corpus. A literal's references are not counted:
        rdflib reads the count of a subject or a blank node alone (a literal is
        neither), and a literal's hash is made in Python.
        """
        if self.base is not None:  # type: ignore[attr-defined]
            for triple in triples:
                self.preprocessTriple(triple)
            return
        references = self._references  # type: ignore[attr-defined]
        subjects = self._subjects  # type: ignore[attr-defined]
        keywords = self.keywords  # type: ignore[attr-defined]
        quiet = self._quiet_terms()
        as_object, as_verb, ask = quiet.as_object, quiet.as_verb, self._ask_name
        for triple in triples:
            subject, predicate, obj = triple
            subjects[subject] = True
            if subject not in as_object:
                ask(subject, False, quiet)
            if predicate not in as_verb and predicate not in keywords:
                ask(predicate, True, quiet)
            # a literal has no name; its datatype's is asked, without generating a prefix
            # (rdflib's _GEN_QNAME_FOR_DT), as a subject's or an object's is
            if isinstance(obj, Literal):
                term = obj.datatype
            else:
                references[obj] += 1
                term = obj
            if term is not None and term not in as_object:
                ask(term, False, quiet)
            if isinstance(predicate, BNode):
                references[predicate] += 1

    def _quiet_terms(self) -> _Quiet:
        """The terms not to ask a name for, for the namespace manager of the graph read."""
        manager = self.store.namespace_manager
        quiet = self._quiet.get(id(manager))
        if quiet is None:
            quiet = self._quiet[id(manager)] = _Quiet(set(), set(), set(), -1)
        return quiet

    def _ask_name(self, node: Node, verb: bool, quiet: _Quiet) -> None:
        """Ask for the name of ``node`` as rdflib's ``preprocessTriple`` does (a
        datatype's without generating a prefix), and note when not to ask again.

        A name given once is given in any place: as a verb, a term may have a prefix
        generated for its namespace, which names it as subject or object too. A blank
        node has no name to ask for.
        """
        if not isinstance(node, URIRef):
            quiet.name(node)
            return
        given = self.get_pname(node, gen_prefix=verb) is not None
        generation = self._qnames[id(self.store.namespace_manager)].generation
        if generation != quiet.generation:  # a prefix was bound: ask the refused again
            quiet.forget_refusals(generation)
        if given:
            quiet.name(node)
        else:
            (quiet.as_verb if verb else quiet.as_object).add(node)

    def buildPredicateHash(self, subject: Node) -> dict[Node, list[Node]]:
        """The objects of ``subject`` by predicate, in the graph being written."""
        groups = self._groups
        if groups is None or groups.graph is not self.store:
            self._groups = None  # the graph written before: let go before the next is read
            # the subjects written here are those whose texts were not kept
            unkept = self._unkept.pop(id(self.store), None)
            groups = self._groups = SubjectRuns(self.store, unkept)
        predicates = groups.predicates(subject)
        if predicates is None:  # not a subject of the graph: ask the store, as rdflib does
            return super().buildPredicateHash(subject)  # type: ignore[misc]
        return predicates

    def statement(self, subject: Node) -> bool:
        """Write ``subject`` with its predicates and objects, as rdflib's ``s_default`` does.

        The subject's text is made in one piece (``_text_of``); a blank node, as subject
        or object, is left to rdflib's own code, which writes it nested (``[ ... ]``) or
        as a list.
        """
        reuse = self.reuse
        if reuse is not None:
            if self.store is not self._kept_for:  # a graph begins
                self._kept_for = self.store
                reuse.writing(self.store.identifier)
                self._kept = reuse.kept.get(self.store.identifier)
                if self.places is not None:
                    self.places.enter(self.store.identifier, self._graph_label())
            kept = self._kept
            if type(subject) is _KeptRun and kept is not None:
                self._write_run(subject.subjects, kept)
                return True
            if kept is not None and subject in kept:
                self._serialized[subject] = True  # type: ignore[attr-defined]  # subjectDone
                self._written(subject, kept[subject])
                return True
        text = self._text_of(subject)
        if text is None:
            return self._written_otherwise(subject)
        self.subjectDone(subject)  # type: ignore[attr-defined]
        if reuse is not None and reuse.captures(subject, text):
            reuse.made.setdefault(self.store.identifier, {})[subject] = text
        self._written(subject, text)
        return True

    def _text_of(self, subject: Node) -> str | None:
        """The text of ``subject``, an IRI, with its predicates and objects, each IRI's
        written form asked once; None for a blank node, or an IRI with a blank node as
        object (rdflib writes those its own way)."""
        if type(subject) is not URIRef or self.base is not None:  # type: ignore[attr-defined]
            return None
        properties = self.buildPredicateHash(subject)
        if any(isinstance(o, BNode) for objects in properties.values() for o in objects):
            return None
        indent = self.indent  # type: ignore[attr-defined]
        label = self._label
        between = ",\n" + indent(2)
        parts = ["\n", indent(), label(subject, False)]
        for number, predicate in enumerate(self._sorted_predicates(properties)):
            verb = label(predicate, True)
            parts += [" ;\n", indent(1), verb] if number else [" ", verb]
            objects = properties[predicate]
            if len(objects) > 1:
                objects.sort()  # type: ignore[call-arg]
            for place, obj in enumerate(objects):
                parts += [between if place else " ", label(obj, False)]
        parts.append(" .")
        return "".join(parts)

    def _written(self, subject: Node, text: str) -> None:
        """Write ``text``, the whole text of ``subject``, noting where it lies."""
        start = self._at
        self.write(text)
        if self.places is not None:
            self.places.add(subject, start, self._at)

    def _graph_label(self) -> str:
        """The name of the graph being written as the document writes it (TriG's)."""
        return ""

    def _write_run(self, subjects: list[Node], kept: dict[Node, str]) -> None:
        """Write the kept texts of ``subjects`` as a statement of each would, but for
        the new line after the last, which the caller writes after every statement."""
        self._serialized.update(dict.fromkeys(subjects, True))  # type: ignore[attr-defined]
        places = self.places
        for start in range(0, len(subjects), _GATHERED):
            if start:
                self.write("\n")
            some = subjects[start : start + _GATHERED]
            texts = [kept[s] for s in some]
            if places is not None:
                at = self._at
                for subject, text in zip(some, texts, strict=True):
                    end = at + _encoded_size(text)
                    places.add(subject, at, end)
                    at = end + 1  # and the new line between
            self.write("\n".join(texts))

    def _written_otherwise(self, subject: Node) -> bool:
        """rdflib's own ``statement``, whose text is not kept."""
        if self.places is not None:
            self.places.usable = False
        return super().statement(subject)  # type: ignore[misc]

    def _kept_read(
        self, triples: Iterable[Any], kept: Collection[Node], whole: bool = False
    ) -> list[Any]:
        """For the triples of subjects in ``kept``, what ``_read`` does but naming
        nothing: their objects counted (but literals), their subjects noted. The other
        triples are returned, to be read; none where ``whole`` says that ``kept``
        holds every subject of the triples (``Reuse.whole``).

        Every subject of ``kept`` is one of the triples' (``Reuse``): each is noted,
        which marks the same subjects as noting each as its triples are met (the order
        of the subjects is made by sorting them). The objects are counted by
        ``Counter.update``'s loop in C. The triples left are those of every subject
        whose text is made: they alone are grouped by subject (``buildPredicateHash``)."""
        # the graphs made here hold no kind of literal of its own (a subclass)
        objects: list[Any]
        if whole:
            rest: list[Any] = []
            objects = [o for _, _, o in triples if type(o) is not Literal]
        else:
            triples = list(triples)
            rest = [triple for triple in triples if triple[0] not in kept]
            if len(rest) == len(triples):
                return rest
            objects = [o for s, _, o in triples if s in kept and type(o) is not Literal]
        references = self._references  # type: ignore[attr-defined]
        _count_elements(references, objects)
        self._subjects.update(dict.fromkeys(kept, True))  # type: ignore[attr-defined]
        self._unkept[id(self.store)] = rest
        return rest

    def _take_prefixes(self) -> None:
        """Register the prefixes the triples not read use, as reading them would; raise
        ``_NotPlain`` if the triples read made a name that depends on their order."""
        if not self.plain():
            raise _NotPlain
        if self.reuse is not None:
            for prefix, namespace in sorted(self.reuse.prefixes):
                self.addNamespace(prefix, URIRef(namespace))  # type: ignore[attr-defined]

    def plain(self) -> bool:
        """Whether no prefix was generated or renamed in this write (see ``Reuse``)."""
        generated = any(qnames.generation for qnames in self._qnames.values())
        return not generated and not self._ns_rewrite  # type: ignore[attr-defined]

    def prefixes_of(self, triples: Iterable[Any]) -> set[tuple[str, str]]:
        """The prefixes that reading ``triples`` registers (see ``_read``), once they
        have been read in this write: their names are then known."""
        keywords = self.keywords  # type: ignore[attr-defined]
        namespaces = self.namespaces  # type: ignore[attr-defined]
        subjects: set[Node] = set()
        verbs: set[Node] = set()
        objects: set[Node] = set()
        for subject, predicate, obj in triples:
            subjects.add(subject)
            verbs.add(predicate)
            objects.add(obj)
        # asked as rdflib asks: a subject, an object or a literal's datatype without
        # generating a prefix, a predicate (but ``a``) generating one
        named = {o.datatype if type(o) is Literal else o for o in objects} | subjects
        asked = [(term, False) for term in named]
        asked += [(term, True) for term in verbs if term not in keywords]
        found: set[tuple[str, str]] = set()
        for term, verb in asked:
            if type(term) is URIRef:
                name = self.get_pname(term, gen_prefix=verb)
                if name is not None:
                    prefix = name.split(":", 1)[0]
                    found.add((prefix, str(namespaces[prefix])))
        return found

    def _sorted_predicates(self, properties: dict[Node, list[Node]]) -> list[Node]:
        """rdflib's ``sortProperties`` but for the objects: those of ``predicateOrder``
        first, then the rest sorted; IRIs compare as their text."""
        if not all(type(predicate) is URIRef for predicate in properties):
            return self.sortProperties(properties)  # type: ignore[attr-defined]
        first = [p for p in self.predicateOrder if p in properties]  # type: ignore[attr-defined]
        rest = [predicate for predicate in properties if predicate not in first]
        rest.sort(key=str)
        return first + rest

    def orderSubjects(self) -> list[Any]:
        """rdflib's order of the subjects: the members of ``topClasses``, sorted, then the
        rest by blank node or not, references to them, and themselves.

        IRIs compare as their text, so subjects that are all IRIs are sorted by their
        references and text, without rdflib's comparisons in Python: by their text, then
        by their references, which keeps the order of those with as many (a sort of
        pairs held a tuple and a copy of the text for each subject at once). The graph is
        asked for the members of a top class only if some triple has that class as its
        object (``_references`` counts every object), which the graphs of a corpus never
        do: the question makes the store index its triples by predicate and object.
        """
        subjects = self._subjects  # type: ignore[attr-defined]
        places = self.places
        if not all(type(subject) is URIRef for subject in subjects):
            if places is not None:
                places.usable = False
            return super().orderSubjects()  # type: ignore[misc]
        ordered: list[Node] = []
        references = self._references  # type: ignore[attr-defined]
        for top in self.topClasses:  # type: ignore[attr-defined]
            if top not in references:
                continue
            members: list[Any] = list(self.store.subjects(RDF.type, top))
            members.sort()
            ordered.extend(members)
            for member in members:
                self._topLevels[member] = True  # type: ignore[attr-defined]
        seen = set(ordered)
        rest = [subject for subject in subjects if subject not in seen]
        rest.sort(key=str)
        rest.sort(key=lambda subject: references.get(subject, 0))
        if places is not None:
            if ordered:  # a top class first: not the order of the keys
                places.usable = False
            places.ordered(self.store.identifier, {s: references.get(s, 0) for s in rest})
        ordered.extend(rest)
        return self._in_runs(ordered)

    def _in_runs(self, ordered: list[Any]) -> list[Any]:
        """``ordered``, each stretch of subjects whose texts ``Reuse`` keeps for the
        graph being read made one ``_KeptRun``, which ``statement`` writes at once."""
        kept = None if self.reuse is None else self.reuse.kept.get(self.store.identifier)
        if not kept:
            return ordered
        made: list[Any] = []
        run: list[Node] = []
        for subject in ordered:
            if subject in kept:
                run.append(subject)
                continue
            if run:
                made.append(_KeptRun(run))
                run = []
            made.append(subject)
        if run:
            made.append(_KeptRun(run))
        return made

    def _label(self, node: Node, verb: bool) -> str:
        """rdflib's ``label`` of a node, kept for IRIs written by a compact name or as
        a verb. An IRI written in full (``<...>``) is labelled again at each use: most
        are the IRIs of a statement's parts, each written once as a subject and once as
        an object, and their labels would be held to the end of the document."""
        if type(node) is Literal:
            return self._literal_label(node)
        if not isinstance(node, URIRef):
            return self.label(node, VERB if verb else OBJECT)  # type: ignore[attr-defined]
        labels = self._labels[verb]
        found = labels.get(node)
        if found is None:
            found = self.label(node, VERB if verb else OBJECT)  # type: ignore[attr-defined]
            if verb or not found.startswith("<"):
                labels[node] = found
        return found

    def _literal_label(self, literal: Literal) -> str:
        """What ``label`` gives for a literal: rdflib's ``_literal_n3`` (plain numbers and
        booleans, the datatype by its compact name), without its comparisons in Python for
        a string, a string with a language, or a value of a type written in full."""
        datatype, language = literal.datatype, literal.language
        if datatype is None:
            encoded = literal._quote_encode()
            return f"{encoded}@{language}" if language else encoded
        if type(datatype) is URIRef and not language and datatype not in _SHORT_OR_SPECIAL:
            written = self.get_pname(datatype, _GEN_QNAME_FOR_DT) or f"<{datatype}>"
            return f"{literal._quote_encode()}^^{written}"
        return literal._literal_n3(use_plain=True, qname_callback=self._datatype_name)

    def _datatype_name(self, datatype: URIRef) -> str | None:
        return self.get_pname(datatype, _GEN_QNAME_FOR_DT)

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        manager = self.store.namespace_manager
        qnames = self._qnames.get(id(manager))
        if qnames is None:
            qnames = self._qnames[id(manager)] = QnameCache(manager)
        key = (id(manager), qnames.generation, gen_prefix)
        names = self._pnames.get(key)
        if names is None:
            names = self._pnames[key] = {}
        if uri in names:
            return names[uri]
        name = names[uri] = self._written_name(qnames, uri, gen_prefix)
        return name

    def _written_name(self, qnames: QnameCache, uri: URIRef, gen_prefix: bool) -> str | None:
        """rdflib's ``TurtleSerializer.get_pname`` (7.x) asking ``qnames``."""
        try:
            prefix, namespace, local = qnames.compute_qname(uri, generate=gen_prefix)
        except Exception:
            # is the IRI a namespace in itself?
            bound = self.store.store.prefix(uri)
            if bound is None:
                return None
            prefix, namespace, local = bound, uri, ""
        local = local.replace("(", r"\(").replace(")", r"\)")
        local = self.LOCALNAME_PECRENT_CHARACTER_REQUIRING_ESCAPE_REGEX.sub("\\%", local)
        if local.endswith("."):  # a prefixed name cannot end with '.'
            return None
        prefix = self.addNamespace(prefix, namespace)  # type: ignore[attr-defined]
        return f"{prefix}:{local}"


class _TurtleWriter(_CachedNames, TurtleSerializer):
    """rdflib's Turtle writer, its names cached (see ``_CachedNames``), taking the text
    of some subjects from an earlier write (``Reuse``)."""

    def preprocess(self) -> None:
        kept = None if self.reuse is None else self.reuse.kept.get(self.store.identifier)
        if not kept:
            self._read(each_triple(self.store))
            return
        self._read(self._kept_read(each_triple(self.store), kept))
        self._take_prefixes()


class _TrigWriter(_CachedNames, TrigSerializer):
    """rdflib's TriG writer, its names cached, its named graphs in the order of their names.

    rdflib takes the graphs from a set, whose order depends on the process's hash seed.
    """

    def __init__(self, store: Dataset, reuse: Reuse | None = None) -> None:
        super().__init__(store, reuse)
        self.contexts.sort(key=lambda context: str(context.identifier))

    def _graph_label(self) -> str:
        """What rdflib's ``serialize`` writes before a named graph's ``{``."""
        name = self.store.identifier
        default = self.default_context
        if isinstance(name, BNode) or (default and name == default):
            if self.places is not None:
                self.places.usable = False
            return ""
        return self.get_pname(name, False) or name.n3()

    def preprocess(self) -> None:
        """rdflib's ``TrigSerializer.preprocess``, each graph read by ``_read`` (what
        it takes from an earlier write counted, not read: see ``Reuse``)."""
        taken = False
        for context in self.contexts:
            if len(context) == 0:
                continue
            self.store = context
            self.get_pname(context.identifier, False)
            self._subjects = {}
            kept = None if self.reuse is None else self.reuse.kept.get(context.identifier)
            if kept:
                assert self.reuse is not None
                whole = context.identifier in self.reuse.whole
                self._read(self._kept_read(each_triple(context), kept, whole))
                taken = True
            else:
                self._read(each_triple(context))
            for subject in self._subjects:
                self._references[subject] += 1
            self._contexts[context] = (self.orderSubjects(), self._subjects)
        if taken:
            self._take_prefixes()


class SubjectTexts:
    """The texts the writers of ``dataset`` write of some subjects, each made from its
    triples alone, with the names a write of every triple gives them (see
    ``graph.rdfsplice``): TriG's of every subject of a graph, Turtle's of some subjects
    of the union. A method gives None where a text would not be the same in a write of
    every triple: a prefix made up (``ns1``), or a blank node."""

    def __init__(self, dataset: Dataset) -> None:
        self._trig = _TrigWriter(dataset)

    def label(self, graph: Graph) -> str | None:
        """The name of ``graph`` as TriG writes it before its ``{``; None where it is
        not a name of its own."""
        writer = self._trig
        writer.store = graph
        label = writer._graph_label()
        return label or None

    def namespaces(self) -> dict[str, str]:
        """The prefixes the texts and labels made so far use, with their namespaces."""
        return {prefix: str(namespace) for prefix, namespace in self._trig.namespaces.items()}

    def prefixes(self, graph: Graph) -> set[tuple[str, str]] | None:
        """The prefixes the triples of ``graph`` use, as a write of them registers them."""
        writer = self._trig
        writer.store = graph
        found = writer.prefixes_of(each_triple(graph))
        return found if writer.plain() else None

    def trig_texts(self, graph: Graph) -> dict[Node, str] | None:
        """TriG's text of each subject of ``graph``."""
        writer = self._trig
        writer.store = graph
        writer.depth = 1
        runs = writer._groups = SubjectRuns(graph)  # the writer's, made once
        texts = {}
        for subject in runs.subjects():
            text = writer._text_of(subject)
            if text is None:
                return None
            texts[subject] = text
        writer.depth = 0
        return texts if writer.plain() else None

    def turtle_texts(
        self, union: Graph, triples: list[Any], subjects: Collection[Node]
    ) -> dict[Node, str] | None:
        """Turtle's text of each of ``subjects`` of ``union``, of which ``triples`` are
        every triple."""
        writer = _TurtleWriter(union)
        writer._unkept[id(union)] = triples
        texts = {}
        for subject in subjects:
            text = writer._text_of(subject)
            if text is None:
                return None
            texts[subject] = text
        return texts if writer.plain() else None


def turtle(graph: Graph) -> bytes:
    """``graph`` as UTF-8 Turtle, the bytes of ``graph.serialize(format="turtle")``."""
    stream = io.BytesIO()
    write_turtle(graph, stream)
    return stream.getvalue()


def trig(dataset: Dataset) -> bytes:
    """``dataset`` as UTF-8 TriG, the bytes of rdflib's TriG writer with its named graphs
    sorted by name."""
    stream = io.BytesIO()
    write_trig(dataset, stream)
    return stream.getvalue()


def write_turtle(graph: Graph, stream: IO[bytes], reuse: Reuse | None = None) -> None:
    """Write the bytes of ``turtle(graph)`` into ``stream``, a subject at a time; with
    ``reuse``, some subjects' text taken from an earlier write (see ``Reuse``)."""
    _write(_TurtleWriter, graph, stream, reuse)


def write_trig(dataset: Dataset, stream: IO[bytes], reuse: Reuse | None = None) -> None:
    """Write the bytes of ``trig(dataset)`` into ``stream``, a subject at a time; with
    ``reuse``, as ``write_turtle``."""
    _write(_TrigWriter, dataset, stream, reuse)


def _write(kind: Any, graph: Graph, stream: IO[bytes], reuse: Reuse | None) -> None:
    """Write ``graph`` with the writer ``kind``; the texts of ``reuse`` are taken only
    where the write is plain (see ``Reuse``), and written again otherwise."""
    writer = kind(graph, reuse)
    if reuse is not None:
        reuse.namer = writer
    plain = True
    try:
        writer.serialize(stream, encoding="utf-8")
    except _NotPlain:  # raised before anything is written
        assert reuse is not None
        # the prefix made is bound now: the write in full is not plain, though it makes none
        plain = False
        reuse.kept.clear()
        reuse.made.clear()
        reuse.done = None  # nothing of it is kept
        writer = reuse.namer = kind(graph, reuse)
        writer.serialize(stream, encoding="utf-8")
    if reuse is not None:
        reuse.plain = plain and writer.plain()
        reuse.writing(None)


class _NotPlain(Exception):
    """A write taking texts from an earlier one generated or renamed a prefix."""
