"""Each source's share of Turtle, TriG and JSON-LD, kept for the next build (graph.fragments)."""

import hashlib
import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, strategies as st
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph import jsonld as jsonld_module, turtle as turtle_module
from graph.fragments import KeptTexts, move_staged
from graph.jsonld import jsonld
from graph.namespaces import APG, ENT, OWL, PREFIX_IRIS, WD
from graph.rdf import union_view
from graph.turtle import trig, turtle
from tests.factories import graphs_dataset, kept_texts_graphs

_Graphs = dict[str, list[tuple[URIRef, URIRef, object]]]


_dataset = graphs_dataset


def _written(folder: Path, graphs: _Graphs) -> tuple[dict[str, bytes], None]:
    """Turtle, TriG and JSON-LD written taking the texts kept in ``folder``, which
    keeps them."""
    dataset = _dataset(graphs)
    written = {}
    for kind in ("rdf", "jsonld"):
        kept = KeptTexts(folder, kind, dataset, union_view(dataset))
        for name, write in kept.writers().items():
            stream = io.BytesIO()
            write(stream)
            written[name] = stream.getvalue()
        kept.keep()
    return written, None


def _in_full(graphs: _Graphs) -> dict[str, bytes]:
    dataset = _dataset(graphs)
    return {
        "graph.ttl": turtle(union_view(dataset)),
        "graph.trig": trig(dataset),
        "graph.jsonld": jsonld(union_view(dataset), PREFIX_IRIS),
    }


_BEFORE: _Graphs = kept_texts_graphs()


@pytest.fixture
def triples_read(monkeypatch):
    """The triples Turtle and TriG read (not taken from kept texts), as they read them."""
    read: list[object] = []
    reading = turtle_module._CachedNames._read

    def counted(self, triples):
        triples = list(triples)
        read.extend(triples)
        return reading(self, triples)

    monkeypatch.setattr(turtle_module._CachedNames, "_read", counted)
    return read


def test_a_write_taking_kept_texts_is_the_write_in_full(tmp_path):
    _written(tmp_path, _BEFORE)
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote"))]}
    written, _ = _written(tmp_path, after)
    assert written == _in_full(after)


def test_the_texts_of_unchanged_graphs_are_taken_and_their_triples_not_read(
    tmp_path, monkeypatch, triples_read
):
    _written(tmp_path, _BEFORE)
    triples_read.clear()
    read = triples_read
    converted: list[object] = []
    plain_values = jsonld_module._CachedConverter._plain_values

    def counted_node(self, view, s):
        converted.append(s)
        return plain_values(self, view, s)

    monkeypatch.setattr(jsonld_module._CachedConverter, "_plain_values", counted_node)
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote"))]}
    written, _ = _written(tmp_path, after)
    # TriG and Turtle read graph c alone: the subject that a and b both describe is
    # taken too, as neither changed
    assert sorted({str(triple[0]) for triple in read}) == [str(APG["s3"])]
    assert sorted(map(str, converted)) == [str(APG["s3"])]  # JSON-LD too
    assert written == _in_full(after)


@pytest.mark.parametrize(
    ("change", "read_again"),
    [
        # b changes: the subject a and b describe is written again from their triples
        ({"b": [*_BEFORE["b"], (ENT.ruritania, RDFS.comment, Literal("a kingdom"))]}, True),
        # c describes it too now, with the same triple as a and b
        ({"c": [*_BEFORE["c"], (ENT.ruritania, RDFS.label, Literal("Ruritania"))]}, True),
        # b no longer describes it: a alone does, whose texts are kept
        ({"b": _BEFORE["b"][:1] + _BEFORE["b"][2:]}, False),
    ],
)
def test_a_subject_several_graphs_describe_is_written_again_when_one_of_them_changes(
    tmp_path, change, read_again, triples_read
):
    _written(tmp_path, _BEFORE)
    read = triples_read
    read.clear()
    after = {**_BEFORE, **change}
    written, _ = _written(tmp_path, after)
    assert (str(ENT.ruritania) in {str(triple[0]) for triple in read}) is read_again
    assert written == _in_full(after)
    # and its text, kept anew, is taken by the next write of the same graphs
    expected = _in_full(after)
    read.clear()
    assert _written(tmp_path, after)[0] == expected
    assert read == []


def test_a_subject_text_kept_is_taken_only_by_the_graphs_it_was_written_from(tmp_path):
    _written(tmp_path, _BEFORE)
    shared = {}
    for path in [*(tmp_path / "rdf").iterdir(), *(tmp_path / "jsonld").iterdir()]:
        if b'"shared"' in path.read_bytes().split(b"\n")[1]:
            shared[path] = path.read_bytes()
    assert len(shared) == 2
    after = {**_BEFORE, "b": [*_BEFORE["b"], (ENT.ruritania, RDFS.comment, Literal("a kingdom"))]}
    _written(tmp_path, after)  # every graph's texts kept for after
    for path, content in shared.items():  # but the shared texts of before
        path.write_bytes(content)
    assert _written(tmp_path, after)[0] == _in_full(after)


def test_a_subject_text_kept_is_not_taken_when_a_graph_that_describes_it_has_no_texts(tmp_path):
    # the subject a and b describe is the only one to use Wikidata's prefix, which
    # Turtle declares only if it reads that subject's triples or takes a's and b's texts
    linked = (ENT.ruritania, OWL.sameAs, WD.Q1)
    graphs = {**_BEFORE, "a": [*_BEFORE["a"], linked], "b": [*_BEFORE["b"], linked]}
    _written(tmp_path, graphs)
    entries = sorted((tmp_path / "rdf").iterdir())
    shared = [path for path in entries if b'"shared"' in path.read_bytes().split(b"\n")[1]]
    assert len(shared) == 1
    for path in entries:
        if path not in shared:
            path.unlink()
    expected = _in_full(graphs)
    assert b"@prefix wd: " in expected["graph.ttl"]
    assert _written(tmp_path, graphs)[0] == expected


def test_a_kept_entry_that_was_edited_is_not_taken(tmp_path):
    _written(tmp_path, _BEFORE)
    for path in [*(tmp_path / "rdf").iterdir(), *(tmp_path / "jsonld").iterdir()]:
        header, payload = path.read_bytes().split(b"\n", 1)
        path.write_bytes(header + b"\n" + payload.replace(b"blames", b"praises"))
    assert _written(tmp_path, _BEFORE)[0] == _in_full(_BEFORE)


@pytest.mark.parametrize("cut", [1, -1])
def test_a_kept_entry_whose_lengths_are_not_its_texts_is_not_taken(tmp_path, cut):
    _written(tmp_path, _BEFORE)
    for path in [*(tmp_path / "rdf").iterdir(), *(tmp_path / "jsonld").iterdir()]:
        header, head, texts = path.read_bytes().split(b"\n", 2)
        described = json.loads(head)
        if not described["lengths"]:
            continue  # a graph with no text kept
        described["lengths"][-1] += cut  # the last text cut short, or past the end
        payload = json.dumps(described).encode() + b"\n" + texts
        found = {**json.loads(header), "sha256": hashlib.sha256(payload).hexdigest()}
        path.write_bytes(json.dumps(found).encode() + b"\n" + payload)
    assert _written(tmp_path, _BEFORE)[0] == _in_full(_BEFORE)


def test_a_kept_entry_holds_its_texts_as_written():
    from graph.fragments import _encoded, _Entry

    # texts with quotes, backslashes, lines and characters beyond one byte, and empty
    texts = {"s1": 'a "quoted"\n\\ text', "s2": "", "s\u00e9\U0001f600": "\u00e9\n\U0001f600"}
    rdf = {"prefixes": [["ex", "http://example.org/"]], "trig": texts, "turtle": {"s3": "t"}}
    read = _Entry.of(_encoded(rdf))
    assert read.trig == texts and read.turtle == {"s3": "t"}
    assert read.prefixes == {("ex", "http://example.org/")}
    nodes = {"s1": ["id 1", 'node "1"\n'], "s\u00e9": ["", "\U0001f600"]}
    assert _Entry.of(_encoded({"nodes": nodes})).nodes == {s: tuple(n) for s, n in nodes.items()}


def test_only_the_entries_of_the_graphs_written_are_kept(tmp_path):
    _written(tmp_path, _BEFORE)
    assert len(list((tmp_path / "rdf").iterdir())) == len(list((tmp_path / "jsonld").iterdir()))
    assert len(list((tmp_path / "rdf").iterdir())) == 4  # a graph's each, and the shared
    _written(tmp_path, {name: _BEFORE[name] for name in ("a", "b")})
    assert len(list((tmp_path / "rdf").iterdir())) == 3
    assert len(list((tmp_path / "jsonld").iterdir())) == 3
    rdf = (tmp_path / "rdf").iterdir()
    heads = [json.loads(path.read_bytes().split(b"\n", 2)[1]) for path in rdf]
    entries = [head for head in heads if "shared" not in head]
    assert len(entries) == 2
    prefixes = {prefix for entry in entries for prefix, _ in entry["prefixes"]}
    assert {"apg", "ent", "rdfs"} <= prefixes


def test_a_write_that_generates_a_prefix_keeps_nothing(tmp_path):
    unbound = URIRef("http://example.org/vocabulary/says")  # no prefix bound: ns1 is made
    graphs = {**_BEFORE, "c": [(APG["s3"], unbound, Literal("x"))]}
    written, _ = _written(tmp_path, graphs)
    assert written == _in_full(graphs)
    assert b"ns1:says" in written["graph.ttl"]
    assert not (tmp_path / "rdf").exists()


def test_kept_texts_are_not_taken_into_a_write_that_generates_a_prefix(tmp_path):
    thing = URIRef("http://example.org/vocabulary/thing")
    before = {**_BEFORE, "a": [*_BEFORE["a"], (APG["s1"], APG.about, thing)]}
    written, _ = _written(tmp_path, before)
    assert b"<http://example.org/vocabulary/thing>" in written["graph.trig"]
    unbound = URIRef("http://example.org/vocabulary/says")
    after = {**before, "c": [(APG["s3"], unbound, ENT.ruritania)]}
    written, _ = _written(tmp_path, after)
    assert written == _in_full(after)
    assert b"ns1:thing" in written["graph.trig"]  # graph a unchanged, its text not taken


_SUBJECTS = [ENT[name] for name in ("ruritania", "freedonia", "sylvania")] + [
    APG[f"s{n}"] for n in range(4)
]
_UNBOUND = "http://example.org/vocabulary/"  # a namespace no prefix is bound to
_PREDICATES = [
    RDF.type,
    RDFS.label,
    APG.blames,
    APG.quote,
    APG.supportsPosition,
    URIRef(_UNBOUND + "says"),  # a prefix is generated for it: ns1
]
_OBJECTS = [
    *_SUBJECTS,
    APG.State,
    BNode("b1"),
    Literal("one"),
    Literal("two", lang="en"),
    Literal(3),
    Literal("2017-08-23", datatype=XSD.date),
    Literal('across\n    lines "with" quotes"'),  # between triple quotes, lines not indented
    URIRef(_UNBOUND + "thing"),  # written in full, or as ns1:thing once ns1 is made
]
_triples = st.lists(
    st.tuples(
        st.sampled_from([*_SUBJECTS, BNode("b1")]),
        st.sampled_from(_PREDICATES),
        st.sampled_from(_OBJECTS),
    ),
    max_size=8,
)
_corpora = st.dictionaries(st.sampled_from("abcde"), _triples, min_size=1, max_size=5)


@given(before=_corpora, after=_corpora)
def test_any_change_of_any_graphs_gives_the_bytes_of_a_write_in_full(before, after):
    with tempfile.TemporaryDirectory() as folder:
        _written(Path(folder), before)
        changed = {**before, **after}  # some graphs changed or new, the rest as they were
        assert _written(Path(folder), changed)[0] == _in_full(changed)
        assert _written(Path(folder), after)[0] == _in_full(after)  # some graphs gone too


def test_long_runs_of_kept_texts_are_written_in_pieces_as_one(tmp_path, monkeypatch):
    """The writers gather the texts they write, and a run of subjects whose texts are
    kept, a few thousand at a time: here two, for the same bytes across each cut."""
    from graph import turtle

    monkeypatch.setattr(turtle, "_GATHERED", 2)
    _written(tmp_path, _BEFORE)
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote"))]}
    assert _written(tmp_path, after)[0] == _in_full(after)


def test_staged_texts_reach_the_cache_only_when_moved(tmp_path):
    dataset = _dataset(_BEFORE)
    staged, folder = tmp_path / "staging", tmp_path / "out" / "texts"
    for kind in ("rdf", "jsonld"):
        kept = KeptTexts(folder, kind, dataset, union_view(dataset), staged=staged)
        for write in kept.writers().values():
            write(io.BytesIO())
        kept.keep()
    assert not (tmp_path / "out").exists()  # a build that fails now leaves no folder
    assert len(list((staged / "rdf").glob("*.json"))) == 4  # each graph's, and the shared
    (folder / "rdf").mkdir(parents=True)
    (folder / "rdf" / "of-a-graph-gone.json").write_text("{}")
    move_staged(staged, folder)
    assert len(list((folder / "rdf").iterdir())) == 4  # the entry of a graph gone removed
    assert len(list((folder / "jsonld").iterdir())) == 4
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote"))]}
    assert _written(folder.parent / "texts", after)[0] == _in_full(after)


def test_a_kept_entry_is_keyed_by_the_graph_s_own_terms():
    from graph.fragments import _encoded, _Entry

    own = URIRef("http://example.org/s")
    content = {"prefixes": [], "trig": {"http://example.org/s": "text"}, "turtle": {}}
    read = _Entry.of(_encoded(content))
    assert list(read.trig) == [str(own)]  # as read from the file: text
    [keyed] = read.keyed_by({own, URIRef("http://example.org/other"), BNode(str(own))}).trig
    assert keyed is own
    assert read.keyed_by({own}).trig == {own: "text"}
