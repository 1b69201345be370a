"""``push`` loads the graph into a real Oxigraph server, one named graph per source."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from rdflib import XSD, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.errors import BuildError, ValidationError
from graph.rdf import source_iri, statement_iri, union_graph
from graph.sparql.push import PushedGraph, PushError, push, push_dataset
from tests.factories import SEED_DIR, SEED_ID, tiny_annotation

SEED_GRAPH = str(source_iri(SEED_ID))
STARTUP_SECONDS = 20.0
# Answers from the test servers never go through a proxy: every address here is loopback.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy")


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _oxigraph_binary() -> str | None:
    beside_python = Path(sys.executable).parent / "oxigraph"
    if beside_python.is_file():
        return str(beside_python)
    return shutil.which("oxigraph")


def _answers(base: str) -> bool:
    try:
        with DIRECT.open(f"{base}/", timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server on a free loopback port; yields its base URL."""
    binary = _oxigraph_binary()
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("the oxigraph server is required in CI (pip install oxigraph)")
        pytest.skip("the oxigraph server is not installed (pip install oxigraph)")
    location = tmp_path_factory.mktemp("oxigraph")
    log_path = location.parent / f"{location.name}.log"
    with log_path.open("wb") as log:
        for _attempt in range(3):  # another process may take the port between probe and bind
            base = f"http://127.0.0.1:{_free_port()}"
            command = [binary, "serve", "--location", str(location / "store")]
            command += ["--bind", base.removeprefix("http://")]
            server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
            deadline = time.monotonic() + STARTUP_SECONDS
            while time.monotonic() < deadline and server.poll() is None:
                if _answers(base):
                    break
                time.sleep(0.1)
            if server.poll() is None and _answers(base):
                break
            _stop(server)
        else:
            pytest.fail(f"oxigraph did not start: {log_path.read_text(errors='replace')[-500:]}")
        try:
            yield base
        finally:
            _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait(timeout=10)


def _store(base: str) -> str:
    return f"{base}/store"


def _select(base: str, query: str) -> list[dict[str, str]]:
    """Run a SPARQL query on the server; return each row as {variable: value}."""
    request = urllib.request.Request(
        f"{base}/query?{urlencode({'query': query})}",
        headers={"Accept": "application/sparql-results+json"},
    )
    with DIRECT.open(request, timeout=10) as response:
        results = json.load(response)
    if "boolean" in results:
        return [{"boolean": str(results["boolean"]).lower()}]
    return [
        {name: term["value"] for name, term in row.items()}
        for row in results["results"]["bindings"]
    ]


def _count(base: str, graph: str) -> int:
    rows = _select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(rows[0]["n"])


def _graphs(base: str) -> set[str]:
    return {row["g"] for row in _select(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")}


def _ask(base: str, query: str) -> bool:
    return _select(base, query) == [{"boolean": "true"}]


def _post_turtle(base: str, graph: str, turtle: str) -> int:
    """Add triples to a graph of the server (POST merges, unlike PUT)."""
    request = urllib.request.Request(
        f"{_store(base)}?{urlencode({'graph': graph})}",
        data=turtle.encode(),
        method="POST",
        headers={"Content-Type": "text/turtle"},
    )
    with DIRECT.open(request, timeout=10) as response:
        return int(response.status)


@pytest.fixture
def no_requests(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make any HTTP request through urllib fail the test; returns the URLs attempted."""
    attempted: list[str] = []

    def refuse(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        url = request if isinstance(request, str) else request.full_url
        attempted.append(url)
        raise AssertionError(f"a request was made to {url}")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", refuse)
    return attempted


# ---------------------------------------------------------------- pushing to Oxigraph


def test_push_puts_one_named_graph_per_source(oxigraph, seed_dataset, seed_data):
    pushed = push(seed_data, _store(oxigraph))
    assert [p.graph for p in pushed] == [SEED_GRAPH]
    assert pushed[0].triples == len(seed_dataset.graph(URIRef(SEED_GRAPH)))
    assert pushed[0].status in {201, 204}
    assert SEED_GRAPH in _graphs(oxigraph)


def test_two_sources_become_two_graphs_in_order_of_name(oxigraph, make_source):
    data = make_source(tiny_annotation())
    shutil.copytree(SEED_DIR, data / SEED_ID)
    pushed = push(data, _store(oxigraph))
    tiny = str(source_iri("tiny"))
    assert [p.graph for p in pushed] == [tiny, SEED_GRAPH]
    assert {tiny, SEED_GRAPH} <= _graphs(oxigraph)
    assert _count(oxigraph, tiny) == pushed[0].triples > 0
    assert _ask(
        oxigraph,
        f"ASK {{ GRAPH <{tiny}> {{ <{statement_iri('tiny', 'ruritania-blames-freedonia')}> "
        "<https://w3id.org/actor-position-graph/ontology#quote> "
        '"Ruritania blamed Freedonia for the failed talks" } }',
    )


def test_the_server_holds_khramovs_blame_with_its_quote(oxigraph, seed_dataset):
    push_dataset(seed_dataset, _store(oxigraph))
    rows = _select(
        oxigraph,
        f"""
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        PREFIX apg: <https://w3id.org/actor-position-graph/ontology#>
        PREFIX ent: <https://w3id.org/actor-position-graph/id/>
        SELECT ?statement ?quote WHERE {{
          GRAPH <{SEED_GRAPH}> {{
            ?statement rdf:subject ent:oleg-khramov ;
                       rdf:predicate apg:blames ;
                       rdf:object ent:western-countries ;
                       apg:quote ?quote .
            FILTER(CONTAINS(?quote, "blamed western countries for the impasse"))
          }}
        }}
        """,
    )
    assert rows == [
        {
            "statement": str(statement_iri(SEED_ID, "khramov-blames-west")),
            "quote": "blamed western countries for the impasse",
        }
    ]


def test_the_server_graph_has_as_many_triples_as_the_built_one(oxigraph, seed_dataset):
    pushed = push_dataset(seed_dataset, _store(oxigraph))
    built = len(seed_dataset.graph(URIRef(SEED_GRAPH)))
    assert built > 1000
    assert _count(oxigraph, SEED_GRAPH) == pushed[0].triples == built


def test_pushing_twice_replaces_rather_than_adds(oxigraph, seed_dataset):
    push_dataset(seed_dataset, _store(oxigraph))
    before = _count(oxigraph, SEED_GRAPH)
    again = push_dataset(seed_dataset, _store(oxigraph))
    assert again[0].status in {200, 204}  # the graph existed: not 201 Created
    assert _count(oxigraph, SEED_GRAPH) == before


def test_a_stale_triple_in_the_source_graph_is_gone_after_the_push(oxigraph, seed_dataset):
    stale = f"ASK {{ GRAPH <{SEED_GRAPH}> {{ <urn:apg-test:stale> <urn:apg-test:said> 'old' }} }}"
    assert _post_turtle(oxigraph, SEED_GRAPH, "<urn:apg-test:stale> <urn:apg-test:said> 'old' .")
    assert _ask(oxigraph, stale)
    push_dataset(seed_dataset, _store(oxigraph))
    assert not _ask(oxigraph, stale)
    assert _count(oxigraph, SEED_GRAPH) == len(seed_dataset.graph(URIRef(SEED_GRAPH)))


def test_graph_option_pushes_every_source_into_one_graph(oxigraph, seed_graph, seed_data):
    target = "https://example.org/apg-test/everything"
    _post_turtle(oxigraph, target, "<urn:apg-test:stale> <urn:apg-test:said> 'old' .")
    pushed = push(seed_data, _store(oxigraph), graph=target)
    assert pushed == [PushedGraph(target, len(seed_graph), pushed[0].status)]
    assert _count(oxigraph, target) == len(seed_graph)
    assert _ask(
        oxigraph,
        f"ASK {{ GRAPH <{target}> {{ ?s <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> "
        "<https://w3id.org/actor-position-graph/id/oleg-khramov> } }",
    )


# ---------------------------------------------------------------- errors


def test_a_closed_port_names_the_url(seed_dataset):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as bound:
        bound.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        url = f"http://127.0.0.1:{bound.getsockname()[1]}/store"
        with pytest.raises(PushError, match="refused") as raised:
            push_dataset(seed_dataset, url, timeout=5)
    assert url in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/store", "127.0.0.1:7878/store", "http:///store"],
)
def test_a_url_that_is_not_http_is_refused_without_a_request(url, seed_dataset, no_requests):
    with pytest.raises(PushError, match="cannot push to"):
        push_dataset(seed_dataset, url)
    assert no_requests == []


def test_push_refuses_a_file_url_before_loading_anything(tmp_path, no_requests):
    with pytest.raises(PushError, match="only http and https") as raised:
        push(tmp_path / "no-such-folder", "file:///etc/passwd")
    assert "file:///etc/passwd" in str(raised.value)
    assert no_requests == []


def test_a_graph_that_fails_the_shapes_is_not_pushed(make_source, no_requests):
    annotation = tiny_annotation()
    annotation["statements"][0]["object"] = "self-defence"  # blames a position
    with pytest.raises(ValidationError, match="does not conform"):
        push(make_source(annotation), "http://127.0.0.1:9/store")
    assert no_requests == []


def test_a_missing_endpoint_gives_the_status_and_the_body(oxigraph, seed_dataset):
    url = f"{oxigraph}/nowhere"
    with pytest.raises(PushError) as raised:
        push_dataset(seed_dataset, url)
    message = str(raised.value)
    assert url in message and "HTTP 404" in message
    assert "is not supported by this server" in message  # Oxigraph's own words
    assert isinstance(raised.value, BuildError) and "\n" not in message


def test_a_store_that_never_answers_times_out(seed_dataset):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()  # the kernel accepts the connection; nobody ever answers
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/store"
        with pytest.raises(PushError, match="timed out") as raised:
            push_dataset(seed_dataset, url, timeout=0.5)
    assert url in str(raised.value)


def test_a_bad_graph_iri_is_refused_without_a_request(seed_dataset, no_requests):
    with pytest.raises(PushError, match="not an absolute graph IRI"):
        push_dataset(seed_dataset, "http://127.0.0.1:9/store", graph="everything")
    assert no_requests == []


def test_triples_in_the_default_graph_are_not_silently_dropped(no_requests):
    dataset = Dataset()
    dataset.graph(DATASET_DEFAULT_GRAPH_ID).add(
        (URIRef("urn:apg-test:a"), URIRef("urn:apg-test:b"), Literal("c"))
    )
    with pytest.raises(PushError, match="default graph holds 1 triple"):
        push_dataset(dataset, "http://127.0.0.1:9/store")
    assert no_requests == []


# ---------------------------------------------------------------- redirects and credentials

Respond = Callable[[BaseHTTPRequestHandler], tuple[int, dict[str, str], bytes]]


class _Recorder:
    """A loopback HTTP server that records each request and answers with ``respond``."""

    def __init__(self, respond: Respond, read_back: Respond | None = None) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PUT(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append((self.command, self.path, dict(self.headers), body))
                self._answer(*respond(self))

            def do_GET(self) -> None:
                recorder.requests.append((self.command, self.path, dict(self.headers), b""))
                self._answer(*(read_back or _not_found)(self))

            def _answer(self, status: int, headers: dict[str, str], content: bytes) -> None:
                try:
                    self.send_response(status)
                    for name, value in {**headers, "Content-Length": str(len(content))}.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(content)
                except OSError:
                    pass  # the client gave up waiting (a test of timeouts)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/store"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> _Recorder:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


def _not_found(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    return 404, {}, b"no such graph"


def _ntriples_of(turtle: bytes) -> bytes:
    return Graph().parse(data=turtle, format="turtle").serialize(format="nt", encoding="utf-8")


# the client's timeout in the tests of a late answer: long enough for the read-back of the
# seed's graph on a loaded machine, which the same timeout bounds
_PATIENCE = 2


def _late(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    time.sleep(2 * _PATIENCE)  # the store takes the graph, then answers after the client gave up
    return 204, {}, b""


def test_a_put_answered_too_late_is_pushed_when_the_store_holds_the_graph(seed_dataset):
    def holds_what_was_put(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        put = next(r for r in server.requests if r[0] == "PUT")
        return 200, {"Content-Type": "application/n-triples"}, _ntriples_of(put[3])

    with _Recorder(_late, holds_what_was_put) as server:
        [pushed] = push_dataset(seed_dataset, server.url, timeout=_PATIENCE)
    assert [request[0] for request in server.requests] == ["PUT", "GET"]
    assert server.requests[1][2]["Accept"] == "application/n-triples"
    assert pushed.status == 200 and pushed.triples == len(seed_dataset.graph(SEED_GRAPH))
    assert pushed.note == "no answer within 2 s (timed out), but the store holds it as sent"


def test_a_put_answered_too_late_fails_when_the_store_lacks_the_graph(seed_dataset):
    with _Recorder(_late) as server, pytest.raises(PushError) as raised:
        push_dataset(seed_dataset, server.url, timeout=_PATIENCE)
    assert str(raised.value) == (
        f"cannot push graph <{SEED_GRAPH}> to {server.url}: no answer within 2 s "
        "(timed out); the store does not hold the graph"
    )


def test_a_server_error_with_another_graph_held_says_what_is_held(seed_dataset):
    def fails(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 500, {}, b"disk trouble"

    def holds_one_triple(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 200, {}, b"<urn:apg-test:a> <urn:apg-test:b> <urn:apg-test:c> .\n"

    with _Recorder(fails, holds_one_triple) as server, pytest.raises(PushError) as raised:
        push_dataset(seed_dataset, server.url, timeout=5)
    sent = len(seed_dataset.graph(SEED_GRAPH))
    assert str(raised.value).endswith(
        f"HTTP 500 Internal Server Error: disk trouble; the store does not hold the graph "
        f"as sent ({sent} triples sent, 1 held)"
    )


def test_a_refused_connection_is_not_read_back(seed_dataset):
    with pytest.raises(PushError, match="connection refused") as raised:
        push_dataset(seed_dataset, f"http://127.0.0.1:{_free_port()}/store", timeout=5)
    assert "holds" not in str(raised.value)


def test_a_redirect_is_reported_and_not_followed(seed_dataset):
    elsewhere = "http://192.0.2.1/store"  # TEST-NET-1: never contacted

    def redirect(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 307, {"Location": elsewhere}, b""

    with _Recorder(redirect) as server, pytest.raises(PushError) as raised:
        push_dataset(seed_dataset, server.url, timeout=5)
    message = str(raised.value)
    assert "HTTP 307" in message and f"redirects to {elsewhere}" in message
    assert server.url in message
    assert len(server.requests) == 1


def _turtle_of(request: tuple[str, str, dict[str, str], bytes]) -> str:
    return request[3].decode("utf-8")


def test_what_is_sent_is_a_turtle_put_per_graph(seed_dataset):
    def accept(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 201, {}, b""

    with _Recorder(accept) as server:
        push_dataset(seed_dataset, server.url + "?token=x", timeout=5)
    [(method, path, headers, _)] = server.requests
    assert method == "PUT"
    assert path == "/store?token=x&" + urlencode({"graph": SEED_GRAPH})
    assert headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert "blamed western countries for the impasse" in _turtle_of(server.requests[0])
    # rdflib's Turtle of the graph, byte for byte
    named = seed_dataset.graph(URIRef(SEED_GRAPH))
    assert server.requests[0][3] == named.serialize(format="turtle", encoding="utf-8")


def test_the_union_is_sent_as_rdflib_writes_it(seed_dataset):
    def accept(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 204, {}, b""

    with _Recorder(accept) as server:
        push_dataset(seed_dataset, server.url, graph="urn:all", timeout=5)
    [(_, _, _, body)] = server.requests
    assert body == union_graph(seed_dataset).serialize(format="turtle", encoding="utf-8")


def _basic(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    # "reader:s3cret" in Base64
    if handler.headers.get("Authorization") == "Basic cmVhZGVyOnMzY3JldA==":
        return 204, {}, b""
    return 401, {"WWW-Authenticate": 'Basic realm="apg"'}, b"who are you?"


def test_credentials_in_the_url_are_sent_by_basic_authentication(seed_dataset):
    with _Recorder(_basic) as server:
        url = server.url.replace("http://", "http://reader:s3cret@")
        pushed = push_dataset(seed_dataset, url, timeout=5)
    assert [p.status for p in pushed] == [204]
    assert [r[2].get("Authorization") for r in server.requests] == [
        None,
        "Basic cmVhZGVyOnMzY3JldA==",
    ]


def test_a_wrong_password_is_reported_without_the_password(seed_dataset):
    with _Recorder(_basic) as server, pytest.raises(PushError, match="HTTP 401") as raised:
        push_dataset(seed_dataset, server.url.replace("http://", "http://reader:wrong@"))
    assert "wrong" not in str(raised.value) and server.url in str(raised.value)


def test_without_credentials_a_401_says_the_store_wants_them(seed_dataset):
    with _Recorder(_basic) as server, pytest.raises(PushError) as raised:
        push_dataset(seed_dataset, server.url, timeout=5)
    assert "HTTP 401" in str(raised.value) and "who are you?" in str(raised.value)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def _digest(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
    challenge = 'Digest realm="apg", nonce="n0nce", qop="auth", algorithm=MD5'
    header = handler.headers.get("Authorization", "")
    if not header.startswith("Digest "):
        return 401, {"WWW-Authenticate": challenge}, b""
    fields = dict(re.findall(r'(\w+)="?([^",]*)"?', header))
    ha1 = _md5(f"{fields['username']}:apg:s3cret")
    ha2 = _md5(f"{handler.command}:{fields['uri']}")
    expected = _md5(
        f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}"
    )
    if fields["username"] == "dba" and fields["response"] == expected:
        return 201, {}, b""
    return 401, {"WWW-Authenticate": challenge}, b""


def test_credentials_in_the_url_are_sent_by_digest_authentication(seed_dataset):
    with _Recorder(_digest) as server:
        pushed = push_dataset(seed_dataset, server.url.replace("http://", "http://dba:s3cret@"))
    assert [p.status for p in pushed] == [201]
    assert server.requests[-1][2]["Authorization"].startswith('Digest username="dba"')
    assert _turtle_of(server.requests[-1]) == _turtle_of(server.requests[0])


def test_the_push_command_prints_one_line_per_graph(oxigraph, capsys, seed_data):
    from graph.cli import main

    assert main(["push", _store(oxigraph), "--data", str(seed_data), "--no-cache"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    triples = _count(oxigraph, SEED_GRAPH)
    assert line in {f"pushed {triples} triples to <{SEED_GRAPH}> (HTTP {s})" for s in (201, 204)}


# ---------------------------------------------------------------- canonical forms read back

_SCORE = URIRef("urn:apg-test:score")


def _with_decimal(dataset: Dataset) -> Dataset:
    """``dataset`` with a decimal in a form that stores write otherwise ("0.80")."""
    dataset.graph(URIRef(SEED_GRAPH)).add(
        (URIRef("urn:apg-test:claim"), _SCORE, Literal("0.80", datatype=XSD.decimal))
    )
    return dataset


def _forward(base: str, handler: BaseHTTPRequestHandler, body: bytes | None) -> tuple[int, bytes]:
    """Send ``handler``'s request on to the store of the server at ``base``."""
    query = handler.path.partition("?")[2]
    if body is None:
        headers = {"Accept": "application/n-triples"}
    else:
        headers = {"Content-Type": handler.headers["Content-Type"]}
    request = urllib.request.Request(
        f"{_store(base)}?{query}", data=body, method=handler.command, headers=headers
    )
    with DIRECT.open(request, timeout=30) as response:
        return int(response.status), response.read()


def test_a_graph_oxigraph_holds_in_canonical_form_is_read_back_as_sent(oxigraph, seed_dataset):
    dataset = _with_decimal(seed_dataset)

    def put_then_fail(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        _forward(oxigraph, handler, server.requests[-1][3])
        return 500, {}, b"the answer was lost"

    def read_back(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        status, content = _forward(oxigraph, handler, None)
        return status, {"Content-Type": "application/n-triples"}, content

    with _Recorder(put_then_fail, read_back) as server:
        [pushed] = push_dataset(dataset, server.url, timeout=30)
    assert pushed.note.endswith("but the store holds it as sent")
    assert pushed.triples == len(dataset.graph(URIRef(SEED_GRAPH)))
    # the store did change the terms: the decimal lost its zero, offsets are integers
    held = _select(oxigraph, f"SELECT ?o WHERE {{ GRAPH <{SEED_GRAPH}> {{ ?s <{_SCORE}> ?o }} }}")
    assert held == [{"o": "0.8"}]
    assert _ask(
        oxigraph,
        f"ASK {{ GRAPH <{SEED_GRAPH}> {{ ?s ?p ?o FILTER(datatype(?o) = <{XSD.integer}>) }} }}",
    )


def _holding(ntriples: bytes) -> Respond:
    """A read-back that answers the graph sent, with its score replaced by ``ntriples``."""

    def read_back(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 200, {"Content-Type": "application/n-triples"}, ntriples

    return read_back


def _score_read_back_as(score: str, sent: Literal) -> str:
    """What push says when a graph of one score ``sent`` is read back holding ``score``."""
    dataset = Dataset()
    dataset.graph(URIRef(SEED_GRAPH)).add((URIRef("urn:apg-test:claim"), _SCORE, sent))
    held = f"<urn:apg-test:claim> <{_SCORE}> {score} .\n".encode()

    def fails(handler: BaseHTTPRequestHandler) -> tuple[int, dict[str, str], bytes]:
        return 500, {}, b"lost"

    with _Recorder(fails, _holding(held)) as server:
        try:
            [pushed] = push_dataset(dataset, server.url, timeout=5)
        except PushError as error:
            return str(error).rpartition("; ")[2]
    return pushed.note.rpartition(", ")[2]


@pytest.mark.parametrize(
    ("sent", "held"),
    [
        (Literal("0.80", datatype=XSD.decimal), f'"0.8"^^<{XSD.decimal}>'),
        (Literal("07", datatype=XSD.nonNegativeInteger), f'"7"^^<{XSD.integer}>'),
        (Literal("12", datatype=XSD.nonNegativeInteger), f'"12"^^<{XSD.integer}>'),
        (Literal("1.50E1", datatype=XSD.double), f'"1.5E1"^^<{XSD.double}>'),
        (Literal("1", datatype=XSD.boolean), f'"true"^^<{XSD.boolean}>'),
    ],
)
def test_a_literal_the_store_wrote_in_canonical_form_is_held_as_sent(sent, held):
    assert _score_read_back_as(held, sent) == "but the store holds it as sent"


@pytest.mark.parametrize(
    ("sent", "held"),
    [
        (Literal("0.80", datatype=XSD.decimal), f'"0.81"^^<{XSD.decimal}>'),
        (Literal("0.80", datatype=XSD.decimal), '"0.80"'),
        (Literal("1", datatype=XSD.integer), f'"1.0"^^<{XSD.decimal}>'),
        (Literal("1", datatype=XSD.integer), f'"1.0E0"^^<{XSD.double}>'),
        (Literal("x", datatype=XSD.integer), f'"x"^^<{XSD.decimal}>'),
        (Literal("1", datatype=XSD.boolean), f'"1"^^<{XSD.integer}>'),
    ],
)
def test_a_literal_of_another_value_or_kind_is_not_held_as_sent(sent, held):
    answer = _score_read_back_as(held, sent)
    assert answer == "the store does not hold the graph as sent (1 triples sent, 1 held)"
