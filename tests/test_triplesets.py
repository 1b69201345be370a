"""graph.triplesets holds and answers what rdflib's Memory store holds and answers."""

import pytest
from hypothesis import given, settings, strategies as st
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from graph.rdf import build_dataset, by_subject, looks_up_in_triple_order, union_graph, union_view
from graph.triplesets import TripleSets

_TERMS = [URIRef(f"urn:t:{n}") for n in range(4)] + [BNode("b0"), Literal("x"), Literal(1)]
_IRIS = [*_TERMS[:4], _TERMS[4]]
_NAMES = [URIRef("urn:g:a"), URIRef("urn:g:b"), BNode("urn:g:a")]  # a blank node named alike

_triples = st.tuples(st.sampled_from(_IRIS), st.sampled_from(_TERMS[:4]), st.sampled_from(_TERMS))
_patterns = st.tuples(
    st.none() | st.sampled_from(_IRIS),
    st.none() | st.sampled_from(_TERMS[:4]),
    st.none() | st.sampled_from(_TERMS),
)
_steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "drop"]), _triples | _patterns, st.sampled_from(_NAMES)
    ),
    max_size=30,
)


def _state(dataset: Dataset, pattern):
    """What rdflib answers of ``dataset``, in a form that does not depend on order."""
    union = union_view(dataset)
    return {
        "quads": sorted(map(repr, dataset.quads((*pattern, None)))),
        "union": sorted(map(repr, union.triples(pattern))),
        "union length": len(union),
        "graphs": {
            repr(graph.identifier): (len(graph), sorted(map(repr, graph.triples(pattern))))
            for graph in dataset.graphs()
        },
        "contexts of": {
            repr(triple): sorted(repr(c.identifier) for c in dataset.contexts(triple))
            for triple in union
        },
        "holds": [triple in union for triple in (_TERMS[:3], (_TERMS[0], _TERMS[0], _TERMS[0]))],
    }


@settings(max_examples=300, deadline=None)
@given(_steps, _patterns)
def test_any_changes_leave_what_the_memory_store_leaves(steps, pattern):
    datasets = [Dataset(store=Memory()), Dataset(store=TripleSets())]
    for dataset in datasets:
        for name in _NAMES:
            dataset.graph(name)
        _apply(steps, dataset)
    memory, sets = (_state(dataset, pattern) for dataset in datasets)
    assert sets == memory


def _apply(steps, dataset: Dataset) -> None:
    for step, triple, name in steps:
        graph = dataset.graph(name)
        if step == "add" and None not in triple:
            graph.add(triple)
        elif step == "remove":
            graph.remove(triple)
        elif step == "drop":  # from every graph
            union_view(dataset)  # read first: the indexes are made, then changed
            list(dataset.triples(triple))
            dataset.remove(triple)


@settings(max_examples=200, deadline=None)
@given(_steps)
def test_the_union_looks_up_objects_in_the_order_of_its_triples(steps):
    dataset = Dataset(store=TripleSets())
    _apply(steps, dataset)
    union = union_view(dataset)
    assert looks_up_in_triple_order(union)
    described = by_subject(union)
    for subject, values in described.items():
        grouped = {}
        for predicate, obj in union.predicate_objects(subject):
            grouped.setdefault(predicate, []).append(obj)
        assert grouped == values
        for predicate, objects in values.items():
            assert list(union.objects(subject, predicate)) == objects


def test_a_memory_graph_or_a_named_graph_is_not_said_to_look_up_in_triple_order(seed_corpus):
    dataset = build_dataset(seed_corpus)
    assert looks_up_in_triple_order(union_view(dataset))
    assert not looks_up_in_triple_order(union_graph(dataset))
    assert not looks_up_in_triple_order(next(iter(dataset.graphs())))


def test_a_corpus_dataset_is_held_in_sets_with_the_triples_rdflib_would_hold(seed_corpus):
    dataset = build_dataset(seed_corpus)
    assert isinstance(dataset.store, TripleSets)
    copy = Dataset(store=Memory())
    for s, p, o, g in dataset.quads((None, None, None, None)):
        copy.graph(g).add((s, p, o))
    assert sorted(dataset.quads((None, None, None, None))) == sorted(
        copy.quads((None, None, None, None))
    )
    assert len(union_view(dataset)) == len(union_view(copy))
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?type } }"
    assert list(dataset.query(query)) == list(copy.query(query))


def test_prefixes_are_bound_as_the_memory_store_binds_them():
    stores = [Memory(), TripleSets()]
    for store in stores:
        store.bind("a", URIRef("urn:one:"))
        store.bind("b", URIRef("urn:one:"))  # a new prefix for a bound namespace
        store.bind("c", URIRef("urn:two:"), override=False)
        store.bind("c", URIRef("urn:three:"), override=False)  # a bound prefix kept
    memory, sets = stores
    assert sorted(sets.namespaces()) == sorted(memory.namespaces())
    assert sets.prefix(URIRef("urn:two:")) == memory.prefix(URIRef("urn:two:")) == "c"
    assert sets.namespace("b") == memory.namespace("b")


def test_a_formula_or_a_triple_of_no_graph_is_refused():
    store = TripleSets()
    triple = (_TERMS[0], _TERMS[1], _TERMS[2])
    with pytest.raises(TypeError, match="formulas"):
        store.add(triple, Graph(identifier=_NAMES[0]), quoted=True)
    with pytest.raises(TypeError, match="context"):
        store.add(triple, None)


def test_triples_removed_while_they_are_read_are_given_as_the_memory_store_gives_them():
    read = []
    for store in (Memory(), TripleSets()):
        dataset = Dataset(store=store)
        graph = dataset.graph(_NAMES[0])
        for n in range(3):
            graph.add((_TERMS[n], _TERMS[0], _TERMS[3]))
        seen = []
        for triple in graph.triples((None, _TERMS[0], None)):
            seen.append(triple)
            graph.remove((None, _TERMS[0], None))  # all of them, at the first
        for triple in union_view(dataset):
            graph.remove(triple)
        read.append((len(seen), len(graph), len(union_view(dataset))))
    assert read[1] == read[0] == (3, 0, 0)  # the triples as they were when asked
