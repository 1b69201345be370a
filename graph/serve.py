"""Serve the graph as a read-only SPARQL 1.1 Protocol endpoint, bounded in time and size.

The endpoint is a WSGI application served by waitress. Queries run in worker processes
that each hold the Oxigraph store open read-only; a query that runs past the time limit
is stopped by ending its worker, which is then replaced.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import queue
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib import Graph

from .errors import BuildError
from .query import (
    QueryError,
    QueryResult,
    RefusedQuery,
    bundled_queries,
    format_result,
    query_form,
    run_query,
)
from .store import open_store

__all__ = [
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "QueryTimeout",
    "QueryWorkers",
    "SparqlApp",
    "serve",
]

DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_ROWS = 10_000
MAX_BODY_BYTES = 1_000_000

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


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped."""


class Busy(QueryError):
    """Every worker stayed busy for longer than the time limit."""


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection


def _work(connection: Connection, store_path: str, max_rows: int) -> None:
    """A worker's loop: answer each query sent on ``connection`` until None arrives."""
    store = open_store(store_path)
    while True:
        sparql = connection.recv()
        if sparql is None:
            return
        try:
            result = run_query(sparql, store, max_rows=max_rows)
            graph = result.graph.serialize(format="nt") if len(result.graph) else ""
            connection.send(
                (
                    "ok",
                    {
                        "form": result.form,
                        "variables": result.variables,
                        "rows": result.rows,
                        "boolean": result.boolean,
                        "graph": graph,
                        "truncated": result.truncated,
                    },
                )
            )
        except BuildError as error:
            connection.send(("error", str(error)))


class QueryWorkers:
    """A pool of worker processes that run queries on a store, each within a time limit."""

    def __init__(
        self,
        store_path: Path | str,
        *,
        size: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> None:
        open_store(store_path)  # fail now, in the caller, if there is no store
        self.store_path = str(store_path)
        self.timeout = timeout
        self.max_rows = max_rows
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        for _ in range(size):
            self._idle.put(self._start())

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_work, args=(theirs, self.store_path, self.max_rows), daemon=True
        )
        process.start()
        theirs.close()
        return _Worker(process, mine)

    def run(self, sparql: str) -> QueryResult:
        """Run ``sparql`` in a free worker; raise ``QueryTimeout`` past the time limit."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise Busy(f"every worker is busy; try again (limit {self.timeout:g} s)") from None
        try:
            worker.connection.send(sparql)
            if not worker.connection.poll(self.timeout):
                self._stop(worker)
                worker = self._start()
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            status, payload = worker.connection.recv()
        except (EOFError, OSError):
            self._stop(worker)
            worker = self._start()
            raise QueryError("the query worker failed; the query was not answered") from None
        finally:
            self._idle.put(worker)
        if status == "error":
            raise QueryError(payload)
        graph = Graph().parse(data=payload.pop("graph"), format="nt")
        return QueryResult(graph=graph, **payload)

    @staticmethod
    def _stop(worker: _Worker) -> None:
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.connection.close()

    def close(self) -> None:
        """End every worker."""
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            worker.process.join(timeout=2)
            if worker.process.is_alive():
                self._stop(worker)


StartResponse = Callable[[str, list[tuple[str, str]]], Any]


class SparqlApp:
    """The WSGI application: ``/`` a query page, ``/sparql`` the SPARQL endpoint."""

    def __init__(self, workers: QueryWorkers) -> None:
        self.workers = workers
        queries = {
            name: path.read_text(encoding="utf-8") for name, path in bundled_queries().items()
        }
        # JSON in a script element: escape "<" so that no text can close the element
        data = json.dumps(queries, ensure_ascii=False).replace("<", "\\u003c")
        self.page = TEMPLATE.read_text(encoding="utf-8").replace("{{ queries }}", data).encode()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/" and method in ("GET", "HEAD"):
            return self._respond(start_response, "200 OK", "text/html; charset=utf-8", self.page)
        if path != "/sparql":
            return self._text(start_response, "404 Not Found", f"no such page: {path}")
        if method not in ("GET", "POST", "HEAD"):
            return self._text(start_response, "405 Method Not Allowed", "use GET or POST")
        try:
            sparql, parameters = self._read_query(environ, method)
            form = query_form(sparql)
            media_type = self._negotiate(form, environ, parameters)
            result = self.workers.run(sparql)
        except _HttpError as error:
            return self._text(start_response, error.status, error.message)
        except RefusedQuery as error:
            return self._text(start_response, "403 Forbidden", str(error))
        except (QueryTimeout, Busy) as error:
            return self._text(start_response, "503 Service Unavailable", str(error))
        except QueryError as error:
            return self._text(start_response, "400 Bad Request", str(error))
        body = self._body(result, media_type)
        headers = [("APG-Max-Rows", str(self.workers.max_rows))]
        if result.truncated:
            headers.append(("APG-Truncated", "true"))
        return self._respond(
            start_response, "200 OK", f"{media_type}; charset=utf-8", body, headers
        )

    def _read_query(self, environ: dict[str, Any], method: str) -> tuple[str, dict[str, list[str]]]:
        parameters = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
        if method == "POST":
            content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
            length = int(environ.get("CONTENT_LENGTH") or 0)
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
    def _negotiate(form: str, environ: dict[str, Any], parameters: dict[str, list[str]]) -> str:
        offered = GRAPH_TYPES if form in ("CONSTRUCT", "DESCRIBE") else RESULT_TYPES
        names = parameters.get("format", []) + parameters.get("output", [])
        for name in names:
            media_type = FORMAT_NAMES.get(name.lower(), name.lower())
            if media_type in offered:
                return media_type
        accepted = _accepted(environ.get("HTTP_ACCEPT", "*/*"))
        default = next(iter(offered))
        for media_type, _ in accepted:
            if media_type in offered:
                return media_type
            if media_type in ("*/*", "application/*", "text/*"):
                return default
        if not accepted:
            return default
        raise _HttpError("406 Not Acceptable", f"this answer can be sent as: {', '.join(offered)}")

    @staticmethod
    def _body(result: QueryResult, media_type: str) -> bytes:
        if result.form in ("CONSTRUCT", "DESCRIBE"):
            return result.graph.serialize(format=GRAPH_TYPES[media_type], encoding="utf-8")
        return format_result(result, RESULT_TYPES[media_type]).encode("utf-8")

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
    workers: int = 2,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve the store at ``http://HOST:PORT/sparql`` until interrupted."""
    import waitress

    pool = QueryWorkers(store_path, size=workers, timeout=timeout, max_rows=max_rows)
    try:
        announce(
            f"serving http://{host}:{port}/sparql (read-only; a query stops after "
            f"{timeout:g} s and returns at most {max_rows} rows); the query page is "
            f"http://{host}:{port}/"
        )
        waitress.serve(SparqlApp(pool), host=host, port=port, threads=4, ident="apg")
    finally:
        pool.close()
