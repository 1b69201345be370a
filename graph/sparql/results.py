"""Write query answers: SPARQL results (JSON, XML, CSV, TSV) and graphs (Turtle, N-Triples,
RDF/XML, JSON-LD), within limits of rows and bytes.

Answers are written row by row as the engine yields them, so a limit in bytes bounds
the memory an answer takes as well as its size. XML is checked as it is written: a
character that XML 1.0 cannot carry (U+0001, ...) refuses the answer in that format
rather than writing a document no XML parser reads.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from .tokens import QueryError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "Cell",
    "NotWritable",
    "Written",
    "ntriples_term",
    "parsed_graph",
    "write_boolean",
    "write_solutions",
    "write_triples",
]

RESULT_FORMATS = ("json", "xml", "csv", "tsv")
GRAPH_FORMATS = ("turtle", "nt", "xml", "json-ld")
SPARQL_RESULTS_XML = "http://www.w3.org/2005/sparql-results#"

Cell = dict[str, str] | None
"""A SPARQL JSON term (``{"type", "value", "datatype"?, "xml:lang"?}``), None if unbound."""

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class NotWritable(QueryError):
    """The answer holds something the format asked for cannot carry."""


@dataclass(frozen=True)
class Written:
    """An answer written out: ``count`` rows or triples, and why it stopped early."""

    body: bytes
    count: int
    truncated: str | None = None
    """``rows`` or ``bytes``: the limit that left the rest out; None for a whole answer."""


def write_boolean(value: bool, output_format: str) -> Written:
    """Write an ASK answer."""
    word = "true" if value else "false"
    if output_format == "json":
        text = json.dumps({"head": {}, "boolean": value}) + "\n"
    elif output_format == "xml":
        text = (
            f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_XML}">\n<head>\n</head>\n'
            f"<boolean>{word}</boolean>\n</sparql>\n"
        )
    else:
        text = word + "\n"
    return Written(text.encode("utf-8"), 1)


def write_solutions(
    variables: tuple[str, ...],
    rows: Iterable[tuple[Cell, ...]],
    output_format: str,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Written:
    """Write SELECT rows in a SPARQL 1.1 result format, stopping at either limit.

    Raises ``NotWritable`` for XML when a value holds a character XML 1.0 cannot carry.
    """
    if output_format not in RESULT_FORMATS:
        raise QueryError(f"unknown result format {output_format!r}")
    head, write_row, separator, foot = _LAYOUTS[output_format](variables)
    parts = [head.encode("utf-8")]
    size = len(parts[0]) + len(foot)
    count, truncated = 0, None
    for row in rows:
        if max_rows is not None and count >= max_rows:
            truncated = "rows"
            break
        chunk = ((separator if count else "") + write_row(row, count + 1)).encode("utf-8")
        if max_bytes is not None and size + len(chunk) > max_bytes:
            truncated = "bytes"
            break
        parts.append(chunk)
        size += len(chunk)
        count += 1
    parts.append(foot.encode("utf-8"))
    return Written(b"".join(parts), count, truncated)


def _json_layout(variables: tuple[str, ...]) -> tuple[str, Callable[..., str], str, str]:
    def row_text(row: tuple[Cell, ...], number: int) -> str:
        binding = {name: cell for name, cell in zip(variables, row, strict=True) if cell}
        return json.dumps(binding, ensure_ascii=False)

    head = json.dumps({"head": {"vars": list(variables)}})[:-1]
    return head + ', "results": {"bindings": [\n', row_text, ",\n", "\n]}}\n"


def _xml_layout(variables: tuple[str, ...]) -> tuple[str, Callable[..., str], str, str]:
    def row_text(row: tuple[Cell, ...], number: int) -> str:
        bindings = [
            f'<binding name="{name}">{_xml_term(cell, name, number)}</binding>\n'
            for name, cell in zip(variables, row, strict=True)
            if cell is not None
        ]
        return "<result>\n" + "".join(bindings) + "</result>\n"

    names = "".join(f'<variable name="{name}"/>\n' for name in variables)
    head = f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_XML}">\n<head>\n{names}'
    return head + "</head>\n<results>\n", row_text, "", "</results>\n</sparql>\n"


def _csv_layout(variables: tuple[str, ...]) -> tuple[str, Callable[..., str], str, str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values: Iterable[str]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(values)
        return buffer.getvalue()

    def row_text(row: tuple[Cell, ...], number: int) -> str:
        return line(cell["value"] if cell else "" for cell in row)

    return line(variables), row_text, "", ""


def _tsv_layout(variables: tuple[str, ...]) -> tuple[str, Callable[..., str], str, str]:
    def row_text(row: tuple[Cell, ...], number: int) -> str:
        return "\t".join(ntriples_term(cell) for cell in row) + "\n"

    return "\t".join(f"?{name}" for name in variables) + "\n", row_text, "", ""


_LAYOUTS = {"json": _json_layout, "xml": _xml_layout, "csv": _csv_layout, "tsv": _tsv_layout}


def _xml_text(value: str, where: str) -> str:
    bad = _NOT_XML.search(value)
    if bad:
        raise NotWritable(
            f"the answer holds U+{ord(bad.group()):04X} ({where}), which XML 1.0 cannot "
            "carry; ask for JSON (application/sparql-results+json) instead"
        )
    return escape(value, {'"': "&quot;"})


def _xml_term(cell: dict[str, str], name: str, number: int) -> str:
    where = f"?{name}, row {number}"
    value = _xml_text(cell["value"], where)
    if cell["type"] == "uri":
        return f"<uri>{value}</uri>"
    if cell["type"] == "bnode":
        return f"<bnode>{value}</bnode>"
    if "xml:lang" in cell:
        return f'<literal xml:lang="{_xml_text(cell["xml:lang"], where)}">{value}</literal>'
    if "datatype" in cell:
        return f'<literal datatype="{_xml_text(cell["datatype"], where)}">{value}</literal>'
    return f"<literal>{value}</literal>"


def ntriples_term(cell: Cell) -> str:
    """A term in N-Triples syntax, as SPARQL TSV wants it; unbound is empty."""
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


def write_triples(
    lines: Iterator[str],
    output_format: str,
    *,
    max_rows: int | None = None,
    max_bytes: int | None = None,
) -> Written:
    """Write a CONSTRUCT or DESCRIBE answer, given as N-Triples lines, in an RDF syntax.

    The triples kept are those whose N-Triples fit in ``max_bytes``; a syntax that
    writes them longer (RDF/XML, JSON-LD) keeps fewer. Raises ``NotWritable`` for
    RDF/XML when a predicate has no XML name or a value holds a character XML 1.0
    cannot carry.
    """
    if output_format not in GRAPH_FORMATS:
        raise QueryError(f"unknown graph format {output_format!r}")
    kept: list[str] = []
    size, truncated = 0, None
    for line in lines:
        if max_rows is not None and len(kept) >= max_rows:
            truncated = "rows"
            break
        if max_bytes is not None and size + len(line.encode("utf-8")) > max_bytes:
            truncated = "bytes"
            break
        kept.append(line)
        size += len(line.encode("utf-8"))
    if output_format == "nt":
        return Written("".join(kept).encode("utf-8"), len(kept), truncated)
    while True:
        body = _graph_body(kept, output_format)
        if max_bytes is None or len(body) <= max_bytes or not kept:
            return Written(body, len(kept), truncated)
        kept = kept[: int(len(kept) * max_bytes / len(body) * 0.95)]
        truncated = "bytes"


def _graph_body(lines: list[str], output_format: str) -> bytes:
    graph = parsed_graph("".join(lines), "nt")
    if output_format == "xml":
        _check_rdf_xml(graph)
    try:
        if output_format == "turtle":  # rdflib's bytes, in time linear in the graph
            from ..turtle import turtle

            return turtle(graph)
        return graph.serialize(format=output_format, encoding="utf-8")
    except ValueError as error:  # what _check_rdf_xml did not foresee
        name = "RDF/XML" if output_format == "xml" else output_format
        raise NotWritable(f"the graph cannot be written as {name}: {error}") from None


def parsed_graph(text: str, syntax: str) -> Graph:
    """Parse ``text`` in ``syntax`` (an rdflib format name) into a graph with our prefixes.

    rdflib is loaded here, when a graph answer is written, so that a SELECT loads none of it.
    """
    from rdflib import Graph

    from ..namespaces import bind_prefixes

    graph = Graph().parse(data=text, format=syntax)
    bind_prefixes(graph)
    return graph


def _check_rdf_xml(graph: Graph) -> None:
    """Refuse a graph that RDF/XML cannot carry, naming what stops it."""
    from rdflib import Graph, URIRef

    names = Graph().namespace_manager  # a scratch one: naming binds prefixes
    for predicate in sorted({URIRef(str(predicate)) for predicate in graph.predicates()}):
        try:
            names.compute_qname_strict(predicate)
        except ValueError:
            raise NotWritable(
                f"the graph cannot be written as RDF/XML: the predicate <{predicate}> ends "
                "in no XML name; ask for Turtle, N-Triples or JSON-LD instead"
            ) from None
    for triple in graph:
        for term in triple:
            bad = _NOT_XML.search(str(term)) or _NOT_XML.search(getattr(term, "language", "") or "")
            if bad:
                raise NotWritable(
                    f"the graph holds U+{ord(bad.group()):04X} (in {term.n3()[:60]}), which "
                    "XML 1.0 cannot carry; ask for Turtle, N-Triples or JSON-LD instead"
                )
