"""Build the RDF graph of a corpus: entities, sources, statements and their evidence."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from itertools import accumulate
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any, cast

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.paths import Path as PropertyPath
from rdflib.plugins.stores.memory import Memory
from rdflib.term import Node

from .corpus import Corpus, Entity, Source, Statement, record_bytes
from .hashing import parts_digest
from .namespaces import (
    APG,
    DCTERMS,
    ENT,
    OA,
    OWL,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SKOS,
    SRC,
    WD,
    XSD,
    bind_prefixes,
)
from .ontology import vocabulary
from .triplesets import TripleSets

__all__ = [
    "BuiltInPart",
    "SubjectRuns",
    "build_dataset",
    "build_graph",
    "built_in_part",
    "by_subject",
    "confidence_literal",
    "each_triple",
    "entity_iri",
    "graph_inputs",
    "graph_sizes",
    "held_graphs",
    "looks_up_in_triple_order",
    "partial_graphs",
    "source_iri",
    "statement_iri",
    "union_graph",
    "union_size",
    "union_view",
    "when_datatype",
    "whole_graph",
]

MODALITY_CONCEPTS = {
    "asserted": APG.Asserted,
    "reported": APG.Reported,
    "alleged": APG.Alleged,
    "implicit": APG.Implicit,
    "speculative": APG.Speculative,
}
_WHEN_DATATYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}


@lru_cache(maxsize=1 << 16)
def entity_iri(entity_id: str) -> URIRef:
    """Return the IRI of an entity id (the same term each time: a corpus names each
    entity and source in many statements, and rdflib makes each IRI in Python)."""
    return ENT[entity_id]


@lru_cache(maxsize=1 << 12)
def source_iri(source_id: str) -> URIRef:
    """Return the IRI of a source id (also the name of its graph in TriG)."""
    return SRC[source_id]


def statement_iri(source_id: str, statement_id: str) -> URIRef:
    """Return the IRI of a statement; statement ids are unique within their source."""
    return SRC[f"{source_id}/statement/{statement_id}"]


def when_datatype(when: str) -> URIRef:
    """The datatype of a statement's ``when`` (a year, a month or a day), by its length.

    >>> when_datatype("2017-06").n3()
    '<http://www.w3.org/2001/XMLSchema#gYearMonth>'
    """
    return _WHEN_DATATYPES[len(when)]


def confidence_literal(confidence: float) -> Literal:
    """The ``xsd:decimal`` of a confidence, rounded half up to two places.

    >>> confidence_literal(0.125).n3()
    '"0.13"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    >>> str(confidence_literal(1))
    '1.00'
    """
    # through str() so that 0.115 rounds as written, not as its binary approximation
    rounded = Decimal(str(confidence)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Literal(rounded, datatype=XSD.decimal)


def build_dataset(corpus: Corpus, *, partial: Collection[str] = ()) -> Dataset:
    """Build one named graph per source, named by the source IRI.

    Each graph holds the source's description, the entities it declares, its statements
    with their evidence, and the plain ``subject relation object`` triples they state.

    The graphs named in ``partial`` (their IRIs) are built in part: each holds only its
    triples whose subject is an entity (the descriptions of the entities it declares and
    the plain triples of its statements), in the order a whole build adds them. Those
    are the only triples another graph may hold too, or whose subject another graph
    describes: the source, its statements and their evidence are IRIs of the source's
    own, named by no other graph. A build whose outputs are made from those of the build
    before reads no more of a graph that did not change (see ``graph.pipeline``);
    ``partial_graphs`` names such graphs, which nothing may read as whole.
    """
    store = TripleSets()
    dataset = Dataset(store=store)
    bind_prefixes(dataset)
    terms: dict[Node, Node] = {}
    literals: dict[tuple[type, object, URIRef | None], Literal] = {}
    entities: dict[str, list[Entity]] = {}
    for entity in corpus.entities.values():
        for source_id in set(entity.sources):
            entities.setdefault(source_id, []).append(entity)
    statements: dict[str, list[Statement]] = {}
    for statement in corpus.statements:
        statements.setdefault(statement.source, []).append(statement)
    made_in_part: set[str] = set()
    for source in corpus.sources:
        name = source_iri(source.id)
        whole = str(name) not in partial
        graph = _Interning(dataset, name, terms, literals)
        if whole:
            _add_source(graph, source)
        else:
            made_in_part.add(str(name))
        for entity in entities.get(source.id, ()):
            _add_entity(graph, entity, source)
        for statement in statements.get(source.id, ()):
            if whole:
                _add_statement(graph, statement, source)
            else:
                graph.add(_stated(statement))
        graph.close()
    store.partial = frozenset(made_in_part)
    return dataset


def partial_graphs(dataset: Dataset) -> frozenset[str]:
    """The names of the graphs of ``dataset`` that ``build_dataset`` built in part (none
    for any other dataset)."""
    return cast(frozenset[str], getattr(dataset.store, "partial", frozenset()))


def graph_sizes(dataset: Dataset, whole: Mapping[str, int]) -> dict[str, int] | None:
    """How many triples each named graph of ``dataset`` holds, whole: the graphs built
    in part as ``whole`` says (None where it does not), the others as counted."""
    partial = partial_graphs(dataset)
    sizes = {}
    for graph in dataset.graphs():
        name = str(graph.identifier)
        if name in partial:
            if name not in whole:
                return None
            sizes[name] = whole[name]
        elif len(graph):
            sizes[name] = len(graph)
    return sizes


def union_size(dataset: Dataset, sizes: Mapping[str, int]) -> int:
    """How many triples the union of ``dataset`` holds once every graph is whole, each
    graph built in part holding ``sizes`` (by name: ``graph_sizes``). The triples such a
    graph leaves out are its own (see ``build_dataset``), each one more in the union."""
    union = len(dataset.store)
    for name in partial_graphs(dataset):
        union += sizes[name] - len(dataset.graph(URIRef(name)))
    return union


class BuiltInPart(RuntimeError):
    """A graph built in part (see ``build_dataset``) was about to be read as whole."""


def held_graphs(dataset: Dataset) -> list[Graph]:
    """The graphs of ``dataset`` that hold triples, by name: a graph built in part among
    them, which whole holds triples though maybe none of those built."""
    partial = partial_graphs(dataset)
    return sorted(
        (graph for graph in dataset.graphs() if len(graph) or str(graph.identifier) in partial),
        key=lambda graph: str(graph.identifier),
    )


def built_in_part(graph: Graph) -> bool:
    """Whether ``graph`` is a named graph that ``build_dataset`` built in part."""
    return str(graph.identifier) in getattr(graph.store, "partial", ())


def whole_graph(graph: Graph) -> Graph:
    """``graph``, once known not to be a graph built in part; raises ``BuiltInPart``
    for one that is: its digest, its checks or its text would be those of another
    graph."""
    if built_in_part(graph):
        raise BuiltInPart(f"the graph {graph.identifier} was built in part")
    return graph


def graph_inputs(corpus: Corpus) -> dict[str, str]:
    """For each graph ``build_dataset`` makes of ``corpus`` (by its name), the SHA-256
    of the records it is made of: the source, the entities it declares (as merged, in
    the order of their ids), its statements (``record_bytes``). The same records make
    the same triples (with the same code), so a graph whose records a build before saw
    has the digest that build found (``ValidationCache.known_digests``), and need not
    be read to know it. A source's
    files (where they are, and their bytes as read) are not among its records: the
    same data folder named otherwise (a relative path, a link), moved, or a comment
    edited in an annotation file, makes the same records.
    """
    declared: dict[str, list[Entity]] = {}
    # in the order of their ids, whatever the corpus's order (``load_corpus``'s is theirs)
    for entity in sorted(corpus.entities.values(), key=attrgetter("id")):
        for source_id in set(entity.sources):
            declared.setdefault(source_id, []).append(entity)
    stated: dict[str, list[Statement]] = {}
    for statement in corpus.statements:
        stated.setdefault(statement.source, []).append(statement)
    found = {}
    for source in corpus.sources:
        described = repr(replace(source, annotation_path=_NOWHERE, text_path=_NOWHERE, digest=""))
        found[str(source_iri(source.id))] = parts_digest(
            (
                described.encode("utf-8", "surrogatepass"),
                record_bytes(declared.get(source.id, ()), Entity),
                record_bytes(stated.get(source.id, ()), Statement),
            )
        )
    return found


_NOWHERE = Path()  # a source's files, left out of its records


class _Interning:
    """Gathers the triples of the graph ``name`` of ``dataset`` with one object for each
    IRI, whichever graph holds it, and adds them to the store at ``close``.

    An IRI named by a thousand triples is then held once, and the store's sets find a
    term by identity where they would otherwise compare two equal objects' text. The
    triples go straight to the store (the terms are the builder's own, so the checks of
    ``Graph.add`` have nothing to find), and a literal of few values (a date, an offset,
    a boolean) is made once (``literal``); other literals (labels, quotes), mostly
    each of one triple, are left as made: rdflib makes a literal's hash in Python, and
    looking each up cost a tenth of building the dataset.
    """

    def __init__(
        self,
        dataset: Dataset,
        name: URIRef,
        terms: dict[Node, Node],
        literals: dict[tuple[type, object, URIRef | None], Literal],
    ) -> None:
        self._graph = dataset.graph(name)
        self._store = cast(TripleSets, dataset.store)
        self._terms = terms
        self._literals = literals
        self._triples: list[tuple[Node, Node, Node]] = []

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        one = self._terms.setdefault
        subject, predicate, obj = triple
        if type(obj) is not Literal:  # a literal's hash is made in Python: left as made
            obj = one(obj, obj)
        self._triples.append((one(subject, subject), one(predicate, predicate), obj))

    def close(self) -> None:
        """Add the triples gathered to the graph."""
        self._store.add_many(self._triples, self._graph)
        self._triples = []

    def literal(self, value: object, datatype: URIRef | None = None) -> Literal:
        """``Literal(value, datatype=datatype)``, made once for each value."""
        key = (type(value), value, datatype)
        found = self._literals.get(key)
        if found is None:
            found = self._literals[key] = Literal(value, datatype=datatype)
        return found


def union_graph(dataset: Dataset) -> Graph:
    """Merge the named graphs of a dataset into one graph with the project's prefixes."""
    graph = Graph()
    bind_prefixes(graph)
    for subject, predicate, obj, _ in dataset.quads((None, None, None, None)):
        graph.add((subject, predicate, obj))
    return graph


class UnionView(Graph):
    """The union of a dataset's graphs, read from the dataset's own store, never copied.

    A triple that several graphs hold is seen once. The view is read-only: it changes
    with the dataset and cannot be changed itself.
    """

    def __init__(self, dataset: Dataset) -> None:
        super().__init__(store=dataset.store, namespace_manager=dataset.namespace_manager)

    def triples(self, triple: Any) -> Iterator[Any]:  # type: ignore[override]
        subject, predicate, obj = triple
        if isinstance(predicate, PropertyPath):
            for subject_, object_ in predicate.eval(self, subject, obj):
                yield subject_, predicate, object_
            return
        # the store's triples of no context are those of all its graphs, each once
        for found, _ in self.store.triples((subject, predicate, obj), context=None):
            yield found

    def __len__(self) -> int:
        return self.store.__len__(context=None)  # type: ignore[call-arg]

    def add(self, triple: Any) -> UnionView:
        raise TypeError("the union of a dataset's graphs is read-only; add to a named graph")

    def addN(self, quads: Any) -> UnionView:
        raise TypeError("the union of a dataset's graphs is read-only; add to a named graph")

    def remove(self, triple: Any) -> UnionView:
        raise TypeError("the union of a dataset's graphs is read-only; remove from a named graph")


def each_triple(graph: Graph) -> Iterator[tuple[Node, Node, Node]]:
    """The triples of ``graph``, as ``iter(graph)`` gives them.

    For a named graph of the store ``build_dataset`` makes (``graph.triplesets``) or of
    rdflib's memory store, or the union of them all (``union_view``), the triples are
    read from the store's set of each graph's triples: iterating the graph itself works
    out, for every triple, the graphs that hold it, which its callers here never ask
    for, and a pass over the graph of a corpus of 30,000 statements then costs about 2 s
    instead of 0.1 s. Any other graph is iterated as usual. The memory store's set is
    private to rdflib (7.x, as pinned); should it be renamed, its graphs are iterated as
    usual.
    """
    store = graph.store
    if type(graph) is UnionView:
        context = None  # the union of the store's graphs
    elif type(graph) is Graph:
        context = graph
    else:
        return iter(graph)
    if type(store) is TripleSets:
        return store.graph_triples(context)
    index = getattr(store, "_Memory__contextTriples", None) if type(store) is Memory else None
    if index is None:
        return iter(graph)
    name = None if context is None else f"{type(graph.identifier).__name__}:{graph.identifier}"
    return iter(index[name].copy() if name in index else ())  # copied as rdflib does


def by_subject(graph: Graph) -> dict[Node, dict[Node, list[Node]]]:
    """The objects of each predicate of each subject of ``graph``, read in one pass
    (``each_triple``): subjects, their predicates and each predicate's objects in the
    order of the graph's triples.

    Asking the graph for every subject's values instead costs a look-up each.
    """
    runs = SubjectRuns(graph)
    return {subject: _by_predicate(runs.run(subject)) for subject in runs.subjects()}


class SubjectRuns:
    """The triples of ``graph`` (``each_triple``) in one list, grouped by subject: each
    subject's triples are a run of the list, in the order the graph gives them.

    A list of the triples, a number for each subject and where its run begins: about a
    fifth of the memory of ``by_subject``'s dictionary of each subject's predicates and
    objects, for a writer that takes one subject's triples at a time. With ``triples``,
    the runs are those of these triples of the graph alone (every triple of each of
    their subjects, for a writer that writes only those subjects).
    """

    def __init__(self, graph: Graph, triples: Iterable[tuple[Node, Node, Node]] | None = None):
        self.graph = graph
        triples = list(each_triple(graph) if triples is None else triples)
        sizes = Counter(map(itemgetter(0), triples))  # by subject, in the order first met
        number = {subject: place for place, subject in enumerate(sizes)}
        triples.sort(key=lambda triple: number[triple[0]])  # stable: each run in order
        self._starts = list(accumulate(sizes.values(), initial=0))
        self._number = number
        self._triples = triples

    def __len__(self) -> int:
        return len(self._number)

    def subjects(self) -> Iterable[Node]:
        """Every subject, in the order the graph first gives each."""
        return self._number.keys()

    def triples(self) -> list[tuple[Node, Node, Node]]:
        """Every triple of the graph, each subject's together."""
        return self._triples

    def run(self, subject: Node) -> list[tuple[Node, Node, Node]]:
        """The triples of ``subject``, in the graph's order (none if it is no subject)."""
        place = self._number.get(subject)
        if place is None:
            return []
        return self._triples[self._starts[place] : self._starts[place + 1]]

    def predicates(self, subject: Node) -> dict[Node, list[Node]] | None:
        """The objects of ``subject`` by predicate, each in the graph's order; None when
        it is the subject of no triple."""
        if subject not in self._number:
            return None
        return _by_predicate(self.run(subject))


def _by_predicate(triples: Iterable[tuple[Node, Node, Node]]) -> dict[Node, list[Node]]:
    """The objects of ``triples`` (one subject's) by predicate, in their order."""
    properties: dict[Node, list[Node]] = {}
    for _, predicate, obj in triples:
        objects = properties.get(predicate)
        if objects is None:
            properties[predicate] = [obj]
        else:
            objects.append(obj)
    return properties


def looks_up_in_triple_order(graph: Graph) -> bool:
    """Whether ``graph`` gives the objects of a subject (``graph.objects(s, p)``,
    ``graph.predicate_objects(s)``) in the order ``each_triple`` gives its triples, so
    that ``by_subject(graph)`` holds each predicate's objects as a look-up would give
    them.

    True of the union of the store ``build_dataset`` makes (``union_view``): its look-ups
    and its triples both follow the order the triples were added in (see
    ``graph.triplesets``). Not of rdflib's memory store, whose indexes are sets.
    """
    return type(graph) is UnionView and type(graph.store) is TripleSets


def union_view(dataset: Dataset) -> Graph:
    """The union of the named graphs of ``dataset`` as a read-only graph over its store.

    It holds the same triples as ``union_graph`` without a second copy of them, and
    follows later changes to the dataset.
    """
    return UnionView(dataset)


def build_graph(corpus: Corpus) -> Graph:
    """Build the whole corpus as one graph (the union of the per-source graphs)."""
    return union_graph(build_dataset(corpus))


def _add_source(graph: _Interning, source: Source) -> None:
    node = source_iri(source.id)
    graph.add((node, RDF.type, APG.Source))
    graph.add((node, DCTERMS.title, _plain(source.title)))
    graph.add((node, DCTERMS.date, Literal(source.date.isoformat(), datatype=XSD.date)))
    graph.add((node, SCHEMA.url, Literal(source.url, datatype=XSD.anyURI)))
    for author in source.authors:
        graph.add((node, DCTERMS.creator, _plain(author)))
    optional = (
        (DCTERMS.publisher, source.site, None),
        (DCTERMS.language, source.language, None),
        (APG.originalPublisher, source.publisher, None),
        (APG.originalTitle, source.original_title, None),
        (APG.originalUrl, source.original_url, XSD.anyURI),
    )
    for predicate, value, datatype in optional:
        if value is not None:
            graph.add((node, predicate, Literal(value, datatype=datatype)))
    graph.add((node, APG.text, _plain(source.text)))
    digest = hashlib.sha256(source.text.encode("utf-8")).hexdigest()
    graph.add((node, APG.textSha256, _plain(digest)))


def _add_entity(graph: _Interning, entity: Entity, source: Source) -> None:
    node = entity_iri(entity.id)
    graph.add((node, _A, vocabulary().entity_types[entity.type]))
    graph.add((node, _LABEL, _plain(entity.label)))
    for alias in entity.aliases:
        graph.add((node, _ALT_LABEL, _plain(alias)))
    if entity.description:
        graph.add((node, _COMMENT, _plain(entity.description)))
    if entity.wikidata:
        graph.add((node, _SAME_AS, WD[entity.wikidata]))
    if entity.iso3166:
        graph.add((node, _ISO3166, _plain(entity.iso3166)))
    graph.add((node, _DERIVED_FROM, source_iri(source.id)))


def _stated(statement: Statement) -> tuple[URIRef, URIRef, URIRef]:
    """The plain ``subject relation object`` triple of ``statement``."""
    relation = vocabulary().relations[statement.relation]
    return entity_iri(statement.subject), relation, entity_iri(statement.object)


def _add_statement(graph: _Interning, statement: Statement, source: Source) -> None:
    node = statement_iri(source.id, statement.id)
    stated = subject, predicate, obj = _stated(statement)
    graph.add(stated)

    graph.add((node, _A, _STATEMENT))
    graph.add((node, _SUBJECT, subject))
    graph.add((node, _PREDICATE, predicate))
    graph.add((node, _OBJECT, obj))
    graph.add((node, _DERIVED_FROM, source_iri(source.id)))
    graph.add((node, _MODALITY, MODALITY_CONCEPTS[statement.modality]))
    graph.add((node, _HEDGED, graph.literal(statement.hedged)))
    graph.add((node, _QUOTE, _plain(statement.quote)))
    date = statement.when or source.date.isoformat()
    graph.add((node, _DATE, graph.literal(date, when_datatype(date))))
    if statement.when:
        when = statement.when
        graph.add((node, _WHEN, graph.literal(when, when_datatype(when))))
    qualifiers = (
        (_ABOUT, statement.about),
        (_WHERE, statement.where),
        (_CLAIMED_BY, statement.claimed_by),
    )
    for predicate_, entity_id in qualifiers:
        if entity_id:
            graph.add((node, predicate_, entity_iri(entity_id)))
    if statement.role:
        graph.add((node, _ROLE, _plain(statement.role)))
    if statement.former is not None:
        graph.add((node, _FORMER, graph.literal(statement.former)))
    if statement.note:
        graph.add((node, _NOTE, _plain(statement.note)))
    if statement.reviewed is not None:
        graph.add((node, _REVIEWED, graph.literal(statement.reviewed)))
    if statement.confidence is not None:
        graph.add((node, _CONFIDENCE, confidence_literal(statement.confidence)))
    _add_evidence(graph, node, statement, source)


def _add_evidence(graph: _Interning, node: URIRef, statement: Statement, source: Source) -> None:
    """Describe the quote with Web Annotation selectors, under IRIs (not blank nodes) so
    that serialisations are byte-stable."""
    evidence = statement.evidence
    target = _beneath(node, "/evidence")
    quote_selector = _beneath(node, "/quote-selector")
    position_selector = _beneath(node, "/position-selector")
    graph.add((node, _EVIDENCE, target))
    graph.add((target, _A, _SPECIFIC_RESOURCE))
    graph.add((target, _HAS_SOURCE, source_iri(source.id)))
    graph.add((target, _HAS_SELECTOR, quote_selector))
    graph.add((target, _HAS_SELECTOR, position_selector))
    graph.add((quote_selector, _A, _QUOTE_SELECTOR))
    graph.add((quote_selector, _EXACT, _plain(evidence.exact)))
    graph.add((quote_selector, _PREFIX, _plain(evidence.prefix)))
    graph.add((quote_selector, _SUFFIX, _plain(evidence.suffix)))
    graph.add((position_selector, _A, _POSITION_SELECTOR))
    graph.add((position_selector, _START, graph.literal(evidence.start, _NON_NEGATIVE)))
    graph.add((position_selector, _END, graph.literal(evidence.end, _NON_NEGATIVE)))


def _plain(text: str) -> Literal:
    """``Literal(text)`` for a string: a literal of no language and no datatype, made
    without the conversions rdflib's constructor tries on its way (about a tenth of
    building the dataset); the tests compare the two on strings of every kind. Anything
    but a string (a record made in Python, not read) is rdflib's to convert."""
    if type(text) is not str:
        return Literal(text)
    literal = str.__new__(Literal, text)
    literal._language = None  # the constructor's own slots, as it sets them for a string
    literal._datatype = None
    literal._value = text
    literal._ill_typed = None
    return literal


def _beneath(node: URIRef, path: str) -> URIRef:
    """``URIRef(node + path)``: an IRI beneath one checked already, not checked again."""
    return str.__new__(URIRef, node + path)


# the terms the builder names for every statement, made once (a namespace makes a new
# IRI each time one is asked for)
_A, _LABEL, _ALT_LABEL, _COMMENT = RDF.type, RDFS.label, SKOS.altLabel, RDFS.comment
_SAME_AS, _ISO3166, _DERIVED_FROM = OWL.sameAs, APG.iso3166, PROV.wasDerivedFrom
_STATEMENT, _SUBJECT, _PREDICATE, _OBJECT = APG.Statement, RDF.subject, RDF.predicate, RDF.object
_MODALITY, _HEDGED, _QUOTE = APG.modality, APG.hedged, APG.quote
_DATE, _WHEN = DCTERMS.date, APG.when
_ABOUT, _WHERE, _CLAIMED_BY, _ROLE = APG.about, APG.where, APG.claimedBy, APG.role
_FORMER, _NOTE, _REVIEWED, _CONFIDENCE = APG.former, SKOS.note, APG.reviewed, APG.confidence
_EVIDENCE, _SPECIFIC_RESOURCE, _HAS_SOURCE = APG.evidence, OA.SpecificResource, OA.hasSource
_HAS_SELECTOR, _QUOTE_SELECTOR, _EXACT = OA.hasSelector, OA.TextQuoteSelector, OA.exact
_PREFIX, _SUFFIX, _POSITION_SELECTOR = OA.prefix, OA.suffix, OA.TextPositionSelector
_START, _END, _NON_NEGATIVE = OA.start, OA.end, XSD.nonNegativeInteger
