import os
import re
import stat
import subprocess
import sys

import pytest
import rdflib.namespace

from graph import build
from graph.annotations import load_corpus
from graph.export import serialise, write_files
from graph.output import new_file_mode
from graph.rdf import build_dataset, union_graph
from tests.factories import WORKDIR, tiny_variant


def test_files_are_replaced_whole(tmp_path):
    (tmp_path / "graph.ttl").write_bytes(b"old")
    written = write_files(tmp_path, {"graph.ttl": b"new", "graph.trig": b"trig"})
    assert (tmp_path / "graph.ttl").read_bytes() == b"new"
    assert sorted(written) == ["graph.trig", "graph.ttl"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.trig", "graph.ttl"]


def test_a_failed_write_leaves_the_folder_as_it_was(tmp_path, monkeypatch):
    (tmp_path / "graph.ttl").write_bytes(b"old")

    def broken_replace(source, target):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_files(tmp_path, {"graph.ttl": b"new", "graph.trig": b"trig"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.ttl"]
    assert (tmp_path / "graph.ttl").read_bytes() == b"old"


def test_write_files_into_folders_leaves_nothing_behind_on_failure(tmp_path, monkeypatch):
    written = write_files(tmp_path, {"networks/a.csv": b"a", "top.txt": b"t"})
    assert written["networks/a.csv"] == tmp_path / "networks" / "a.csv"
    calls = []

    def broken_replace(source, destination):
        calls.append(destination)
        if len(calls) == 2:
            raise OSError("disk full")
        return real_replace(source, destination)

    real_replace = os.replace
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_files(tmp_path, {"networks/a.csv": b"new", "networks/b.csv": b"b"})
    assert not list(tmp_path.rglob("*.tmp"))


def test_build_writes_every_format(tmp_path, seed_data):
    result = build(seed_data, tmp_path)
    top = sorted(name for name in result.files if "/" not in name)
    assert top == ["graph.html", "graph.jsonld", "graph.trig", "graph.ttl", "store"]
    networks = sorted(name for name in result.files if name.startswith("networks/"))
    assert len(networks) == 52 and "networks/state/conflict.graphml" in networks
    assert all(path.is_file() for name, path in result.files.items() if name in networks)
    assert (
        b"@prefix apg: <https://w3id.org/actor-position-graph/ontology#>"
        in (tmp_path / "graph.ttl").read_bytes()
    )


def _build_in_subprocess(data, out, seed, *options):
    environment = dict(os.environ, PYTHONHASHSEED=str(seed))
    subprocess.run(
        [sys.executable, "-m", "graph", "build", "--data", str(data), "--out", str(out), *options],
        check=True,
        cwd=WORKDIR,
        env=environment,
        capture_output=True,
    )


def test_two_builds_give_byte_identical_outputs(tmp_path, make_source):
    """Turtle, TriG, JSON-LD, the page and the networks do not depend on hash seeds or on
    the number of processes writing them, with several sources (whose named graphs TriG
    lists in the order of their names)."""
    for source_id in ("src-c", "src-a", "src-b"):
        data = make_source(annotation=tiny_variant(source_id), folder=source_id)
    _build_in_subprocess(data, tmp_path / "one", 1, "--jobs", "1")
    _build_in_subprocess(data, tmp_path / "two", 2, "--jobs", "2")
    networks = sorted(
        str(path.relative_to(tmp_path / "one"))
        for path in (tmp_path / "one" / "networks").rglob("*.*")
    )
    assert len(networks) == 52
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html", *networks):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), (
            name
        )
    trig = (tmp_path / "one" / "graph.trig").read_text(encoding="utf-8")
    graphs = re.findall(r"^(src:[\w-]+) \{$", trig, flags=re.MULTILINE)
    assert len(graphs) == 3 and graphs == sorted(graphs)


def test_written_files_get_the_permissions_of_a_new_file(tmp_path):
    reference = tmp_path / "reference.txt"
    reference.write_text("x", encoding="utf-8")
    usual = stat.S_IMODE(reference.stat().st_mode)
    written = write_files(tmp_path / "out", {"graph.html": b"<p>", "networks/blame.csv": b"a"})
    assert {stat.S_IMODE(path.stat().st_mode) for path in written.values()} == {usual}
    assert usual == new_file_mode()


def test_serialising_scans_no_namespaces(seed_data, monkeypatch):
    """rdflib's writers scan every namespace met (one per statement) for each IRI they
    cannot compact, which made Turtle and TriG quadratic in the statements; ``serialise``
    never calls that scan, and writes the same Turtle."""
    scans = []
    original = rdflib.namespace.get_longest_namespace

    def counted(trie, value):
        scans.append(value)
        return original(trie, value)

    monkeypatch.setattr(rdflib.namespace, "get_longest_namespace", counted)
    dataset = build_dataset(load_corpus(seed_data))
    graph = union_graph(dataset)
    files = serialise(dataset, graph)
    assert scans == []
    assert files["graph.ttl"] == graph.serialize(format="turtle", encoding="utf-8")
    assert len(scans) > 113  # rdflib's writer scans at least once per statement IRI
