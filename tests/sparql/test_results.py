"""Answers written in each format: whole, cut at a limit of rows or bytes, or refused."""

from __future__ import annotations

import csv
import io
import json
from xml.etree import ElementTree

import pytest
from hypothesis import given, strategies as st
from rdflib import Graph, Literal, URIRef

from graph.sparql.results import NotWritable, write_boolean, write_solutions, write_triples

RESULTS = "{http://www.w3.org/2005/sparql-results#}"
ROWS = [
    ({"type": "uri", "value": f"http://x/{n}"}, {"type": "literal", "value": f"label {n}"})
    for n in range(100)
]


def parsed(body: bytes, output_format: str) -> list[list[str]]:
    """The values of each row, read back with a parser of the format."""
    text = body.decode("utf-8")
    if output_format == "json":
        bindings = json.loads(text)["results"]["bindings"]
        return [[row[name]["value"] for name in ("s", "label")] for row in bindings]
    if output_format == "xml":
        results = ElementTree.fromstring(body).iter(f"{RESULTS}result")
        return [[node.text or "" for node in result.iter() if node.tag in
                 (f"{RESULTS}uri", f"{RESULTS}literal")] for result in results]  # fmt: skip
    if output_format == "csv":
        return list(csv.reader(io.StringIO(text)))[1:]
    return [[cell.strip('<>"') for cell in line.split("\t")] for line in text.splitlines()[1:]]


@pytest.mark.parametrize("output_format", ["json", "xml", "csv", "tsv"])
def test_a_whole_answer_reads_back(output_format):
    written = write_solutions(("s", "label"), ROWS, output_format)
    assert written.truncated is None and written.count == 100
    assert parsed(written.body, output_format)[7] == ["http://x/7", "label 7"]


@pytest.mark.parametrize("output_format", ["json", "xml", "csv", "tsv"])
@given(max_bytes=st.integers(400, 1500))
def test_an_answer_cut_at_a_byte_limit_is_whole_rows_in_a_valid_document(output_format, max_bytes):
    written = write_solutions(("s", "label"), ROWS, output_format, max_bytes=max_bytes)
    assert len(written.body) <= max_bytes
    assert written.truncated == "bytes" and 0 < written.count < 100
    assert len(parsed(written.body, output_format)) == written.count


def test_the_row_limit_cuts_before_the_byte_limit_when_it_comes_first():
    written = write_solutions(("s", "label"), ROWS, "json", max_rows=10, max_bytes=10**6)
    assert (written.count, written.truncated) == (10, "rows")
    assert write_solutions(("s", "label"), ROWS[:10], "json", max_rows=10).truncated is None


def test_a_large_answer_is_read_row_by_row_and_stops_at_the_limit():
    """Rows past the limit are never made: the limit bounds memory, not only the body."""
    made = []

    def rows():
        for number in range(10**6):
            made.append(number)
            yield ({"type": "literal", "value": "x" * 1000}, None)

    written = write_solutions(("s", "label"), rows(), "csv", max_bytes=100_000)
    assert written.truncated == "bytes" and len(made) == written.count + 1


@pytest.mark.parametrize("output_format", ["json", "csv", "tsv"])
def test_a_control_character_is_carried_by_the_formats_that_can(output_format):
    cell = {"type": "literal", "value": "a\x01b"}
    written = write_solutions(("s",), [(cell,)], output_format)
    if output_format == "json":
        assert json.loads(written.body)["results"]["bindings"][0]["s"]["value"] == "a\x01b"
    else:
        assert written.count == 1


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\ufffe", "\uffff"])
def test_xml_refuses_a_character_xml_cannot_carry_and_names_it(char):
    cell = {"type": "literal", "value": f"a{char}b"}
    with pytest.raises(NotWritable, match=f"U\\+{ord(char):04X} \\(\\?s, row 2\\).*ask for JSON"):
        write_solutions(("s",), [({"type": "literal", "value": "ok"},), (cell,)], "xml")


def test_booleans():
    assert json.loads(write_boolean(True, "json").body) == {"head": {}, "boolean": True}
    root = ElementTree.fromstring(write_boolean(False, "xml").body)
    assert root.find(f"{RESULTS}boolean").text == "false"
    assert write_boolean(True, "csv").body == b"true\n"


def ntriples(*triples: tuple[str, str, str]) -> list[str]:
    return [f"<{s}> <{p}> {o} .\n" for s, p, o in triples]


@pytest.mark.parametrize("output_format", ["turtle", "nt", "xml", "json-ld"])
def test_a_graph_in_each_syntax(output_format):
    lines = ntriples(
        ("http://x/a", "http://x/p", '"v"'), ("http://x/a", "http://x/q", "<http://x/b>")
    )
    written = write_triples(iter(lines), output_format)
    graph = Graph().parse(data=written.body, format=output_format)
    assert (URIRef("http://x/a"), URIRef("http://x/p"), Literal("v")) in graph and len(graph) == 2


@pytest.mark.parametrize("output_format", ["turtle", "nt", "xml", "json-ld"])
def test_a_graph_is_cut_at_the_byte_limit(output_format):
    lines = ntriples(*((f"http://x/{n}", "http://x/p", f'"value {n}"') for n in range(500)))
    written = write_triples(iter(lines), output_format, max_bytes=4000)
    assert len(written.body) <= 4000 and written.truncated == "bytes"
    assert len(Graph().parse(data=written.body, format=output_format)) == written.count


def test_rdf_xml_refuses_a_predicate_with_no_xml_name():
    with pytest.raises(NotWritable, match=r"predicate <http://x/1> ends in no XML name"):
        write_triples(iter(ntriples(("http://x/a", "http://x/1", '"v"'))), "xml")
    written = write_triples(iter(ntriples(("http://x/a", "http://x/1", '"v"'))), "turtle")
    assert len(Graph().parse(data=written.body, format="turtle")) == 1


def test_rdf_xml_refuses_a_control_character():
    with pytest.raises(NotWritable, match=r"U\+0001 .*cannot carry"):
        write_triples(iter(ntriples(("http://x/a", "http://x/p", '"a\\u0001b"'))), "xml")
