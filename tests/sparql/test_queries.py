"""Every bundled query, run on the seed graph, gives the rows of its expected-results file.

Queries about relations the seed does not code (sanctions, denials) are also run on a small
source that codes them (the ``sanctions_data`` fixture), with expected results
of their own under ``tests/expected/queries/sanctions-source/``.
"""

import csv
import io

import pytest

from graph.export import serialise
from graph.rdf import union_graph
from graph.sparql.query import bundled_queries, format_result, load_query, run_query
from graph.sparql.store import memory_store
from tests.factories import REPO

EXPECTED = REPO / "tests" / "expected" / "queries"
ON_SANCTIONS_SOURCE = EXPECTED / "sanctions-source"
QUERIES = sorted(bundled_queries())


@pytest.fixture(scope="module")
def seed_store(seed_dataset, seed_graph):
    files = serialise(seed_dataset, seed_graph)
    return memory_store(files["graph.trig"], files["graph.ttl"])


def test_the_bundled_library_answers_the_usual_questions():
    assert {
        "who-blames-whom", "actor-positions", "position-sides", "representation",
        "incident-attributions", "source-statements", "coalitions", "split-positions",
    } <= set(QUERIES)  # fmt: skip


@pytest.fixture(scope="module")
def sanctions_store(sanctions_dataset):
    files = serialise(sanctions_dataset, union_graph(sanctions_dataset))
    return memory_store(files["graph.trig"], files["graph.ttl"])


def _assert_expected_rows(name, store, expected_file):
    assert expected_file.exists(), f"no expected results for {name}"
    with expected_file.open(encoding="utf-8", newline="") as stream:
        expected = list(csv.reader(stream))
    result = run_query(load_query(name), store)
    got = list(csv.reader(io.StringIO(format_result(result, "csv"), newline="")))
    assert got[0] == expected[0], "columns"
    assert got[1:] == expected[1:]


@pytest.mark.parametrize("name", QUERIES)
def test_bundled_query_gives_its_expected_rows(name, seed_store):
    _assert_expected_rows(name, seed_store, EXPECTED / f"{name}.csv")


@pytest.mark.parametrize("name", ["sanctions", "denials"])
def test_query_gives_its_expected_rows_on_a_source_with_sanctions_and_denials(
    name, sanctions_store
):
    _assert_expected_rows(name, sanctions_store, ON_SANCTIONS_SOURCE / f"{name}.csv")


def test_a_denial_sits_beside_each_attribution_of_its_incident(sanctions_store):
    result = run_query(load_query("denials"), sanctions_store)
    rows = list(csv.DictReader(io.StringIO(format_result(result, "csv"), newline="")))
    kral = [r for r in rows if r["denier_label"] == "Boris Kral"]
    assert {r["attributed_to_label"] for r in kral} == {
        "Freedonia",
        "Freedonian military intelligence service",
    }
    (harbour,) = [r for r in rows if r["incident_label"] == "Harbour hack"]
    assert harbour["denier_label"] == "Freedonia" and harbour["attribution_statement"] == ""


def test_the_seed_has_no_sanctions_and_no_denials(seed_store):
    for name in ("sanctions", "denials"):
        assert run_query(load_query(name), seed_store).rows == (), name


@pytest.mark.parametrize("name", QUERIES)
def test_bundled_query_says_what_it_answers(name):
    text = load_query(name)
    assert text.startswith("# Question: "), name
    assert "\n# Returns: " in text, name
    readme = (REPO / "queries" / "README.md").read_text(encoding="utf-8")
    assert f"`{name}.rq`" in readme or f"`{name}`" in readme, name
