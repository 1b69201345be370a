"""A SHACL engine for the forms of SHACL that the project's shapes use, fast at corpus size.

``compile_shapes`` reads a shapes graph into checks written in Python, run over an index
of the data graph (its triples by subject and by predicate) with the ontology beside it,
as pyshacl would run them over the data with the ontology mixed in. SHACL-SPARQL
constraints run on an Oxigraph store, once for each focus node, as pyshacl runs them.
The top-level violations are those pyshacl gives (``tests/test_shacl.py`` breaks a graph
in every form the shapes check and compares the two), in about a fifteenth of the time.

A shapes graph that uses a form this engine does not read (another constraint, a
severity, a path other than a predicate, a sequence of predicates or an inverse
predicate, a shape without its own message) raises ``Unsupported``, and the caller
runs pyshacl instead: the engine is never the reason a shape goes unchecked.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD

__all__ = [
    "CompiledShapes",
    "Unsupported",
    "compile_shapes",
    "ntriples_line",
    "ntriples_term",
    "oxigraph_quad",
    "oxigraph_term",
]

Node = Any
Check = Callable[["_Run", Node, Sequence[Node]], list[Node | None]]
"""A constraint: the failures for one focus node and its value nodes (None: no value)."""

_NO_MESSAGE = "violates a shape"
_TYPE, _SUBCLASS_OF = RDF.type, RDFS.subClassOf
# what a shape may say besides its constraints
_DESCRIPTIVE = frozenset({RDF.type, RDFS.comment, RDFS.label, SH.message, SH.name,
                          SH.description, SH.order, SH.group, SH.targetClass,
                          SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.path,
                          SH.property, SH.sparql, SH.declare, SH.prefixes})  # fmt: skip
_SHAPE_TYPES = frozenset({SH.NodeShape, SH.PropertyShape})
_KINDS = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}
_VALUE_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class Unsupported(ValueError):
    """The shapes use a form of SHACL that this engine does not read."""


# --- the data: a graph's triples with the ontology's beside them


class Data:
    """The triples of a data graph, by subject and by predicate, read over a base (the
    ontology) as if the two were one graph."""

    def __init__(self, triples: Iterable[tuple[Node, Node, Node]], base: Data | None = None):
        self.base = base
        self.spo: dict[Node, dict[Node, list[Node]]] = {}
        self.by_predicate: dict[Node, list[tuple[Node, Node]]] = {}
        spo, by_predicate = self.spo, self.by_predicate
        for subject, predicate, obj in triples:
            predicates = spo.get(subject)
            if predicates is None:
                predicates = spo[subject] = {}
            objects = predicates.get(predicate)
            if objects is None:
                predicates[predicate] = [obj]
            else:
                objects.append(obj)
            pairs = by_predicate.get(predicate)
            if pairs is None:
                by_predicate[predicate] = [(subject, obj)]
            else:
                pairs.append((subject, obj))
        self._inverse: dict[Node, dict[Node, list[Node]]] = {}

    def objects(self, subject: Node, predicate: Node) -> Sequence[Node]:
        found = self.spo.get(subject, {}).get(predicate, ())
        if self.base is not None and subject in self.base.spo:
            more = self.base.objects(subject, predicate)
            if more:
                return list(dict.fromkeys([*found, *more]))
        return found

    def subjects(self, predicate: Node, obj: Node) -> Sequence[Node]:
        inverse = self._inverse.get(predicate)
        if inverse is None:
            inverse = self._inverse[predicate] = {}
            for subject, value in self.pairs(predicate):
                inverse.setdefault(value, []).append(subject)
        return inverse.get(obj, ())

    def pairs(self, predicate: Node) -> Sequence[tuple[Node, Node]]:
        found = self.by_predicate.get(predicate, [])
        if self.base is not None and predicate in self.base.by_predicate:
            return list(dict.fromkeys([*found, *self.base.pairs(predicate)]))
        return found


class _Run:
    """One validation of one data graph: the data and what was found out about it."""

    def __init__(self, data: Data) -> None:
        self.data = data
        self.superclasses: dict[Node, frozenset[Node]] = {}
        self.classes: dict[Node, frozenset[Node]] = {}
        self.conformance: dict[tuple[int, Node], bool] = {}

    def classes_of(self, node: Node) -> frozenset[Node]:
        """The classes of ``node``: its types and all their superclasses."""
        known = self.classes.get(node)
        if known is None:
            found: set[Node] = set()
            for kind in self.data.objects(node, _TYPE):
                found |= self._superclasses(kind)
            known = self.classes[node] = frozenset(found)
        return known

    def _superclasses(self, kind: Node) -> frozenset[Node]:
        known = self.superclasses.get(kind)
        if known is None:
            seen = {kind}
            todo = [kind]
            while todo:
                for parent in self.data.objects(todo.pop(), _SUBCLASS_OF):
                    if parent not in seen:
                        seen.add(parent)
                        todo.append(parent)
            known = self.superclasses[kind] = frozenset(seen)
        return known

    def instances(self, kind: Node) -> list[Node]:
        """The nodes of type ``kind`` or of one of its subclasses."""
        kinds = [kind]
        seen = {kind}
        index = 0
        while index < len(kinds):  # breadth first, as long as new subclasses turn up
            for sub in self.data.subjects(_SUBCLASS_OF, kinds[index]):
                if sub not in seen:
                    seen.add(sub)
                    kinds.append(sub)
            index += 1
        found: dict[Node, None] = {}
        for each in kinds:
            found.update(dict.fromkeys(self.data.subjects(_TYPE, each)))
        return list(found)


# --- the shapes


@dataclass
class _Sparql:
    """A SPARQL-based constraint: its SELECT query (prefixes applied) and its messages."""

    query: str
    messages: tuple[str, ...]


@dataclass(eq=False)
class _Shape:
    node: Node
    message: str | None = None
    path: Node | None = None  # None for a node shape
    follow: Callable[[_Run, Node], Sequence[Node]] | None = None
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    sparql: list[_Sparql] = field(default_factory=list)
    targets: list[tuple[Node, Node]] = field(default_factory=list)

    def values(self, run: _Run, focus: Node) -> Sequence[Node]:
        return (focus,) if self.follow is None else self.follow(run, focus)

    def conforms(self, run: _Run, node: Node) -> bool:
        """Whether ``node`` conforms to this shape (its targets aside)."""
        key = (id(self), node)
        known = run.conformance.get(key)
        if known is None:
            if self.sparql:
                raise Unsupported(f"{self.node}: a SPARQL constraint in a nested shape")
            values = self.values(run, node)
            known = not any(check(run, node, values) for check in self.checks) and all(
                prop.conforms(run, value) for value in values for prop in self.properties
            )
            run.conformance[key] = known
        return known

    def results(self, run: _Run, focus: Node, out: list[tuple[Node, _Shape, Node | None]]) -> None:
        """Add the failures of ``focus`` to ``out``: (focus, shape, value node or None)."""
        values = self.values(run, focus)
        for check in self.checks:
            for value in check(run, focus, values):
                out.append((focus, self, value))
        for prop in self.properties:
            for value in values:
                prop.results(run, value, out)


class CompiledShapes:
    """The shapes of a shapes graph, ready to validate data graphs."""

    def __init__(self, shapes: Graph, ontology: Graph) -> None:
        self.graph = shapes
        self.ontology = Data(ontology)
        self.ontology_ntriples = "".join(map(ntriples_line, ontology))
        self._compiled: dict[Node, _Shape] = {}
        self._compiling: set[Node] = set()
        targets = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
        roots = sorted({s for t in targets for s in shapes.subjects(t, None)}, key=str)
        if any(
            (s, RDF.type, RDFS.Class) in shapes for s in shapes.subjects(RDF.type, SH.NodeShape)
        ):
            raise Unsupported("a shape that is also a class (implicit class target)")
        self.roots = [self._shape(root) for root in roots]
        reporting = list(self.roots)
        while reporting:  # the shapes whose results are reported need their own message
            shape = reporting.pop()
            if (shape.checks or shape.sparql) and shape.message is None:
                raise Unsupported(f"{shape.node}: a shape without sh:message")
            reporting += shape.properties

    # -- validation

    def violations(self, triples: Iterable[tuple[Node, Node, Node]]) -> set[tuple]:
        """The top-level violations of a graph: (focus, message, path, value), as strings."""
        return self._validated([triples], None)[0]

    def validate_many(
        self,
        graphs: Sequence[Iterable[tuple[Node, Node, Node]]],
        ntriples: Sequence[str] | None = None,
    ) -> list[set]:
        """The violations of each graph of ``graphs``, each validated on its own.

        ``ntriples``, when given, holds each graph as N-Triples (``ntriples_line``), which
        the SPARQL-based constraints read; a graph must otherwise be iterable twice.
        """
        return self._validated(graphs, ntriples)

    def _validated(
        self,
        graphs: Sequence[Iterable[tuple[Node, Node, Node]]],
        ntriples: Sequence[str] | None,
    ) -> list[set]:
        found: list[set] = []
        focus_of_sparql: list[list[tuple[_Shape, Node]]] = []
        for triples in graphs:
            run = _Run(Data(triples, self.ontology))
            violations: set[tuple] = set()
            sparql: list[tuple[_Shape, Node]] = []
            for shape in self.roots:
                failures: list[tuple[Node, _Shape, Node | None]] = []
                for focus in self._focus_nodes(run, shape):
                    shape.results(run, focus, failures)
                    if shape.sparql:
                        sparql.append((shape, focus))
                violations.update(_violation(*failure) for failure in failures)
            found.append(violations)
            focus_of_sparql.append(sparql)
        if any(focus_of_sparql):
            texts = ntriples or ["".join(map(ntriples_line, triples)) for triples in graphs]
            self._run_sparql(graphs, texts, focus_of_sparql, found)
        return found

    def _focus_nodes(self, run: _Run, shape: _Shape) -> list[Node]:
        nodes: dict[Node, None] = {}
        for kind, target in shape.targets:
            if kind == SH.targetClass:
                nodes.update(dict.fromkeys(run.instances(target)))
            elif kind == SH.targetSubjectsOf:
                nodes.update(dict.fromkeys(s for s, _ in run.data.pairs(target)))
            elif kind == SH.targetObjectsOf:
                nodes.update(dict.fromkeys(o for _, o in run.data.pairs(target)))
            else:
                nodes[target] = None
        return list(nodes)

    def _run_sparql(
        self,
        graphs: Sequence[Iterable[tuple[Node, Node, Node]]],
        texts: Sequence[str],
        focus: list[list[tuple[_Shape, Node]]],
        found: list[set],
    ) -> None:
        """Run the SPARQL constraints over each graph (as N-Triples) with the ontology.

        The graphs share one Oxigraph store, each in a named graph of its own; a query
        reads one of them and the ontology as its default graph, with ``$this`` bound.
        """
        store = pyoxigraph.Store()
        ontology = pyoxigraph.NamedNode("urn:apg:validation:ontology")
        store.load(self.ontology_ntriples.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES,
                   to_graph=ontology)  # fmt: skip
        for index, (text, pending, violations) in enumerate(zip(texts, focus, found, strict=True)):
            if not pending:
                continue
            part = pyoxigraph.NamedNode(f"urn:apg:validation:graph:{index}")
            try:
                store.load(text.encode(), format=pyoxigraph.RdfFormat.N_TRIPLES, to_graph=part)
            except SyntaxError:  # an IRI N-Triples cannot write: the terms one by one
                store.remove_graph(part)
                store.bulk_extend(oxigraph_quad(triple, part) for triple in graphs[index])
            for shape, node in pending:
                for constraint in shape.sparql:
                    for row in _select(store, constraint.query, node, [part, ontology]):
                        violations.add(_sparql_violation(shape, constraint, node, row))

    # -- compiling

    def _shape(self, node: Node) -> _Shape:
        known = self._compiled.get(node)
        if known is not None:
            return known
        if node in self._compiling:
            raise Unsupported(f"{node}: a shape that refers to itself")
        self._compiling.add(node)
        g = self.graph
        shape = _Shape(node)
        messages = [m for m in g.objects(node, SH.message)]
        if len(messages) > 1:
            raise Unsupported(f"{node}: more than one sh:message")
        shape.message = str(messages[0]) if messages else None
        path = g.value(node, SH.path)
        if path is not None:
            shape.path, shape.follow = path, self._path(path)
        for kind in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            shape.targets += [(kind, target) for target in g.objects(node, kind)]
        predicates = set(g.predicates(node))
        for predicate in sorted(predicates - _DESCRIPTIVE, key=str):
            if predicate in (SH.qualifiedMinCount, SH.qualifiedMaxCount):
                continue
            shape.checks += self._checks(node, predicate)
        for prop in sorted(g.objects(node, SH.property), key=str):
            shape.properties.append(self._shape(prop))
        for constraint in sorted(g.objects(node, SH.sparql), key=str):
            shape.sparql.append(self._sparql(node, constraint))
        if shape.sparql and shape.path is not None:
            raise Unsupported(f"{node}: a SPARQL constraint in a property shape")
        self._compiling.discard(node)
        self._compiled[node] = shape
        return shape

    def _path(self, path: Node) -> Callable[[_Run, Node], Sequence[Node]]:
        g = self.graph
        if isinstance(path, URIRef):
            return lambda run, focus: run.data.objects(focus, path)
        inverse = g.value(path, SH.inversePath)
        if isinstance(path, BNode) and isinstance(inverse, URIRef):
            return lambda run, focus: run.data.subjects(inverse, focus)
        if isinstance(path, BNode) and (path, RDF.first, None) in g:
            steps = list(Collection(g, path))
            if all(isinstance(step, URIRef) for step in steps):

                def follow(run: _Run, focus: Node) -> Sequence[Node]:
                    nodes = [focus]
                    for step in steps:
                        reached: dict[Node, None] = {}
                        for each in nodes:
                            reached.update(dict.fromkeys(run.data.objects(each, step)))
                        nodes = list(reached)
                    return nodes

                return follow
        raise Unsupported(f"{path}: a path other than a predicate, a sequence or an inverse")

    def _list(self, node: Node) -> list[Node]:
        return list(Collection(self.graph, node))

    def _checks(self, node: Node, predicate: Node) -> list[Check]:
        g = self.graph
        params = list(g.objects(node, predicate))
        if predicate == SH.qualifiedValueShape:
            return [self._qualified(node, params)]
        make = _MAKERS.get(predicate)
        if make is None:
            raise Unsupported(f"{node}: {predicate} is not read by this engine")
        return [make(self, node, param) for param in params]

    def _qualified(self, node: Node, params: list[Node]) -> Check:
        g = self.graph
        if len(params) != 1 or g.value(node, SH.qualifiedValueShapesDisjoint) is not None:
            raise Unsupported(f"{node}: a qualified value shape of a form not read")
        inner = self._shape(params[0])
        low = g.value(node, SH.qualifiedMinCount)
        high = g.value(node, SH.qualifiedMaxCount)
        low_n = None if low is None else int(low)
        high_n = None if high is None else int(high)

        def check(run: _Run, focus: Node, values: Sequence[Node]) -> list[Node | None]:
            count = sum(1 for value in values if inner.conforms(run, value))
            low = low_n is not None and count < low_n
            return [None] if low or (high_n is not None and count > high_n) else []

        return check

    def _sparql(self, node: Node, constraint: Node) -> _Sparql:
        g = self.graph
        allowed = {RDF.type, SH.message, SH.prefixes, SH.select}
        if set(g.predicates(constraint)) - allowed or g.value(constraint, SH.select) is None:
            raise Unsupported(f"{node}: a SPARQL constraint of a form not read")
        prefixes = []
        for owner in g.objects(constraint, SH.prefixes):
            for declaration in g.objects(owner, SH.declare):
                prefix, namespace = (
                    g.value(declaration, SH.prefix),
                    g.value(declaration, SH.namespace),
                )
                prefixes.append(f"PREFIX {prefix}: <{namespace}>\n")
        query = "".join(sorted(set(prefixes))) + str(g.value(constraint, SH.select))
        messages = tuple(str(m) for m in g.objects(constraint, SH.message))
        return _Sparql(query, messages)


# --- the constraints, each as pyshacl evaluates it


def _per_value(test: Callable[[_Run, Node, Node], bool]) -> Check:
    def check(run: _Run, focus: Node, values: Sequence[Node]) -> list[Node | None]:
        return [value for value in values if not test(run, focus, value)]

    return check


def _class(engine: CompiledShapes, node: Node, kind: Node) -> Check:
    return _per_value(
        lambda run, focus, value: not isinstance(value, Literal) and kind in run.classes_of(value)
    )


def _datatype(engine: CompiledShapes, node: Node, datatype: Node) -> Check:
    any_literal = datatype == RDFS.Literal
    any_typed = datatype == RDFS.Datatype
    plain_string = datatype == XSD.string
    lang_string = datatype == RDF.langString
    expected = _VALUE_TYPES.get(datatype)

    def actual(value: Literal) -> bool:
        return expected is None or isinstance(value.value, expected)

    def matches(run: _Run, focus: Node, value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        if value.datatype == datatype:
            return getattr(value, "ill_typed", None) is not True and actual(value)
        if any_literal or (any_typed and value.datatype):
            return True
        if value.datatype is None and value.language is None and plain_string:
            return actual(value)
        if lang_string and value.language:
            return actual(value)
        return False

    return _per_value(matches)


def _node_kind(engine: CompiledShapes, node: Node, kind: Node) -> Check:
    types = _KINDS.get(kind)
    if types is None:
        raise Unsupported(f"{node}: node kind {kind}")
    return _per_value(lambda run, focus, value: isinstance(value, types))


def _text(value: Node) -> str:
    """The string of a value node as pyshacl reads it for lengths and patterns."""
    if not isinstance(value, Literal) or value.value is None:
        return str(value)
    return str(value.value) if value.datatype in (None, RDF.langString, XSD.string) else str(value)


def _min_length(engine: CompiledShapes, node: Node, limit: Node) -> Check:
    least = limit.value
    return _per_value(
        lambda run, focus, value: (
            least == 0 or (not isinstance(value, BNode) and len(_text(value)) >= least)
        )
    )


def _max_length(engine: CompiledShapes, node: Node, limit: Node) -> Check:
    most = limit.value
    return _per_value(
        lambda run, focus, value: not isinstance(value, BNode) and len(_text(value)) <= most
    )


def _pattern(engine: CompiledShapes, node: Node, pattern: Node) -> Check:
    flags = 0
    for given in engine.graph.objects(node, SH.flags):
        flags |= (re.I if "i" in str(given) else 0) | (re.M if "m" in str(given) else 0)
    source = (
        str(pattern.value) if pattern.value is not None and len(pattern.value) > 1 else str(pattern)
    )
    matcher = re.compile(source, flags)
    return _per_value(
        lambda run, focus, value: (
            not isinstance(value, BNode) and matcher.search(_text(value)) is not None
        )
    )


def _in(engine: CompiledShapes, node: Node, members: Node) -> Check:
    allowed = set(engine._list(members))
    return _per_value(lambda run, focus, value: value in allowed)


def _has_value(engine: CompiledShapes, node: Node, wanted: Node) -> Check:
    def check(run: _Run, focus: Node, values: Sequence[Node]) -> list[Node | None]:
        return [] if any(value == wanted for value in values) else [None]

    return check


def _count(engine: CompiledShapes, node: Node, limit: Node, at_least: bool) -> Check:
    bound = int(limit)

    def check(run: _Run, focus: Node, values: Sequence[Node]) -> list[Node | None]:
        return [None] if ((len(values) < bound) if at_least else (len(values) > bound)) else []

    return check


def _shape_check(
    engine: CompiledShapes, param: Node, many: bool, passes: Callable[[list[bool]], bool]
) -> Check:
    shapes = [engine._shape(each) for each in (engine._list(param) if many else [param])]
    return _per_value(
        lambda run, focus, value: passes([shape.conforms(run, value) for shape in shapes])
    )


def _compare(
    engine: CompiledShapes, node: Node, bound: Node, accept: Callable[[int], bool]
) -> Check:
    from pyshacl.rdfutil.compare import compare_literal  # the comparison pyshacl makes

    bound_is_text = isinstance(bound.value, str)

    def test(run: _Run, focus: Node, value: Node) -> bool:
        if not isinstance(value, Literal):
            return False
        if isinstance(value.value, str) != bound_is_text:
            return False
        try:
            return accept(compare_literal(value, bound))
        except (TypeError, NotImplementedError):
            return False

    return _per_value(test)


def _less_than(engine: CompiledShapes, node: Node, other: Node) -> Check:
    if not isinstance(other, URIRef):
        raise Unsupported(f"{node}: sh:lessThan of a form not read")

    def plain(term: Node) -> tuple[bool, Any]:
        if isinstance(term, BNode):
            raise Unsupported("sh:lessThan over a blank node")
        if isinstance(term, URIRef):
            return True, str(term)
        if isinstance(term, Literal) and isinstance(term.value, str):
            return True, term.value
        return False, term

    def check(run: _Run, focus: Node, values: Sequence[Node]) -> list[Node | None]:
        others = run.data.objects(focus, other)
        failed: list[Node | None] = []
        for value in values:
            value_is_text, left = plain(value)
            for each in others:
                other_is_text, right = plain(each)
                if value_is_text != other_is_text or not left < right:
                    failed.append(value)
        return failed

    return check


_MAKERS: dict[Node, Callable[[CompiledShapes, Node, Node], Check]] = {
    SH["class"]: _class,
    SH.datatype: _datatype,
    SH.nodeKind: _node_kind,
    SH.minLength: _min_length,
    SH.maxLength: _max_length,
    SH.pattern: _pattern,
    SH.flags: lambda engine, node, flags: lambda run, focus, values: [],
    SH["in"]: _in,
    SH.hasValue: _has_value,
    SH.minCount: lambda engine, node, limit: _count(engine, node, limit, at_least=True),
    SH.maxCount: lambda engine, node, limit: _count(engine, node, limit, at_least=False),
    SH.node: lambda engine, node, param: _shape_check(engine, param, False, all),
    SH["not"]: lambda engine, node, param: _shape_check(engine, param, False, lambda r: not r[0]),
    SH["and"]: lambda engine, node, param: _shape_check(engine, param, True, all),
    SH["or"]: lambda engine, node, param: _shape_check(engine, param, True, any),
    SH.xone: lambda engine, node, param: _shape_check(engine, param, True, lambda r: sum(r) == 1),
    SH.minInclusive: lambda engine, node, b: _compare(engine, node, b, lambda c: c >= 0),
    SH.maxInclusive: lambda engine, node, b: _compare(engine, node, b, lambda c: c <= 0),
    SH.minExclusive: lambda engine, node, b: _compare(engine, node, b, lambda c: c > 0),
    SH.maxExclusive: lambda engine, node, b: _compare(engine, node, b, lambda c: c < 0),
    SH.lessThan: _less_than,
}


# --- results


def _violation(focus: Node, shape: _Shape, value: Node | None) -> tuple:
    if value is None and shape.path is None:
        value = focus  # a node shape's value node is its focus node
    return (
        str(focus),
        shape.message or _NO_MESSAGE,
        None if shape.path is None else str(shape.path),
        None if value is None else str(value),
    )


def _select(
    store: pyoxigraph.Store, query: str, focus: Node, graphs: list[Any]
) -> Iterator[dict[str, Node]]:
    """The distinct solutions of a SPARQL constraint with ``$this`` bound to ``focus``,
    over the union of ``graphs``."""
    solutions = store.query(
        query,
        substitutions={pyoxigraph.Variable("this"): oxigraph_term(focus)},
        default_graph=graphs,
    )
    assert isinstance(solutions, pyoxigraph.QuerySolutions)
    names = [variable.value for variable in solutions.variables]
    seen = set()
    for row in solutions:
        bound = {name: _rdflib(row[name]) for name in names if row[name] is not None}
        key = tuple(sorted(bound.items()))
        if key not in seen:
            seen.add(key)
            yield bound


def _sparql_violation(shape: _Shape, constraint: _Sparql, focus: Node, row: dict) -> tuple:
    row = dict(row)
    if row.pop("failure", None) is not None:
        this, path, value = focus, None, focus
    else:
        this = row.pop("this", None) or focus
        path, value = row.pop("path", None), row.pop("value", None)
        if value is None:
            value = focus
    named = {"this": this, "path": path, "value": value, **row}
    messages = list(constraint.messages) or ([shape.message] if shape.message else [])
    message = messages[0] if messages else _NO_MESSAGE
    for name, term in named.items():
        if term is not None:
            message = re.sub("{[?$]" + name + "}", str(term), message)
    return str(this), message, None if path is None else str(path), str(value)


def oxigraph_term(term: Node) -> Any:
    """The Oxigraph term of an rdflib term."""
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        datatype = term.datatype
        return pyoxigraph.Literal(
            str(term), datatype=None if datatype is None else pyoxigraph.NamedNode(str(datatype))
        )
    raise TypeError(f"not an RDF term: {term!r}")


def oxigraph_quad(
    triple: tuple[Node, Node, Node], graph: pyoxigraph.NamedNode | None = None
) -> pyoxigraph.Quad:
    """The Oxigraph quad of an rdflib triple, in ``graph`` (by default the default graph)."""
    subject, predicate, obj = triple
    return pyoxigraph.Quad(oxigraph_term(subject), oxigraph_term(predicate),
                           oxigraph_term(obj), graph)  # fmt: skip


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def ntriples_term(term: Node) -> str:
    """``term`` as N-Triples writes it."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    text = f'"{str(term).translate(_ESCAPES)}"'
    if term.language:
        return f"{text}@{term.language}"
    return text if term.datatype is None else f"{text}^^<{term.datatype}>"


def ntriples_line(triple: tuple[Node, Node, Node]) -> str:
    """``triple`` as one line of N-Triples."""
    subject, predicate, obj = triple
    return f"{ntriples_term(subject)} {ntriples_term(predicate)} {ntriples_term(obj)} .\n"


def _rdflib(term: Any) -> Node:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def compile_shapes(shapes: Graph, ontology: Graph) -> CompiledShapes:
    """The shapes of ``shapes`` compiled; raises ``Unsupported`` for a form not read."""
    return CompiledShapes(shapes, ontology)
