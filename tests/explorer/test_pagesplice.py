"""A rebuild's page made from the page before where titles or statements changed."""

from __future__ import annotations

import pytest

import graph
from graph import pipeline
from graph.explorer.layout import layout_digest
from graph.explorer.pagesplice import frame_key, page_key, page_record, spliced_page
from graph.explorer.render import (
    statement_digests,
    statement_order,
    statement_texts,
    views_text,
)
from graph.networks.analysis import camp_members
from graph.networks.discourse import speakers
from graph.networks.documents import element_digests
from graph.networks.projection import corpus_network
from tests.factories import counted_calls, three_tiny_sources, tiny_annotation, tiny_variant

HOSTILE = "</script><img src=x onerror=alert('x')> & “curly”"


def _made(corpus, titles=None):
    """The page of ``corpus`` (its sources titled by ``titles``, by id, where given),
    its bytes and record, and what a splice needs to remake statements."""
    named = tuple(
        (source.id, (titles or {}).get(source.id, source.title)) for source in corpus.sources
    )
    network = corpus_network(corpus)
    camps = camp_members(network)
    text = pipeline._page_text(named, network, network, camps)
    links = pipeline._links(named)
    page, record = page_record(text, links, _digests(network))
    return page, record, text, links, network


def _digests(network):
    return statement_digests(list(network.edges(keys=True, data=True)), lazy_labels=False)


def _views(network):
    return views_text(network, speakers(network), list(network.edges(keys=True, data=True)))


def _hedged(annotation):
    annotation["statements"][0]["modality"] = "alleged"
    return annotation


def _sanctioned(annotation):
    annotation["statements"][0]["relation"] = "sanctions"
    return annotation


def _remade(network, links, asked):
    edges = list(network.edges(keys=True, data=True))

    def remade(only):
        asked.append(sorted(only))
        return statement_texts(edges, links, lazy_labels=False, only=only)

    return remade


def test_the_page_of_a_retitled_source_is_the_page_before_but_its_statements(make_source):
    corpus = graph.load_corpus(three_tiny_sources(make_source))
    before, record, *_ = _made(corpus)
    retitled = {"second": f"Second, {HOSTILE}"}
    whole, _, text, links, network = _made(corpus, retitled)
    asked: list[list[str]] = []
    spliced = spliced_page(before, record, text.heading, links, _remade(network, links, asked))
    assert spliced is not None
    assert spliced[0] == whole
    assert asked == [[str(graph.source_iri("second"))]]  # the others' statements copied
    assert HOSTILE not in whole.decode()  # escaped in the JSON as in the tooltip
    # and its record is that of the page made whole
    assert spliced[1] == page_record(text, links, _digests(network))[1]


def test_the_heading_of_a_corpus_of_one_source_follows_its_title(make_source):
    corpus = graph.load_corpus(make_source())
    before, record, *_ = _made(corpus)
    whole, _, text, links, network = _made(corpus, {"tiny": HOSTILE})
    assert text.heading != _made(corpus)[2].heading and "&lt;/script&gt;" in text.heading
    spliced = spliced_page(before, record, text.heading, links, _remade(network, links, []))
    assert spliced is not None and spliced[0] == whole


def test_nothing_changed_is_the_page_before(make_source):
    corpus = graph.load_corpus(three_tiny_sources(make_source))
    before, record, text, links, network = _made(corpus)
    asked: list[list[str]] = []
    spliced = spliced_page(before, record, text.heading, links, _remade(network, links, asked))
    assert spliced is not None and spliced[0] == before and asked == []


def _overlapping(record):
    record["runs"][1][2] = record["runs"][0][2]


def _too_long(record):
    record["runs"][0][3] = record["size"] + 1


def _fewer_statements(record):
    record["runs"][0][4] -= 1


def _another_size(record):
    record["size"] += 1


def _not_a_run(record):
    record["runs"][0] = "a run"


def _two_runs_of_a_source(record):
    record["runs"][1][0] = record["runs"][0][0]


def _views_overlapping(record):
    record["views"][0][0] = record["runs"][0][2]


@pytest.mark.parametrize(
    "damage",
    [
        _overlapping,
        _too_long,
        _fewer_statements,
        _another_size,
        _not_a_run,
        _two_runs_of_a_source,
        _views_overlapping,
    ],
)
def test_a_record_that_does_not_describe_the_page_is_not_spliced(make_source, damage):
    corpus = graph.load_corpus(three_tiny_sources(make_source))
    before, record, *_ = _made(corpus)
    _, _, text, links, network = _made(corpus, {"tiny": "Tiny, revised", "second": "Again"})
    damage(record)
    assert spliced_page(before, record, text.heading, links, _remade(network, links, [])) is None


def test_the_key_of_a_page_is_all_it_is_made_of_but_the_titles(make_source):
    corpus = graph.load_corpus(three_tiny_sources(make_source))
    network = corpus_network(corpus)
    camps, layout = camp_members(network), {node: (0.0, 1.0) for node in network}
    key = page_key("a" * 64, camps, layout, 5000)
    assert key == page_key("a" * 64, camps, dict(reversed(layout.items())), 5000)
    assert key != page_key("b" * 64, camps, layout, 5000)
    assert key != page_key("a" * 64, [*camps, ["x"]], layout, 5000)
    assert key != page_key("a" * 64, camps, {**layout, "ruritania": (0.5, 1.0)}, 5000)
    assert key != page_key("a" * 64, camps, layout, 10)


@pytest.mark.parametrize("edit", ["hedge", "relation"])
def test_the_page_of_an_edited_statement_is_the_page_before_but_its_source_and_views(
    make_source, edit
):
    data = three_tiny_sources(make_source)
    before, record, *_ = _made(graph.load_corpus(data))
    edited = {"hedge": _hedged, "relation": _sanctioned}[edit]
    make_source(edited(tiny_variant("second")), folder="second")
    whole, _, text, links, network = _made(graph.load_corpus(data))
    assert _views(network).encode() in whole
    # a blame made a sanction changes the tables (one hedged blame of three, not)
    assert (_views(network).encode() in before) == (edit == "hedge")
    asked: list[list[str]] = []
    spliced = spliced_page(
        before,
        record,
        text.heading,
        links,
        _remade(network, links, asked),
        digests=_digests(network),
        views=_views(network),
    )
    assert spliced is not None
    assert spliced[0] == whole
    assert asked == [[str(graph.source_iri("second"))]]  # the others' statements copied
    assert spliced[1] == page_record(text, links, _digests(network))[1]


def test_statement_digests_from_the_edges_digests_change_with_their_source_alone(make_source):
    data = three_tiny_sources(make_source)
    network = corpus_network(graph.load_corpus(data))
    edges = list(network.edges(keys=True, data=True))
    digests = element_digests(network)[1]
    by_elements = statement_digests(edges, lazy_labels=False, digests=digests)
    assert by_elements.keys() == _digests(network).keys()
    assert by_elements != _digests(network)  # the elements' digests stand for their edges
    # a digest missing is the edge's repr
    assert statement_digests(edges, lazy_labels=False, digests=[None] * len(edges)) == (
        _digests(network)
    )
    make_source(_hedged(tiny_variant("second")), folder="second")
    hedged = corpus_network(graph.load_corpus(data))
    hedged_edges = list(hedged.edges(keys=True, data=True))
    after = statement_digests(hedged_edges, lazy_labels=False, digests=element_digests(hedged)[1])
    second = str(graph.source_iri("second"))
    assert {source for source in after if after[source] != by_elements[source]} == {second}
    assert statement_digests(edges, lazy_labels=True, digests=digests) != by_elements


def test_statements_of_a_source_new_to_the_page_make_it_whole(make_source):
    make_source()
    data = make_source(tiny_variant("second"), folder="second")
    before, record, *_ = _made(graph.load_corpus(data))
    make_source(tiny_variant("third"), folder="third")
    _, _, text, links, network = _made(graph.load_corpus(data))
    remade = _remade(network, links, [])
    digests, views = _digests(network), _views(network)
    assert spliced_page(before, record, text.heading, links, remade, digests=digests) is None
    assert spliced_page(before, record, text.heading, links, remade, views=views) is not None


def test_the_frame_of_a_page_is_its_nodes_and_their_weights_not_what_statements_say(
    make_source,
):
    data = three_tiny_sources(make_source)

    def frame():
        network = corpus_network(graph.load_corpus(data))
        return frame_key(network, [], {node: (0.0, 1.0) for node in network}, 5000)

    key = frame()
    make_source(_hedged(tiny_variant("second")), folder="second")
    assert frame() == key
    annotation = tiny_variant("second")
    annotation["statements"][0]["object"] = "anna-vogel"  # Freedonia's weight less by one
    make_source(annotation, folder="second")
    assert frame() != key
    annotation = tiny_variant("second", entities={"freedonia": {"label": "Freedonia, Free"}})
    make_source(annotation, folder="second")
    assert frame() != key


def _one_more_tie(annotation):
    blame = dict(annotation["statements"][0], id="freedonia-blames-anna-vogel")
    annotation["statements"].append({**blame, "subject": "freedonia", "object": "anna-vogel"})
    return annotation


@pytest.mark.parametrize("edit", ["retitle", "hedge", "relation", "tie"])
def test_a_rebuild_makes_its_page_from_the_page_before_where_its_frame_did_not_change(
    make_source, tmp_path, monkeypatch, edit
):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    rendered = counted_calls(monkeypatch, pipeline, "render_page")
    networks = counted_calls(monkeypatch, pipeline, "corpus_network")
    annotation = tiny_variant("second")
    if edit == "retitle":
        annotation["source"]["title"] = HOSTILE
    else:
        edited = {"hedge": _hedged, "relation": _sanctioned, "tie": _one_more_tie}[edit]
        annotation = edited(annotation)
    make_source(annotation, folder="second")
    graph.build(data, tmp_path / "out", jobs=1)
    # a statement's new tie changes the weights of its nodes, and so the page's frame
    assert len(rendered) == (1 if edit == "tie" else 0)
    # a retitle does not even make the statement network: its page, its files and the
    # file that keeps it are all known by the digest of the records it is made of
    assert len(networks) == (0 if edit == "retitle" else 1)
    fresh = tmp_path / "fresh"
    graph.build(data, fresh, cache=False, jobs=1)
    page = (tmp_path / "out" / "current" / "graph.html").read_bytes()
    assert page == (fresh / "current" / "graph.html").read_bytes()
    # and the next rebuild splices the page the splice made
    annotation["source"]["title"] = "Second, once more"
    make_source(annotation, folder="second")
    rendered.clear()
    graph.build(data, tmp_path / "out", jobs=1)
    graph.build(data, fresh, cache=False, jobs=1)
    assert rendered == [1]  # the fresh build's alone
    page = (tmp_path / "out" / "current" / "graph.html").read_bytes()
    assert page == (fresh / "current" / "graph.html").read_bytes()
    assert b"Second, once more" in page


def test_a_page_before_edited_is_made_whole(make_source, tmp_path, monkeypatch):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    page = tmp_path / "out" / "current" / "graph.html"
    page.write_bytes(page.read_bytes().replace(b"Ruritania", b"Ruritanio", 1))
    annotation = tiny_annotation()
    annotation["source"]["title"] = "Tiny, revised"
    make_source(annotation)
    graph.build(data, tmp_path / "out", jobs=1)
    graph.build(data, tmp_path / "fresh", cache=False, jobs=1)
    rebuilt = (tmp_path / "out" / "current" / "graph.html").read_bytes()
    assert rebuilt == (tmp_path / "fresh" / "current" / "graph.html").read_bytes()


@pytest.mark.parametrize("damage", ["kept network", "page record"])
def test_a_retitle_without_what_the_build_before_kept_makes_the_page_whole(
    make_source, tmp_path, damage
):
    from graph.buildcache import cache_folder
    from graph.keptnetwork import kept_path

    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out, jobs=1)
    if damage == "kept network":
        kept_path(out).unlink()
    else:  # every record of the page gone
        for entry in cache_folder(out, "files").glob("*.json"):
            if b'"headings"' in entry.read_bytes():
                entry.unlink()
    annotation = tiny_variant("second")
    annotation["source"]["title"] = "Second, revised"
    make_source(annotation, folder="second")
    graph.build(data, out, jobs=1)
    graph.build(data, tmp_path / "fresh", jobs=1)
    page = (out / "current" / "graph.html").read_bytes()
    assert page == (tmp_path / "fresh" / "current" / "graph.html").read_bytes()
    assert kept_path(out).read_bytes() == kept_path(tmp_path / "fresh").read_bytes()


def test_what_the_page_reads_of_edges_listed_once_is_what_it_reads_of_the_network(make_source):
    data = three_tiny_sources(make_source)
    network = corpus_network(graph.load_corpus(data))
    edges = list(network.edges(keys=True, data=True))
    camps, layout = [], {node: (0.0, 1.0) for node in network}
    assert speakers(network, edges) == speakers(network)
    assert layout_digest(network, edges) == layout_digest(network)
    assert frame_key(network, camps, layout, 5000, edges) == frame_key(network, camps, layout, 5000)
    # the edges given are those read: one left out changes what is read
    fewer = edges[1:]
    assert frame_key(network, camps, layout, 5000, fewer) != frame_key(network, camps, layout, 5000)
    represents = [edge for edge in edges if edge[3]["relation"] != "represents"]
    assert speakers(network, represents) != speakers(network)


def test_the_page_s_order_of_statements_counts_those_between_the_same_two_nodes():
    edges = [
        ("a", "b", "k2", {"source": "s"}),
        ("b", "a", "k1", {"source": "s"}),
        ("a", "c", "k3", {"source": "t"}),
    ]
    assert statement_order(edges) == [(1, "s", 0), (0, "s", 1), (2, "t", 0)]


def test_the_order_made_once_gives_the_texts_and_digests_each_walk_gives(make_source):
    data = three_tiny_sources(make_source)
    corpus = graph.load_corpus(data)
    network = corpus_network(corpus)
    edges = list(network.edges(keys=True, data=True))
    order = statement_order(edges)
    assert [edges[index][2] for index, _, _ in order] == sorted(edge[2] for edge in edges)
    assert statement_digests(edges, lazy_labels=False, order=order) == _digests(network)
    links = {str(graph.source_iri(source.id)): source.title for source in corpus.sources}
    second = {str(graph.source_iri("second"))}
    for only in (None, second):
        given = statement_texts(edges, links, lazy_labels=False, only=only, order=order)
        assert given == statement_texts(edges, links, lazy_labels=False, only=only)
