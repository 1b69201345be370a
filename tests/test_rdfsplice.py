"""The Turtle and TriG of a rebuild, made from the documents before (graph.rdfsplice)."""

import hashlib
import io
from collections import Counter
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph import rdfsplice
from graph.digests import graph_digest
from graph.fragments import KeptTexts, keep_spliced
from graph.namespaces import APG, ENT, SRC
from graph.rdf import each_triple, union_view
from graph.rdfsplice import TextIndex, TextSplice, index_file, read_index
from graph.turtle import trig, turtle
from tests.factories import (
    check_splices,
    damage_kept,
    graphs_dataset,
    kept_texts_graphs,
    splice_corpora,
)

_Graphs = dict[str, list[tuple[URIRef, URIRef, object]]]


def _document(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


def _first(folder: Path, graphs: _Graphs) -> tuple[bytes, bytes]:
    """Turtle and TriG of ``graphs`` written taking the texts kept by graph in
    ``folder``, which keeps them and the index of both; as the build folder's files."""
    dataset = graphs_dataset(graphs)
    kept = KeptTexts(folder, "rdf", dataset, union_view(dataset))
    writers = kept.writers()
    documents = []
    for name in ("graph.ttl", "graph.trig"):
        stream = io.BytesIO()
        writers[name](stream)
        documents.append(stream.getvalue())
        (folder / name).write_bytes(stream.getvalue())
    kept.keep(*map(_document, documents))
    return documents[0], documents[1]


def _spliced(folder: Path, graphs: _Graphs) -> tuple[bytes, bytes] | None:
    """Turtle and TriG of ``graphs`` spliced from the documents before in ``folder``,
    which they replace, with their index; None where they are not spliced."""
    dataset = graphs_dataset(graphs)
    splice = TextSplice.prepared(folder / "rdf", folder, dataset, union_view(dataset), graph_digest)
    if splice is None:
        return None
    documents = []
    for write in (splice.write_turtle, splice.write_trig):
        stream = io.BytesIO()
        write(stream)
        documents.append(stream.getvalue())
    keep = partial(splice.keep, documents=[_document(data) for data in documents])
    keep_spliced(folder, "rdf", index_file(folder / "rdf").name, keep)
    for name, data in zip(("graph.ttl", "graph.trig"), documents, strict=True):
        (folder / name).write_bytes(data)
    return documents[0], documents[1]


def _in_full(graphs: _Graphs) -> tuple[bytes, bytes]:
    dataset = graphs_dataset(graphs)
    return turtle(union_view(dataset)), trig(dataset)


_BEFORE: _Graphs = kept_texts_graphs()


def _index(folder: Path) -> TextIndex:
    index = read_index(index_file(folder / "rdf"))
    assert index is not None
    return index


def _subjects(index: TextIndex, kind: str) -> list[str]:
    places = index.turtle if kind == "turtle" else index.trig
    return [index.iris[n] for n in places.ids.tolist()]


def test_the_index_places_each_subject_s_text_and_its_key(tmp_path):
    data_turtle, data_trig = _first(tmp_path, _BEFORE)
    index = _index(tmp_path)
    assert index.graphs == [str(SRC[name]) for name in "abc"]
    assert index.labels == ["src:a", "src:b", "src:c"]
    # Turtle: the union's subjects, each text where the index says, keyed by the
    # triples of the union that have it as object (ruritania's blame counted once)
    union = union_view(graphs_dataset(_BEFORE))
    objects = Counter(str(o) for _, _, o in each_triple(union) if not isinstance(o, Literal))
    places = index.turtle
    for number, subject in enumerate(_subjects(index, "turtle")):
        text = data_turtle[places.starts[number] : places.ends[number]].decode()
        assert text.startswith("\n" + _name(subject)), (subject, text)
        assert text.endswith(" .")
        assert places.keys[number] == objects[subject]
    assert sorted(_subjects(index, "turtle")) == sorted({str(s) for s, _, _ in each_triple(union)})
    # TriG: each graph's subjects, keyed by the references in the graphs up to it
    trig_places = index.trig
    assert trig_places.firsts.tolist() == [0, 2, 5, 6]
    ruritania = _subjects(index, "trig").index(str(ENT.ruritania), 2)  # b's
    assert trig_places.keys[ruritania] == 3  # a subject of a and b, b's object
    for number in range(len(trig_places.ids)):
        start, end = trig_places.starts[number], trig_places.ends[number]
        assert data_trig[start : start + 5] == b"\n    "
        assert data_trig[end : end + 1] == b"\n"


def _name(iri: str) -> str:
    for prefix, namespace in (("ent:", str(ENT)), ("apg:", str(APG))):
        if iri.startswith(namespace):
            return prefix + iri[len(namespace) :]
    return f"<{iri}>"


def test_an_index_is_read_back_as_it_was_kept(tmp_path):
    _first(tmp_path, _BEFORE)
    index = _index(tmp_path)
    pieces = index.encoded()
    assert pieces is not None
    read = TextIndex.of(b"".join(pieces))
    for name in ("graphs", "digests", "labels", "prefixes", "name_prefixes", "iris"):
        assert getattr(read, name) == getattr(index, name), name
    for name in ("count_firsts", "counts_ids", "counts_values", "several_ids", "several_values"):
        assert np.array_equal(getattr(read, name), getattr(index, name)), name
    for kind in ("turtle", "trig"):
        read_places, places = getattr(read, kind), getattr(index, kind)
        for name in ("ids", "starts", "ends", "keys", "firsts"):
            assert np.array_equal(getattr(read_places, name), getattr(places, name))
    encoded = b"".join(pieces)
    with pytest.raises(ValueError):
        TextIndex.of(encoded[:-1])  # cut short
    with pytest.raises(ValueError, match="out of the document"):
        replace(index, turtle=replace(index.turtle, size=int(index.turtle.ends[-1]))).check()
    with pytest.raises(ValueError, match="no subject"):
        trig_places = index.trig
        firsts = np.array([0, 0, 5, 6])
        replace(index, trig=replace(trig_places, firsts=firsts)).check()
    assert replace(index, iris=[*index.iris[:-1], "a\nb"]).encoded() is None


def test_a_rebuild_after_a_changed_literal_copies_every_other_text(tmp_path):
    _first(tmp_path, _BEFORE)
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote", lang="en"))]}
    spliced = _spliced(tmp_path, after)
    assert spliced == _in_full(after)
    # no key changed: TriG's blocks of a and b copied whole, Turtle's texts in place
    assert b"another quote" in spliced[0]


def test_a_changed_object_moves_subjects_in_both_documents(tmp_path, monkeypatch):
    # many subjects, so that a change of references moves some among the others
    before: _Graphs = {
        name: [(APG[f"{name}{k}"], APG.blames, ENT[f"e{k % 5}"]) for k in range(6)]
        + [(ENT[f"e{k}"], RDFS.label, Literal(f"E{k}")) for k in range(5)]
        for name in "abcd"
    }
    _first(tmp_path, before)
    # b now blames e4 six times: e4's key grows in Turtle, and in TriG in b, c and d
    blames = [(APG[f"b{k}"], APG.blames, ENT.e4) for k in range(6)]
    after = {**before, "b": blames + before["b"][6:]}
    orders: list[list[int]] = []
    blocks = rdfsplice._Making._blocks

    def watched(self, graphs, iris, texts):
        made = blocks(self, graphs, iris, texts)
        orders.extend([[] if block.order is None else block.order.tolist() for block in made])
        return made

    monkeypatch.setattr(rdfsplice._Making, "_blocks", watched)
    assert _spliced(tmp_path, after) == _in_full(after)
    # a's block copied whole; b's made; c's and d's subjects put in a new order
    assert orders[0] == [] and orders[1] == []
    assert orders[2] and orders[3]
    index = _index(tmp_path)
    turtle_subjects = _subjects(index, "turtle")
    assert turtle_subjects[-1] == str(ENT.e4)  # the most referred to, last


def test_a_graph_added_and_a_graph_gone(tmp_path):
    _first(tmp_path, _BEFORE)
    after = {**_BEFORE, "d": [(APG["s4"], APG.blames, ENT.ruritania)]}
    del after["a"]
    assert _spliced(tmp_path, after) == _in_full(after)
    again = {**after, "a": _BEFORE["a"]}
    assert _spliced(tmp_path, again) == _in_full(again)


def test_the_index_of_a_splice_is_that_of_a_write_in_full(tmp_path):
    _first(tmp_path, _BEFORE)
    b = [*_BEFORE["b"][:2], (APG["s2"], APG.blames, ENT.freedonia), _BEFORE["a"][0]]
    after = {**_BEFORE, "b": b}
    assert _spliced(tmp_path, after) == _in_full(after)
    spliced = _index(tmp_path)
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _first(fresh, after)
    written = _index(fresh)
    for name in ("graphs", "digests", "labels", "prefixes", "name_prefixes"):
        assert getattr(spliced, name) == getattr(written, name), name
    for kind in ("turtle", "trig"):
        a, b = getattr(spliced, kind), getattr(written, kind)
        assert (a.size, a.sha256) == (b.size, b.sha256)
        assert _subjects(spliced, kind) == _subjects(written, kind)
        for name in ("starts", "ends", "keys", "firsts"):
            assert np.array_equal(getattr(a, name), getattr(b, name)), (kind, name)

    def counts(index: TextIndex) -> list[dict[str, int]]:
        found = []
        for number in range(len(index.graphs)):
            start, end = index.count_firsts[number], index.count_firsts[number + 1]
            ids, values = index.counts_ids[start:end], index.counts_values[start:end]
            found.append({index.iris[i]: int(v) for i, v in zip(ids, values, strict=True)})
        return found

    assert counts(spliced) == counts(written)

    def several(index: TextIndex) -> dict[str, int]:
        pairs = zip(index.several_ids, index.several_values, strict=True)
        return {index.iris[i]: int(v) for i, v in pairs}

    # a and b both hold that ruritania is a state
    assert several(spliced) == several(written) == {str(APG.State): 1}


@pytest.mark.parametrize(
    ("damage", "name"),
    [
        ("document", "graph.ttl"),
        ("document", "graph.trig"),
        ("index", "graph.trig"),
        ("gone", "graph.trig"),
        ("link", "graph.ttl"),
        ("link", "graph.trig"),
    ],
)
def test_documents_or_an_index_not_as_kept_are_not_spliced(tmp_path, damage, name):
    _first(tmp_path, _BEFORE)
    damage_kept(tmp_path, damage, tmp_path / name, index_file(tmp_path / "rdf"))
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote"))]}
    assert _spliced(tmp_path, after) is None


@pytest.mark.parametrize(
    "triple",
    [
        (APG["s3"], APG.about, BNode("b1")),  # a blank node: written by rdflib's own code
        (APG["s3"], RDF.type, RDFS.Class),  # a top class: its members first
        # a predicate of no namespace bound: a prefix made up for it
        (APG["s3"], URIRef("http://example.org/other/made"), ENT.x),
    ],
)
def test_a_changed_graph_the_documents_cannot_be_spliced_with_are_written_as_before(
    tmp_path, triple
):
    _first(tmp_path, _BEFORE)
    after = {**_BEFORE, "c": [*_BEFORE["c"], triple]}
    assert _spliced(tmp_path, after) is None


def test_no_index_is_kept_where_a_subject_was_written_otherwise(tmp_path):
    graphs = {**_BEFORE, "c": [(APG["s3"], APG.about, BNode("b1"))]}
    _first(tmp_path, graphs)
    assert read_index(index_file(tmp_path / "rdf")) is None


@settings(max_examples=150)
@given(before=splice_corpora(), after=splice_corpora())
def test_any_change_of_any_graphs_gives_the_bytes_of_a_write_in_full(before, after):
    check_splices(before, after, _first, _spliced, _in_full)
