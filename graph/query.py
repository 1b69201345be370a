"""Run SPARQL queries: bundled ones by name, files or text; on the store or an endpoint."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from xml.sax.saxutils import escape

import pyoxigraph
from rdflib import Graph

from .errors import BuildError
from .namespaces import PREFIX_IRIS, bind_prefixes, compact_iri

__all__ = [
    "FORMATS",
    "QueryError",
    "QueryResult",
    "RefusedQuery",
    "bundled_queries",
    "format_result",
    "load_query",
    "query_dir",
    "query_form",
    "run_query",
    "run_remote",
    "with_prefixes",
]

FORMATS = ("table", "csv", "tsv", "json", "xml")
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SPARQL_RESULTS_XML = "http://www.w3.org/2005/sparql-results#"
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
TABLE_CELL = 60

# strings, IRIs and comments, which may hold any word without it being a keyword
_OPAQUE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
)
_WORD = re.compile(r"(?<![?$:\w-])([A-Za-z]+)(?![\w:-])")


class QueryError(BuildError):
    """A query could not be found, parsed or run."""


class RefusedQuery(QueryError):
    """A query asks for something the tool does not do: an update, LOAD, SERVICE."""


@dataclass(frozen=True)
class QueryResult:
    """The answer to a query.

    ``form`` is SELECT, ASK, CONSTRUCT or DESCRIBE. A SELECT fills ``variables`` and
    ``rows`` (each cell a SPARQL JSON term: ``{"type", "value", "datatype"?,
    "xml:lang"?}``, or None when unbound); an ASK fills ``boolean``; CONSTRUCT and
    DESCRIBE fill ``graph``. ``truncated`` says that rows or triples past a limit were
    left out.
    """

    form: str
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[dict[str, str] | None, ...], ...] = ()
    boolean: bool | None = None
    graph: Graph = field(default_factory=Graph)
    truncated: bool = False


def query_dir() -> Path:
    """Return the folder of bundled ``.rq`` files (packaged, or at the checkout's top)."""
    packaged = Path(__file__).parent / "_queries"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "queries"


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

    The check reads the query's keywords outside strings, IRIs and comments, so a
    variable or a literal that spells ``load`` or ``service`` is no keyword.
    Raises ``RefusedQuery`` for an update (INSERT, DELETE, LOAD, CLEAR, ...) or SERVICE,
    and ``QueryError`` when no query form is found.

    >>> query_form("PREFIX s: <http://x/> SELECT ?load WHERE { ?load s:p 'SERVICE' }")
    'SELECT'
    """
    words = [word.upper() for word in _WORD.findall(_OPAQUE.sub(" ", sparql))]
    if "SERVICE" in words:
        raise RefusedQuery("SERVICE is refused: queries run on this graph only")
    for word in words:
        if word in QUERY_FORMS:
            return word
        if word in UPDATE_KEYWORDS:
            raise RefusedQuery(f"{word} is refused: the graph is read-only (updates are refused)")
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")


def run_query(sparql: str, store: pyoxigraph.Store, *, max_rows: int | None = None) -> QueryResult:
    """Run a read-only query on a store laid out by ``apg build``: the default graph is
    the union of the sources' named graphs.

    With ``max_rows``, at most that many rows (or triples) are kept and the result is
    marked ``truncated`` when there were more. Raises ``RefusedQuery`` or ``QueryError``.
    """
    form = query_form(sparql)
    try:
        answer = store.query(sparql, prefixes=PREFIX_IRIS)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult(form, boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            triples = list(islice(answer, max_rows + 1 if max_rows is not None else None))
            truncated = max_rows is not None and len(triples) > max_rows
            ntriples = "".join(f"{triple} .\n" for triple in triples[:max_rows])
            graph = _bind(Graph().parse(data=ntriples, format="nt"))
            return QueryResult(form, graph=graph, truncated=truncated)
        variables = tuple(variable.value for variable in answer.variables)
        rows = [  # values by position, in the order of the variables: the cheapest read
            tuple(_term(value) for value in solution)
            for solution in islice(answer, max_rows + 1 if max_rows is not None else None)
        ]
        truncated = max_rows is not None and len(rows) > max_rows
        return QueryResult(form, variables, tuple(rows[:max_rows]), truncated=truncated)
    except SyntaxError as error:
        raise QueryError(f"SPARQL syntax error: {_one_line(error)}") from None
    except OSError as error:
        raise QueryError(f"query failed: {_one_line(error)}") from None


def run_remote(sparql: str, endpoint: str, *, timeout: float = 60.0) -> QueryResult:
    """Run a query on any SPARQL 1.1 endpoint (the SPARQL Protocol, HTTP POST)."""
    if not re.match(r"^https?://", endpoint):
        raise QueryError(f"{endpoint}: the endpoint must be an http(s) URL")
    form = query_form(sparql)
    accept = (
        "text/turtle, application/n-triples;q=0.9"
        if form in ("CONSTRUCT", "DESCRIBE")
        else "application/sparql-results+json"
    )
    request = urllib.request.Request(
        endpoint,
        data=urllib.parse.urlencode({"query": with_prefixes(sparql)}).encode(),
        headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        detail = error.read(300).decode("utf-8", "replace").strip().replace("\n", " ")
        raise QueryError(f"{endpoint}: HTTP {error.code}: {detail[:200]}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise QueryError(f"{endpoint}: cannot reach the endpoint: {reason}") from None
    if form in ("CONSTRUCT", "DESCRIBE"):
        syntax = "nt" if content_type == "application/n-triples" else "turtle"
        return QueryResult(form, graph=_bind(Graph().parse(data=body, format=syntax)))
    try:
        document = json.loads(body)
    except ValueError:
        raise QueryError(f"{endpoint}: the answer is not SPARQL JSON ({content_type})") from None
    if "boolean" in document:
        return QueryResult(form, boolean=bool(document["boolean"]))
    variables = tuple(document["head"]["vars"])
    rows = tuple(
        tuple(binding.get(name) for name in variables)
        for binding in document["results"]["bindings"]
    )
    return QueryResult(form, variables=variables, rows=rows)


def format_result(result: QueryResult, output_format: str = "table") -> str:
    """Write a result as a text table or in a SPARQL 1.1 result format (CSV, TSV, JSON,
    XML).

    CONSTRUCT and DESCRIBE results are written as Turtle whatever the format.
    """
    if output_format not in FORMATS:
        raise QueryError(f"unknown format {output_format!r} (known: {', '.join(FORMATS)})")
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        return result.graph.serialize(format="turtle")
    if output_format == "xml":
        return _xml(result)
    if result.boolean is not None:
        if output_format == "json":
            return json.dumps({"head": {}, "boolean": result.boolean}) + "\n"
        return ("true" if result.boolean else "false") + "\n"
    if output_format == "json":
        bindings = [
            {name: cell for name, cell in zip(result.variables, row, strict=True) if cell}
            for row in result.rows
        ]
        document = {"head": {"vars": list(result.variables)}, "results": {"bindings": bindings}}
        return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if output_format == "tsv":
        lines = ["\t".join(f"?{name}" for name in result.variables)]
        lines += ["\t".join(_ntriples(cell) for cell in row) for row in result.rows]
        return "\n".join(lines) + "\n"
    if output_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(result.variables)
        writer.writerows([[cell["value"] if cell else "" for cell in row] for row in result.rows])
        return buffer.getvalue()
    return _table(result)


def _xml(result: QueryResult) -> str:
    """The SPARQL Query Results XML Format."""
    lines = ['<?xml version="1.0"?>', f'<sparql xmlns="{SPARQL_RESULTS_XML}">', "<head>"]
    lines += [f'<variable name="{name}"/>' for name in result.variables]
    lines.append("</head>")
    if result.boolean is not None:
        lines.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        lines.append("<results>")
        for row in result.rows:
            lines.append("<result>")
            for name, cell in zip(result.variables, row, strict=True):
                if cell is not None:
                    lines.append(f'<binding name="{name}">{_xml_term(cell)}</binding>')
            lines.append("</result>")
        lines.append("</results>")
    lines.append("</sparql>")
    return "\n".join(lines) + "\n"


def _xml_term(cell: dict[str, str]) -> str:
    value = escape(cell["value"])
    if cell["type"] == "uri":
        return f"<uri>{value}</uri>"
    if cell["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in cell:
        return f'<literal xml:lang="{escape(cell["xml:lang"])}">{value}</literal>'
    if "datatype" in cell:
        return f'<literal datatype="{escape(cell["datatype"])}">{value}</literal>'
    return f"<literal>{value}</literal>"


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


def _short(cell: dict[str, str] | None) -> str:
    """A cell for the text table: prefixed IRIs, one line, at most TABLE_CELL characters."""
    if cell is None:
        return ""
    value = cell["value"]
    if cell["type"] == "uri":
        value = compact_iri(value)
    value = " ".join(value.split())
    return value if len(value) <= TABLE_CELL else value[: TABLE_CELL - 1] + "…"


def _term(term: object) -> dict[str, str] | None:
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


def _ntriples(cell: dict[str, str] | None) -> str:
    """A term in N-Triples syntax, as SPARQL TSV wants it."""
    if cell is None:
        return ""
    if cell["type"] == "uri":
        return f"<{cell['value']}>"
    if cell["type"] == "bnode":
        return f"_:{cell['value']}"
    text = json.dumps(cell["value"], ensure_ascii=False)
    if "xml:lang" in cell:
        return f"{text}@{cell['xml:lang']}"
    if "datatype" in cell:
        return f"{text}^^<{cell['datatype']}>"
    return text


def with_prefixes(sparql: str) -> str:
    """Declare the project's prefixes that a query uses without declaring them.

    The local engine knows them; a remote endpoint needs them written out.
    """
    declared = {m.lower() for m in re.findall(r"(?i)\bPREFIX\s+([\w-]*):", sparql)}
    text = _OPAQUE.sub(" ", sparql)
    lines = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIX_IRIS.items()
        if prefix not in declared and re.search(rf"(?<![\w?$]){prefix}:", text)
    ]
    return "\n".join([*lines, sparql])


def _bind(graph: Graph) -> Graph:
    bind_prefixes(graph)
    return graph


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())
