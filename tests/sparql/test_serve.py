"""`apg serve` as a real process on a loopback port, asked by real SPARQL clients."""

from __future__ import annotations

import csv
import functools
import http.server
import io
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

from graph.sparql.serve import ServedBuilds, Stopped
from graph.sparql.workers import QueryWorkers
from tests.factories import (
    DEEP_QUERIES,
    LABEL_QUERY,
    REPO,
    WORKDIR,
    alive,
    labelled_store as make_store,
)

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


def start_server(store: Path, *options: str) -> tuple[subprocess.Popen[str], str]:
    """``apg serve`` in a session of its own (as a terminal would run it), once it answers."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", str(port),
         *options],
        cwd=WORKDIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/", timeout=2):
                return server, base
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                stop_server(server)
                raise RuntimeError(f"apg serve did not start: {server.stderr.read()}") from None
            time.sleep(0.2)


def stop_server(server: subprocess.Popen[str], how: int = signal.SIGTERM) -> tuple[str, str]:
    if server.poll() is None:
        os.killpg(server.pid, how)
    try:
        out, err = server.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        out, err = server.communicate()
    return out, err


@pytest.fixture(scope="module")
def endpoint(built_store) -> Iterator[str]:
    server, base = start_server(
        built_store, "--timeout", "2", "--max-rows", "50", "--max-bytes", "30000"
    )
    try:
        yield base
    finally:
        stop_server(server)


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
    assert headers["APG-Truncated-By"] == "rows"


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


def _post(base: str, sparql: str, headers: dict[str, str] | None = None, path: str = "/sparql"):
    return _request(
        base + path,
        data=urllib.parse.urlencode({"query": sparql}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", **(headers or {})},
        method="POST",
    )


@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_the_escaped_hash_service_bypass_is_refused_and_sends_nothing(endpoint, listener, silent):
    port, accepted = listener
    sparql = (
        "PREFIX ex: <http://x/> SELECT * WHERE { VALUES ?v { ex:a\\# } "
        f"SERVICE {silent}<http://127.0.0.1:{port}/sparql> {{ ?x ?y ?z }} }}"
    )
    status, _, body = _post(endpoint, sparql)
    assert status == 403 and body.startswith("SERVICE is refused")
    time.sleep(0.5)  # what the endpoint sent would have arrived by now
    assert accepted == []


@pytest.mark.parametrize(("sparql", "limit"), DEEP_QUERIES.values(), ids=DEEP_QUERIES.keys())
def test_a_query_too_deep_or_too_long_is_400_and_the_next_one_is_answered(endpoint, sparql, limit):
    status, _, body = _request(
        endpoint + "/sparql", data=sparql.encode(), method="POST",
        headers={"Content-Type": "application/sparql-query"},
    )  # fmt: skip
    assert status == 400 and limit in body and body.count("\n") == 1
    assert _post(endpoint, "ASK { ?s ?p ?o }", {"Accept": "text/csv"})[2] == "true\n"


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("127.0.0.1:{port}", True), ("localhost:{port}", True), ("[::1]:{port}", True),
        ("attacker.example:{port}", False), ("127.0.0.1:{other}", False),
        ("localhost.attacker.example:{port}", False), ("attacker.example", False),
    ],
)  # fmt: skip
def test_a_host_that_is_not_the_endpoint_is_refused(endpoint, host, allowed):
    port = int(endpoint.rsplit(":", 1)[1])
    header = host.format(port=port, other=port + 1)
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    status, _, body = _request(url, headers={"Host": header})
    assert (status == 200) is allowed
    if not allowed:
        assert status == 403 and "is not this endpoint's" in body


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://attacker.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site"},
        {"Referer": "http://attacker.example/page.html"},
    ],
)
def test_a_query_from_another_web_page_is_refused(endpoint, headers):
    status, response_headers, body = _post(endpoint, "ASK { ?s ?p ?o }", headers)
    assert status == 403 and body.startswith("queries from other web pages are refused")
    assert "Access-Control-Allow-Origin" not in response_headers


def test_the_query_page_s_own_requests_are_answered(endpoint):
    status, headers, _ = _request(endpoint + "/", headers={"Sec-Fetch-Site": "none"})
    assert status == 200 and headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    own = {"Origin": endpoint, "Sec-Fetch-Site": "same-origin", "Referer": endpoint + "/"}
    status, headers, body = _post(endpoint, "ASK { ?s ?p ?o }", own)
    assert status == 200 and json.loads(body)["boolean"] is True
    assert not any(name.lower().startswith("access-control-") for name in headers)


def test_a_form_may_carry_a_query_of_the_longest_length(endpoint):
    sparql = "ASK { ?s ?p ?o } # " + "x" * 600_000  # past Flask's 500 kB for a form field
    status, _, body = _post(endpoint, sparql, {"Accept": "text/csv"})
    assert status == 200 and body == "true\n"


def test_a_body_over_the_limit_is_413_before_it_is_sent(endpoint):
    port = int(endpoint.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=20) as connection:
        connection.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\nContent-Length: 4000001\r\n\r\n"
        )
        assert connection.recv(100).startswith(b"HTTP/1.1 413 ")


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/csv; charset=utf-8", "text/csv"),  # what the answer's Content-Type says
        ("text/*", "text/csv"),  # the first text type offered
        ("text/csv;q=0.5, */*;q=0.5, application/json;q=0.4", "text/csv"),  # more specific
        ("text/csv, application/sparql-results+xml", "application/sparql-results+xml"),
        ("", "application/sparql-results+json"),
    ],
)
def test_accept_picks_the_best_match_and_the_endpoint_s_order_breaks_ties(
    endpoint, accept, media_type
):
    status, headers, _ = _post(endpoint, "ASK { ?s ?p ?o }", {"Accept": accept})
    assert status == 200 and headers["Content-Type"] == f"{media_type}; charset=utf-8"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "OPTIONS"])
def test_a_method_other_than_get_post_or_head_is_405(endpoint, method):
    status, headers, body = _request(endpoint + "/sparql", method=method)
    assert status == 405 and body == "use GET or POST\n"
    assert "Access-Control-Allow-Origin" not in headers


def test_head_answers_without_a_body(endpoint):
    url = endpoint + "/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"})
    status, headers, body = _request(url, method="HEAD", headers={"Accept": "text/csv"})
    assert status == 200 and body == "" and headers["Content-Length"] == "5"


def test_query_is_an_alias_of_sparql(endpoint):
    status, _, body = _post(endpoint, "ASK { ?s ?p ?o }", path="/query")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_rdf_xml_of_a_predicate_with_no_xml_name_is_406_in_one_line(endpoint):
    sparql = 'CONSTRUCT { <http://x/a> <http://x/1> "v" } WHERE {}'
    status, _, body = _post(endpoint, sparql, {"Accept": "application/rdf+xml"})
    assert status == 406 and "predicate <http://x/1> ends in no XML name" in body
    assert body.count("\n") == 1
    status, _, body = _post(endpoint, sparql, {"Accept": "text/turtle"})
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) == 1


@pytest.mark.parametrize("accept", ["application/sparql-results+xml", "application/xml"])
def test_a_character_xml_cannot_carry_is_406_naming_it(endpoint, accept):
    status, _, body = _post(endpoint, 'SELECT ("a\\u0001b" AS ?x) {}', {"Accept": accept})
    assert status == 406 and "U+0001" in body and "JSON" in body
    status, _, body = _post(endpoint, 'SELECT ("a\\u0001b" AS ?x) {}')
    assert json.loads(body)["results"]["bindings"][0]["x"]["value"] == "a\x01b"


def test_results_stop_at_the_byte_limit(endpoint):
    numbers = " ".join(str(n) for n in range(40))
    padding = "x" * 1000
    sparql = f'SELECT * {{ VALUES ?n {{ {numbers} }} BIND(CONCAT(STR(?n), "{padding}") AS ?x) }}'
    status, headers, body = _post(endpoint, sparql, {"Accept": "text/csv"})
    assert status == 200 and len(body.encode()) <= 30_000
    assert headers["APG-Truncated-By"] == "bytes" and headers["APG-Max-Bytes"] == "30000"
    assert 20 < len(list(csv.reader(io.StringIO(body)))) < 41


def test_the_readme_endpoint_example_works(endpoint, capsys):
    from graph.cli import main

    assert main(["query", "who-blames-whom", "--endpoint", endpoint + "/query"]) == 0
    assert "Oleg Khramov" in capsys.readouterr().out


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
@pytest.mark.parametrize(
    ("how", "code", "line"),
    [
        (signal.SIGTERM, 0, "apg: stopped serving"),
        (signal.SIGINT, 130, "apg: stopped serving (interrupted)"),  # Ctrl-C, to the whole group
    ],
)
def test_stopping_the_server_is_one_line_and_leaves_no_process(built_store, how, code, line):
    server, base = start_server(built_store, "--timeout", "30")
    workers = _descendants(server.pid)
    assert len(workers) >= 4  # general, reserved, spare workers and their fork server
    busy = threading.Thread(target=_post, args=(base, ENDLESS), daemon=True)
    busy.start()  # a query in flight when it stops
    time.sleep(1)
    out, err = stop_server(server, how)
    assert server.returncode == code
    assert err.strip() == line and "Traceback" not in out + err
    for _ in range(100):
        if not any(alive(pid) for pid in workers):
            break
        time.sleep(0.1)
    assert [pid for pid in workers if alive(pid)] == []


def test_a_stop_signal_during_a_connection_s_handling_reaches_the_server_loop():
    """The signal handler raises ``Stopped`` wherever the main thread is; inside waitress's
    handling of a connection, any other exception is logged and the server goes on."""
    from waitress import wasyncore

    class Connection:
        def handle_read_event(self) -> None:
            raise Stopped(signal.SIGTERM)

        def handle_error(self) -> None:
            pytest.fail("waitress dropped the stop")

    with pytest.raises(Stopped):
        wasyncore.read(Connection())


def _switch(link: Path, target: Path) -> None:
    """Point ``link`` at ``target`` in one rename, as ``apg build`` switches builds."""
    fresh = link.with_name(link.name + ".new")
    fresh.symlink_to(target)
    os.replace(fresh, link)


def _label(base: str) -> str:
    status, _, body = _post(base, LABEL_QUERY)
    assert status == 200, body
    return json.loads(body)["results"]["bindings"][0]["label"]["value"]


def test_served_builds_switch_when_the_link_moves_and_the_old_one_is_released(tmp_path):
    first, second = make_store(tmp_path / "a", "a"), make_store(tmp_path / "b", "b")
    link = tmp_path / "store"
    link.symlink_to(first)
    said: list[str] = []
    builds = ServedBuilds(link, lambda store: QueryWorkers(store, size=1), said.append)
    try:
        old = builds.current()
        assert old.store_path == first and not builds.check()
        _switch(link, second)
        assert builds.check() and said == [f"serving the new build {second}"]
        assert builds.current().store_path == second and not builds.check()
        for _ in range(100):
            if old.released:
                break
            time.sleep(0.05)
        assert old.released and not old.status()["all"]
    finally:
        builds.close()


def test_apg_serve_serves_a_new_build_once_the_link_moves(tmp_path):
    first, second = make_store(tmp_path / "a", "a"), make_store(tmp_path / "b", "b")
    link = tmp_path / "store"
    link.symlink_to(first)
    server, base = start_server(link)
    try:
        assert _label(base) == "a"
        _switch(link, second)
        deadline = time.monotonic() + 30
        while _label(base) != "b":
            assert time.monotonic() < deadline, "still serving the first build"
            time.sleep(0.2)
    finally:
        out, _ = stop_server(server)
    assert f"serving the new build {second}\n" in out


@pytest.mark.browser
def test_the_query_page_runs_a_query_in_a_browser(endpoint, chromium):
    page = chromium.new_page()
    try:
        page.goto(endpoint + "/")
        page.select_option("#bundled", "who-blames-whom")
        with page.expect_response(lambda response: "/sparql" in response.url) as answer:
            page.click("button[type=submit]")
        assert answer.value.status == 200
        page.wait_for_selector("#results table")
        assert "Oleg Khramov" in page.inner_text("#results")
    finally:
        page.close()


@pytest.mark.browser
def test_a_form_on_another_site_cannot_run_a_query(endpoint, chromium, tmp_path):
    """A page from another origin posts a form to the endpoint, as an attack would."""
    (tmp_path / "attack.html").write_text(
        f'<form method="post" action="{endpoint}/sparql">'
        '<input name="query" value="ASK { ?s ?p ?o }"></form>'
        "<script>document.forms[0].submit()</script>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    site = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    page = chromium.new_page()
    try:
        with page.expect_response(lambda response: "/sparql" in response.url) as answer:
            page.goto(f"http://localhost:{site.server_address[1]}/attack.html")
        assert answer.value.status == 403
        assert "queries from other web pages are refused" in answer.value.text()
    finally:
        page.close()
        site.shutdown()
        site.server_close()
