"""The JSON-LD of a rebuild, made from the document before (graph.jsonldsplice)."""

import hashlib
import io
from dataclasses import replace
from functools import partial
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph import jsonld as jsonld_module
from graph.digests import graph_digest
from graph.fragments import KeptTexts, keep_spliced
from graph.jsonld import jsonld
from graph.jsonldsplice import NodeIndex, NodeSplice, index_file, read_index
from graph.namespaces import APG, ENT, PREFIX_IRIS
from graph.rdf import union_view
from tests.factories import (
    check_splices,
    damage_kept,
    graphs_dataset,
    kept_texts_graphs,
    splice_corpora,
)

_Graphs = dict[str, list[tuple[URIRef, URIRef, object]]]


_dataset = graphs_dataset


def _document(data: bytes) -> tuple[int, str]:
    return len(data), hashlib.sha256(data).hexdigest()


def _first(folder: Path, graphs: _Graphs) -> bytes:
    """The JSON-LD of ``graphs`` written taking the texts kept by graph in ``folder``,
    which keeps them, and the index of the document; as the build folder's file."""
    dataset = _dataset(graphs)
    kept = KeptTexts(folder, "jsonld", dataset, union_view(dataset))
    stream = io.BytesIO()
    kept.writers()["graph.jsonld"](stream)
    data = stream.getvalue()
    kept.keep(_document(data))
    (folder / "graph.jsonld").write_bytes(data)
    return data


def _spliced(folder: Path, graphs: _Graphs) -> bytes | None:
    """The JSON-LD of ``graphs`` spliced from the document before in ``folder``, which
    it replaces, with its index; None where it is not spliced."""
    dataset = _dataset(graphs)
    splice = NodeSplice.prepared(
        folder / "jsonld",
        folder / "graph.jsonld",
        dataset,
        union_view(dataset),
        PREFIX_IRIS,
        graph_digest,
    )
    if splice is None:
        return None
    stream = io.BytesIO()
    splice.write(stream)
    data = stream.getvalue()
    keep = partial(splice.keep, document=_document(data))
    keep_spliced(folder, "jsonld", index_file(folder / "jsonld").name, keep)
    (folder / "graph.jsonld").write_bytes(data)
    return data


def _in_full(graphs: _Graphs) -> bytes:
    return jsonld(union_view(_dataset(graphs)), PREFIX_IRIS)


_BEFORE: _Graphs = kept_texts_graphs()  # c's node is not plain: a language


def test_a_rebuild_makes_the_nodes_of_the_changed_graph_alone(tmp_path, monkeypatch):
    _first(tmp_path, _BEFORE)
    made: list[object] = []
    plain_node = jsonld_module._CachedConverter.plain_node

    def counted(self, view, s, node_id):
        made.append(s)
        return plain_node(self, view, s, node_id)

    after = {**_BEFORE, "b": [*_BEFORE["b"], (APG["s2"], APG.confidence, Literal(0.9))]}
    expected = _in_full(after)
    monkeypatch.setattr(jsonld_module._CachedConverter, "plain_node", counted)
    assert _spliced(tmp_path, after) == expected
    # b's subjects, the one a and b describe, and c's, whose node is not plain
    assert sorted(map(str, made)) == sorted(
        map(str, [ENT.freedonia, ENT.ruritania, APG["s2"], APG["s3"]])
    )


def test_the_index_of_a_spliced_document_is_that_of_a_write_in_full(tmp_path):
    _first(tmp_path, _BEFORE)
    after = {**_BEFORE, "d": [(APG["s4"], APG.blames, ENT.ruritania)]}
    del after["c"]
    assert _spliced(tmp_path, after) == _in_full(after)
    spliced = read_index(index_file(tmp_path / "jsonld"))
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    _first(fresh, after)
    written = read_index(index_file(fresh / "jsonld"))
    assert spliced is not None and written is not None
    for name in ("graphs", "digests", "size", "sha256", "ids", "subjects"):
        assert getattr(spliced, name) == getattr(written, name), name
    for name in ("starts", "ends", "plain", "owner_starts", "owners"):
        assert np.array_equal(getattr(spliced, name), getattr(written, name)), name
    # a, b and d describe the entity of the statement blamed: a ruritania of three graphs
    place = spliced.ids.index("ent:ruritania")
    owners = spliced.owners[spliced.owner_starts[place] : spliced.owner_starts[place + 1]]
    assert [spliced.graphs[n].rsplit("/", 1)[1] for n in owners] == ["a", "b"]


def test_a_splice_follows_a_splice(tmp_path):
    _first(tmp_path, _BEFORE)
    changes = [
        {"c": [(APG["s3"], APG.quote, Literal("another quote"))]},
        {"a": _BEFORE["a"][:2]},
        {"e": [(ENT.ruritania, RDFS.comment, Literal("a kingdom"))]},
    ]
    graphs = dict(_BEFORE)
    for change in changes:
        graphs = {**graphs, **change}
        assert _spliced(tmp_path, graphs) == _in_full(graphs)


def test_a_graph_that_describes_a_subject_of_an_unchanged_graph_has_it_made_again(tmp_path):
    _first(tmp_path, _BEFORE)
    after = {**_BEFORE, "c": [*_BEFORE["c"], (APG["s1"], APG.quote, Literal("also said"))]}
    assert _spliced(tmp_path, after) == _in_full(after)
    assert b"also said" in (tmp_path / "graph.jsonld").read_bytes()


@pytest.mark.parametrize(
    "damage",
    [
        "document",  # the document before edited since
        "index",  # the index edited
        "gone",  # the index removed
        "link",  # the document before a symbolic link, even to the same bytes
    ],
)
def test_a_document_or_index_not_as_kept_is_not_spliced(tmp_path, damage):
    _first(tmp_path, _BEFORE)
    damage_kept(tmp_path, damage, tmp_path / "graph.jsonld", index_file(tmp_path / "jsonld"))
    after = {**_BEFORE, "c": [(APG["s3"], APG.quote, Literal("another quote"))]}
    assert _spliced(tmp_path, after) is None


@pytest.mark.parametrize(
    "triple",
    [
        (APG["s3"], APG.about, BNode("b1")),  # a blank node: the document is made whole
        (APG["s3"], RDF.first, ENT.ruritania),  # a list
        (URIRef("ent:ruritania"), RDFS.label, Literal("x")),  # another subject of its @id
    ],
)
def test_a_changed_graph_the_document_cannot_be_spliced_with_is_written_as_before(tmp_path, triple):
    _first(tmp_path, _BEFORE)
    after = {**_BEFORE, "c": [*_BEFORE["c"], triple]}
    assert _spliced(tmp_path, after) is None


def test_an_index_that_places_a_node_outside_the_document_is_refused():
    index = NodeIndex(
        ["g"], ["d"], 10, "", ["a", "b"], ["x", "y"],
        np.array([0, 4]), np.array([3, 12]), np.array([True, True]),
        np.array([0, 1, 2]), np.array([0, 0], dtype=np.int32),
    )  # fmt: skip
    with pytest.raises(ValueError, match="out of the document"):
        index.check()
    with pytest.raises(ValueError, match="no graph"):
        replace(index, ends=np.array([3, 8]), owner_starts=np.array([0, 2, 2])).check()
    pieces = replace(index, ends=np.array([3, 8])).encoded()
    assert pieces is not None
    encoded = b"".join(pieces)
    read = NodeIndex.of(encoded)
    assert read.ids == ["a", "b"] and read.subjects == ["x", "y"]
    assert read.ends.tolist() == [3, 8] and read.owners.tolist() == [0, 0]
    with pytest.raises(ValueError):
        NodeIndex.of(encoded[:-1])  # cut short
    assert replace(index, subjects=["x", "y\nz"]).encoded() is None  # a line break


@settings(max_examples=150)
@given(before=splice_corpora(), after=splice_corpora())
def test_any_change_of_any_graphs_gives_the_bytes_of_a_write_in_full(before, after):
    check_splices(before, after, _first, _spliced, _in_full)
