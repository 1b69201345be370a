"""The store that holds a corpus's dataset: each named graph as a set of triples.

rdflib's ``Memory`` store indexes every triple three ways when it is added and keeps,
for each, the graphs that hold it: about 1.5 KB and 35 µs a triple, most of a large
build's memory and a third of its time before any output is made. A corpus's dataset is
made once and then read whole: each source's graph by the shapes, the union by the
writers. ``TripleSets`` keeps each graph as a set of triples and the union as the
triples with the graphs that hold each, and makes an index (by subject, predicate or
object) only when a look-up first needs it, so a process that only reads graphs whole
never pays for one. It holds the same triples as ``Memory`` and answers rdflib's store
interface as it does (triples, quads, contexts, lengths, removal, SPARQL through
rdflib's engine); a change drops the indexes, to be made again when needed.

Formulas (quoted graphs of Notation 3) are not held: this store is for datasets.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from typing import Any

from rdflib import Graph
from rdflib.store import Store
from rdflib.term import Node, URIRef

__all__ = ["TripleSets"]

_Triple = tuple[Node, Node, Node]
_Pattern = tuple[Node | None, Node | None, Node | None]
_KEYS: dict[tuple[int, ...], Any] = {
    (0,): lambda triple: (triple[0],),
    (1,): lambda triple: (triple[1],),
    (2,): lambda triple: (triple[2],),
    (0, 1): lambda triple: (triple[0], triple[1]),
    (0, 2): lambda triple: (triple[0], triple[2]),
    (1, 2): lambda triple: (triple[1], triple[2]),
}
"""The key of a triple in the index of each set of bound positions."""


class TripleSets(Store):
    """An in-memory, graph-aware rdflib store of sets of triples (see the module)."""

    context_aware = True
    formula_aware = False
    graph_aware = True
    transaction_aware = False

    def __init__(self, configuration: Any = None, identifier: Any = None) -> None:
        super().__init__(configuration)
        self.identifier = identifier
        self._graphs: dict[Node, set[_Triple]] = {}  # a graph's name -> its triples
        self._named: dict[Node, Graph] = {}  # a graph's name -> the graph given for it
        self._holders: dict[_Triple, Node | frozenset[Node]] = {}  # the union
        self._several: dict[_Triple, None] = {}  # the triples several graphs hold
        self._indexes: dict[tuple[int, ...], dict[tuple[Node, ...], list[_Triple]]] = {}
        self._namespaces: dict[str, URIRef] = {}
        self._prefixes: dict[URIRef, str] = {}
        # the graphs built in part (see graph.rdf.build_dataset), by name
        self.partial: frozenset[str] = frozenset()

    # changes ---------------------------------------------------------------------------

    def add(self, triple: _Triple, context: Graph | None, quoted: bool = False) -> None:
        if quoted:
            raise TypeError("TripleSets holds no formulas (quoted graphs)")
        if context is None:
            raise TypeError("TripleSets adds a triple to a graph: give its context")
        self.add_many((triple,), context)

    def add_many(self, triples: Iterable[_Triple], context: Graph) -> None:
        """Add ``triples`` to ``context``: what ``add`` does for each, in one call."""
        name = context.identifier
        held = self._graphs.get(name)
        if held is None:
            held = self._graphs[name] = set()
            self._named[name] = context
        holders = self._holders
        added = False
        for triple in triples:
            # each question hashes the triple again, a literal's hash in Python: asked
            # twice where most triples are new, not four times
            size = len(held)
            held.add(triple)
            if len(held) == size:
                continue
            added = True
            found = holders.setdefault(triple, name)
            if found is name:  # held by no other graph
                continue
            if isinstance(found, frozenset):
                holders[triple] = found | {name}
            else:
                holders[triple] = frozenset((found, name))
                self._several[triple] = None
        if added:
            self._indexes = {}

    def addN(self, quads: Iterable[tuple[Node, Node, Node, Graph]]) -> None:
        for subject, predicate, obj, context in quads:
            self.add((subject, predicate, obj), context)

    def remove(self, triple: _Pattern, context: Graph | None = None) -> None:
        """Remove the triples that match ``triple`` from ``context``, or from every graph."""
        name = None if context is None else context.identifier
        found = [triple for triple, _ in self.triples(triple, context)]
        for each in found:
            holders = self._holders[each]
            names = holders if isinstance(holders, frozenset) else frozenset((holders,))
            removed = names if name is None else names & {name}
            for held_in in removed:
                self._graphs[held_in].discard(each)
            left = names - removed
            if len(left) < 2:
                self._several.pop(each, None)
            if not left:
                del self._holders[each]
            else:
                self._holders[each] = next(iter(left)) if len(left) == 1 else left
        if found:
            self._indexes = {}

    def add_graph(self, graph: Graph) -> None:
        self._graphs.setdefault(graph.identifier, set())
        self._named[graph.identifier] = graph

    def remove_graph(self, graph: Graph) -> None:
        self.remove((None, None, None), graph)
        self._graphs.pop(graph.identifier, None)
        self._named.pop(graph.identifier, None)

    # reading ---------------------------------------------------------------------------

    def graph_triples(self, context: Graph | None) -> Iterator[_Triple]:
        """Every triple of ``context`` (of the union for None), once each, as a copy: the
        store may change while they are read."""
        if context is None:
            return iter(list(self._holders))
        return iter(list(self._graphs.get(context.identifier, ())))

    def held_by_several(self) -> Iterator[tuple[_Triple, int]]:
        """Each triple that several graphs hold, with how many hold it."""
        holders = self._holders
        for triple in self._several:
            yield triple, len(holders[triple])  # type: ignore[arg-type]

    def triples(
        self, triple_pattern: _Pattern, context: Graph | None = None
    ) -> Generator[tuple[_Triple, Iterator[Graph]], None, None]:
        subject, predicate, obj = triple_pattern
        name = None if context is None else context.identifier
        if name is not None and name not in self._graphs:
            return
        if subject is not None and predicate is not None and obj is not None:
            triple = (subject, predicate, obj)
            if triple in self._holders and self._held_in(triple, name):
                yield triple, self._contexts(triple)
            return
        if subject is None and predicate is None and obj is None:
            found: Iterable[_Triple] = self.graph_triples(context)
        else:
            bound = tuple(n for n, term in enumerate(triple_pattern) if term is not None)
            key = tuple(term for term in triple_pattern if term is not None)
            indexed = self._index(bound).get(key, ())
            if name is None:
                found = list(indexed)
            else:
                found = [t for t in indexed if self._held_in(t, name)]
        for triple in found:  # as they were when asked: as rdflib's memory store gives them
            yield triple, self._contexts(triple)

    def __len__(self, context: Graph | None = None) -> int:
        if context is None:
            return len(self._holders)
        return len(self._graphs.get(context.identifier, ()))

    def contexts(self, triple: _Triple | None = None) -> Generator[Graph, None, None]:
        if triple is None or triple == (None, None, None):
            yield from list(self._named.values())
            return
        if triple in self._holders:
            yield from self._contexts(triple)

    def _held_in(self, triple: _Triple, name: Node | None) -> bool:
        if name is None:
            return True
        holders = self._holders[triple]
        return name in holders if isinstance(holders, frozenset) else holders == name

    def _contexts(self, triple: _Triple) -> Iterator[Graph]:
        holders = self._holders.get(triple)
        if holders is None:  # removed since it was found
            return iter(())
        names = holders if isinstance(holders, frozenset) else (holders,)
        return iter([self._named[name] for name in names])

    def _index(self, positions: tuple[int, ...]) -> dict[tuple[Node, ...], list[_Triple]]:
        """The triples of the union by their terms at ``positions``, made when first asked."""
        index = self._indexes.get(positions)
        if index is None:
            index = {}
            get = index.get
            keys = _KEYS[positions]
            for triple in self._holders:
                key = keys(triple)
                found = get(key)
                if found is None:
                    index[key] = [triple]
                else:
                    found.append(triple)
            self._indexes[positions] = index
        return index

    # prefixes --------------------------------------------------------------------------

    def bind(self, prefix: str, namespace: URIRef, override: bool = True) -> None:
        # as rdflib's Memory binds
        bound_namespace = self._namespaces.get(prefix)
        bound_prefix = self._prefixes.get(namespace)
        if bound_prefix is None and bound_namespace is not None:
            bound_prefix = self._prefixes.get(bound_namespace)
        if override:
            if bound_prefix is not None:
                del self._namespaces[bound_prefix]
            if bound_namespace is not None:
                del self._prefixes[bound_namespace]
            self._prefixes[namespace] = prefix
            self._namespaces[prefix] = namespace
        else:
            kept_namespace = namespace if bound_namespace is None else bound_namespace
            kept_prefix = prefix if bound_prefix is None else bound_prefix
            self._prefixes[kept_namespace] = kept_prefix
            self._namespaces[kept_prefix] = kept_namespace

    def namespace(self, prefix: str) -> URIRef | None:
        return self._namespaces.get(prefix)

    def prefix(self, namespace: URIRef) -> str | None:
        return self._prefixes.get(namespace)

    def namespaces(self) -> Iterator[tuple[str, URIRef]]:
        yield from list(self._namespaces.items())
