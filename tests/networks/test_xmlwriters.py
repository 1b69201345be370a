"""The GraphML and GEXF writers give NetworkX's bytes, as ``exchange`` post-processed them."""

from __future__ import annotations

import enum
import itertools
import random
from collections.abc import Callable

import networkx as nx
import pytest

from graph.networks import exchange, xmlwriters
from graph.networks.discourse import congruence_network

# networkx_graphml and networkx_gexf: what exchange wrote before, and still writes for what
# the writers do not cover (bound here, so that a test that refuses exchange's fallback
# still has the reference)
from graph.networks.exchange import (
    NETWORKS,
    _networkx_gexf as networkx_gexf,
    _networkx_graphml as networkx_graphml,
    flat,
)


def assert_same_bytes(network: nx.Graph) -> None:
    """Both writers give NetworkX's bytes; ``Unsupported`` would fail the test."""
    assert xmlwriters.graphml(network) == networkx_graphml(network)
    assert xmlwriters.gexf(network) == networkx_gexf(network)


# The seed's networks ---------------------------------------------------------------------


def every_network(statements: nx.MultiDiGraph) -> dict[str, nx.Graph]:
    networks = {"statements": statements}
    for level in ("actor", "state"):
        for name, project in NETWORKS.items():
            networks[f"{level}/{name}"] = project(statements, level)
    return networks


def test_the_seed_networks_are_the_same_bytes(seed_network):
    networks = every_network(seed_network)
    networks["state/congruence-jaccard"] = congruence_network(
        seed_network, "state", normalise="jaccard"
    )
    assert len(networks) == 14
    for name, network in networks.items():
        flattened = flat(network)
        assert xmlwriters.graphml(flattened) == networkx_graphml(flattened), name
        assert xmlwriters.gexf(flattened) == networkx_gexf(flattened), name


def test_the_sanctions_networks_are_the_same_bytes(sanctions_statements):
    for name, network in every_network(sanctions_statements).items():
        flattened = flat(network)
        assert xmlwriters.graphml(flattened) == networkx_graphml(flattened), name
        assert xmlwriters.gexf(flattened) == networkx_gexf(flattened), name


def test_network_files_write_the_seed_as_networkx_did(seed_network):
    files = exchange.network_files(seed_network)
    for name, network in every_network(seed_network).items():
        flattened = flat(network)
        assert files[f"networks/{name}.graphml"] == networkx_graphml(flattened), name
        assert files[f"networks/{name}.gexf"] == networkx_gexf(flattened), name


# Edge cases by hand ----------------------------------------------------------------------

AWKWARD = [
    "",
    " ",
    "é",
    "Nord\u0085land",
    "line\u2028separator\u2029paragraph",
    "<script>&'\"",
    "]]>",
    "a\nb",
    "a\r\nb",
    "a\rb",
    "\r",
    "\n\n",
    "\ttab",
    "\x0bvt\x0cff\x1cfs\x1dgs\x1ers",
    "nul\x00soh\x01",
    "\ufeffbom\ufffd",
    "\U0001f600 emoji",
    "\u200f\u05d9\u05e9\u05e8\u05d0\u05dc\u200e",
    "lone \ud800 surrogate",
    "&#10; &amp; already escaped",
    "  trailing  ",
]
"""Strings that ElementTree escapes, writes as references, or that split lines."""

NUMBERS: list[object] = [
    0,
    -1,
    10**100,
    -(10**40),
    True,
    False,
    0.0,
    -0.0,
    0.1,
    -2.5,
    1e16,
    1e-300,
    -1.7976931348623157e308,
    float("inf"),
    float("-inf"),
    float("nan"),
]


def _graph(cls: type[nx.Graph], nodes=(), edges=()) -> nx.Graph:
    network = cls()
    for node, data in nodes:
        network.add_node(node, **data)
    for edge in edges:
        network.add_edge(*edge[:-1], **edge[-1])
    return network


def _awkward_strings(cls: type[nx.Graph]) -> nx.Graph:
    nodes = [(f"n{i}", {"label": text, "text": text}) for i, text in enumerate(AWKWARD)]
    edges = [(f"n{i}", f"n{i + 1}", {"text": text}) for i, text in enumerate(AWKWARD[:-1])]
    return _graph(cls, nodes, edges)


def _awkward_ids(cls: type[nx.Graph]) -> nx.Graph:
    nodes = [(text, {"label": "x"}) for text in AWKWARD]
    return _graph(cls, nodes, [(a, b, {}) for a, b in itertools.pairwise(AWKWARD)])


def _awkward_names(cls: type[nx.Graph]) -> nx.Graph:
    data = {text: i for i, text in enumerate(AWKWARD)}
    return _graph(cls, [("a", data), ("b", {})], [("a", "b", data)])


def _numbers(cls: type[nx.Graph]) -> nx.Graph:
    nodes = [(f"n{i}", {"value": value, "weight": value}) for i, value in enumerate(NUMBERS)]
    edges = [
        (f"n{i}", f"n{i + 1}", {"weight": value, "value": value})
        for i, value in enumerate(NUMBERS[:-1])
    ]
    return _graph(cls, nodes, edges)


def _mixed_types(cls: type[nx.Graph]) -> nx.Graph:
    """The same name with a value of each type, in each scope, and missing on some."""
    values: list[object] = ["1", 1, 1.0, True, "True", 0, False, ""]
    nodes = [(f"n{i}", {"x": value} if i % 3 else {}) for i, value in enumerate(values)]
    edges = [
        (f"n{i}", f"n{(i + 2) % 8}", {"x": value, f"only{i}": i}) for i, value in enumerate(values)
    ]
    return _graph(cls, nodes, edges)


def _gexf_names(cls: type[nx.Graph]) -> nx.Graph:
    """Names NetworkX's GEXF writer puts on the element or renames."""
    nodes = [
        ("a", {"id": "A&", "label": "<A>", "pid": "p", "type": "state"}),
        ("b", {"id": 7, "key": "k", "networkx_key": 3}),
        ("c", {"label": 1.5}),
        ("d", {}),
    ]
    edges = [
        ("a", "b", {"id": "2", "label": "L", "weight": float("nan"), "type": "t", "x": 1}),
        ("b", "c", {"id": 0, "weight": True}),
        ("c", "d", {"key": "k", "networkx_key": 4.5}),
        ("d", "a", {"id": "2"}),
        ("a", "c", {"weight": 2}),
        ("b", "d", {"label": "", "type": "undirected"}),
    ]
    return _graph(cls, nodes, edges)


def _parallel(cls: type[nx.Graph]) -> nx.Graph:
    """Parallel edges and self-loops, keyed by NetworkX, by strings and by ints."""
    network = cls()
    network.add_edge("a", "b", weight=1)
    network.add_edge("a", "b", weight=2.0)
    network.add_edge("b", "a", hedged=True)
    network.add_edge("a", "a")
    if network.is_multigraph():
        network.add_edge("a", "b", key="https://example.org/s?a=1&b=<2>", quote="x")
        network.add_edge("b", "b", key=10**30, quote="y")
        network.add_edge("b", "b", key=-0.5, quote="z")
        network.add_edge("a", "b", key=True)
    return network


def _attributes_only_on_edges(cls: type[nx.Graph]) -> nx.Graph:
    return _graph(cls, [("a", {}), ("b", {})], [("a", "b", {"w": 1}), ("b", "a", {})])


def _isolated_nodes(cls: type[nx.Graph]) -> nx.Graph:
    return _graph(cls, [("a", {"x": 1}), ("b", {}), ("c", {"y": "z"})])


def _many_keys(cls: type[nx.Graph]) -> nx.Graph:
    """More than ten GraphML keys, so ``d10`` sorts among them as NetworkX puts it."""
    data = {f"k{i}": [i, str(i), float(i), bool(i % 2)][i % 4] for i in range(14)}
    return _graph(cls, [("a", data)], [("a", "b", data)])


def _int_nodes(cls: type[nx.Graph]) -> nx.Graph:
    return _graph(cls, [(1, {"label": "one"}), (2, {})], [(1, 2, {"w": 1}), (2, 3, {})])


CASES: dict[str, Callable[[type[nx.Graph]], nx.Graph]] = {
    "empty": lambda cls: cls(),
    "no-attributes": lambda cls: _graph(cls, [("lonely", {})], [("a", "b", {})]),
    "awkward-strings": _awkward_strings,
    "awkward-ids": _awkward_ids,
    "awkward-names": _awkward_names,
    "numbers": _numbers,
    "mixed-types": _mixed_types,
    "gexf-names": _gexf_names,
    "parallel": _parallel,
    "edge-attributes-only": _attributes_only_on_edges,
    "isolated-nodes": _isolated_nodes,
    "many-keys": _many_keys,
    "int-nodes": _int_nodes,
}
CLASSES = [nx.Graph, nx.DiGraph, nx.MultiGraph, nx.MultiDiGraph]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("case", sorted(CASES))
def test_edge_cases_are_the_same_bytes(case, cls):
    network = CASES[case](cls)
    assert_same_bytes(network)
    assert_same_bytes(flat(network))


def test_flat_keeps_no_graph_attributes_so_the_writers_need_none():
    network = nx.MultiDiGraph(name="statements", id="g", node_default={"x": 1})
    network.add_edge("a", "b", key="s1", start=3, end=9)
    flattened = flat(network)
    assert flattened.graph == {}
    assert_same_bytes(flattened)


def test_a_multigraph_edge_with_a_key_attribute_is_the_same_bytes():
    network = nx.MultiDiGraph()
    network.add_edge("a", "b", key="k", w=1)
    network.edges["a", "b", "k"]["key"] = "shadowed"
    network.edges["a", "b", "k"]["z"] = 2
    assert_same_bytes(network)


def test_the_awkward_strings_need_what_the_writers_do():
    """The edge cases reach each path: references, escapes and split lines."""
    written = xmlwriters.graphml(_awkward_strings(nx.Graph))
    assert b"&#233;" in written and b"&#8232;" in written and b"&#133;" in written
    assert b"&lt;script&gt;&amp;'\"" in written  # text: quotes as they are
    assert b"&#128512;" in written and b"&#55296;" in written
    gexf = xmlwriters.gexf(_awkward_strings(nx.Graph))
    assert b"&lt;script&gt;&amp;'&quot;" in gexf and b"a&#13;&#10;b" in gexf
    assert b"\x0b" not in written and b"\r" not in written  # split into lines
    assert b"lastmodifieddate" not in gexf


# Random graphs ---------------------------------------------------------------------------

NASTY = "aZ09 _-.:/é\u00a0\u0085\u2028\u2029\U0001f600\r\n\t\x0b\x0c\x1c\x1d\x1e\x00&<>\"'#;"
NAMES = ["label", "weight", "type", "id", "pid", "key", "networkx_key", "x", "é", "a<b", ""]


def _random_text(rng: random.Random) -> str:
    return "".join(rng.choice(NASTY) for _ in range(rng.randrange(0, 6)))


def _random_value(rng: random.Random) -> object:
    kind = rng.randrange(5)
    if kind == 0:
        return _random_text(rng)
    if kind == 1:
        return rng.choice([0, -1, 7, 2**63, -(10**25), rng.randrange(-1000, 1000)])
    if kind == 2:
        special = [float("nan"), float("inf"), float("-inf"), -0.0, 1e300, 5e-324]
        return rng.choice([*special, rng.uniform(-1e6, 1e6), rng.random()])
    if kind == 3:
        return rng.random() < 0.5
    return rng.choice(["", "true", "1", "0.0", "None"])


def _random_data(rng: random.Random) -> dict[str, object]:
    names = rng.sample(NAMES + [_random_text(rng) for _ in range(3)], rng.randrange(0, 5))
    return {name: _random_value(rng) for name in names}


def _random_graph(rng: random.Random) -> nx.Graph:
    network = rng.choice(CLASSES)()
    nodes = list(dict.fromkeys(_random_text(rng) for _ in range(rng.randrange(0, 7))))
    for node in nodes:
        network.add_node(node, **_random_data(rng))
    for _ in range(rng.randrange(0, 9) if nodes else 0):
        u, v = rng.choice(nodes), rng.choice(nodes)
        data = _random_data(rng)
        if network.is_multigraph():
            data.pop("key", None)
            key = rng.choice([None, _random_text(rng), rng.randrange(5)])
            network.add_edge(u, v, key=key, **data)
        else:
            network.add_edge(u, v, **data)
    return network


def test_random_graphs_are_the_same_bytes():
    rng = random.Random(20240611)
    for index in range(300):
        network = _random_graph(rng)
        assert xmlwriters.graphml(network) == networkx_graphml(network), index
        assert xmlwriters.gexf(network) == networkx_gexf(network), index


# What the writers leave to NetworkX ------------------------------------------------------


class Colour(enum.IntEnum):
    RED = 1


def _with_graph_attributes() -> nx.Graph:
    network = nx.Graph(name="a name", id="g1")
    network.add_edge("a", "b", w=1)
    return network


def _with_node(data: dict[str, object]) -> nx.Graph:
    network = nx.DiGraph()
    network.add_node("a", **data)
    network.add_edge("a", "b")
    return network


def _with_edge(data: dict[str, object]) -> nx.Graph:
    network = nx.MultiDiGraph()
    network.add_edge("a", "b", **data)
    return network


UNSUPPORTED: dict[str, Callable[[], nx.Graph]] = {
    "graph-attributes": _with_graph_attributes,
    "int-enum": lambda: _with_node({"colour": Colour.RED}),
    "str-subclass": lambda: _with_edge({"x": type("Text", (str,), {})("y")}),
    "dict": lambda: _with_node({"d": {"a": 1}}),
    "none": lambda: _with_edge({"x": None}),
    "dynamic-list": lambda: _with_edge({"x": [(1, 0, 2)]}),
    "start": lambda: _with_node({"start": 1, "end": 2.5}),
    "falsy-viz": lambda: _with_node({"viz": "", "parents": 0}),
    "spells": lambda: _with_edge({"spells": [(1, 2)], "x": 1}),
    "tuple-key": lambda: nx.MultiGraph([("a", "b", ("k", 1))]),
}


def _outcome(write: Callable[[nx.Graph], bytes], network: nx.Graph) -> object:
    try:
        return write(network)
    except Exception as error:  # the same error as NetworkX's is the same outcome
        return type(error)


@pytest.mark.parametrize("case", sorted(UNSUPPORTED))
def test_what_the_writers_leave_to_networkx_is_written_by_networkx(case):
    writes = ((xmlwriters.graphml, exchange._graphml, networkx_graphml),
              (xmlwriters.gexf, exchange._gexf, networkx_gexf))  # fmt: skip
    refused = []
    for fast, write, reference in writes:
        try:
            fast(UNSUPPORTED[case]())
        except xmlwriters.Unsupported:
            refused.append(fast.__name__)
        assert _outcome(write, UNSUPPORTED[case]()) == _outcome(reference, UNSUPPORTED[case]())
    assert refused, "neither writer refused the network"


def test_exchange_uses_the_writers_for_what_flat_gives(monkeypatch, seed_network):
    def refuse(network: nx.Graph) -> bytes:
        raise AssertionError("written by NetworkX")

    monkeypatch.setattr(exchange, "_networkx_graphml", refuse)
    monkeypatch.setattr(exchange, "_networkx_gexf", refuse)
    assert len(exchange.network_files(seed_network)) == 4 + 2 * 6 * 4
    assert exchange.to_graphml(_numbers(nx.MultiGraph)) == networkx_graphml(
        flat(_numbers(nx.MultiGraph))
    )
