"""Every bundled query, run on the seed graph, gives the rows of its expected-results file."""

import csv
import io

import pytest

from graph.export import serialise
from graph.sparql.query import bundled_queries, format_result, load_query, run_query
from graph.sparql.store import memory_store
from tests.factories import REPO

EXPECTED = REPO / "tests" / "expected" / "queries"
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


@pytest.mark.parametrize("name", QUERIES)
def test_bundled_query_gives_its_expected_rows(name, seed_store):
    expected_file = EXPECTED / f"{name}.csv"
    assert expected_file.exists(), f"no expected results for {name}"
    with expected_file.open(encoding="utf-8", newline="") as stream:
        expected = list(csv.reader(stream))
    result = run_query(load_query(name), seed_store)
    got = list(csv.reader(io.StringIO(format_result(result, "csv"), newline="")))
    assert got[0] == expected[0], "columns"
    assert got[1:] == expected[1:]


@pytest.mark.parametrize("name", QUERIES)
def test_bundled_query_says_what_it_answers(name):
    text = load_query(name)
    assert text.startswith("# Question: "), name
    assert "\n# Returns: " in text, name
    readme = (REPO / "queries" / "README.md").read_text(encoding="utf-8")
    assert f"`{name}.rq`" in readme or f"`{name}`" in readme, name
