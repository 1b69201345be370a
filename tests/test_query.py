import csv
import io
import json

import pytest

from graph.export import serialise
from graph.query import (
    QueryError,
    RefusedQuery,
    format_result,
    load_query,
    query_form,
    run_query,
    with_prefixes,
)
from graph.store import memory_store


@pytest.fixture(scope="module")
def seed_store(seed_dataset, seed_graph):
    files = serialise(seed_dataset, seed_graph)
    return memory_store(files["graph.trig"], files["graph.ttl"])


BLAMES = """SELECT ?who ?whom ?quote WHERE {
    ?s rdf:predicate apg:blames ; rdf:subject ?a ; rdf:object ?b ; apg:quote ?quote .
    ?a rdfs:label ?who . ?b rdfs:label ?whom .
    FILTER (?a = ent:oleg-khramov)
} ORDER BY ?whom"""


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "SELECT"),
        ("prefix x: <http://x/> ask { x:a x:b ?load }", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x/a>", "DESCRIBE"),
        ("# INSERT in a comment\nSELECT ?s WHERE { ?s ?p 'DELETE' }", "SELECT"),
        ("SELECT ?service WHERE { ?service <http://x/load> ?x }", "SELECT"),
    ],
)
def test_query_forms(sparql, form):
    assert query_form(sparql) == form


@pytest.mark.parametrize(
    ("sparql", "refused"),
    [
        ("INSERT DATA { <http://x/a> <http://x/b> <http://x/c> }", "INSERT"),
        ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
        ("LOAD <http://example.org/data.ttl>", "LOAD"),
        ("CLEAR ALL", "CLEAR"),
        ("DROP GRAPH <http://x/g>", "DROP"),
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("select * where { service silent <http://x/> { ?s ?p ?o } }", "SERVICE"),
    ],
)
def test_updates_load_and_service_are_refused(sparql, refused):
    with pytest.raises(RefusedQuery, match=f"^{refused} is refused"):
        query_form(sparql)


def test_not_a_query():
    with pytest.raises(QueryError, match="not a SPARQL query"):
        query_form("hello world")


def test_select_on_the_store(seed_store):
    result = run_query(BLAMES, seed_store)
    assert result.variables == ("who", "whom", "quote")
    assert [(r[0]["value"], r[1]["value"]) for r in result.rows] == [
        ("Oleg Khramov", "Western countries")
    ]
    assert "blamed western countries for the impasse" in result.rows[0][2]["value"]


def test_ask_and_construct(seed_store):
    assert run_query("ASK { ent:russia apg:iso3166 'RU' }", seed_store).boolean is True
    graph = run_query("CONSTRUCT { ent:russia ?p ?o } WHERE { ent:russia ?p ?o }", seed_store)
    assert len(graph.graph) > 3
    assert "ent:russia" in format_result(graph, "table")


def test_syntax_error_is_one_line(seed_store):
    with pytest.raises(QueryError, match=r"^SPARQL syntax error: ") as caught:
        run_query("SELECT ?s WHERE { ?s ?p }", seed_store)
    assert "\n" not in str(caught.value)


def test_formats(seed_store):
    result = run_query(BLAMES, seed_store)
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["who", "whom", "quote"] and rows[1][:2] == [
        "Oleg Khramov",
        "Western countries",
    ]
    tsv = format_result(result, "tsv").splitlines()
    assert tsv[0] == "?who\t?whom\t?quote" and tsv[1].startswith('"Oleg Khramov"\t')
    document = json.loads(format_result(result, "json"))
    assert document["head"]["vars"] == ["who", "whom", "quote"]
    assert document["results"]["bindings"][0]["who"] == {"type": "literal", "value": "Oleg Khramov"}
    table = format_result(result, "table").splitlines()
    assert table[0].split() == ["who", "whom", "quote"] and table[-1] == "(1 row)"


def test_typed_and_unbound_cells(seed_store):
    result = run_query(
        "SELECT ?date ?none WHERE { src:un-gge-talks-collapse-2017 dcterms:date ?date }"
        " VALUES ?none { UNDEF }",
        seed_store,
    )
    date, none = result.rows[0]
    assert date == {
        "type": "literal", "value": "2017-08-23",
        "datatype": "http://www.w3.org/2001/XMLSchema#date",
    }  # fmt: skip
    assert none is None
    assert format_result(result, "tsv").splitlines()[1] == (
        '"2017-08-23"^^<http://www.w3.org/2001/XMLSchema#date>\t'
    )


def test_load_query_by_text_file_or_unknown_name(tmp_path):
    assert load_query("SELECT * WHERE { ?s ?p ?o }").startswith("SELECT")
    path = tmp_path / "mine.rq"
    path.write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    assert load_query(str(path)) == "ASK { ?s ?p ?o }"
    with pytest.raises(QueryError, match="query file not found"):
        load_query(str(tmp_path / "missing.rq"))
    with pytest.raises(QueryError, match="no bundled query named 'who-praises-whom'"):
        load_query("who-praises-whom")


def test_with_prefixes_declares_only_what_is_used_and_missing():
    text = with_prefixes("PREFIX ent: <http://other/>\nSELECT * WHERE { ?s apg:blames ent:x }")
    assert text.startswith("PREFIX apg: <https://w3id.org/actor-position-graph/ontology#>\n")
    assert text.count("PREFIX ent:") == 1
    assert "PREFIX oa:" not in text
