import csv
import http.server
import io
import json
import os
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from graph.export import serialise
from graph.sparql.query import (
    NotWritable,
    QueryError,
    RefusedQuery,
    format_result,
    load_query,
    query_form,
    run_query,
    run_remote,
    with_prefixes,
)
from graph.sparql.store import memory_store, open_store
from tests.factories import DEEP_QUERIES, LABEL_QUERY, WORKDIR, labelled_store


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


def test_with_prefixes_reads_the_tokens_not_a_comment_after_an_escaped_hash():
    text = with_prefixes("SELECT * WHERE { ?s ent:p\\#x apg:q ; rdfs:label 'dcterms:no' }")
    assert "PREFIX apg: <" in text and "PREFIX ent: <" in text and "PREFIX rdfs: <" in text
    assert "PREFIX dcterms:" not in text


def test_an_engine_error_is_one_line(seed_store):
    with pytest.raises(QueryError, match=r"^query failed: .*<http://x/f>") as caught:
        run_query("SELECT (<http://x/f>(1) AS ?v) WHERE {}", seed_store)
    assert "\n" not in str(caught.value)


def test_a_query_can_make_a_character_xml_cannot_carry(seed_store):
    result = run_query('SELECT ("a\\u0001b" AS ?x) WHERE {}', seed_store)
    assert json.loads(format_result(result, "json"))["results"]["bindings"][0]["x"]["value"] == (
        "a\x01b"
    )
    with pytest.raises(NotWritable, match=r"U\+0001 .*ask for JSON"):
        format_result(result, "xml")
    assert "a\\u0001b" in format_result(result, "table")  # a terminal is not sent it raw


def _apg(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "graph", *arguments],
        cwd=WORKDIR, capture_output=True, text=True, check=False,
    )  # fmt: skip


@pytest.mark.parametrize(("sparql", "limit"), DEEP_QUERIES.values(), ids=DEEP_QUERIES.keys())
def test_apg_query_refuses_a_query_too_deep_in_one_line(built_store, tmp_path, sparql, limit):
    query = tmp_path / "deep.rq"
    query.write_text(sparql, encoding="utf-8")
    done = _apg("query", "--store", str(built_store), str(query))
    assert done.returncode == 1  # not -11: no crash
    assert done.stderr.startswith("apg: error: the query ") and limit in done.stderr
    assert done.stderr.count("\n") == 1 and done.stdout == ""


def test_apg_query_refuses_the_escaped_hash_service_and_sends_nothing(built_store):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(4)
        server.settimeout(0.5)
        port = server.getsockname()[1]
        done = _apg("query", "--store", str(built_store),
                    "PREFIX ex: <http://x/> SELECT * WHERE { VALUES ?v { ex:a\\# } "
                    f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}")  # fmt: skip
        with pytest.raises(TimeoutError):
            server.accept()
    assert done.returncode == 1
    assert done.stderr.startswith("apg: error: SERVICE is refused") and done.stderr.count("\n") == 1


def test_apg_query_as_xml_with_a_character_xml_cannot_carry_is_one_line(built_store):
    done = _apg("query", "--store", str(built_store), "--format", "xml",
                'SELECT ("a\\u0001b" AS ?x) WHERE {}')  # fmt: skip
    assert done.returncode == 1 and done.stdout == ""
    assert "U+0001" in done.stderr and done.stderr.count("\n") == 1


def test_apg_query_reads_the_build_it_resolved_and_holds_it(tmp_path, monkeypatch, capsys):
    """The store is opened at the build folder, not through the link, under the lock that
    keeps a later build from deleting it."""
    import fcntl

    import graph.cli

    folder = tmp_path / "out" / "builds" / "1"
    folder.mkdir(parents=True)
    labelled_store(folder / "store", "one")
    (folder / ".readers.lock").touch()
    (folder / "MANIFEST.json").write_text("{}", encoding="utf-8")
    (tmp_path / "out" / "current").symlink_to(folder)
    (tmp_path / "out" / "store").symlink_to(Path("current") / "store")
    seen = []

    def watched(sparql, store, **options):
        descriptor = os.open(folder / ".readers.lock", os.O_RDONLY)
        try:
            with pytest.raises(BlockingIOError):
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(descriptor)
        seen.append(True)
        return run_query(sparql, store, **options)

    opened = []
    # the command imports what it runs when it runs
    monkeypatch.setattr("graph.sparql.query.run_query", watched)
    monkeypatch.setattr("graph.sparql.store.open_store", lambda path: opened.append(path) or
                        open_store(path))  # fmt: skip
    assert graph.cli.main(["query", "--store", str(tmp_path / "out" / "store"),
                           "--format", "csv", LABEL_QUERY]) == 0  # fmt: skip
    assert capsys.readouterr().out.splitlines() == ["label", "one"]
    assert seen == [True] and opened == [folder / "store"]


class _Answers(http.server.BaseHTTPRequestHandler):
    """An endpoint that answers every POST with the body and type its path names."""

    bodies: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers["Content-Length"]))
        content_type, body = self.bodies[self.path]
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *arguments: object) -> None:
        pass


@pytest.fixture(scope="module")
def remote() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answers)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


JSON_TYPE = "application/sparql-results+json"
TURTLE = "text/turtle"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o }"
NOT_A_STRING = (
    b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"type": "uri", "value": 1}}]}}'
)


@pytest.mark.parametrize(
    ("sparql", "content_type", "body", "message"),
    [
        ("ASK {}", "text/html", b"<html>not found</html>", "is not SPARQL JSON (text/html)"),
        ("ASK {}", JSON_TYPE, b"[1, 2]", "it is not a JSON object"),
        ("SELECT * {}", JSON_TYPE, b'{"results": {"bindings": []}}', "no head.vars list"),
        ("SELECT * {}", JSON_TYPE, b'{"head": {"vars": "s"}, "results": {}}', "no head.vars"),
        ("SELECT * {}", JSON_TYPE, b'{"head": {"vars": ["s"]}}', "no results.bindings list"),
        ("SELECT * {}", JSON_TYPE, b'{"head": {"vars": ["s"]}, "results": {"bindings": [1]}}',
         "results.bindings[0] is not an object"),
        ("SELECT * {}", JSON_TYPE,
         b'{"head": {"vars": ["s"]}, "results": {"bindings": [{"s": {"value": "x"}}]}}',
         "results.bindings[0].s is not a term"),
        ("SELECT * {}", JSON_TYPE, NOT_A_STRING, "has a value that is not a string"),
        ("ASK {}", JSON_TYPE, b'{"head": {}, "boolean": "yes"}', "'boolean' is not true or false"),
        ("ASK {}", JSON_TYPE, b'{"boolean": tr\xff\xfe}', "is not UTF-8 (byte 14: 0xff)"),
        (CONSTRUCT, TURTLE, b"<a> <b> <c", "is not Turtle (text/turtle)"),
        (CONSTRUCT, "application/n-triples", b"<a> b c .", "is not N-Triples"),
        ("SELECT * {}", JSON_TYPE, b" " * 3_000_000, "larger than 2,000,000 bytes"),
    ],
)  # fmt: skip
def test_a_malformed_answer_from_an_endpoint_is_one_line(remote, sparql, content_type, body,
                                                         message, capsys):  # fmt: skip
    path = f"/case-{len(_Answers.bodies)}"
    _Answers.bodies[path] = (content_type, body)
    with pytest.raises(QueryError, match=re.escape(message)) as caught:
        run_remote(sparql, remote + path, max_bytes=2_000_000)
    assert str(caught.value).startswith(f"{remote}{path}: ") and "\n" not in str(caught.value)


def test_a_remote_answer_of_the_right_shape_is_read(remote):
    path = "/good"
    _Answers.bodies[path] = (JSON_TYPE, json.dumps({
        "head": {"vars": ["s", "n"]},
        "results": {"bindings": [
            {"s": {"type": "uri", "value": "http://x/a"},
             "n": {"type": "typed-literal", "value": "1",
                   "datatype": "http://www.w3.org/2001/XMLSchema#integer"}},
            {"s": {"type": "bnode", "value": "b0"}},
        ]},
    }).encode())  # fmt: skip
    result = run_remote("SELECT * {}", remote + path)
    assert result.variables == ("s", "n")
    integer = "http://www.w3.org/2001/XMLSchema#integer"
    assert result.rows[0][1] == {"type": "literal", "value": "1", "datatype": integer}
    assert result.rows[1] == ({"type": "bnode", "value": "b0"}, None)
