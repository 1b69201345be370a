import errno
import os
import subprocess
import sys
import textwrap

import pyoxigraph
import pytest
from rdflib import Graph, Literal

from graph import build
from graph.annotations import load_corpus
from graph.buildcache import CACHE_DIR
from graph.export import serialise
from graph.namespaces import APG, ENT, OA, SRC, XSD
from graph.output import reading
from graph.rdf import build_dataset, union_graph, union_view
from graph.sparql import store as store_module
from graph.sparql.store import (
    STORE_DIR,
    StoreError,
    StoreLoad,
    link_store_texts,
    memory_store,
    open_store,
    store_change_files,
    store_text_files,
    update_store,
    write_store,
    write_store_afresh,
)
from graph.turtle import trig, turtle
from graph.validate import validate_graph
from tests.factories import REPO, alive, wait_for

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


_TRIG = b"<urn:a> <urn:p> <urn:b> .\n<urn:g> { <urn:a> <urn:q> 'x' . }\n"
_TURTLE = b"<urn:a> <urn:p> <urn:b> .\n<urn:a> <urn:q> 'x' .\n"


def _quads(path):
    return sorted(str(quad) for quad in pyoxigraph.Store.read_only(str(path)))


def test_a_store_written_afresh_is_the_store_written_here(tmp_path):
    write_store(_TRIG, _TURTLE, tmp_path / "here")
    write_store_afresh(_TRIG, _TURTLE, tmp_path / "afresh")
    assert _quads(tmp_path / "afresh") == _quads(tmp_path / "here")
    assert len(_quads(tmp_path / "afresh")) == 3  # the union in the default graph, 1 named
    assert sorted(path.name for path in tmp_path.iterdir()) == ["afresh", "here"]  # no texts


def test_a_store_that_cannot_be_written_afresh_says_where_and_why(tmp_path):
    with pytest.raises(StoreError) as raised:
        write_store_afresh(b"<urn:a> <urn:p> .", _TURTLE, tmp_path / "store")
    assert str(raised.value).startswith(f"{tmp_path / 'store'}: cannot write the graph store: ")
    assert "Traceback" not in str(raised.value)
    assert not [path for path in tmp_path.iterdir() if path.name.endswith(".tmp")]


def test_forked_workers_write_stores_afresh_after_their_parent_opened_one(tmp_path):
    # a store opened in a process forked from one that had opened a store could wait
    # forever; the workers of a build hand the store to a process of their own
    script = textwrap.dedent(
        f"""
        from pathlib import Path
        from graph import forked
        from graph.sparql.store import write_store, write_store_afresh
        forked._memory_for = lambda workers: True
        folder = Path({str(tmp_path)!r})
        write_store({_TRIG!r}, {_TURTLE!r}, folder / "parent")
        pieces = [
            lambda name=name: write_store_afresh({_TRIG!r}, {_TURTLE!r}, folder / name)
            for name in ("one", "two")
        ]
        forked.run_all(pieces, 2)
        """
    )
    completed = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,  # outside the project folder, importing this checkout's package
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert completed.returncode == 0, completed.stderr
    assert _quads(tmp_path / "one") == _quads(tmp_path / "two") == _quads(tmp_path / "parent")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux's parent-death signal")
def test_the_store_loader_ends_with_the_process_that_started_it(tmp_path):
    # a build stops a worker whose graph failed the shapes; the loader it started must
    # not go on writing into the staging folder the build removes
    script = textwrap.dedent(
        f"""
        import os, subprocess, sys, time
        from graph.sparql.store import _end_with_parent
        child = subprocess.Popen(
            [sys.executable, "-c", "import time; time.sleep(120)"],
            preexec_fn=_end_with_parent(os.getpid()),
        )
        open({str(tmp_path / "pid")!r}, "w").write(str(child.pid))
        time.sleep(120)
        """
    )
    # started outside the project folder, importing this checkout's package
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    starter = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path, env=environment)
    try:
        written = tmp_path / "pid"
        wait_for(lambda: written.exists() and written.read_text() != "", "the loader's pid")
        loader = int(written.read_text())
        assert alive(loader)
    finally:
        starter.kill()
        starter.wait()
    # the kernel signals it as the starter ends
    wait_for(lambda: not alive(loader), "the loader ended with its starter")


def test_the_store_s_loader_is_given_the_build_s_own_files_not_copies(tmp_path, monkeypatch):
    trig, union = tmp_path / "graph.trig", tmp_path / "graph.ttl"
    trig.write_bytes(b"trig text")
    union.write_bytes(b"turtle text")
    link_store_texts(trig, union, tmp_path / "store")
    for given, made in zip(store_text_files(tmp_path / "store"), (trig, union), strict=True):
        assert given.read_bytes() == made.read_bytes()
        assert given.stat().st_ino == made.stat().st_ino  # a second name of the same file
        given.unlink()  # as the loader does
    assert trig.read_bytes() == b"trig text"

    def no_links(source, target):
        raise OSError(errno.EPERM, "links are not allowed here")

    monkeypatch.setattr("graph.sparql.store.os.link", no_links)
    link_store_texts(trig, union, tmp_path / "store")
    given, _ = store_text_files(tmp_path / "store")
    assert given.read_bytes() == b"trig text" and given.stat().st_ino != trig.stat().st_ino


def _seed_texts(seed_dataset):
    return trig(seed_dataset), turtle(union_view(seed_dataset))


def test_a_store_loaded_in_batches_holds_what_the_bulk_loader_puts_in(
    tmp_path, seed_dataset, monkeypatch
):
    named, union = _seed_texts(seed_dataset)
    write_store(named, union, tmp_path / "bulk")
    monkeypatch.setattr(store_module, "available_bytes", lambda: 0)  # no room: batches
    monkeypatch.setattr(store_module, "LOAD_BATCH", 1000)
    write_store(named, union, tmp_path / "batches")
    assert len(_quads(tmp_path / "bulk")) > 5000  # several batches of each text
    assert _quads(tmp_path / "batches") == _quads(tmp_path / "bulk")


class _Recording:
    """Stands for a store: records how it is given quads."""

    def __init__(self):
        self.calls = []

    def bulk_load(self, *arguments, **options):
        self.calls.append(("bulk_load", options.get("format")))

    def bulk_extend(self, quads):
        self.calls.append(("bulk_extend", len(quads)))


@pytest.mark.parametrize(
    ("available", "loaded"),
    [
        (
            10**12,
            [("bulk_load", pyoxigraph.RdfFormat.TRIG), ("bulk_load", pyoxigraph.RdfFormat.TURTLE)],
        ),
        # 3 named-graph quads, then the 3 union triples
        (0, [("bulk_extend", 2), ("bulk_extend", 1), ("bulk_extend", 2), ("bulk_extend", 1)]),
    ],
)
def test_the_loader_takes_the_bulk_loader_only_where_memory_holds_its_copy(
    tmp_path, monkeypatch, available, loaded
):
    text = tmp_path / "union.ttl"
    text.write_bytes(_THREE)
    monkeypatch.setattr(store_module, "available_bytes", lambda: available)
    monkeypatch.setattr(store_module, "LOAD_BATCH", 2)
    recording = _Recording()
    store_module._load(recording, b"<http://x/g> {\n" + _THREE + b"}\n", text)
    assert recording.calls == loaded


def test_the_threshold_is_sixteen_times_the_text():
    size = 1000
    assert store_module.BULK_MEMORY == 16
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store_module, "available_bytes", lambda: 16 * size)
        assert not store_module._bulk_fits(size)
        patch.setattr(store_module, "available_bytes", lambda: 16 * size + 1)
        assert store_module._bulk_fits(size)


def test_where_the_memory_available_is_unknown_the_bulk_loader_is_taken(monkeypatch):
    def unknown():
        raise ValueError("SC_AVPHYS_PAGES")

    monkeypatch.setattr(store_module, "available_bytes", unknown)
    assert store_module._bulk_fits(store_module.BULK_TEXT)


def test_a_large_text_goes_in_batches_whatever_the_memory(monkeypatch):
    """The bulk loader's copy of a large text would be the largest process of a build."""
    monkeypatch.setattr(store_module, "available_bytes", lambda: 10**15)
    assert store_module._bulk_fits(store_module.BULK_TEXT)
    assert not store_module._bulk_fits(store_module.BULK_TEXT + 1)


def test_a_bad_text_loaded_in_batches_is_refused_as_the_bulk_loader_refuses_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(store_module, "available_bytes", lambda: 0)
    with pytest.raises(SyntaxError):
        memory_store(b"<urn:a> <urn:p> .", _TURTLE)


_THREE = (
    b"<http://x/a> <http://x/p> <http://x/b> .\n"
    b"<http://x/a> <http://x/p> <http://x/c> .\n"
    b"<http://x/a> <http://x/q> <http://x/b> .\n"
)


# --- a rebuild's store: the store before, its changed graphs dropped and put in

_BEFORE = {
    "urn:g1": "<urn:a> <urn:p> 'one' . <urn:s> <urn:p> 'shared' .",
    "urn:g2": "<urn:b> <urn:p> 'two' . <urn:s> <urn:p> 'shared' .",
    "urn:g3": "<urn:c> <urn:p> 'three' . <urn:t> <urn:p> 'only here' .",
}
_AFTER = {  # g1 changed (no longer says 'shared'), g3 gone, g4 new
    "urn:g1": "<urn:a> <urn:p> 'one, revised' .",
    "urn:g2": _BEFORE["urn:g2"],
    "urn:g4": "<urn:d> <urn:p> 'four' . <urn:a> <urn:p> 'one' .",
}


_DEFAULT = pyoxigraph.DefaultGraph()


def _texts(graphs: dict[str, str]) -> tuple[bytes, bytes]:
    """The TriG of ``graphs`` and the Turtle of their union."""
    named = "".join(f"<{name}> {{ {triples} }}\n" for name, triples in graphs.items())
    union = Graph()
    for triples in graphs.values():
        union.parse(data=triples, format="turtle")
    return named.encode(), union.serialize(format="nt", encoding="utf-8")


def _named_graphs(path):
    return sorted(str(name) for name in pyoxigraph.Store.read_only(str(path)).named_graphs())


def test_an_updated_store_holds_the_quads_of_a_store_loaded_afresh(tmp_path):
    write_store(*_texts(_BEFORE), tmp_path / "before")
    changed, _ = _texts({name: _AFTER[name] for name in ("urn:g1", "urn:g4")})
    update_store(tmp_path / "before", tmp_path / "updated", changed, ["urn:g1", "urn:g3"])
    write_store(*_texts(_AFTER), tmp_path / "afresh")
    assert _quads(tmp_path / "updated") == _quads(tmp_path / "afresh")
    assert _named_graphs(tmp_path / "updated") == ["<urn:g1>", "<urn:g2>", "<urn:g4>"]
    store = pyoxigraph.Store.read_only(str(tmp_path / "updated"))
    union = {str(quad.object) for quad in store.quads_for_pattern(None, None, None, _DEFAULT)}
    assert '"shared"' in union  # g2 still says it
    assert '"only here"' not in union  # only the dropped g3 said it


def test_a_changed_graph_keeps_what_it_still_says_and_the_union_loses_what_none_says(
    tmp_path,
):
    """A graph dropped and given again (a changed source's) is changed in place: the
    triples it still holds stay, and the union loses only what no graph holds any more."""
    after = {
        **_BEFORE,
        "urn:g1": "<urn:a> <urn:p> 'one' . <urn:a> <urn:q> 'new' .",  # 'shared' left to g2
        "urn:g3": "<urn:c> <urn:p> 'three' .",  # 'only here' gone from every graph
    }
    write_store(*_texts(_BEFORE), tmp_path / "before")
    changed, _ = _texts({name: after[name] for name in ("urn:g1", "urn:g3")})
    update_store(tmp_path / "before", tmp_path / "updated", changed, ["urn:g1", "urn:g3"])
    write_store(*_texts(after), tmp_path / "afresh")
    assert _quads(tmp_path / "updated") == _quads(tmp_path / "afresh")
    store = pyoxigraph.Store.read_only(str(tmp_path / "updated"))
    union = {str(quad.object) for quad in store.quads_for_pattern(None, None, None, _DEFAULT)}
    assert {'"shared"', '"one"', '"new"'} <= union and '"only here"' not in union


def test_an_update_leaves_the_store_before_as_it_was_and_shares_its_files(tmp_path):
    write_store(*_texts(_BEFORE), tmp_path / "before")
    quads = _quads(tmp_path / "before")
    update_store(tmp_path / "before", tmp_path / "updated", b"", ["urn:g3"])
    assert _quads(tmp_path / "before") == quads
    assert len(_quads(tmp_path / "updated")) < len(quads)
    before = {p.stat().st_ino for p in (tmp_path / "before").iterdir() if p.suffix == ".sst"}
    after = {p.stat().st_ino for p in (tmp_path / "updated").iterdir() if p.suffix == ".sst"}
    assert before & after  # copied as links to the same files, not byte by byte


def test_the_loader_updates_the_store_before_from_the_files_it_is_given(tmp_path):
    write_store(*_texts(_BEFORE), tmp_path / "before")
    changed, dropped = store_change_files(tmp_path / "updated")
    changed.write_bytes(_texts({"urn:g1": _AFTER["urn:g1"], "urn:g4": _AFTER["urn:g4"]})[0])
    dropped.write_text("urn:g1\nurn:g3\n")
    StoreLoad(tmp_path / "updated", tmp_path / "before").wait()
    write_store(*_texts(_AFTER), tmp_path / "afresh")
    assert _quads(tmp_path / "updated") == _quads(tmp_path / "afresh")
    assert not changed.exists() and not dropped.exists()
