"""Run SPARQL queries: bundled ones by name, files or text; on the store or an endpoint.

A query is checked on its tokens before it runs (``graph.sparql.tokens``: no SERVICE, no
update, within limits of size and depth), then run in a thread that cannot open a
socket, on a deep stack (``graph.sparql.sandbox``).
"""

from __future__ import annotations

import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice, pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import pyoxigraph

from ..iris import PREFIX_IRIS, compact_iri
from ..resources import resource_dir
from .defaults import FORMATS
from .results import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    Cell,
    NotWritable,
    Written,
    parsed_graph,
    write_boolean,
    write_solutions,
    write_triples,
)
from .sandbox import query_limits, run_isolated
from .tokens import QueryError, RefusedQuery, check_query, tokenize

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "DEFAULT_REMOTE_BYTES",
    "FORMATS",
    "NotWritable",
    "QueryError",
    "QueryResult",
    "RefusedQuery",
    "answer_query",
    "bundled_queries",
    "format_result",
    "load_query",
    "query_dir",
    "query_form",
    "run_query",
    "run_remote",
    "with_prefixes",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
TABLE_CELL = 60
DEFAULT_REMOTE_BYTES = 100_000_000
"""The most of an endpoint's answer that ``run_remote`` reads."""
REMOTE_TERM_TYPES = frozenset({"uri", "literal", "bnode", "typed-literal", "triple"})

T = TypeVar("T")


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. A SELECT fills ``variables`` and
    ``rows`` (each cell a SPARQL JSON term: ``{"type", "value", "datatype"?,
    "xml:lang"?}``, or None when unbound); an ASK fills ``boolean``; CONSTRUCT and
    DESCRIBE fill ``graph`` (None otherwise). ``truncated`` says that rows or triples past
    a limit were left out.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False


def query_dir() -> Path:
    """Return the folder of bundled ``.rq`` files (packaged, or at the checkout's top)."""
    return resource_dir("queries", "README.md")


def bundled_queries() -> dict[str, Path]:
    """Map each bundled query's name (its file name without ``.rq``) to its file."""
    return {path.stem: path for path in sorted(query_dir().glob("*.rq"))}


def load_query(query: str) -> str:
    """Return the SPARQL text that ``query`` names: a bundled query, a ``.rq`` file, or
    the text itself.

    Raises ``QueryError`` for a ``.rq`` file that does not exist or a word that names no
    bundled query.
    """
    bundled = bundled_queries()
    if query in bundled:
        return bundled[query].read_text(encoding="utf-8")
    if query.endswith(".rq") or (len(query) < 256 and "\n" not in query and Path(query).is_file()):
        path = Path(query)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise QueryError(f"{path}: query file not found") from None
        except (OSError, UnicodeDecodeError) as error:
            raise QueryError(f"{path}: cannot read the query: {error}") from None
    if re.fullmatch(r"[\w-]+", query.strip()):
        raise QueryError(
            f"no bundled query named {query!r} (bundled: {', '.join(bundled) or 'none'})"
        )
    return query


def query_form(sparql: str) -> str:
    """Return SELECT, ASK, CONSTRUCT or DESCRIBE; refuse updates and federated queries.

    The check reads the query's tokens as the engine reads them, so a variable, a
    literal, an IRI, a prefixed name or a comment that spells ``load`` or ``service`` is
    no keyword. Raises ``RefusedQuery`` for an update (INSERT, DELETE, LOAD, CLEAR, ...)
    or SERVICE, and ``QueryError`` for text that is not SPARQL, a query past the limits
    of size and depth, or no query form.

    >>> query_form("PREFIX s: <http://x/> SELECT ?load WHERE { ?load s:p 'SERVICE' }")
    'SELECT'
    """
    return check_query(sparql, query_limits())


def run_query(sparql: str, store: pyoxigraph.Store, *, max_rows: int | None = None) -> QueryResult:
    """Run a read-only query on a store laid out by ``apg build``: the default graph is
    the union of the sources' named graphs.

    With ``max_rows``, at most that many rows (or triples) are kept and the result is
    marked ``truncated`` when there were more. Raises ``RefusedQuery`` or ``QueryError``.
    """
    form = query_form(sparql)
    limit = max_rows + 1 if max_rows is not None else None

    def work() -> QueryResult:
        answer = store.query(sparql, prefixes=PREFIX_IRIS)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult("ASK", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            triples = list(islice(answer, limit))
            truncated = max_rows is not None and len(triples) > max_rows
            ntriples = "".join(f"{triple} .\n" for triple in triples[:max_rows])
            graph = parsed_graph(ntriples, "nt")
            return QueryResult(form, graph=graph, truncated=truncated)
        variables = tuple(variable.value for variable in answer.variables)
        rows = [  # values by position, in the order of the variables: the cheapest read
            tuple(_term(value) for value in solution) for solution in islice(answer, limit)
        ]
        truncated = max_rows is not None and len(rows) > max_rows
        return QueryResult("SELECT", variables, tuple(rows[:max_rows]), truncated=truncated)

    return _isolated(work)


def answer_query(
    sparql: str,
    store: pyoxigraph.Store,
    output_format: str,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Written:
    """Run a query and write its answer, within limits of rows and bytes: the whole work
    of one request to the endpoint.

    ``output_format`` is one of ``results.RESULT_FORMATS`` for SELECT and ASK, one of
    ``results.GRAPH_FORMATS`` for CONSTRUCT and DESCRIBE. Raises ``RefusedQuery``,
    ``NotWritable`` (the answer cannot be written in that format) or ``QueryError``.
    """
    form = query_form(sparql)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    if output_format not in (GRAPH_FORMATS if graph_form else RESULT_FORMATS):
        raise QueryError(f"a {form} answer cannot be written as {output_format}")

    def work() -> Written:
        answer = store.query(sparql, prefixes=PREFIX_IRIS)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return write_boolean(bool(answer), output_format)
        if isinstance(answer, pyoxigraph.QueryTriples):
            lines = (f"{triple} .\n" for triple in answer)
            return write_triples(lines, output_format, max_rows=max_rows, max_bytes=max_bytes)
        variables = tuple(variable.value for variable in answer.variables)
        rows = (tuple(_term(value) for value in solution) for solution in answer)
        return write_solutions(
            variables, rows, output_format, max_rows=max_rows, max_bytes=max_bytes
        )

    return _isolated(work)


def _isolated(work: Callable[[], T]) -> T:
    """Run ``work`` kept from the network; the engine's errors become one line."""
    try:
        return run_isolated(work)
    except QueryError:
        raise
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {_one_line(error)}") from None
    except PermissionError as error:
        if "os error 13" in str(error):  # the socket the sandbox refused
            raise RefusedQuery(
                "SERVICE is refused: the query tried to reach the network, which queries "
                "here cannot"
            ) from None
        raise QueryError(f"query failed: {_one_line(error)}") from None
    except (OSError, RuntimeError, ValueError) as error:
        raise QueryError(f"query failed: {_one_line(error)}") from None


def run_remote(
    sparql: str,
    endpoint: str,
    *,
    timeout: float = 60.0,
    max_bytes: int = DEFAULT_REMOTE_BYTES,
) -> QueryResult:
    """Run a query on any SPARQL 1.1 endpoint (the SPARQL Protocol, HTTP POST).

    Reads at most ``max_bytes`` of the answer, for at most ``timeout`` seconds in all.
    Raises ``QueryError`` in one line for an endpoint that cannot be reached, answers
    with an error, or answers with something that is not SPARQL JSON (SELECT, ASK) or
    Turtle / N-Triples (CONSTRUCT, DESCRIBE).
    """
    if not re.match(r"^https?://", endpoint):
        raise QueryError(f"{endpoint}: the endpoint must be an http(s) URL")
    form = query_form(sparql)
    graph_form = form in ("CONSTRUCT", "DESCRIBE")
    accept = (
        "text/turtle, application/n-triples;q=0.9"
        if graph_form
        else ("application/sparql-results+json")
    )
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": with_prefixes(sparql)}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = _read_capped(response, endpoint, max_bytes, deadline)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        detail = _one_line(error.read(300).decode("utf-8", "replace"))
        raise QueryError(f"{endpoint}: HTTP {error.code}: {detail[:200]}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise QueryError(f"{endpoint}: cannot reach the endpoint: {reason}") from None
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(
            f"{endpoint}: the answer is not UTF-8 (byte {error.start}: {body[error.start]:#04x})"
        ) from None
    if graph_form:
        return QueryResult(form, graph=_remote_graph(text, content_type, endpoint))
    return _remote_results(form, text, content_type, endpoint)


def _read_capped(response: Any, endpoint: str, max_bytes: int, deadline: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(65_536):
        size += len(chunk)
        if size > max_bytes:
            raise QueryError(f"{endpoint}: the answer is larger than {max_bytes:,} bytes")
        if time.monotonic() > deadline:
            raise QueryError(f"{endpoint}: the answer took longer than the time limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _remote_graph(text: str, content_type: str, endpoint: str) -> Graph:
    syntax = "nt" if content_type == "application/n-triples" else "turtle"
    try:
        return parsed_graph(text, syntax)
    except Exception as error:  # rdflib's parsers raise many kinds of error
        name = "N-Triples" if syntax == "nt" else "Turtle"
        raise QueryError(
            f"{endpoint}: the answer is not {name} ({content_type}): {_one_line(error)[:200]}"
        ) from None


def _remote_results(form: str, text: str, content_type: str, endpoint: str) -> QueryResult:
    try:
        document = json.loads(text)
    except ValueError:
        raise QueryError(f"{endpoint}: the answer is not SPARQL JSON ({content_type})") from None

    def wrong(what: str) -> QueryError:
        return QueryError(f"{endpoint}: the answer is not SPARQL JSON: {what}")

    if not isinstance(document, dict):
        raise wrong("it is not a JSON object")
    if "boolean" in document:
        if not isinstance(document["boolean"], bool):
            raise wrong("'boolean' is not true or false")
        return QueryResult("ASK", boolean=document["boolean"])
    variables = (
        (document.get("head") or {}).get("vars") if isinstance(document.get("head"), dict) else None
    )
    if not isinstance(variables, list) or not all(isinstance(name, str) for name in variables):
        raise wrong("no head.vars list of names")
    results = document.get("results")
    bindings = results.get("bindings") if isinstance(results, dict) else None
    if not isinstance(bindings, list):
        raise wrong("no results.bindings list")
    rows = tuple(
        tuple(_remote_cell(binding, name, number, wrong) for name in variables)
        for number, binding in enumerate(bindings)
    )
    return QueryResult(form, variables=tuple(variables), rows=rows)


def _remote_cell(
    binding: object, name: str, number: int, wrong: Callable[[str], QueryError]
) -> Cell:
    if not isinstance(binding, dict):
        raise wrong(f"results.bindings[{number}] is not an object")
    cell = binding.get(name)
    if cell is None:
        return None
    where = f"results.bindings[{number}].{name}"
    if not isinstance(cell, dict) or cell.get("type") not in REMOTE_TERM_TYPES:
        raise wrong(f"{where} is not a term (uri, literal or bnode)")
    if not all(isinstance(cell.get(key, ""), str) for key in ("value", "datatype", "xml:lang")):
        raise wrong(f"{where} has a value that is not a string")
    if "value" not in cell:
        raise wrong(f"{where} has no value")
    term = {key: cell[key] for key in ("type", "value", "datatype", "xml:lang") if key in cell}
    if term["type"] == "typed-literal":  # the 2008 form of a literal with a datatype
        term["type"] = "literal"
    return term


def format_result(result: QueryResult, output_format: str = "table") -> str:
    """Write a result as a text table or in a SPARQL 1.1 result format (CSV, TSV, JSON,
    XML).

    CONSTRUCT and DESCRIBE results are written as Turtle whatever the format. Raises
    ``NotWritable`` for XML when a value holds a character XML 1.0 cannot carry.
    """
    if output_format not in FORMATS:
        raise QueryError(f"unknown format {output_format!r} (known: {', '.join(FORMATS)})")
    if result.graph is not None:  # CONSTRUCT and DESCRIBE
        from ..turtle import turtle  # rdflib's text, in time linear in the graph

        return turtle(result.graph).decode("utf-8")
    if result.boolean is not None:
        return write_boolean(result.boolean, output_format).body.decode("utf-8")
    if output_format == "table":
        return _table(result)
    return write_solutions(result.variables, result.rows, output_format).body.decode("utf-8")


def _table(result: QueryResult) -> str:
    cells = [[_short(cell) for cell in row] for row in result.rows]
    widths = [
        max([len(name), *(len(row[index]) for row in cells)])
        for index, name in enumerate(result.variables)
    ]
    header = "  ".join(n.ljust(w) for n, w in zip(result.variables, widths, strict=True))
    rule = "  ".join("-" * width for width in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    count = f"({len(cells)} row{'s' if len(cells) != 1 else ''})"
    return "\n".join([header.rstrip(), rule, *(line.rstrip() for line in body), count]) + "\n"


def _short(cell: Cell) -> str:
    """A cell for the text table: prefixed IRIs, one line, at most TABLE_CELL characters,
    control characters shown as escapes (a terminal would obey them)."""
    if cell is None:
        return ""
    value = cell["value"]
    if cell["type"] == "uri":
        value = compact_iri(value)
    value = " ".join(value.split())
    value = "".join(char if char.isprintable() else f"\\u{ord(char):04x}" for char in value)
    return value if len(value) <= TABLE_CELL else value[: TABLE_CELL - 1] + "…"


def _term(term: object) -> Cell:
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Literal):
        cell = {"type": "literal", "value": term.value}
        if term.language:
            cell["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            cell["datatype"] = term.datatype.value
        return cell
    return {"type": "literal", "value": str(term)}


def with_prefixes(sparql: str) -> str:
    """Declare the project's prefixes that a query uses without declaring them.

    The local engine knows them; a remote endpoint needs them written out. The query's
    tokens say which prefixes it declares (``PREFIX p:``) and which it uses (``p:x``).
    """
    tokens = tokenize(sparql, None)
    declared = {
        token.text[:-1]
        for previous, token in pairwise(tokens)
        if previous.kind == "word" and previous.text.upper() == "PREFIX" and token.kind == "pname"
    }
    used = {token.text.split(":", 1)[0] for token in tokens if token.kind == "pname"}
    lines = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIX_IRIS.items()
        if prefix not in declared and prefix in used
    ]
    return "\n".join([*lines, sparql])


def _one_line(error: Exception | str) -> str:
    return " ".join(str(error).split())
