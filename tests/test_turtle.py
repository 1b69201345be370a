"""graph.turtle writes rdflib's own Turtle and TriG bytes, its compact names cached."""

import io

import pytest
from hypothesis import given, settings, strategies as st
from rdflib import Graph, URIRef
from rdflib.plugins.serializers.trig import TrigSerializer

from graph.annotations import load_corpus
from graph.iris import PREFIX_IRIS
from graph.namespaces import bind_prefixes
from graph.rdf import build_dataset, union_graph, union_view
from graph.triplesets import TripleSets
from graph.turtle import QnameCache, trig, turtle


class _PlainSortedTrig(TrigSerializer):
    """rdflib's TriG writer as graph.export used it before: named graphs sorted, no cache."""

    def __init__(self, store):
        super().__init__(store)
        self.contexts.sort(key=lambda context: str(context.identifier))


def _rdflib_trig(dataset):
    stream = io.BytesIO()
    _PlainSortedTrig(dataset).serialize(stream, encoding="utf-8")
    return stream.getvalue()


def test_the_seed_s_turtle_and_trig_are_rdflib_s_bytes(seed_data):
    # a fresh dataset: rdflib's writer changes its namespace manager, which is written after
    dataset = build_dataset(load_corpus(seed_data))
    graph = union_graph(dataset)
    written_turtle, written_trig = turtle(graph), trig(dataset)
    assert written_turtle == graph.serialize(format="turtle", encoding="utf-8")
    assert written_trig == _rdflib_trig(dataset)
    assert b"\nsrc:un-gge-talks-collapse-2017 {" in written_trig


def test_a_corpus_of_several_sources_is_written_as_rdflib_writes_it(synthetic_dataset):
    graph = union_graph(synthetic_dataset)
    written_turtle, written_trig = turtle(graph), trig(synthetic_dataset)
    assert written_turtle == graph.serialize(format="turtle", encoding="utf-8")
    assert written_trig == _rdflib_trig(synthetic_dataset)
    assert written_trig.count(b" {\n") == 3
    # statement IRIs are written in full, as rdflib writes them
    assert b"<https://w3id.org/actor-position-graph/source/a/statement/s0>" in written_turtle


def test_a_prefix_rdflib_generates_is_generated_here_too():
    graph = Graph()
    bind_prefixes(graph)
    graph.add(
        (
            URIRef("http://example.org/a"),
            URIRef("http://example.org/terms/p"),
            URIRef("http://example.org/b"),
        )
    )
    written = turtle(graph)
    assert b"@prefix ns1: <http://example.org/terms/> ." in written
    assert b"<http://example.org/a> ns1:p <http://example.org/b> ." in written
    other = Graph()
    bind_prefixes(other)
    other += graph
    assert written == other.serialize(format="turtle", encoding="utf-8")


_BASES = [*PREFIX_IRIS.values(), "http://example.org/", "http://example.org/a#", "urn:x:", "urn:"]
_IRIS = st.builds(
    lambda base, tail: base + tail,
    st.sampled_from(_BASES),
    # mostly valid IRIs, some that rdflib refuses (a space, '<')
    st.text(alphabet="ab9_-.%()/#:é", max_size=8) | st.sampled_from(["a b", "<a>"]),
)


def _answer(compute, uri, generate):
    try:
        return compute(uri, generate)
    except (KeyError, ValueError) as error:
        return type(error).__name__


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_IRIS, st.booleans()), max_size=25))
def test_the_cache_answers_as_rdflib_s_namespace_manager(calls):
    theirs, ours = Graph(), Graph()
    for graph in (theirs, ours):
        bind_prefixes(graph)
        graph.bind("x", "urn:x:")
    cache = QnameCache(ours.namespace_manager)
    for uri, generate in calls:
        expected = _answer(theirs.namespace_manager.compute_qname, uri, generate)
        assert _answer(cache.compute_qname, uri, generate) == expected, (uri, generate)
    assert sorted(ours.namespaces()) == sorted(theirs.namespaces())


def test_blank_nodes_lists_and_several_objects_are_written_as_rdflib_writes_them():
    from rdflib import BNode, Dataset, Literal
    from rdflib.collection import Collection
    from rdflib.namespace import RDF, XSD

    data = Dataset()
    bind_prefixes(data)
    ex = "http://example.org/"
    named = data.graph(URIRef(ex + "g"))
    subject, nested, listed = URIRef(ex + "s"), BNode("b1"), BNode("l1")
    named.add((subject, RDF.type, URIRef(ex + "T")))
    named.add((subject, URIRef(ex + "p"), nested))  # a blank node written nested
    named.add((nested, URIRef(ex + "q"), Literal("x", lang="en")))
    named.add((subject, URIRef(ex + "r"), listed))  # a list
    Collection(named, listed, [Literal(1), Literal("two"), URIRef(ex + "three")])
    for number in (3, 1, 2):  # several objects of one predicate
        named.add((subject, URIRef(ex + "n"), Literal(number, datatype=XSD.integer)))
    named.add((URIRef(ex + "plain"), URIRef(ex + "p"), URIRef(ex + "s")))
    graph = union_graph(data)
    expected = graph.serialize(format="turtle", encoding="utf-8")
    written = turtle(graph)
    assert written == expected
    assert b"[" in written and b"(" in written  # nested and listed, as rdflib writes them
    assert trig(data) == _rdflib_trig(data)


@pytest.mark.parametrize("store", ["Memory", "TripleSets"])
def test_the_members_of_a_top_class_come_first_as_rdflib_writes_them(store):
    from rdflib import Dataset, Literal
    from rdflib.namespace import RDF, RDFS

    data = Dataset(store=TripleSets() if store == "TripleSets" else "default")
    bind_prefixes(data)
    ex = "http://example.org/"
    named = data.graph(URIRef(ex + "g"))
    named.add((URIRef(ex + "zeta"), RDF.type, RDFS.Class))  # a member of rdflib's top class
    named.add((URIRef(ex + "alpha"), URIRef(ex + "p"), URIRef(ex + "zeta")))
    named.add((URIRef(ex + "alpha"), URIRef(ex + "p"), Literal("b")))
    named.add((URIRef(ex + "alpha"), URIRef(ex + "p"), Literal("a")))
    named.add((URIRef(ex + "beta"), URIRef(ex + "q"), URIRef(ex + "alpha")))
    view = union_view(data)
    written = turtle(view)
    assert written == union_graph(data).serialize(format="turtle", encoding="utf-8")
    assert written.index(b":zeta a rdfs:Class .") < written.index(b":alpha ")
    assert trig(data) == _rdflib_trig(data)


_VALID_IRIS = st.builds(
    lambda base, tail: base + tail,
    st.sampled_from(_BASES),
    st.text(alphabet="ab9_-.%()/#é", max_size=6),
)
_LITERALS = st.builds(
    lambda text, datatype: (text, datatype),
    st.text(alphabet='ab 1"\n', max_size=4),
    st.none() | _VALID_IRIS,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(_VALID_IRIS, _VALID_IRIS, _VALID_IRIS | _LITERALS, st.sampled_from("gh")),
        min_size=1,
        max_size=20,
    )
)
def test_any_graph_is_written_as_rdflib_writes_it(quads):
    # names are asked in the order the triples are read: a namespace refused a prefix for
    # an object may be given one (ns1, ...) by a later predicate, and named from then on
    from rdflib import Dataset, Literal

    def dataset(store="default"):
        data = Dataset(store=store)
        bind_prefixes(data)
        for subject, predicate, obj, name in quads:
            obj = Literal(obj[0], datatype=obj[1]) if isinstance(obj, tuple) else URIRef(obj)
            data.graph(URIRef(f"urn:graph:{name}")).add((URIRef(subject), URIRef(predicate), obj))
        return data

    ours, theirs = dataset(), dataset()
    assert turtle(union_graph(ours)) == union_graph(theirs).serialize(
        format="turtle", encoding="utf-8"
    )
    ours, theirs = dataset(), dataset()
    assert trig(ours) == _rdflib_trig(theirs)
    # and from the store a build makes, through the union's view (the same order of
    # triples for both writers: a generated prefix depends on it)
    ours, theirs = dataset(TripleSets()), dataset(TripleSets())
    assert turtle(union_view(ours)) == union_view(theirs).serialize(
        format="turtle", encoding="utf-8"
    )
    ours, theirs = dataset(TripleSets()), dataset(TripleSets())
    assert trig(ours) == _rdflib_trig(theirs)
