import json

import pytest
from rdflib import URIRef

import graph
from graph.buildcache import EntryFolder, cache_folder
from graph.output import current_build
from graph.sparql.previous import PreviousStore, keep_store_record, previous_store
from graph.sparql.store import STORE_DIR
from tests.factories import three_tiny_sources

_BEFORE = {"urn:g1": "a" * 64, "urn:g2": "b" * 64, "urn:g3": "c" * 64, "urn:g4": "d" * 64}


def _previous(tmp_path) -> PreviousStore:
    return PreviousStore(tmp_path, _BEFORE)


def test_nothing_changed_drops_and_puts_in_nothing(tmp_path):
    assert _previous(tmp_path).changes(dict(_BEFORE)) == ([], [])


def test_a_changed_graph_is_dropped_and_put_in_again(tmp_path):
    after = {**_BEFORE, "urn:g2": "e" * 64}
    assert _previous(tmp_path).changes(after) == (["urn:g2"], ["urn:g2"])


def test_a_gone_graph_is_dropped_and_a_new_one_put_in(tmp_path):
    after = {**_BEFORE, "urn:g5": "f" * 64}
    del after["urn:g3"]
    assert _previous(tmp_path).changes(after) == (["urn:g3"], ["urn:g5"])


@pytest.mark.parametrize("changed", [3, 4])
def test_where_more_than_half_the_graphs_changed_the_store_is_loaded_afresh(tmp_path, changed):
    after = {name: ("e" * 64 if n < changed else digest) for n, (name, digest) in
             enumerate(_BEFORE.items())}  # fmt: skip
    assert _previous(tmp_path).changes(after) is None


def test_without_digests_the_store_is_loaded_afresh(tmp_path):
    assert _previous(tmp_path).changes({}) is None


def test_a_build_records_its_store_s_graphs_for_the_next(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    assert previous_store(out) is None  # no build yet
    checked = graph.build(data, out)
    found = previous_store(out)
    assert found is not None
    assert found.path == current_build(out) / STORE_DIR
    assert found.digests == checked.report.digests
    assert sorted(found.digests) == [
        "https://w3id.org/actor-position-graph/source/second",
        "https://w3id.org/actor-position-graph/source/third",
        "https://w3id.org/actor-position-graph/source/tiny",
    ]


def test_a_build_records_how_many_triples_each_graph_of_its_store_holds(make_source, tmp_path):
    out = tmp_path / "out"
    checked = graph.build(three_tiny_sources(make_source), out)
    found = previous_store(out)
    assert found is not None and found.sizes
    assert found.sizes == {name: len(checked.dataset.graph(URIRef(name))) for name in found.digests}


@pytest.mark.parametrize(
    "sizes", [{"urn:g1": -1}, {"urn:g1": "12"}, {"urn:other": 12}, {"urn:g1": True}, [12]]
)
def test_sizes_recorded_amiss_are_not_taken(make_source, tmp_path, sizes):
    out = tmp_path / "out"
    graph.build(three_tiny_sources(make_source), out)
    (record,) = cache_folder(out, "store").glob("*.json")
    content = {"graphs": {"urn:g1": "a" * 64}, "sizes": sizes}
    EntryFolder(record.parent).write(record.stem, content)  # as written, but amiss
    found = previous_store(out)
    assert found is not None and found.digests == {"urn:g1": "a" * 64}
    assert found.sizes == {}


def test_a_record_of_another_build_is_not_taken(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    checked = graph.build(data, out)
    graph.build(data, out, cache=False)  # a new build, recorded by nobody
    assert previous_store(out) is None
    keep_store_record(out, checked.report.digests)
    assert previous_store(out) is not None


def test_a_damaged_record_is_not_taken(make_source, tmp_path):
    out = tmp_path / "out"
    graph.build(three_tiny_sources(make_source), out)
    (record,) = cache_folder(out, "store").glob("*.json")
    entry = json.loads(record.read_text())
    entry["content"]["graphs"]["urn:other"] = "0" * 64  # edited: its checksum no longer holds
    record.write_text(json.dumps(entry))
    assert previous_store(out) is None


def test_a_record_without_its_store_is_not_taken(make_source, tmp_path):
    out = tmp_path / "out"
    graph.build(three_tiny_sources(make_source), out)
    store = current_build(out) / STORE_DIR
    for path in store.iterdir():
        path.unlink()
    store.rmdir()
    assert previous_store(out) is None


def test_a_build_without_the_cache_leaves_no_record(make_source, tmp_path):
    out = tmp_path / "out"
    graph.build(three_tiny_sources(make_source), out, cache=False)
    assert previous_store(out) is None
    assert not cache_folder(out, "store").exists()
