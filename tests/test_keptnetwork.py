"""The statement network a build keeps, and the analysis that takes it instead of the sources."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import networkx as nx
import pytest
import yaml

import graph
from graph import keptnetwork, pipeline
from graph.errors import AnnotationError, SelectionError, ValidationError
from graph.keptnetwork import (
    SourceInput,
    corpus_inputs,
    kept_entry,
    kept_network,
    kept_path,
    network_document,
    network_from_document,
    write_kept,
)
from graph.networks.analysis import camp_members
from graph.networks.projection import to_networkx
from graph.rdf import union_graph
from tests.factories import (
    counted_calls,
    synthetic_annotation,
    three_tiny_sources,
    tiny_annotation,
    tiny_variant,
    write_source,
)


def _shape(network: nx.MultiDiGraph) -> str:
    """All of a network that an analysis may see, in order, with the types of its values."""
    return repr(
        (
            list(network.nodes(data=True)),
            list(network.edges(keys=True, data=True)),
            [list(network.in_edges(node, keys=True)) for node in network],
            network.graph,
        )
    )


@pytest.fixture(scope="module")
def _three_built(tmp_path_factory) -> tuple[Path, Path, graph.BuildResult]:
    """Three tiny sources built once for the module: their data folder, the output
    folder and what ``build`` returned. Tests take copies (``three_built``)."""
    data = tmp_path_factory.mktemp("three-built") / "data"
    write_source(data)
    write_source(data, tiny_variant("second"), folder="second")
    write_source(data, tiny_variant("third"), folder="third")
    out = data.parent / "out"
    return data, out, graph.build(data, out)


@pytest.fixture
def three_built(_three_built, tmp_path) -> tuple[Path, Path, graph.BuildResult]:
    """A copy of the data and output folders of ``_three_built`` under ``tmp_path``, to
    change, and what ``build`` returned for them."""
    data, out, built = _three_built
    shutil.copytree(data, tmp_path / "data")
    shutil.copytree(out, tmp_path / "out", symlinks=True)
    return tmp_path / "data", tmp_path / "out", built


def _through_json(network: nx.MultiDiGraph) -> nx.MultiDiGraph:
    return network_from_document(json.loads(json.dumps(network_document(network))))


# --- the document of a network


def test_a_network_comes_back_from_its_document_whole_and_in_order(seed_network, synthetic_dataset):
    for network in (seed_network, to_networkx(union_graph(synthetic_dataset))):
        assert _shape(_through_json(network)) == _shape(network)


def test_the_edges_into_a_node_keep_the_order_they_were_added_in():
    network = nx.MultiDiGraph()
    network.add_nodes_from(["a", "b", "c"])
    network.add_edge("b", "c", key="k1", quote="first")
    network.add_edge("a", "c", key="k2", quote="second")
    assert list(network.in_edges("c", keys=True)) == [("b", "c", "k1"), ("a", "c", "k2")]
    assert _shape(_through_json(network)) == _shape(network)


@pytest.mark.parametrize(
    "document",
    [
        {"nodes": [[1, {}]], "edges": []},
        {"nodes": [["a", "label"]], "edges": []},
        {"nodes": [["a", {}]], "edges": [["a", "a", 7, {}]]},
        {"nodes": [["a", {}]]},
    ],
)
def test_a_document_of_the_wrong_shape_is_refused(document):
    with pytest.raises((TypeError, KeyError)):
        network_from_document(document)


# --- what a build keeps


def test_a_build_keeps_the_network_of_its_graph_outside_the_build(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    built = graph.build(data, out)
    kept = kept_network(out, data)
    statements = len(tiny_annotation()["statements"])
    assert kept is not None and kept.network.number_of_edges() == 3 * statements
    assert _shape(kept.network) == _shape(to_networkx(built.graph))
    assert kept.titles == tuple((source.id, source.title) for source in built.corpus.sources)
    assert kept.camps == camp_members(kept.network)
    assert [path.name for path in kept_path(out).parent.iterdir()] == ["network.json"]
    assert all(".kept" not in name for name in built.files)
    assert not any("kept" in path.name for path in (out / "current").resolve().rglob("*"))


def test_a_build_without_its_cache_keeps_no_network(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", cache=False)
    assert not kept_path(tmp_path / "out").exists()


def test_a_build_that_fails_the_shapes_keeps_no_network(make_source, tmp_path):
    document, text = synthetic_annotation("bad", 3)
    document["source"]["language"] = "not a language tag"
    data = make_source(annotation=document, text=text, folder="bad")
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(ValidationError, match="Source language"):
        graph.build(data, out)
    assert not kept_path(out).exists()


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as stream:
        stream.write(text)


CHANGES = {
    "a text": lambda data: _append(data / "third" / "article.txt", "One more sentence.\n"),
    "an annotation file": lambda data: _append(data / "third" / "annotation.yaml", "# edited\n"),
    "a source removed": lambda data: shutil.rmtree(data / "third"),
    "a folder renamed": lambda data: (data / "third").rename(data / "fourth"),
    "a text now outside the data folder": lambda data: _outside(data / "third" / "article.txt"),
}


def _outside(path: Path) -> None:
    moved = path.parent.parent.parent / "moved.txt"
    path.rename(moved)
    path.symlink_to(moved)


@pytest.mark.parametrize("change", sorted(CHANGES))
def test_the_network_is_not_taken_once_an_input_changed(three_built, change):
    data, out, _ = three_built
    assert kept_network(out, data) is not None
    CHANGES[change](data)
    assert kept_network(out, data) is None


def test_a_new_source_is_an_input_changed(three_built):
    data, out, _ = three_built
    assert kept_network(out, data) is not None
    write_source(data, tiny_variant("fourth"), folder="fourth")
    assert kept_network(out, data) is None


def test_a_byte_order_mark_added_to_a_text_changes_nothing_read(three_built):
    data, out, _ = three_built
    text = data / "third" / "article.txt"
    text.write_bytes(b"\xef\xbb\xbf" + text.read_bytes())
    assert kept_network(out, data) is not None


def test_the_network_is_not_taken_after_the_code_changed(three_built, monkeypatch):
    data, out, _ = three_built
    assert kept_network(out, data) is not None
    monkeypatch.setattr(keptnetwork, "code_digest", lambda: "another version")
    assert kept_network(out, data) is None


def _cut(raw: bytes) -> bytes:
    return raw[:-10]


def _edited(raw: bytes) -> bytes:
    middle = len(raw) // 2
    return raw[:middle] + bytes([raw[middle] ^ 1]) + raw[middle + 1 :]


def _not_json(raw: bytes) -> bytes:
    return b"kept\n" + raw


DAMAGE = {"cut short": _cut, "edited": _edited, "no header": _not_json}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_file_is_read_as_no_network(three_built, damage):
    data, out, _ = three_built
    path = kept_path(out)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    assert kept_network(out, data) is None


# --- the network's text taken from the file before


def _entry_parts(out: Path, data: Path):
    """The network, corpus, camps and inputs of the build into ``out`` of ``data``, and
    the network's digest, as the build's page makes them."""
    from graph.networks.kept import network_digest

    corpus = graph.load_corpus(data)
    network = pipeline.corpus_network(corpus)
    camps = camp_members(network)
    inputs = corpus_inputs(corpus)
    assert inputs is not None
    return network, corpus, camps, inputs, network_digest(network)


def _listed(network: nx.MultiDiGraph) -> dict:
    """The edges of ``network`` as the build's page lists them, with their digests."""
    from graph.networks.documents import element_digests

    return {
        "edges": list(network.edges(keys=True, data=True)),
        "edge_digests": element_digests(network)[1],
    }


@pytest.fixture
def runs_written(monkeypatch) -> list[int]:
    """How many runs of a source's edges were written (not taken) into a network's
    text, in this process."""
    return counted_calls(monkeypatch, keptnetwork, "_edges_text")


def test_the_network_s_text_is_taken_from_the_file_before(three_built, runs_written):
    data, out, _ = three_built
    network, corpus, camps, inputs, digest = _entry_parts(out, data)
    whole = kept_entry(network, corpus, camps, inputs, digest=digest)
    assert len(runs_written) == 3  # one for the edges of each source
    kept_path(out).write_bytes(whole)
    assert kept_entry(network, corpus, camps, inputs, digest=digest, before=kept_path(out)) == whole
    assert len(runs_written) == 3  # taken, not made
    # a title changed: the same network, taken, under the new title
    retitled = graph.load_corpus(data)
    retitled = type(retitled)(**{**vars(retitled), "sources": tuple(
        type(s)(**{**vars(s), "title": f"{s.title}, revised"}) for s in retitled.sources
    )})  # fmt: skip
    taken = kept_entry(network, retitled, camps, inputs, digest=digest, before=kept_path(out))
    assert len(runs_written) == 3
    assert taken == kept_entry(network, retitled, camps, inputs, digest=digest)
    assert b"Tiny, revised" not in whole and b"Tiny, revised" in taken


def test_the_network_s_text_is_the_document_s(three_built):
    data, out, _ = three_built
    network, corpus, camps, inputs, digest = _entry_parts(out, data)
    entry = kept_entry(network, corpus, camps, inputs, digest=digest, **_listed(network))
    text = json.dumps(network_document(network), ensure_ascii=False, separators=(",", ":"))
    assert entry.endswith(b',"network":' + text.encode() + b"}")


def test_only_the_edges_of_a_source_that_changed_are_written_again(three_built, runs_written):
    data, out, _ = three_built
    network, corpus, camps, inputs, digest = _entry_parts(out, data)
    kept_path(out).write_bytes(
        kept_entry(network, corpus, camps, inputs, digest=digest, **_listed(network))
    )
    annotation = data / "second" / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    document["statements"][0]["modality"] = "alleged"  # a hedge: the network changes
    annotation.write_text(yaml.safe_dump(document), encoding="utf-8")
    network, corpus, camps, inputs, hedged = _entry_parts(out, data)
    assert hedged != digest
    runs_written.clear()
    spliced = kept_entry(
        network, corpus, camps, inputs, digest=hedged, before=kept_path(out), **_listed(network)
    )
    assert len(runs_written) == 1  # the second source's
    assert spliced == kept_entry(network, corpus, camps, inputs, digest=hedged, **_listed(network))
    assert b'"modality":"alleged"' in spliced
    # written by other code, no run is taken
    kept_path(out).write_bytes(spliced)
    runs_written.clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keptnetwork, "code_digest", lambda: "another version")
        kept_entry(
            network, corpus, camps, inputs, digest="0" * 64, before=kept_path(out),
            **_listed(network),
        )  # fmt: skip
    assert len(runs_written) == 3


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_the_network_s_text_is_made_where_the_file_before_is_damaged(
    three_built, runs_written, damage
):
    data, out, _ = three_built
    network, corpus, camps, inputs, digest = _entry_parts(out, data)
    listed = _listed(network)
    whole = kept_entry(network, corpus, camps, inputs, digest=digest, **listed)
    kept_path(out).write_bytes(DAMAGE[damage](whole))
    runs_written.clear()
    assert (
        kept_entry(network, corpus, camps, inputs, digest=digest, before=kept_path(out), **listed)
        == whole
    )
    assert len(runs_written) == 3


def test_the_text_of_another_network_is_not_taken(three_built, runs_written, monkeypatch):
    data, out, _ = three_built
    network, corpus, camps, inputs, digest = _entry_parts(out, data)
    kept_path(out).write_bytes(kept_entry(network, corpus, camps, inputs, digest="0" * 64))
    runs_written.clear()
    made = kept_entry(network, corpus, camps, inputs, digest=digest, before=kept_path(out))
    assert len(runs_written) == 3
    assert made == kept_entry(network, corpus, camps, inputs, digest=digest)
    # nor the text of the same network written by other code
    kept_path(out).write_bytes(made)
    runs_written.clear()
    monkeypatch.setattr(keptnetwork, "code_digest", lambda: "another version")
    kept_entry(network, corpus, camps, inputs, digest=digest, before=kept_path(out))
    assert len(runs_written) == 3


def _retitled(document: dict) -> None:
    document["source"]["title"] = f"Revised {document['source']['title']}"


def _hedged(document: dict) -> None:
    document["statements"][0]["modality"] = "alleged"


@pytest.mark.parametrize("edit", [_retitled, _hedged])
def test_a_rebuild_keeps_the_file_a_new_build_keeps(three_built, tmp_path, edit, runs_written):
    data, out, _ = three_built
    annotation = data / "third" / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    edit(document)
    annotation.write_text(yaml.safe_dump(document), encoding="utf-8")
    graph.build(data, out, jobs=1)  # its pieces made in this process, counted
    assert len(runs_written) == (1 if edit is _hedged else 0)  # the third source's
    graph.build(data, tmp_path / "fresh")
    assert kept_path(out).read_bytes() == kept_path(tmp_path / "fresh").read_bytes()
    kept = kept_network(out, data)
    assert kept is not None
    assert kept.titles == tuple((s.id, s.title) for s in graph.load_corpus(data).sources)
    hedged = [d for *_, d in kept.network.edges(keys=True, data=True) if d["modality"] == "alleged"]
    assert len(hedged) == (1 if edit is _hedged else 0)


def test_a_network_kept_for_other_inputs_is_not_taken(three_built):
    data, out, built = three_built
    inputs, network = corpus_inputs(built.corpus), to_networkx(built.graph)
    assert inputs is not None
    assert [source.folder for source in inputs] == ["second", "third", "tiny"]
    other = [SourceInput(s.folder, s.text, "0" * 64) for s in inputs]
    write_kept(out, kept_entry(network, built.corpus, (), other))
    assert kept_network(out, data) is None
    write_kept(out, kept_entry(network, built.corpus, (), inputs))
    assert kept_network(out, data) is not None


def test_a_network_kept_for_no_source_is_not_taken_for_an_empty_folder(three_built, tmp_path):
    _, out, built = three_built
    write_kept(out, kept_entry(to_networkx(built.graph), built.corpus, (), []))
    empty = tmp_path / "empty"
    empty.mkdir()
    assert kept_network(out, empty) is None
    with pytest.raises(AnnotationError, match=r"no \*/annotation\.yaml found"):
        graph.analyse_data(empty, build_cache=out)


# --- the analysis of the kept network

OPTIONS = [{}, {"hedged": False}, {"level": "state"}, {"window": "year"}, {"window": 400}]


def test_an_analysis_after_a_build_reads_nothing_and_finds_the_same(
    fixture_data, tmp_path, monkeypatch
):
    out = tmp_path / "out"
    graph.build(fixture_data, out)
    expected = [graph.analyse_data(fixture_data, **options) for options in OPTIONS]
    assert expected[0][0][1].camps and expected[0][0][1].rankings["central"]

    def never(*arguments, **options):
        raise AssertionError("the sources were read")

    monkeypatch.setattr(pipeline, "load_checked_beside", never)
    for options, analysed in zip(OPTIONS, expected, strict=True):
        for jobs in (1, 2):
            assert (
                graph.analyse_data(fixture_data, build_cache=out, jobs=jobs, **options) == analysed
            )


def test_an_analysis_after_a_source_changed_reads_the_sources(three_built):
    data, out, _ = three_built
    before = graph.analyse_data(data, build_cache=out)
    shutil.rmtree(data / "third")
    after = graph.analyse_data(data, build_cache=out)
    assert after == graph.analyse_data(data) and after != before


def test_a_page_after_a_build_reads_nothing_and_is_the_same(fixture_data, tmp_path, monkeypatch):
    out = tmp_path / "out"
    graph.build(fixture_data, out)
    asked = [{}, {"focus": "Oleg Khramov", "depth": 2}, {"relations": ["blames"]}]
    expected = [graph.show(fixture_data, **options).html for options in asked]
    assert expected[0] == (out / "graph.html").read_text(encoding="utf-8")

    def never(*arguments, **options):
        raise AssertionError("the sources were read")

    monkeypatch.setattr(pipeline, "load_checked", never)
    monkeypatch.setattr(pipeline, "camp_members", never)  # the build's camps are taken
    for options, page in zip(asked, expected, strict=True):
        assert graph.show(fixture_data, build_cache=out, **options).html == page
        written = graph.render(fixture_data, tmp_path / "page.html", build_cache=out, **options)
        assert written.read_text(encoding="utf-8") == page
    with pytest.raises(SelectionError, match="Oleg Khramoff"):
        graph.show(fixture_data, build_cache=out, focus="Oleg Khramoff")
