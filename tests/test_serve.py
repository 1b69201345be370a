"""`apg serve` as a real process on a loopback port, asked by real SPARQL clients."""

from __future__ import annotations

import csv
import io
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from graph import build
from tests.factories import DATA, REPO

ENT = "https://w3id.org/actor-position-graph/id/"
BLAMES = """SELECT ?quote WHERE {
    ?s rdf:subject ent:oleg-khramov ; rdf:predicate apg:blames ;
       rdf:object ent:western-countries ; apg:quote ?quote }"""
# three unconstrained patterns over ~3,000 triples: about 2.7e10 solutions to count
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory) -> Iterator[str]:
    out = tmp_path_factory.mktemp("served")
    build(DATA, out)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", str(out / "store"),
         "--port", str(port), "--timeout", "2", "--max-rows", "50"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(base + "/", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"apg serve did not start: {server.stdout.read()}") from None
                time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _request(url, *, data=None, headers=None, method=None):
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def test_sparqlwrapper_select_and_construct(endpoint):
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(BLAMES)
    client.setReturnFormat(JSON)
    bindings = client.query().convert()["results"]["bindings"]
    assert [b["quote"]["value"] for b in bindings] == ["blamed western countries for the impasse"]

    client.setQuery("CONSTRUCT { ent:russia ?p ?o } WHERE { ent:russia ?p ?o }")
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(ENT + "russia"), None, Literal("RU")) in graph


def test_rdflib_sparqlstore(endpoint):
    store = SPARQLStore(endpoint + "/sparql", returnFormat="xml")
    graph = Graph(store=store)
    rows = list(graph.query(
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?label WHERE { <" + ENT + "miguel-rodriguez> rdfs:label ?label }"
    ))  # fmt: skip
    assert [str(row[0]) for row in rows] == ["Miguel Rodríguez"]
    assert graph.query("ASK { <" + ENT + "cuba> ?p ?o }").askAnswer is True


@pytest.mark.parametrize(
    ("accept", "check"),
    [
        ("text/csv", lambda body: list(csv.reader(io.StringIO(body)))[1]
         == ["blamed western countries for the impasse"]),
        ("text/tab-separated-values", lambda body: body.splitlines()[1]
         == '"blamed western countries for the impasse"'),
        ("application/sparql-results+xml", lambda body: ElementTree.fromstring(body)
         .find(".//{http://www.w3.org/2005/sparql-results#}literal").text
         == "blamed western countries for the impasse"),
    ],
)  # fmt: skip
def test_content_negotiation(endpoint, accept, check):
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": BLAMES})
    status, headers, body = _request(url, headers={"Accept": accept})
    assert status == 200 and headers["Content-Type"].startswith(accept)
    assert check(body)


def test_unacceptable_type_is_406(endpoint):
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": BLAMES})
    status, _, body = _request(url, headers={"Accept": "image/png"})
    assert status == 406 and "text/csv" in body


@pytest.mark.parametrize(
    ("data", "content_type", "message"),
    [
        (b"INSERT DATA { <x:a> <x:b> <x:c> }", "application/sparql-update", "updates are refused"),
        (b"update=DROP+ALL", "application/x-www-form-urlencoded", "updates are refused"),
        (b"query=LOAD+%3Chttp%3A%2F%2Fexample.org%2Fx.ttl%3E", "application/x-www-form-urlencoded",
         "LOAD is refused"),
        (b"SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
         "application/sparql-query", "SERVICE is refused"),
    ],
)  # fmt: skip
def test_updates_load_and_service_are_refused(endpoint, data, content_type, message):
    status, _, body = _request(
        endpoint + "/sparql", data=data, headers={"Content-Type": content_type}, method="POST"
    )
    assert status == 403
    assert message in body


def test_a_query_that_runs_too_long_is_cut_off_and_the_server_goes_on(endpoint):
    started = time.monotonic()
    status, _, body = _request(
        endpoint + "/sparql",
        data=urllib.parse.urlencode({"query": ENDLESS}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 503 and "ran longer than 2 s and was stopped" in body
    assert time.monotonic() - started < 15
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": BLAMES})
    assert _request(url, headers={"Accept": "text/csv"})[0] == 200


def test_results_stop_at_the_row_limit(endpoint):
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"})
    status, headers, body = _request(url, headers={"Accept": "text/csv"})
    assert status == 200
    assert len(list(csv.reader(io.StringIO(body)))) == 1 + 50
    assert headers["APG-Truncated"] == "true" and headers["APG-Max-Rows"] == "50"


def test_bad_queries_are_400(endpoint):
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p }"})
    status, _, body = _request(url)
    assert status == 400 and body.startswith("SPARQL syntax error")
    assert _request(endpoint + "/sparql")[0] == 400
    assert _request(endpoint + "/nowhere")[0] == 404


def test_the_query_page_offers_the_bundled_queries_and_loads_nothing_remote(endpoint):
    status, headers, page = _request(endpoint + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert '"who-blames-whom"' in page and "<textarea" in page
    assert "http://" not in page.split("<script>")[0].replace("http-equiv", "")
    assert "https://" not in page.split("<script>")[0]


def test_apg_query_asks_a_remote_endpoint(endpoint, capsys):
    from graph.cli import main

    assert main(["query", "who-blames-whom", "--format", "csv", "--endpoint",
                 endpoint + "/sparql"]) == 0  # fmt: skip
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    expected = (REPO / "tests" / "expected" / "queries" / "who-blames-whom.csv").read_text(
        encoding="utf-8"
    )
    assert rows == list(csv.reader(io.StringIO(expected)))


def test_an_endpoint_that_is_not_there_is_one_line(capsys):
    from graph.cli import main

    port = _free_port()
    assert main(["query", "ASK { ?s ?p ?o }", "--endpoint", f"http://127.0.0.1:{port}/x"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"apg: error: http://127.0.0.1:{port}/x: cannot reach the endpoint")
    assert "\n" not in err
