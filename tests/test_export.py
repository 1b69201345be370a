import os
import subprocess
import sys

import pytest

from graph import build
from graph.export import write_files
from tests.factories import DATA, REPO


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


def test_build_writes_every_format(tmp_path):
    result = build(DATA, tmp_path)
    assert sorted(result.files) == [
        "graph.html", "graph.jsonld", "graph.trig", "graph.ttl", "store",
    ]  # fmt: skip
    assert (
        b"@prefix apg: <https://w3id.org/actor-position-graph/ontology#>"
        in (tmp_path / "graph.ttl").read_bytes()
    )


def _build_in_subprocess(out, seed):
    environment = dict(os.environ, PYTHONHASHSEED=str(seed))
    subprocess.run(
        [sys.executable, "-m", "graph", "build", "--data", str(DATA), "--out", str(out)],
        check=True,
        cwd=REPO,
        env=environment,
        capture_output=True,
    )


def test_two_builds_give_byte_identical_outputs(tmp_path):
    """Turtle, TriG and JSON-LD do not depend on hash seeds or on the run."""
    _build_in_subprocess(tmp_path / "one", 1)
    _build_in_subprocess(tmp_path / "two", 2)
    for name in ("graph.ttl", "graph.trig", "graph.jsonld", "graph.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes(), (
            name
        )
