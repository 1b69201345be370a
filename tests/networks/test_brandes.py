"""Brandes' betweenness in compiled code: the same dependencies as igraph's and NetworkX's."""

from __future__ import annotations

import math
import subprocess
import sys

import igraph
import networkx as nx
import pytest
from hypothesis import given, strategies as st

from graph.networks.brandes import arcs, dependencies
from tests.factories import WORKDIR


def network_of(*edges: tuple[str, str, float], nodes: tuple[str, ...] = ()) -> nx.Graph:
    network = nx.Graph()
    network.add_nodes_from(nodes)
    for a, b, length in edges:
        network.add_edge(a, b, distance=length)
    return network


def from_every_node(network: nx.Graph) -> dict[str, float]:
    found = arcs(network, "distance")
    values = dependencies(found, range(len(found.nodes)), [1.0] * len(found.nodes))
    return dict(zip(found.nodes, values.tolist(), strict=True))


def test_the_arcs_are_each_edge_both_ways_grouped_by_tail():
    found = arcs(
        network_of(("a", "b", 1.0), ("b", "c", 0.5), nodes=("a", "b", "c", "d")), "distance"
    )
    assert found.nodes == ["a", "b", "c", "d"]
    assert found.first.tolist() == [0, 1, 3, 4, 4]
    # b's arcs: first of the edge it begins (b - c), then of the one it ends (a - b)
    assert found.heads.tolist() == [1, 2, 0, 1]
    assert found.lengths.tolist() == [1.0, 0.5, 1.0, 0.5]


def test_the_middle_of_a_path_stands_between_the_pairs_around_it():
    path = network_of(("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0))
    # b is between a and c, a and d: each pair counted from both its ends
    assert from_every_node(path) == {"a": 0.0, "b": 4.0, "c": 4.0, "d": 0.0}


def test_two_shortest_paths_share_the_pair_they_join():
    square = network_of(("a", "b", 1.0), ("b", "c", 1.0), ("c", "d", 1.0), ("d", "a", 1.0))
    assert from_every_node(square) == {"a": 1.0, "b": 1.0, "c": 1.0, "d": 1.0}


def test_a_path_of_two_short_edges_is_shorter_than_one_long_edge():
    triangle = network_of(("a", "b", 1.0), ("a", "c", 0.25), ("c", "b", 0.25))
    assert from_every_node(triangle) == {"a": 0.0, "b": 0.0, "c": 2.0}


def test_paths_as_long_but_for_rounding_are_both_shortest():
    # 1/2 + 1/3 + 1/3 and 1 + 1/6 are equal, but not in floating point
    assert 1 / 2 + 1 / 3 + 1 / 3 != 1 + 1 / 6
    network = network_of(
        ("s", "x", 1 / 2), ("x", "y", 1 / 3), ("y", "t", 1 / 3), ("s", "z", 1.0), ("z", "t", 1 / 6)
    )
    found = arcs(network, "distance")
    start = found.nodes.index("s")
    through = dict(zip(found.nodes, dependencies(found, [start], [1.0]).tolist(), strict=True))
    # of the paths from s to t, half pass x and y, half z
    assert through["x"] == pytest.approx(1.5)  # and x is on the only path to y
    assert through["z"] == pytest.approx(0.5)
    assert through["y"] == pytest.approx(0.5)


def test_a_start_counted_several_times_counts_its_paths_as_many_times():
    network = network_of(("a", "b", 1.0), ("b", "c", 0.5), ("c", "d", 1.0), ("b", "d", 2.0))
    found = arcs(network, "distance")
    once = dependencies(found, [0], [1.0])
    assert once.tolist() != [0.0] * 4
    assert dependencies(found, [0], [3.0]).tolist() == (3 * once).tolist()
    assert dependencies(found, [0, 3], [1.0, 2.0]).tolist() == pytest.approx(
        (once + 2 * dependencies(found, [3], [1.0])).tolist()
    )


def test_nodes_out_of_reach_depend_on_nothing():
    network = network_of(("a", "b", 1.0), ("b", "c", 1.0), ("x", "y", 1.0), nodes=("alone",))
    assert from_every_node(network) == {
        "alone": 0.0,
        "a": 0.0,
        "b": 2.0,
        "c": 0.0,
        "x": 0.0,
        "y": 0.0,
    }


def test_a_network_without_edges_or_nodes():
    assert from_every_node(network_of(nodes=("a", "b"))) == {"a": 0.0, "b": 0.0}
    assert from_every_node(nx.Graph()) == {}


@pytest.mark.parametrize("length", [0.0, -1.0, math.nan, math.inf, "long", None])
def test_a_length_that_is_not_a_positive_number_is_an_error_naming_its_edge(length):
    network = network_of(("a", "b", 1.0))
    network.add_edge("b", "c", distance=length)
    with pytest.raises(ValueError, match=r"edge 'b' - 'c': distance must be a positive number"):
        arcs(network, "distance")


@st.composite
def weighted_networks(draw):
    """An undirected network of up to 14 nodes whose lengths are drawn from a few values,
    so that many paths tie, some only but for rounding."""
    count = draw(st.integers(1, 14))
    network = nx.Graph()
    network.add_nodes_from(range(count))
    pairs = st.tuples(st.integers(0, count - 1), st.integers(0, count - 1))
    lengths = st.sampled_from((1.0, 0.5, 1 / 3, 0.25, 1 / 6, 0.1, 0.2, 0.3, 2.5, 3.0))
    for a, b in draw(st.lists(pairs, max_size=40)):
        if a != b:
            network.add_edge(a, b, distance=draw(lengths))
    return network


@given(weighted_networks(), st.data())
def test_the_dependencies_are_igraphs(network, data):
    found = arcs(network, "distance")
    count = len(found.nodes)
    starts = data.draw(st.lists(st.integers(0, count - 1), min_size=1, max_size=count, unique=True))
    edges = list(network.edges(data="distance"))
    reference = igraph.Graph(n=count, edges=[(a, b) for a, b, _ in edges])
    expected = reference.betweenness(
        directed=False, weights=[length for *_, length in edges] or None, sources=starts
    )
    found_values = dependencies(found, starts, [1.0] * len(starts))
    # igraph halves what the starts depend on in an undirected network
    assert (found_values / 2).tolist() == pytest.approx(expected, rel=1e-9, abs=1e-9)


@given(weighted_networks())
def test_from_every_node_twice_the_betweenness_of_networkx_where_sums_are_exact(network):
    exact = nx.Graph()
    exact.add_nodes_from(network)
    for a, b, length in network.edges(data="distance"):
        # lengths that binary fractions hold exactly, so that NetworkX finds every tie
        exact.add_edge(a, b, distance=2.0 ** -round(math.log2(length)))
    expected = nx.betweenness_centrality(exact, weight="distance", normalized=False)
    found = from_every_node(exact)
    assert found == pytest.approx({node: 2 * value for node, value in expected.items()})


def test_the_code_compiled_beforehand_is_the_code_a_network_runs():
    from graph.networks import brandes

    brandes.compiled()
    before = list(brandes._dependencies.signatures)
    found = arcs(network_of(("a", "b", 1.0), ("b", "c", 0.5)), "distance")
    assert dependencies(found, [0], [2.0]).tolist() == [0.0, 2.0, 0.0]
    # forked processes share what compiled() made only if a network needs no other code
    assert list(brandes._dependencies.signatures) == before
    assert len(before) == 1


def test_where_numba_can_keep_no_compiled_code_it_compiles_in_each_process():
    # numba refuses cache=True where it finds no folder to write; the module still loads
    probe = (
        "import numba\n"
        "plain = numba.njit\n"
        "def njit(*args, cache=False, **options):\n"
        "    if cache:\n"
        "        raise RuntimeError('cannot cache function: no locator available')\n"
        "    return plain(*args, **options)\n"
        "numba.njit = njit\n"
        "import networkx as nx\n"
        "from graph.networks.brandes import arcs, dependencies\n"
        "path = nx.path_graph(4)\n"
        "nx.set_edge_attributes(path, 1.0, 'distance')\n"
        "print(dependencies(arcs(path, 'distance'), range(4), [1.0] * 4).tolist())\n"
    )
    answer = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=WORKDIR
    )
    assert answer.stdout.strip() == "[0.0, 4.0, 4.0, 0.0]"
