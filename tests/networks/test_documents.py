from __future__ import annotations

import random

import networkx as nx
import pytest

from graph.networks import exchange
from graph.networks.documents import Before, assemble, element_digests, splice
from graph.networks.exchange import each_document_of, files_of

STEM = "networks/statements"


def _statements(seed: int, edges: int = 40) -> nx.MultiDiGraph:
    """A statement network of random actors and statements, with the attributes of the
    build's (texts with characters each format escapes, offsets, booleans)."""
    chance = random.Random(seed)
    network = nx.MultiDiGraph()
    actors = [f"actor-{n}" for n in range(8)]
    for actor in actors:
        network.add_node(actor, label=f"Actor <{actor}> & co", type="state", wikidata="Q1")
    for number in range(edges):
        network.add_edge(
            chance.choice(actors),
            chance.choice(actors),
            key=f"https://example.org/s/{number:03d}",
            relation=chance.choice(["blames", "supports", "opposes"]),
            quote=chance.choice(['says "no"', "é\tlong\rline", "plain", "a\x1cb"]),
            hedged=chance.random() < 0.3,
            start=number * 10,
            end=number * 10 + 7,
        )
    return network


def _before(network: nx.MultiDiGraph) -> dict[str, Before]:
    """Each file of ``network`` as the build before would describe it."""
    nodes, edges = element_digests(network)
    found = {}
    for name, document in each_document_of(STEM, network):
        assert not isinstance(document, bytes)
        written = assemble(document)
        found[name] = Before(written.data, document.fixed_digest(), (nodes, edges), written.lengths)
    return found


def _edited(network: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    """``network`` after one of the edits a user makes: a statement hedged or
    requoted, one added or removed, an actor relabelled or added."""
    chance = random.Random(seed)
    edited = network.copy()
    edges = list(edited.edges(keys=True, data=True))
    u, v, key, data = chance.choice(edges)
    edit = seed % 6
    if edit == 0:
        data["hedged"] = not data["hedged"]
    elif edit == 1:
        data["quote"] = "a new <quote>"
    elif edit == 2:
        edited.remove_edge(u, v, key)
    elif edit == 3:
        edited.add_edge(v, u, key=f"{key}-b", relation="blames", quote="added", hedged=False)
    elif edit == 4:
        edited.nodes[u]["label"] = "Renamed"
    else:
        edited.add_node("actor-new", label="New", type="official")
    # the statement network is built in the order of its statements
    ordered = nx.MultiDiGraph()
    ordered.add_nodes_from(sorted(edited.nodes(data=True), key=lambda node: node[0]))
    ordered.add_edges_from(sorted(edited.edges(keys=True, data=True), key=lambda e: e[2]))
    return ordered


@pytest.mark.parametrize("seed", range(24))
def test_a_file_made_from_the_one_before_has_the_bytes_of_one_written_whole(seed):
    network = _statements(seed)
    before = _before(network)
    edited = _edited(network, seed)
    digests = element_digests(edited)
    expected = files_of(STEM, edited)
    for name, document in each_document_of(STEM, edited):
        assert not isinstance(document, bytes)
        spliced = splice(document, digests, before[name])
        written = assemble(document)
        assert spliced is not None, name  # no edit declares a new kind of attribute
        assert spliced.data == written.data == expected[name], name
        assert spliced.lengths == written.lengths, name


def test_a_hedged_statement_writes_one_edge_and_copies_the_others():
    network = _statements(1, edges=200)
    before = _before(network)
    edited = _edited(network, 0)  # one statement hedged
    digests = element_digests(edited)
    for name, document in each_document_of(STEM, edited):
        assert not isinstance(document, bytes)
        asked: list[int] = []
        runs = []
        for run in document.runs:

            def text(index, run=run, asked=asked):
                asked.append(index)
                return run.text(index)

            runs.append(type(run)(run.count, text, run.separator, run.moves))
        counted = type(document)(document.fixed, tuple(runs), document.kinds, document.spliceable)
        spliced = splice(counted, digests, before[name])
        assert spliced is not None and len(asked) == 1, name


def test_a_new_kind_of_attribute_changes_the_fixed_texts_and_nothing_is_spliced():
    network = _statements(2)
    before = _before(network)
    edited = network.copy()
    u, v, key = next(iter(edited.edges(keys=True)))
    edited.edges[u, v, key]["role"] = "spokesman"  # a column, a key and an attribute more
    digests = element_digests(edited)
    for name, document in each_document_of(STEM, edited):
        assert not isinstance(document, bytes)
        if name.endswith(".json"):  # node-link JSON declares nothing
            assert splice(document, digests, before[name]) is not None
        else:
            assert splice(document, digests, before[name]) is None, name


def test_gexf_of_edges_that_name_their_ids_is_never_spliced():
    network = _statements(3)
    for _, _, data in network.edges(data=True):
        data["id"] = data["quote"]
    documents = dict(each_document_of(STEM, network))
    gexf = documents[f"{STEM}.gexf"]
    assert not isinstance(gexf, bytes) and not gexf.spliceable
    assert splice(gexf, element_digests(network), _before(network)[f"{STEM}.gexf"]) is None
    assert assemble(gexf).data == exchange.to_gexf(network)


def test_an_element_that_does_not_pickle_has_no_digest():
    network = nx.Graph()
    network.add_node("a", made_by=lambda: None)  # a function of no module: never pickled
    network.add_node("b", label="b")
    digests = element_digests(network)
    assert digests[0][0] is None
    assert digests[0][1] is not None and len(digests[0][1]) == 32


def test_equal_elements_have_one_digest_whichever_objects_hold_their_values():
    shared = "".join(["statement", "-1"])  # one object, named twice in the first network
    first, second = nx.MultiDiGraph(), nx.MultiDiGraph()
    first.add_edge("a", "b", key=shared, statement=shared, start=1)
    second.add_edge("a", "b", key="statement-1", statement="".join(["statement-", "1"]), start=1)
    assert element_digests(first) == element_digests(second)
    third = nx.MultiDiGraph()
    third.add_edge("a", "b", key="statement-1", statement="statement-1", start=True)
    assert element_digests(third)[1] != element_digests(first)[1]  # True is not 1


@pytest.mark.parametrize("seed", range(6))
def test_json_and_csv_are_those_of_node_link_data_and_a_csv_writer(seed):
    import csv
    import io

    from graph.jsontext import indented

    network = _edited(_statements(seed), seed)
    flattened = exchange.flat(network)
    linked = nx.node_link_data(flattened, edges="edges")
    assert files_of(STEM, network)[f"{STEM}.json"] == (indented(linked, indent=1) + "\n").encode()
    columns = sorted({key for *_, data in flattened.edges(data=True) for key in data})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", *columns])
    for u, v, data in flattened.edges(data=True):
        cells = [exchange._cell(data.get(column)) for column in columns]
        writer.writerow([u, v, *cells])
    assert files_of(STEM, network)[f"{STEM}.csv"] == out.getvalue().encode()


def test_lengths_that_do_not_add_up_to_the_file_before_splice_nothing():
    network = _statements(4)
    before = _before(network)[f"{STEM}.graphml"]
    document = dict(each_document_of(STEM, network))[f"{STEM}.graphml"]
    assert not isinstance(document, bytes)
    digests = element_digests(network)
    assert splice(document, digests, before) is not None
    nodes, edges = before.lengths
    longer = Before(before.data, before.fixed_digest, before.digests, (nodes, [*edges[:-1], 10**6]))
    assert splice(document, digests, longer) is None
