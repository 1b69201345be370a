import pyoxigraph
import pytest
from rdflib import Graph, Literal

from graph import build
from graph.annotations import load_corpus
from graph.buildcache import CACHE_DIR
from graph.export import serialise
from graph.namespaces import APG, ENT, OA, SRC, XSD
from graph.output import reading
from graph.rdf import build_dataset, union_graph
from graph.sparql.store import STORE_DIR, StoreError, memory_store, open_store, write_store
from graph.validate import validate_graph

ASK_KHRAMOV = (
    "ASK { <https://w3id.org/actor-position-graph/id/oleg-khramov> "
    "<https://w3id.org/actor-position-graph/ontology#blames> "
    "<https://w3id.org/actor-position-graph/id/western-countries> }"
)


def test_build_writes_a_store_that_readers_share(tmp_path, seed_data):
    build(seed_data, tmp_path)
    first, second = open_store(tmp_path / STORE_DIR), open_store(tmp_path / STORE_DIR)
    assert bool(first.query(ASK_KHRAMOV))
    assert bool(second.query(ASK_KHRAMOV))
    graphs = sorted(str(g.value) for g in first.named_graphs())
    assert graphs == ["https://w3id.org/actor-position-graph/source/un-gge-talks-collapse-2017"]
    in_source = "ASK { GRAPH src:un-gge-talks-collapse-2017 { ent:oleg-khramov apg:blames ?x } }"
    prefixes = {"src": str(SRC), "ent": str(ENT), "apg": str(APG)}
    assert bool(first.query(in_source, prefixes=prefixes))


def test_a_rebuild_leaves_a_reader_its_store(tmp_path, seed_data):
    build(seed_data, tmp_path)
    with reading(tmp_path / STORE_DIR) as path:
        reader = open_store(path)
        build(seed_data, tmp_path)
        assert bool(reader.query(ASK_KHRAMOV))
        assert path.is_dir() and path != (tmp_path / STORE_DIR).resolve()
    hidden = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert hidden == [CACHE_DIR]  # no temporary file left, only the build cache


def test_write_store_lays_out_named_graphs_and_their_union(tmp_path):
    trig = b"<http://x/g> { <http://x/a> <http://x/p> <http://x/b> . }\n"
    union = b"<http://x/a> <http://x/p> <http://x/b> .\n"
    write_store(trig, union, tmp_path / "store")
    store = open_store(tmp_path / "store")
    graphs = sorted(str(quad.graph_name) for quad in store.quads_for_pattern(None, None, None))
    assert graphs == ["<http://x/g>", "DEFAULT"]


def test_a_store_is_opened_at_its_real_folder(tmp_path):
    trig = b"<http://x/g> { <http://x/a> <http://x/p> <http://x/b> . }\n"
    write_store(trig, b"", tmp_path / "first")
    (tmp_path / "link").symlink_to("first")
    store = open_store(tmp_path / "link")
    (tmp_path / "link").unlink()
    write_store(b"", b"", tmp_path / "second")
    (tmp_path / "link").symlink_to("second")  # switched after opening: still the first
    assert len(list(store.quads_for_pattern(None, None, None))) == 1


def test_a_missing_store_says_to_build(tmp_path):
    with pytest.raises(StoreError, match="run `apg build` first"):
        open_store(tmp_path / STORE_DIR)


def _read_back(seed_data) -> Graph:
    """The seed's graph as ``apg build`` stores it, read back from the store's default graph."""
    dataset = build_dataset(load_corpus(seed_data))
    files = serialise(dataset, union_graph(dataset))
    store = memory_store(files["graph.trig"], files["graph.ttl"])
    held = store.dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
    return Graph().parse(data=held, format="nt")


def test_the_graph_read_back_from_the_store_conforms_to_the_shapes(seed_data):
    """Oxigraph stores the offsets, written as xsd:nonNegativeInteger, as xsd:integer; the
    shapes accept both, so what ``apg query`` or ``apg serve`` return is valid data."""
    graph = _read_back(seed_data)
    datatypes = {start.datatype for start in graph.objects(None, OA.start)}
    assert datatypes == {XSD.integer}
    assert len(graph) == 3027
    report = validate_graph(graph)
    assert report.conforms, report.violations


def test_a_negative_offset_as_the_store_returns_it_is_refused(seed_data):
    graph = _read_back(seed_data)
    selector = next(graph.subjects(OA.start, None))
    graph.set((selector, OA.start, Literal(-1, datatype=XSD.integer)))
    messages = [violation.message for violation in validate_graph(graph).violations]
    assert (
        "Text position selector start (oa:start) is not a non-negative integer "
        "(xsd:nonNegativeInteger, or xsd:integer as Oxigraph stores it)"
    ) in messages
