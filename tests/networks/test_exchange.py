import csv
import io
import json

import networkx as nx
import pytest
import yaml

from graph.networks import exchange
from graph.networks.discourse import blame_network, congruence_network
from graph.networks.exchange import (
    FORMATS,
    each_network_file,
    flat,
    network_files,
    to_csv,
    to_gexf,
    to_graphml,
    to_json,
)
from graph.networks.projection import to_networkx
from tests.factories import read_only, tiny_annotation

NAMES = ["statements", "state/blame", "state/affiliation", "actor/congruence", "state/attribution"]


@pytest.fixture(scope="module")
def seed_files(seed_network):
    return network_files(seed_network)


def read(data: bytes, reader, tmp_path, suffix):
    path = tmp_path / f"network.{suffix}"
    path.write_bytes(data)
    return reader(path)


def assert_same_attributes(written: nx.Graph, read_back: nx.Graph) -> None:
    expected = flat(written)
    assert sorted(read_back.nodes) == sorted(expected.nodes)
    for node, data in expected.nodes(data=True):
        assert {k: read_back.nodes[node].get(k) for k in data} == data, node
    if expected.is_multigraph():
        back = {data["statement"]: data for *_, data in read_back.edges(data=True)}
        for *_, data in expected.edges(data=True):
            assert {k: back[data["statement"]].get(k) for k in data} == data
    else:
        for u, v, data in expected.edges(data=True):
            assert {k: read_back.edges[u, v].get(k) for k in data} == data, (u, v)
    assert read_back.number_of_edges() == expected.number_of_edges()


@pytest.mark.parametrize("name", NAMES)
def test_graphml_reads_back_with_every_attribute(seed_network, seed_files, tmp_path, name):
    back = read(seed_files[f"networks/{name}.graphml"], nx.read_graphml, tmp_path, "graphml")
    assert_same_attributes(_project(seed_network, name), back)


@pytest.mark.parametrize("name", NAMES)
def test_gexf_reads_back_with_every_attribute(seed_network, seed_files, tmp_path, name):
    back = read(seed_files[f"networks/{name}.gexf"], nx.read_gexf, tmp_path, "gexf")
    assert_same_attributes(_project(seed_network, name), back)


def _project(network, name):
    from graph.networks.exchange import NETWORKS

    if name == "statements":
        return network
    level, kind = name.split("/")
    return NETWORKS[kind](network, level)


def test_the_statement_multigraph_keeps_quotes_and_offsets(seed_network, seed_files, tmp_path):
    back = read(seed_files["networks/statements.graphml"], nx.read_graphml, tmp_path, "graphml")
    (khramov,) = [
        d for u, v, d in back.edges(data=True) if u == "oleg-khramov" and d["relation"] == "blames"
    ]
    assert "western countries" in khramov["quote"]
    assert isinstance(khramov["quote_start"], int) and khramov["quote_end"] > khramov["quote_start"]


def test_every_network_in_every_format_at_both_levels(seed_files):
    assert len(seed_files) == 4 + 2 * 6 * 4
    assert set(FORMATS) == {"graphml", "gexf", "json", "csv"}
    assert "networks/state/conflict.gexf" in seed_files
    assert "networks/actor/sanctions.graphml" in seed_files  # empty for the seed, but there


@pytest.mark.parametrize("name", ["state/attribution", "actor/attribution", "state/sanctions"])
@pytest.mark.parametrize("extension", ["graphml", "gexf"])
def test_denials_and_sanctions_read_back_with_every_attribute(
    sanctions_statements, tmp_path, name, extension
):
    files = network_files(sanctions_statements)
    reader = nx.read_graphml if extension == "graphml" else nx.read_gexf
    back = read(files[f"networks/{name}.{extension}"], reader, tmp_path, extension)
    assert_same_attributes(_project(sanctions_statements, name), back)


def test_csv_of_the_attribution_network_carries_the_denials(sanctions_statements):
    files = network_files(sanctions_statements)
    rows = list(csv.DictReader(io.StringIO(files["networks/state/attribution.csv"].decode())))
    by_edge = {(r["source"], r["target"]): r for r in rows}
    harbour = by_edge["harbour-hack", "freedonia"]
    assert (harbour["weight"], harbour["denials"], harbour["net"]) == ("0", "1", "-1")
    assert harbour["denial_statements"].endswith("/statement/freedonia-denies-harbour-hack")
    assert by_edge["blackout-attack", "freedonia"]["net"] == "1"
    sanctions = files["networks/state/sanctions.csv"].decode()
    assert "northern-union,freedonia," in sanctions and ",blackout-attack," in sanctions


def test_files_are_byte_stable(seed_network, seed_files):
    assert network_files(seed_network) == seed_files
    assert b"lastmodifieddate" not in seed_files["networks/statements.gexf"]


def test_node_link_json_round_trips(seed_network, seed_files):
    data = json.loads(seed_files["networks/state/blame.json"])
    back = nx.node_link_graph(data, edges="edges")
    assert back.is_directed()
    assert back.edges["russia", "western-countries"]["weight"] == 2
    assert back.nodes["russia"]["label"] == "Russia"


def test_csv_edge_list_has_one_row_per_edge(seed_network):
    blame = blame_network(seed_network, "state")
    rows = list(csv.DictReader(io.StringIO(to_csv(blame).decode())))
    assert len(rows) == blame.number_of_edges()
    row = next(r for r in rows if (r["source"], r["target"]) == ("russia", "western-countries"))
    assert row["weight"] == "2" and row["hedged"] == "false"
    assert len(row["statements"].split()) == 2


def test_hostile_labels_are_escaped_in_xml():
    network = nx.Graph()
    network.add_node("x", label='<script>alert("x")</script> & co')
    network.add_edge("x", "y", positions=["a", "b"])
    assert b"<script>" not in to_graphml(network) and b"<script>" not in to_gexf(network)
    assert json.loads(to_json(network))["edges"][0]["positions"] == "a b"
    back = nx.parse_graphml(to_graphml(network).decode())
    assert back.nodes["x"]["label"] == '<script>alert("x")</script> & co'


def test_normalised_weights_survive_as_floats(seed_network, tmp_path):
    agree = congruence_network(seed_network, "state", normalise="jaccard")
    back = read(to_graphml(agree), nx.read_graphml, tmp_path, "graphml")
    weights = sorted(w for *_, w in back.edges(data="weight"))
    assert weights == sorted(w for *_, w in agree.edges(data="weight"))
    assert all(0 < w <= 1 for w in weights)


ODD_LABEL = "Nord\u0085land\u00a0\ufffd \U0001f600 \u200f\u05d9\u05e9\u05e8\u05d0\u05dc\u200e"
"""A label of characters that XML 1.0 carries though they look odd: NEL, no-break space,
the replacement character, an emoji, right-to-left marks and Hebrew."""


def test_a_label_with_odd_but_legal_characters_reads_back_from_graphml_and_gexf(
    make_source, tmp_path
):
    from graph import build

    annotation = tiny_annotation()
    annotation["entities"][1]["label"] = ODD_LABEL
    # escaped: YAML reads a raw U+0085 in a scalar as a line break
    raw = yaml.safe_dump(annotation, allow_unicode=False)
    result = build(make_source(raw=raw), tmp_path / "out")
    assert result.corpus.entities["freedonia"].label == ODD_LABEL
    files = network_files(to_networkx(result.graph))
    for extension, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        back = read(files[f"networks/statements.{extension}"], reader, tmp_path, extension)
        assert back.nodes["freedonia"]["label"] == ODD_LABEL, extension
        written = (tmp_path / "out" / "networks" / f"statements.{extension}").read_bytes()
        assert reader(io.BytesIO(written)).nodes["freedonia"]["label"] == ODD_LABEL


def test_a_label_with_a_control_character_is_refused_before_any_network_is_written(
    make_source, tmp_path
):
    from graph import AnnotationError, build

    annotation = tiny_annotation()
    annotation["entities"][1]["label"] = "Free\x01donia"
    with pytest.raises(AnnotationError, match=r"U\+0001, which XML 1\.0 cannot carry"):
        build(make_source(annotation=annotation), tmp_path / "out")
    assert not (tmp_path / "out" / "networks").exists()


def test_the_files_come_one_network_at_a_time(seed_network, monkeypatch):
    made: list[str] = []
    projections = dict(exchange.NETWORKS)
    for name, project in projections.items():

        def counted(statements, level, *, shared, name=name, project=project):
            made.append(f"{level}/{name}")
            return project(statements, level, shared=shared)

        monkeypatch.setitem(exchange.NETWORKS, name, counted)
    files = each_network_file(seed_network)
    first = [next(files) for _ in range(4)]
    assert [name for name, _ in first] == [f"networks/statements.{e}" for e in FORMATS]
    assert made == []  # no projection made before its files are asked for
    next(files)
    assert made == ["actor/affiliation"]
    rest = dict(files)
    assert len(rest) == 4 * 2 * len(projections) - 1
    assert made == [f"{level}/{name}" for level in ("actor", "state") for name in projections]


def test_the_parts_give_the_files_of_the_whole_in_the_same_order(seed_network):
    whole = list(each_network_file(seed_network))
    parted = [
        *each_network_file(seed_network, ("statements", "actor")),
        *each_network_file(seed_network, ("state",)),
    ]
    assert parted == whole
    assert {name.split("/")[1] for name, _ in each_network_file(seed_network, ("state",))} == {
        "state"
    }
    with pytest.raises(ValueError, match="unknown parts \\['states'\\]"):
        list(each_network_file(seed_network, ("states",)))


PROJECTIONS = [stem for stem, _ in exchange.each_network(nx.MultiDiGraph())][1:]


@pytest.mark.parametrize("stem", PROJECTIONS)
def test_a_projection_reads_only_the_statements_of_its_relations_and_the_nodes_labels_and_types(
    seed_network, sanctions_statements, stem
):
    """What ``relations_of`` names is all a projection reads: a rebuild takes a network's
    files by the digest of those statements and nodes without making it."""
    relations = exchange.relations_of(stem)
    assert relations is not None
    whole = nx.compose(seed_network, sanctions_statements)
    made = dict(exchange.each_network(whole))[stem]()
    assert made.number_of_edges() > 0
    from_read = dict(exchange.each_network(read_only(whole, relations)))[stem]()
    assert exchange.files_of(stem, from_read) == exchange.files_of(stem, made)
    # at the level of states, who speaks for whom is read too
    assert ("represents" in relations) == stem.startswith("networks/state/")


def test_the_statement_network_reads_every_relation():
    assert exchange.relations_of("networks/statements") is None
    with pytest.raises(ValueError, match="networks/actor/nothing"):
        exchange.relations_of("networks/actor/nothing")
