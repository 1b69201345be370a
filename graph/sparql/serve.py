"""Serve the graph as a read-only SPARQL 1.1 Protocol endpoint, bounded in time and size.

The endpoint is a Flask application served by waitress. The server reads only a query's
first keywords (to choose the answer's format); the query is checked on its tokens, run
and written in a worker process (``graph.sparql.workers``), so a long query text costs the
server nothing. Requests whose ``Host`` is not this endpoint's (DNS rebinding,
``graph.hosts``) and requests from other web pages (``Origin``, ``Sec-Fetch-Site``,
``Referer``) are refused; no CORS header is ever sent.
When the store link is switched to a new build, new workers start on it and the old
ones finish their queries first (``ServedBuilds``).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, abort, request
from waitress.wasyncore import ExitNow
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound, RequestEntityTooLarge

from ..errors import BuildError
from ..hosts import ServedHost, url_host
from .query import NotWritable, QueryError, RefusedQuery, bundled_queries
from .results import Written
from .sandbox import network_isolation
from .tokens import leading_form
from .workers import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    DEFAULT_SLICE,
    DEFAULT_TIMEOUT,
    Busy,
    QueryTimeout,
    QueryWorkers,
    Retired,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "ENDPOINT_PATHS",
    "SERVER_SETTINGS",
    "QueryTimeout",
    "QueryWorkers",
    "ServeError",
    "ServedBuilds",
    "Stopped",
    "create_app",
    "serve",
]

ENDPOINT_PATHS = ("/sparql", "/query")
"""``/query`` is an alias: other SPARQL servers (Oxigraph's, Fuseki's) answer there."""
MAX_BODY_BYTES = 4_000_000
"""A request body: a query of ``sparql_tokens.LIMITS.chars`` characters, form-encoded."""
SERVER_SETTINGS = {  # waitress, set for slow and idle clients
    "threads": 32,  # each request holds one while its query waits for a worker
    "connection_limit": 1000,  # open connections; past it new ones wait in the backlog
    "channel_timeout": 15,  # seconds a connection may send nothing before it is closed
    "cleanup_interval": 5,  # seconds between checks of that
    "max_request_header_size": 65_536,  # a GET query is in the URL: longer ones POST
    "max_request_body_size": MAX_BODY_BYTES,
    "asyncore_use_poll": True,  # select() cannot watch more than 1,024 sockets
}

RESULT_TYPES = {  # SELECT and ASK
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {  # CONSTRUCT and DESCRIBE
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
FORMAT_NAMES = {  # the `format` parameter, for browsers and clients that send it
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "rdfxml": "application/rdf+xml",
    "jsonld": "application/ld+json",
}
TEMPLATE = Path(__file__).parent / "templates" / "sparql.html"
PAGE_HEADERS = [  # the page may not be framed by another site (clickjacking)
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
]


class ServeError(BuildError):
    """The endpoint cannot be served: the port is taken, the address is not this
    machine's, ..."""


class Stopped(ExitNow):
    """The server was asked to stop: Ctrl-C (SIGINT) or SIGTERM.

    Raised by the signal handler wherever the main thread is, often inside waitress's
    handling of a connection, which logs and drops any exception but its ``ExitNow`` (and
    ``KeyboardInterrupt`` and ``SystemExit``, which its loop takes as a quiet stop).
    """

    def __init__(self, signal_number: int) -> None:
        super().__init__(f"stopped by signal {signal_number}")
        self.signal_number = signal_number


class ServedBuilds:
    """The workers of the build a store path points at, switched when it points elsewhere.

    ``make_workers(store)`` starts a pool; ``check`` compares where ``store`` resolves
    now with the build being served and, when a new build was switched in, starts
    workers on it, lets the old ones finish their queries and then releases the old
    build.
    """

    def __init__(
        self,
        store: Path | str,
        make_workers: Callable[[Path | str], QueryWorkers],
        announce: Callable[[str], None] = print,
    ) -> None:
        self.store = store
        self._make_workers = make_workers
        self._announce = announce
        self._lock = threading.Lock()
        self._current = make_workers(store)
        self._retired: list[QueryWorkers] = []
        self._failed = ""
        self._closed = False

    def current(self) -> QueryWorkers:
        """The pool to ask now; raises ``Busy`` once the server is stopping."""
        with self._lock:
            if self._closed:
                raise Busy("the server is stopping")
            return self._current

    def check(self) -> bool:
        """Serve the build ``store`` points at now, if it changed; return whether it did."""
        with self._lock:
            served = self._current.store_path
            self._retired = [pool for pool in self._retired if not pool.released]
        resolved = Path(os.path.realpath(self.store))
        if resolved == served or not resolved.is_dir():
            return False
        try:
            fresh = self._make_workers(self.store)
        except QueryError as error:
            return self._say_once(f"apg: warning: still serving {served}: {error}")
        except OSError as error:
            return self._say_once(f"apg: warning: still serving {served}: {error}")
        with self._lock:
            if self._closed:
                fresh.terminate()
                return False
            old, self._current = self._current, fresh
            self._retired.append(old)
            self._failed = ""
        old.close()
        self._announce(f"serving the new build {fresh.store_path}")
        return True

    def _say_once(self, message: str) -> bool:
        if message != self._failed:
            self._failed = message
            self._announce(message)
        return False

    def watch(self, stop: threading.Event, interval: float = 1.0) -> None:
        """Check for a new build every ``interval`` seconds until ``stop`` is set."""
        while not stop.wait(interval):
            self.check()

    def close(self) -> None:
        """Stop every pool at once, old and current."""
        with self._lock:
            self._closed = True
            pools = [self._current, *self._retired]
        for pool in pools:
            pool.terminate()


def create_app(
    builds: ServedBuilds, *, host: str = "127.0.0.1", allowed_hosts: Iterable[str] = ()
) -> Flask:
    """The endpoint's Flask application: ``/`` a query page, ``/sparql`` (and ``/query``).

    ``host`` is the address served: a request whose ``Host`` header names another port
    than the one it came in on, or a name that is neither an IP address, ``localhost``,
    ``host`` nor one of ``allowed_hosts``, is refused (403). Every error is a status and
    one line of plain text.
    """
    served = ServedHost.bound_to(host, allowed_hosts)
    page = _query_page()
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES  # a form may carry the longest query

    @app.before_request
    def check_sender() -> None:
        if not served.admits_request(request.environ):
            abort(
                403,
                f"Host {request.headers['Host']!r} is not this endpoint's; to serve it under "
                "that name, start apg serve with --allow-host NAME",
            )
        if request.path in ENDPOINT_PATHS:
            _check_origin()

    @app.after_request
    def no_sniffing(response: Response) -> Response:
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @app.get("/", provide_automatic_options=False)
    def query_page() -> Response:
        return Response(page, content_type="text/html; charset=utf-8", headers=PAGE_HEADERS)

    @app.route(ENDPOINT_PATHS[0], methods=["GET", "POST"], provide_automatic_options=False)
    @app.route(ENDPOINT_PATHS[1], methods=["GET", "POST"], provide_automatic_options=False)
    def endpoint() -> Response:
        sparql, parameters = _read_query()
        form = leading_form(sparql)  # the whole check is made in the worker
        media_type, output_format = _negotiate(form, parameters)
        written = _answer(builds, sparql, output_format)
        return Response(
            written.body,
            content_type=f"{media_type}; charset=utf-8",
            headers=_limit_headers(builds, written),
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        return _text(error.code or 500, _message(error))

    @app.errorhandler(QueryError)
    def query_error(error: QueryError) -> Response:
        return _text(_QUERY_ERROR_STATUS.get(type(error), 400), str(error))

    return app


_QUERY_ERROR_STATUS = {RefusedQuery: 403, NotWritable: 406, QueryTimeout: 503, Busy: 503}


def _query_page() -> bytes:
    """The query page, with the bundled queries in it."""
    queries = {name: path.read_text(encoding="utf-8") for name, path in bundled_queries().items()}
    # JSON in a script element: escape "<" so that no text can close the element
    data = json.dumps(queries, ensure_ascii=False).replace("<", "\\u003c")
    return TEMPLATE.read_text(encoding="utf-8").replace("{{ queries }}", data).encode()


def _answer(builds: ServedBuilds, sparql: str, output_format: str) -> Written:
    while True:
        try:
            return builds.current().answer(sparql, output_format)
        except Retired:
            continue  # a new build came in while the query waited: ask its workers


def _limit_headers(builds: ServedBuilds, written: Written) -> list[tuple[str, str]]:
    pool = builds.current()
    headers = [("APG-Max-Rows", str(pool.max_rows)), ("APG-Max-Bytes", str(pool.max_bytes))]
    if written.truncated:
        headers += [("APG-Truncated", "true"), ("APG-Truncated-By", written.truncated)]
    return headers


def _check_origin() -> None:
    """Refuse a query sent by another web page: a form, a fetch, a link or an image."""
    own = f"{request.scheme}://{request.headers.get('Host', '')}".lower()
    origin = request.headers.get("Origin")
    if origin is not None and origin.lower() != own:
        abort(403, f"queries from other web pages are refused (Origin: {origin})")
    site = request.headers.get("Sec-Fetch-Site", "").lower()
    if site in ("cross-site", "same-site"):
        abort(403, f"queries from other web pages are refused (Sec-Fetch-Site: {site})")
    referer = request.headers.get("Referer")
    if referer:
        parts = urllib.parse.urlsplit(referer)
        if f"{parts.scheme}://{parts.netloc}".lower() != own:
            abort(403, "queries from other web pages are refused")


def _read_query() -> tuple[str, MultiDict[str, str]]:
    """The query, and the parameters of the URL and of a form body."""
    parameters = MultiDict(request.args)
    if request.method == "POST":
        if request.mimetype == "application/sparql-update":
            abort(403, "updates are refused: the graph is read-only")
        if request.mimetype == "application/sparql-query":
            parameters.add("query", request.get_data(as_text=True))
        elif request.mimetype == "application/x-www-form-urlencoded":
            parameters.update(request.form)
        else:
            abort(415, "send the query as application/sparql-query or in a form (query=...)")
    if "update" in parameters:
        abort(403, "updates are refused: the graph is read-only")
    for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri"):
        if name in parameters:
            abort(400, f"{name} is not supported: the default graph is the union of the sources")
    queries = parameters.getlist("query")
    if len(queries) != 1 or not queries[0].strip():
        abort(400, "give exactly one query (the `query` parameter)")
    return queries[0], parameters


def _negotiate(form: str, parameters: MultiDict[str, str]) -> tuple[str, str]:
    """The media type to answer in, and the writer's name for it: the first ``format`` or
    ``output`` parameter that names one, else the best match for ``Accept``."""
    offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
    for name in parameters.getlist("format") + parameters.getlist("output"):
        media_type = FORMAT_NAMES.get(name.lower(), name.lower())
        if media_type in offered:
            return media_type, offered[media_type]
    accepted = request.accept_mimetypes
    if not accepted:  # no Accept header, or an empty one: any type will do
        media_type = next(iter(offered))
        return media_type, offered[media_type]
    # the answers are UTF-8 and say so: `text/csv; charset=utf-8` is acceptable as well
    best = accepted.best_match([*offered, *(f"{name}; charset=utf-8" for name in offered)])
    if best is None:
        abort(406, f"this answer can be sent as: {', '.join(offered)}")
    media_type = best.split(";")[0]
    return media_type, offered[media_type]


def _message(error: HTTPException) -> str:
    """The one line that says what was wrong with a request."""
    if error.description != type(error).description:  # given where it was raised
        return str(error.description)
    if isinstance(error, NotFound):
        return f"no such page: {request.path}"
    if isinstance(error, MethodNotAllowed):
        return f"use {' or '.join(sorted(set(error.valid_methods or ()) - {'HEAD'}))}"
    if isinstance(error, RequestEntityTooLarge):
        return f"the request body is over {MAX_BODY_BYTES} bytes"
    return error.name


def _text(status: int, message: str) -> Response:
    return Response(f"{message}\n", status=status, content_type="text/plain; charset=utf-8")


def serve(
    store_path: Path | str,
    *,
    host: str = "127.0.0.1",
    port: int = 7878,
    timeout: float = DEFAULT_TIMEOUT,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int = DEFAULT_MAX_BYTES,
    workers: int = 2,
    slice_seconds: float = DEFAULT_SLICE,
    allowed_hosts: Iterable[str] = (),
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the store at ``http://HOST:PORT/sparql`` until interrupted.

    Ctrl-C and SIGTERM raise ``Stopped`` once every worker process has ended. Raises
    ``ServeError`` when the address cannot be served.
    """
    import waitress

    def make_workers(store: Path | str) -> QueryWorkers:
        return QueryWorkers(
            store, size=workers, timeout=timeout, slice_seconds=slice_seconds,
            max_rows=max_rows, max_bytes=max_bytes,
        )  # fmt: skip

    builds = ServedBuilds(store_path, make_workers, announce)
    stop = threading.Event()
    previous = _on_stop_signals()
    server = None
    try:
        app = create_app(builds, host=host, allowed_hosts=allowed_hosts)
        try:
            server = waitress.create_server(
                app, host=host, port=port, ident="apg", **SERVER_SETTINGS
            )
        except OSError as error:
            raise ServeError(f"cannot serve on {host} port {port}: {error.strerror}") from None
        shown = url_host(host)
        announce(
            f"serving http://{shown}:{port}/sparql and the query page http://{shown}:{port}/ "
            f"({builds.current().store_path}; read-only; a query stops after {timeout:g} s "
            f"and returns at most {max_rows:,} rows and {max_bytes:,} bytes; "
            f"{network_isolation()})"
        )
        threading.Thread(target=builds.watch, args=(stop,), daemon=True).start()
        server.run()
    finally:
        stop.set()
        builds.close()  # first: requests in flight or waiting for a worker end now
        if server is not None:
            # connections cut short while stopping are no news
            logging.getLogger("waitress").setLevel(logging.CRITICAL)
            server.task_dispatcher.shutdown(timeout=5)
            server.close()
        for number, handler in previous.items():
            signal.signal(number, handler)


def _on_stop_signals() -> dict[int, Any]:
    """Make SIGINT and SIGTERM raise ``Stopped`` in the main thread (waitress would take
    KeyboardInterrupt for itself); return the handlers they had."""
    if threading.current_thread() is not threading.main_thread():
        return {}

    def stop(number: int, frame: object) -> None:
        raise Stopped(number)

    return {number: signal.signal(number, stop) for number in (signal.SIGINT, signal.SIGTERM)}
