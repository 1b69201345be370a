"""Precomputed positions for large graphs: complete, deterministic, sensibly spread."""

from __future__ import annotations

import json
import math
import os
import random
import subprocess
import sys
from itertools import combinations
from statistics import mean

import igraph
import networkx as nx
import pytest

from graph.explorer.layout import (
    HIDDEN_LABEL_SIZE,
    NEIGHBOUR_DISTANCE,
    LabelledNode,
    LabelPlace,
    layout_digest,
    layout_positions,
    place_labels,
)
from tests.factories import WORKDIR, statement_graph

CHAIN = [
    ("ruritania", "blames", "freedonia"),
    ("freedonia", "blames", "ruritania"),
    ("anna-vogel", "represents", "ruritania"),
    ("anna-vogel", "represents", "ruritania"),
    ("anna-vogel", "supports_position", "position-self-defence"),
    ("freedonia", "opposes_position", "position-self-defence"),
    ("freedonia", "blames", "freedonia"),
    ("osterlich", "supports_position", "position-self-defence"),
]
ISOLATED = ("grand-fenwick", "latveria")


def two_clusters(size: int = 8) -> list[tuple[str, str, str]]:
    """Two complete clusters ``a-*`` and ``b-*`` joined by one edge ``a-0`` to ``b-0``."""
    statements = [
        (f"{side}-{i}", "supports_position", f"{side}-{j}")
        for side in "ab"
        for i, j in combinations(range(size), 2)
    ]
    return [*statements, ("a-0", "blames", "b-0")]


def components(count: int = 5, size: int = 6) -> list[tuple[str, str, str]]:
    """``count`` disconnected rings of ``size`` nodes each."""
    return [
        (f"c{c}-{i}", "blames", f"c{c}-{(i + 1) % size}") for c in range(count) for i in range(size)
    ]


def test_every_node_gets_a_position_including_isolated_and_self_looped():
    graph = statement_graph(CHAIN, isolated=ISOLATED)
    positions = layout_positions(graph)
    assert set(positions) == {
        "ruritania",
        "freedonia",
        "anna-vogel",
        "osterlich",
        "position-self-defence",
        "grand-fenwick",
        "latveria",
    }
    assert len(set(positions.values())) == len(positions), "two nodes share a position"


def test_coordinates_are_finite_floats_rounded_to_one_decimal():
    positions = layout_positions(statement_graph(two_clusters(), isolated=ISOLATED))
    for x, y in positions.values():
        for coordinate in (x, y):
            assert type(coordinate) is float
            assert math.isfinite(coordinate)
            assert round(coordinate, 1) == coordinate


def test_empty_graph_has_no_positions():
    assert layout_positions(nx.MultiDiGraph()) == {}


def test_single_node_sits_at_the_origin():
    assert layout_positions(statement_graph([], isolated=("ruritania",))) == {
        "ruritania": (0.0, 0.0)
    }


def test_only_isolated_nodes_stand_in_a_grid_one_neighbour_distance_apart():
    names = tuple(f"state-{i:02d}" for i in range(12))
    positions = layout_positions(statement_graph([], isolated=names))
    assert set(positions) == set(names)
    closest = min(math.dist(p, q) for p, q in combinations(positions.values(), 2))
    assert closest == pytest.approx(NEIGHBOUR_DISTANCE, abs=0.2)
    assert len({x for x, _ in positions.values()}) == 4  # 12 nodes in rows of 4
    assert len({y for _, y in positions.values()}) == 3


def test_insertion_order_does_not_change_positions():
    statements = two_clusters() + CHAIN
    forward = layout_positions(statement_graph(statements, isolated=ISOLATED))
    backward = layout_positions(statement_graph(statements, isolated=ISOLATED, reverse=True))
    assert forward == backward


def test_seed_decides_the_positions():
    graph = statement_graph(two_clusters())
    assert layout_positions(graph, seed=1) == layout_positions(graph, seed=1)
    assert layout_positions(graph, seed=1) != layout_positions(graph, seed=2)


def test_global_random_state_does_not_change_positions():
    graph = statement_graph(two_clusters())
    random.seed(11)
    first = layout_positions(graph)
    random.seed(12)
    assert layout_positions(graph) == first


SUBPROCESS = """
import json
from graph.explorer.layout import layout_positions
from tests.factories import statement_graph
statements = [tuple(s) for s in json.loads({statements!r})]
positions = layout_positions(statement_graph(statements, isolated={isolated!r}))
print(json.dumps(sorted(positions.items())))
"""


@pytest.mark.parametrize("hash_seed", ["0", "12345"])
def test_same_positions_in_a_process_with_another_hash_seed(hash_seed):
    statements = two_clusters() + CHAIN
    code = SUBPROCESS.format(statements=json.dumps(statements), isolated=ISOLATED)
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=WORKDIR,
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
    )
    theirs = {node: tuple(xy) for node, xy in json.loads(result.stdout)}
    assert theirs == layout_positions(statement_graph(statements, isolated=ISOLATED))


def test_mean_neighbour_distance_is_the_canvas_unit():
    statements = two_clusters() + CHAIN
    positions = layout_positions(statement_graph(statements))
    lengths = [math.dist(positions[s], positions[o]) for s, _, o in set(statements) if s != o]
    assert mean(lengths) == pytest.approx(NEIGHBOUR_DISTANCE, abs=1.0)


def test_explicit_scale_multiplies_the_layout():
    graph = statement_graph(two_clusters())
    small = layout_positions(graph, scale=10.0)
    large = layout_positions(graph, scale=30.0)
    for node, (x, y) in small.items():
        assert large[node][0] == pytest.approx(3 * x, abs=0.2)
        assert large[node][1] == pytest.approx(3 * y, abs=0.2)


@pytest.mark.parametrize("scale", [0.0, -1.0, math.nan])
def test_scale_must_be_positive(scale):
    with pytest.raises(ValueError, match="scale must be positive"):
        layout_positions(statement_graph(CHAIN), scale=scale)


def test_neighbours_are_closer_than_non_neighbours_in_two_clusters():
    statements = two_clusters()
    graph = statement_graph(statements)
    positions = layout_positions(graph)
    adjacent = {frozenset((s, o)) for s, _, o in statements}
    near, far = [], []
    for p, q in combinations(sorted(positions), 2):
        distance = math.dist(positions[p], positions[q])
        (near if frozenset((p, q)) in adjacent else far).append(distance)
    assert mean(near) < 0.75 * mean(far)
    # each cluster stays together: every node is nearer its own cluster's centre
    centres = {
        side: tuple(mean(xy[i] for n, xy in positions.items() if n[0] == side) for i in (0, 1))
        for side in "ab"
    }
    for node, xy in positions.items():
        other = "b" if node[0] == "a" else "a"
        assert math.dist(xy, centres[node[0]]) < math.dist(xy, centres[other]), node


def test_disconnected_components_stay_within_bounds():
    positions = layout_positions(statement_graph(components(), isolated=ISOLATED))
    assert len(positions) == 32
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    # centred on the origin, and no wider than 10 neighbour distances for 32 nodes
    assert max(xs) == pytest.approx(-min(xs), abs=0.1)
    assert max(ys) == pytest.approx(-min(ys), abs=0.1)
    assert max(xs) - min(xs) < 10 * NEIGHBOUR_DISTANCE
    assert max(ys) - min(ys) < 10 * NEIGHBOUR_DISTANCE


def test_components_are_packed_without_overlapping():
    positions = layout_positions(statement_graph(components(), isolated=ISOLATED))
    groups = [[f"c{c}-{i}" for i in range(6)] for c in range(5)] + [[n] for n in ISOLATED]
    boxes = []
    for group in groups:
        xs = [positions[n][0] for n in group]
        ys = [positions[n][1] for n in group]
        boxes.append((min(xs), min(ys), max(xs), max(ys)))
    for (left, top, right, bottom), (left2, top2, right2, bottom2) in combinations(boxes, 2):
        apart_x = max(left2 - right, left - right2)
        apart_y = max(top2 - bottom, top - bottom2)
        assert max(apart_x, apart_y) >= NEIGHBOUR_DISTANCE - 0.2


def test_igraph_random_numbers_come_from_the_random_module_again_afterwards():
    def edges_after_seeding() -> list[tuple[int, int]]:
        random.seed(5)
        return igraph.Graph.Erdos_Renyi(n=30, m=40).get_edgelist()

    before = edges_after_seeding()
    layout_positions(statement_graph(CHAIN))
    assert edges_after_seeding() == before


def _dot(node: str, x: float, y: float, width: float = 60.0) -> LabelledNode:
    """A node of size 10 with a one-line label of font 12 hanging below it."""
    return LabelledNode(node, x, y, size=10.0, font=12.0, label_width=width, label_height=17.0)


def test_a_label_goes_below_its_node_when_there_is_room():
    places = place_labels([_dot("a", 0, 0), _dot("b", 300, 0)])
    assert places == {"a": LabelPlace(12.0), "b": LabelPlace(12.0)}


def test_a_label_that_would_cover_a_heavier_ones_goes_above_its_node():
    heavy, light = _dot("heavy", 0, 0), _dot("light", 45, 5)
    places = place_labels([heavy, light, _dot("far-above", 400, -200)])
    assert places["heavy"] == LabelPlace(12.0)
    assert places["light"].raised == light.raise_above() > 0
    _, top, _, height = light.label_box(places["light"].raised)
    assert top + height <= light.y - light.size  # wholly above the shape


def test_a_label_with_no_room_below_or_above_is_left_out():
    # below, its label would cover the shape of "under"; above, the label of "over"
    nodes = [_dot("over", 0, 0), _dot("under", 0, 75), _dot("between", 5, 50)]
    places = place_labels(nodes)
    assert places["over"] == places["under"] == LabelPlace(12.0)
    assert places["between"] == LabelPlace(HIDDEN_LABEL_SIZE)


def test_a_label_inside_its_shape_is_never_raised():
    inside = LabelledNode("box", 20, 0, 10.0, 12.0, 60.0, 17.0, inside=True)
    places = place_labels([_dot("dot", 0, 0), inside])
    assert places["box"] == LabelPlace(HIDDEN_LABEL_SIZE)


def test_a_label_is_not_raised_above_the_topmost_shape():
    # "light" is the topmost node: above it, its label would leave the fitted view
    heavy, light = _dot("heavy", 0, 0), _dot("light", 45, -5)
    places = place_labels([heavy, light])
    assert places["light"] == LabelPlace(HIDDEN_LABEL_SIZE)


def test_the_layout_digest_follows_what_the_layout_reads_and_nothing_else():
    graph = nx.MultiDiGraph()
    graph.add_edge("a", "b", key="s1", relation="blames", quote="A blamed B")
    graph.add_edge("b", "c", key="s2", relation="supports_position")
    graph.add_node("d", label="D")
    same = nx.MultiDiGraph()
    same.add_node("d")
    same.add_edge("c", "b", key="other", modality="alleged")  # reversed, other attributes
    same.add_edge("b", "a")
    same.add_edge("b", "a")  # a parallel edge
    same.add_edge("c", "c")  # a self-loop
    assert layout_digest(same) == layout_digest(graph)
    assert layout_positions(same) == layout_positions(graph)
    for change in (lambda g: g.add_node("e"), lambda g: g.add_edge("a", "c")):
        changed = graph.copy()
        change(changed)
        assert layout_digest(changed) != layout_digest(graph)
