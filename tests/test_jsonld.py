"""graph.jsonld writes the JSON-LD that graph.export wrote with rdflib's writer, byte for byte."""

import json

import pytest
from hypothesis import given, settings, strategies as st
from rdflib import RDF, XSD, BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection

from graph.annotations import load_corpus
from graph.iris import PREFIX_IRIS
from graph.jsonld import jsonld
from graph.namespaces import bind_prefixes
from graph.rdf import build_dataset, union_graph, union_view
from graph.triplesets import TripleSets


def _rdflib_jsonld(graph):
    """The JSON-LD of graph.export before graph.jsonld: rdflib's writer, then sorted."""
    context = dict(sorted(PREFIX_IRIS.items()))
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    ordered = {"@context": context, "@graph": nodes}
    return (json.dumps(ordered, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def test_the_seed_s_json_ld_is_the_bytes_rdflib_s_writer_gave(seed_data):
    graph = union_graph(build_dataset(load_corpus(seed_data)))
    written = jsonld(graph, PREFIX_IRIS)
    assert written == _rdflib_jsonld(graph)
    assert b'"@id": "src:un-gge-talks-collapse-2017"' in written


def test_a_corpus_of_several_sources_is_written_as_rdflib_wrote_it(synthetic_dataset):
    graph = union_graph(synthetic_dataset)
    written = jsonld(graph, PREFIX_IRIS)
    assert written == _rdflib_jsonld(graph)
    document = json.loads(written)
    assert len(document["@graph"]) == len({str(s) for s in graph.subjects()})


_BASE = "https://w3id.org/actor-position-graph/"
_IRIS = st.sampled_from(
    [
        *PREFIX_IRIS.values(),
        _BASE + "entity/x",
        _BASE + "ontology/supports",
        "http://example.org/a",
        "http://example.org/terms/p",
        "urn:x:1",
        str(RDF.type),
    ]
).map(URIRef)
_LITERALS = st.one_of(
    st.text(max_size=4).map(Literal),
    st.sampled_from(["", "en", "fr"]).map(lambda lang: Literal("mot", lang=lang or None)),
    st.integers(-3, 3).map(Literal),
    st.booleans().map(Literal),
    st.floats(allow_nan=True, allow_infinity=True).map(lambda x: Literal(x, datatype=XSD.double)),
    st.sampled_from(["0", "07", "x", "1.50"]).map(
        lambda text: Literal(text, datatype=XSD.nonNegativeInteger)
    ),
    st.sampled_from(["2017-08-01", "nope"]).map(lambda text: Literal(text, datatype=XSD.date)),
    st.sampled_from(["x", "1"]).map(lambda text: Literal(text, datatype=XSD.integer)),
)


@st.composite
def _graphs(draw):
    graph = Graph()
    bind_prefixes(graph)
    nodes = [*draw(st.lists(_IRIS, min_size=1, max_size=4)), BNode("b1"), BNode("b2")]
    for _ in range(draw(st.integers(0, 25))):
        subject = draw(st.sampled_from(nodes))
        predicate = draw(_IRIS)
        obj = draw(st.one_of(st.sampled_from(nodes), _IRIS, _LITERALS))
        graph.add((subject, predicate, obj))
    if draw(st.booleans()):
        head = BNode("list")
        Collection(graph, head, [Literal(1), draw(_IRIS), Literal("two")])
        graph.add((draw(st.sampled_from(nodes)), draw(_IRIS), head))
    return graph


@settings(max_examples=300, deadline=None)
@given(_graphs())
def test_any_graph_is_written_as_rdflib_wrote_it(graph):
    assert jsonld(graph, PREFIX_IRIS) == _rdflib_jsonld(graph)


@settings(max_examples=200, deadline=None)
@given(_graphs(), st.lists(st.sampled_from(["a", "b", "both"]), min_size=40, max_size=40))
def test_any_union_of_a_built_dataset_is_written_as_rdflib_writes_it(graph, where):
    # the union of the store builds use, whose look-ups follow the order of its triples
    dataset = Dataset(store=TripleSets())
    named = {name: dataset.graph(URIRef(f"urn:g:{name}")) for name in ("a", "b")}
    for number, triple in enumerate(graph):
        place = where[number % len(where)]
        for name in ("a", "b") if place == "both" else (place,):
            named[name].add(triple)
    union = union_view(dataset)
    bind_prefixes(union)
    assert jsonld(union, PREFIX_IRIS) == _rdflib_jsonld(union)


def test_a_false_first_value_is_replaced_as_rdflib_replaces_it():
    # rdflib keeps a key's first value only when it is true: 0 then 5 gives 5 alone
    dataset = Dataset(store=TripleSets())
    named = dataset.graph(URIRef("urn:g:a"))
    subject, predicate = URIRef("http://example.org/a"), URIRef("http://example.org/terms/p")
    named.add((subject, RDF.type, URIRef("http://example.org/T")))
    for value in (Literal(0), Literal(5), Literal(7)):  # in this order, in the union's look-ups
        named.add((subject, predicate, value))
    union = union_view(dataset)
    bind_prefixes(union)
    written = jsonld(union, PREFIX_IRIS)
    assert written == _rdflib_jsonld(union)
    [node] = json.loads(written)["@graph"]
    assert node["@type"] == "http://example.org/T"
    assert node["http://example.org/terms/p"] == [5, 7]


@pytest.mark.parametrize("lexical", ["inf", "-INF", "NaN"])
def test_a_first_value_that_is_not_finite_is_kept_as_rdflib_keeps_it(lexical):
    # true in rdflib's node, though written as null where rdflib writes with orjson: the
    # value after it is added beside it, not in its place
    dataset = Dataset(store=TripleSets())
    named = dataset.graph(URIRef("urn:g:a"))
    subject, predicate = URIRef("http://example.org/a"), URIRef("http://example.org/terms/p")
    named.add((subject, predicate, Literal(lexical, datatype=XSD.double)))
    named.add((subject, predicate, URIRef("http://example.org/b")))
    union = union_view(dataset)
    bind_prefixes(union)
    written = jsonld(union, PREFIX_IRIS)
    assert written == _rdflib_jsonld(union)
    [node] = json.loads(written)["@graph"]
    assert len(node["http://example.org/terms/p"]) == 2


def test_the_text_written_into_a_stream_is_the_text_returned(seed_graph):
    import io

    from graph.jsonld import write_jsonld

    stream = io.BytesIO()
    write_jsonld(seed_graph, PREFIX_IRIS, stream)
    assert stream.getvalue() == jsonld(seed_graph, PREFIX_IRIS)
    empty = io.BytesIO()
    write_jsonld(Graph(), PREFIX_IRIS, empty)
    assert empty.getvalue() == jsonld(Graph(), PREFIX_IRIS) == _rdflib_jsonld(Graph())


def test_the_union_of_a_corpus_is_written_a_node_at_a_time(synthetic_dataset, monkeypatch):
    import graph.jsonld as jsonld_module

    union = union_view(synthetic_dataset)
    expected = _rdflib_jsonld(union)

    def never(*args):
        raise AssertionError("the document was made whole")

    with monkeypatch.context() as patched:
        patched.setattr(jsonld_module, "_from_rdf", never)
        assert jsonld(union, PREFIX_IRIS) == expected
    monkeypatch.setattr(jsonld_module, "_node_order", lambda *args: None)  # made whole
    assert jsonld(union, PREFIX_IRIS) == expected


def test_the_nodes_texts_encoded_together_are_those_encoded_one_by_one(
    synthetic_dataset, monkeypatch
):
    import graph.jsonld as jsonld_module

    union = union_view(synthetic_dataset)
    expected = _rdflib_jsonld(union)
    monkeypatch.setattr(jsonld_module, "_GATHERED", 3)  # a cut every node or two
    assert jsonld(union, PREFIX_IRIS) == expected


@settings(max_examples=200, deadline=None)
@given(_graphs())
def test_any_graph_without_blank_nodes_is_written_a_node_at_a_time_as_whole(graph):
    import graph.jsonld as jsonld_module

    dataset = Dataset(store=TripleSets())
    named = dataset.graph(URIRef("urn:g:a"))
    for triple in graph:
        if not any(isinstance(term, BNode) for term in triple):
            named.add(triple)
    union = union_view(dataset)
    bind_prefixes(union)
    written = jsonld(union, PREFIX_IRIS)
    assert written == _rdflib_jsonld(union)
    order = jsonld_module._node_order
    try:
        jsonld_module._node_order = lambda *args: None
        assert jsonld(union, PREFIX_IRIS) == written
    finally:
        jsonld_module._node_order = order


def _node_order_of(graph):
    from graph.jsonld import _CachedContext, _CachedConverter, _node_order
    from graph.rdf import SubjectRuns

    runs = SubjectRuns(graph)
    context = _CachedContext(dict(sorted(PREFIX_IRIS.items())))
    return _node_order(_CachedConverter(context, graph, set(), runs), runs, {})


def test_a_node_at_a_time_only_where_each_node_is_its_subject_s_triples_alone():
    ex = "http://example.org/"
    a, b, p = URIRef(ex + "a"), URIRef(ex + "b"), URIRef(ex + "terms/p")

    def graph(*triples):
        made = Graph()
        bind_prefixes(made)
        for triple in triples:
            made.add(triple)
        return made

    order = _node_order_of(graph((b, p, a), (a, p, Literal(1))))
    assert order == [(str(a), a), (str(b), b)]
    assert _node_order_of(graph((a, p, Literal(1)))) is None  # one node: the document
    assert _node_order_of(graph((a, p, BNode("x")), (b, p, a))) is None  # nested
    assert _node_order_of(graph((BNode("x"), p, a), (b, p, a))) is None
    listed = graph((a, p, Literal(1)))
    Collection(listed, URIRef(ex + "list"), [Literal(1)])  # a list of IRIs
    assert _node_order_of(listed) is None
    # two subjects of one @id: rdflib keeps one of them, by the order of a set
    apg = PREFIX_IRIS["apg"]
    same = graph((URIRef(apg + "x"), p, Literal(1)), (URIRef("apg:x"), p, Literal(2)))
    assert _node_order_of(same) is None
    assert json.loads(jsonld(same, PREFIX_IRIS))["@graph"][0]["@id"] == "apg:x"


def test_spooled_nodes_give_back_what_they_were_given():
    from graph.jsonld import SpooledNodes

    spooled = SpooledNodes()
    first, second = URIRef("http://example.org/a"), URIRef("http://example.org/é")
    assert first not in spooled and len(spooled) == 0
    spooled[first] = ("ex:a", '{\n  "@id": "ex:a"\n}')
    spooled[second] = ("ex:é", '{\n  "name": "Zoë — ☃"\n}')
    assert spooled[second] == ("ex:é", '{\n  "name": "Zoë — ☃"\n}')
    assert spooled[first] == ("ex:a", '{\n  "@id": "ex:a"\n}')
    spooled[first] = ("ex:a", "again")  # a node made again replaces its first
    assert spooled[first] == ("ex:a", "again") and len(spooled) == 2
    spooled.clear()
    assert first not in spooled and len(spooled) == 0
