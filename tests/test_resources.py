"""The ontology, the queries and the gazetteer are found in a checkout and in a wheel."""

from __future__ import annotations

import pytest

import graph.resources
from graph.resources import resource_dir
from tests.factories import REPO


@pytest.mark.parametrize(
    ("name", "marker"),
    [("ontology", "apg.ttl"), ("queries", "README.md"), ("gazetteer", "states.tsv")],
)
def test_a_checkout_s_folders_are_found_at_its_top(name, marker):
    assert resource_dir(name, marker) == REPO / name
    assert (resource_dir(name, marker) / marker).is_file()


def test_a_packaged_copy_is_preferred_when_it_holds_the_marker(tmp_path, monkeypatch):
    package = tmp_path / "graph"
    (package / "_queries").mkdir(parents=True)
    monkeypatch.setattr(graph.resources, "PACKAGE", package)
    assert resource_dir("queries", "README.md") == tmp_path / "queries"  # no marker yet
    (package / "_queries" / "README.md").write_text("# queries\n", encoding="utf-8")
    assert resource_dir("queries", "README.md") == package / "_queries"
