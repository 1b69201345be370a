"""Serve the graph as a read-only SPARQL 1.1 Protocol endpoint, bounded in time and size.

The endpoint is a WSGI application served by waitress. The server reads only a query's
first keywords (to choose the answer's format); the query is checked on its tokens, run
and written in a worker process (``graph.sparql.workers``), so a long query text costs the
server nothing. Requests
whose ``Host`` is not this endpoint's (DNS rebinding) and requests from other web pages
(``Origin``, ``Sec-Fetch-Site``, ``Referer``) are refused; no CORS header is ever sent.
When the store link is switched to a new build, new workers start on it and the old
ones finish their queries first (``ServedBuilds``).
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
import signal
import threading
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import BuildError
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
    "SparqlApp",
    "Stopped",
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
LOCAL_NAMES = ("localhost", "127.0.0.1", "::1")
WILDCARDS = ("", "0.0.0.0", "::")
TEMPLATE = Path(__file__).parent / "templates" / "sparql.html"
PAGE_HEADERS = [  # the page may not be framed by another site (clickjacking)
    ("Content-Security-Policy", "frame-ancestors 'none'"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
]

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class ServeError(BuildError):
    """The endpoint cannot be served: the port is taken, the address is not this
    machine's, ..."""


class Stopped(Exception):
    """The server was asked to stop: Ctrl-C (SIGINT) or SIGTERM."""

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


class SparqlApp:
    """The WSGI application: ``/`` a query page, ``/sparql`` (and ``/query``) the endpoint.

    ``port`` and ``host`` are where it is served: a request whose ``Host`` header names
    another port, or a name that is neither an IP address, ``localhost``, ``host`` nor
    one of ``allowed_hosts``, is refused (403).
    """

    def __init__(
        self,
        builds: ServedBuilds,
        *,
        port: int,
        host: str = "127.0.0.1",
        allowed_hosts: Iterable[str] = (),
    ) -> None:
        self.builds = builds
        self.port = port
        names = {*LOCAL_NAMES, *(name.lower().strip("[]") for name in allowed_hosts)}
        if host not in WILDCARDS:
            names.add(host.lower().strip("[]"))
        self.host_names = frozenset(names)
        queries = {
            name: path.read_text(encoding="utf-8") for name, path in bundled_queries().items()
        }
        # JSON in a script element: escape "<" so that no text can close the element
        data = json.dumps(queries, ensure_ascii=False).replace("<", "\\u003c")
        self.page = TEMPLATE.read_text(encoding="utf-8").replace("{{ queries }}", data).encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            self._check_host(environ)
            if path == "/" and method in ("GET", "HEAD"):
                return self._respond(
                    start_response, "200 OK", "text/html; charset=utf-8", self.page, PAGE_HEADERS
                )
            if path not in ENDPOINT_PATHS:
                raise _HttpError("404 Not Found", f"no such page: {path}")
            self._check_origin(environ)
            if method not in ("GET", "POST", "HEAD"):
                raise _HttpError("405 Method Not Allowed", "use GET or POST")
            sparql, parameters = self._read_query(environ, method)
            form = leading_form(sparql)  # the whole check is made in the worker
            media_type, output_format = self._negotiate(form, environ, parameters)
            written = self._answer(sparql, output_format)
        except _HttpError as error:
            return self._text(start_response, error.status, error.message)
        except RefusedQuery as error:
            return self._text(start_response, "403 Forbidden", str(error))
        except NotWritable as error:
            return self._text(start_response, "406 Not Acceptable", str(error))
        except (QueryTimeout, Busy) as error:
            return self._text(start_response, "503 Service Unavailable", str(error))
        except QueryError as error:
            return self._text(start_response, "400 Bad Request", str(error))
        return self._respond(
            start_response, "200 OK", f"{media_type}; charset=utf-8", written.body,
            self._limit_headers(written),
        )  # fmt: skip

    def _answer(self, sparql: str, output_format: str) -> Written:
        while True:
            try:
                return self.builds.current().answer(sparql, output_format)
            except Retired:
                continue  # a new build came in while the query waited: ask its workers

    def _limit_headers(self, written: Written) -> list[tuple[str, str]]:
        pool = self.builds.current()
        headers = [("APG-Max-Rows", str(pool.max_rows)), ("APG-Max-Bytes", str(pool.max_bytes))]
        if written.truncated:
            headers += [("APG-Truncated", "true"), ("APG-Truncated-By", written.truncated)]
        return headers

    def _check_host(self, environ: dict[str, Any]) -> None:
        """Refuse a ``Host`` that is not this endpoint's: a page on a name that was made to
        resolve to this machine (DNS rebinding) names itself there."""
        header = environ.get("HTTP_HOST")
        if header is None:  # HTTP/1.0 clients; browsers always send it
            return
        name, port = _split_host(header)
        if port != self.port or not (name in self.host_names or _is_address(name)):
            raise _HttpError(
                "403 Forbidden",
                f"Host {header!r} is not this endpoint's; to serve it under that name, "
                "start apg serve with --allow-host NAME",
            )

    @staticmethod
    def _check_origin(environ: dict[str, Any]) -> None:
        """Refuse a query sent by another web page: a form, a fetch, a link or an image."""
        own = f"{environ.get('wsgi.url_scheme', 'http')}://{environ.get('HTTP_HOST', '')}".lower()
        origin = environ.get("HTTP_ORIGIN")
        if origin is not None and origin.lower() != own:
            raise _HttpError(
                "403 Forbidden", f"queries from other web pages are refused (Origin: {origin})"
            )
        site = environ.get("HTTP_SEC_FETCH_SITE", "").lower()
        if site in ("cross-site", "same-site"):
            raise _HttpError(
                "403 Forbidden",
                f"queries from other web pages are refused (Sec-Fetch-Site: {site})",
            )
        referer = environ.get("HTTP_REFERER")
        if referer:
            parts = urllib.parse.urlsplit(referer)
            if f"{parts.scheme}://{parts.netloc}".lower() != own:
                raise _HttpError("403 Forbidden", "queries from other web pages are refused")

    def _read_query(self, environ: dict[str, Any], method: str) -> tuple[str, dict[str, list[str]]]:
        parameters = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if method == "POST":
            content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                raise _HttpError("400 Bad Request", "Content-Length is not a number") from None
            if length > MAX_BODY_BYTES:
                raise _HttpError(
                    "413 Content Too Large", f"the request body is over {MAX_BODY_BYTES} bytes"
                )
            body = environ["wsgi.input"].read(length).decode("utf-8", "replace")
            if content_type == "application/sparql-update":
                raise _HttpError("403 Forbidden", "updates are refused: the graph is read-only")
            if content_type == "application/sparql-query":
                parameters.setdefault("query", []).append(body)
            elif content_type == "application/x-www-form-urlencoded":
                for name, values in urllib.parse.parse_qs(body).items():
                    parameters.setdefault(name, []).extend(values)
            else:
                raise _HttpError(
                    "415 Unsupported Media Type",
                    "send the query as application/sparql-query or in a form (query=...)",
                )
        if "update" in parameters:
            raise _HttpError("403 Forbidden", "updates are refused: the graph is read-only")
        for name in ("default-graph-uri", "named-graph-uri", "using-graph-uri"):
            if name in parameters:
                raise _HttpError(
                    "400 Bad Request",
                    f"{name} is not supported: the default graph is the union of the sources",
                )
        queries = parameters.get("query", [])
        if len(queries) != 1 or not queries[0].strip():
            raise _HttpError("400 Bad Request", "give exactly one query (the `query` parameter)")
        return queries[0], parameters

    @staticmethod
    def _negotiate(
        form: str, environ: dict[str, Any], parameters: dict[str, list[str]]
    ) -> tuple[str, str]:
        """The media type to answer in, and the writer's name for it."""
        offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        names = parameters.get("format", []) + parameters.get("output", [])
        for name in names:
            media_type = FORMAT_NAMES.get(name.lower(), name.lower())
            if media_type in offered:
                return media_type, offered[media_type]
        accepted = _accepted(environ.get("HTTP_ACCEPT", "*/*"))
        default = next(iter(offered))
        for media_type, _ in accepted:
            if media_type in offered:
                return media_type, offered[media_type]
            if media_type in ("*/*", "application/*", "text/*"):
                return default, offered[default]
        if not accepted:
            return default, offered[default]
        raise _HttpError("406 Not Acceptable", f"this answer can be sent as: {', '.join(offered)}")

    @staticmethod
    def _respond(
        start_response: StartResponse,
        status: str,
        content_type: str,
        body: bytes,
        headers: list[tuple[str, str]] | None = None,
    ) -> list[bytes]:
        start_response(
            status,
            [
                ("Content-Type", content_type),
                ("Content-Length", str(len(body))),
                ("X-Content-Type-Options", "nosniff"),
                *(headers or []),
            ],
        )
        return [body]

    def _text(self, start_response: StartResponse, status: str, message: str) -> list[bytes]:
        return self._respond(
            start_response, status, "text/plain; charset=utf-8", f"{message}\n".encode()
        )


class _HttpError(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _split_host(header: str) -> tuple[str, int | None]:
    """A ``Host`` header's name (lower case, IPv6 without brackets) and port (80 if none)."""
    header = header.strip().lower()
    if header.startswith("["):
        name, _, rest = header[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        name, _, port_text = header.partition(":")
    if not port_text:
        return name.rstrip("."), 80
    return name.rstrip("."), int(port_text) if port_text.isdigit() else None


def _is_address(name: str) -> bool:
    """Whether a host name is an IP address: no DNS name, so no DNS rebinding."""
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _accepted(header: str) -> list[tuple[str, float]]:
    """The media types of an Accept header, best first (ties keep the header's order)."""
    accepted = []
    for position, part in enumerate(header.split(",")):
        media_type, *options = (piece.strip() for piece in part.split(";"))
        quality = 1.0
        for option in options:
            if option.startswith("q="):
                try:
                    quality = float(option[2:])
                except ValueError:
                    quality = 0.0
        if media_type and quality > 0:
            accepted.append((media_type.lower(), quality, position))
    accepted.sort(key=lambda entry: (-entry[1], entry[2]))
    return [(media_type, quality) for media_type, quality, _ in accepted]


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
        app = SparqlApp(builds, port=port, host=host, allowed_hosts=allowed_hosts)
        try:
            server = waitress.create_server(
                app, host=host, port=port, ident="apg", **SERVER_SETTINGS
            )
        except OSError as error:
            raise ServeError(f"cannot serve on {host} port {port}: {error.strerror}") from None
        shown = f"[{host}]" if ":" in host else host
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
