import pytest

from graph import build
from graph.namespaces import APG, ENT, SRC
from graph.store import STORE_DIR, StoreError, open_store, staged_store
from tests.factories import DATA

ASK_KHRAMOV = (
    "ASK { <https://w3id.org/actor-position-graph/id/oleg-khramov> "
    "<https://w3id.org/actor-position-graph/ontology#blames> "
    "<https://w3id.org/actor-position-graph/id/western-countries> }"
)


def test_build_writes_a_store_that_readers_share(tmp_path):
    build(DATA, tmp_path)
    first, second = open_store(tmp_path / STORE_DIR), open_store(tmp_path / STORE_DIR)
    assert bool(first.query(ASK_KHRAMOV))
    assert bool(second.query(ASK_KHRAMOV))
    graphs = sorted(str(g.value) for g in first.named_graphs())
    assert graphs == ["https://w3id.org/actor-position-graph/source/un-gge-talks-collapse-2017"]
    in_source = "ASK { GRAPH src:un-gge-talks-collapse-2017 { ent:oleg-khramov apg:blames ?x } }"
    prefixes = {"src": str(SRC), "ent": str(ENT), "apg": str(APG)}
    assert bool(first.query(in_source, prefixes=prefixes))


def test_a_rebuild_swaps_the_store_under_an_open_reader(tmp_path):
    build(DATA, tmp_path)
    reader = open_store(tmp_path / STORE_DIR)
    build(DATA, tmp_path)
    assert bool(reader.query(ASK_KHRAMOV))
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_failure_after_staging_keeps_the_old_store(tmp_path):
    trig = b"<http://x/g> { <http://x/a> <http://x/p> <http://x/b> . }\n"
    union = b"<http://x/a> <http://x/p> <http://x/b> .\n"
    with staged_store(trig, union, tmp_path):
        pass
    with pytest.raises(RuntimeError), staged_store(b"", b"", tmp_path):
        raise RuntimeError("writing the other files failed")
    store = open_store(tmp_path / STORE_DIR)
    assert len(list(store.quads_for_pattern(None, None, None))) == 2  # named and default
    assert sorted(p.name for p in tmp_path.iterdir()) == [STORE_DIR]


def test_a_missing_store_says_to_build(tmp_path):
    with pytest.raises(StoreError, match="run `apg build` first"):
        open_store(tmp_path / STORE_DIR)
