from pathlib import Path

import networkx as nx
import pytest
from rdflib import Literal, URIRef

from graph import build_dataset, build_graph, load_corpus, to_networkx
from graph.namespaces import APG, RDFS
from graph.networks.projection import corpus_digest, corpus_network
from graph.rdf import union_view
from tests.factories import (
    REPO,
    assert_same_network,
    edit_annotation,
    synthetic_annotation,
    three_tiny_sources,
    tiny_annotation,
    tiny_variant,
)


def test_tiny_graph_projects_entities_and_statements(make_source):
    graph = to_networkx(build_graph(load_corpus(make_source())))
    assert sorted(graph.nodes) == ["anna-vogel", "freedonia", "ruritania", "self-defence"]
    assert graph.nodes["anna-vogel"]["type"] == "official"
    assert graph.nodes["ruritania"]["label"] == "Ruritania"
    (edge,) = graph.get_edge_data("ruritania", "freedonia").values()
    assert edge["relation"] == "blames"
    assert edge["quote"] == "Ruritania blamed Freedonia for the failed talks"
    assert (edge["start"], edge["end"]) == (0, 47)
    assert edge["modality"] == "reported" and edge["hedged"] is False
    assert edge["date"] == "2020-01-02"
    (support,) = graph.get_edge_data("anna-vogel", "self-defence").values()
    assert support["when"] == "2020-01" and support["date"] == "2020-01"


def test_seed_projection_matches_the_graph(seed_corpus, seed_graph):
    graph = to_networkx(seed_graph)
    assert graph.number_of_nodes() == len(seed_corpus.entities)
    assert graph.number_of_edges() == len(seed_corpus.statements)
    types = {data["type"] for _, data in graph.nodes(data=True)}
    assert {
        "state",
        "official",
        "institution",
        "group",
        "incident",
        "event",
        "document",
        "position",
    } <= types
    khramov = next(n for n, d in graph.nodes(data=True) if d["label"] == "Oleg Khramov")
    relations = {d["relation"] for _, _, d in graph.out_edges(khramov, data=True)}
    assert {"represents", "blames"} <= relations


def test_drafts_keep_reviewed_and_confidence(make_source):
    annotation = tiny_annotation()
    annotation["statements"][0].update(reviewed=False, confidence=0.8)
    graph = to_networkx(build_graph(load_corpus(make_source(annotation=annotation))))
    (draft,) = graph.get_edge_data("ruritania", "freedonia").values()
    assert draft["reviewed"] is False and draft["confidence"] == 0.8
    (curated,) = graph.get_edge_data("anna-vogel", "ruritania").values()
    assert "reviewed" not in curated and "confidence" not in curated


def test_a_statement_without_evidence_has_no_offsets_not_another_statements(make_source):
    graph = build_graph(load_corpus(make_source()))
    quote = Literal("Ruritania blamed Freedonia for the failed talks")
    (statement,) = graph.subjects(APG.quote, quote)
    other = URIRef(str(statement) + "-copy")
    for predicate, obj in list(graph.predicate_objects(statement)):
        if predicate != APG.evidence:
            graph.add((other, predicate, obj))
    network = to_networkx(graph)
    edges = {data["statement"]: data for *_, data in network.edges(data=True)}
    assert (edges[str(statement)]["start"], edges[str(statement)]["end"]) == (0, 47)
    assert "start" not in edges[str(other)] and "end" not in edges[str(other)]


def test_a_value_given_twice_projects_as_the_graph_gives_it_first(make_source):
    graph = build_graph(load_corpus(make_source()))
    ruritania = next(s for s, o in graph.subject_objects(RDFS.label) if str(o) == "Ruritania")
    graph.add((ruritania, RDFS.label, Literal("Ruritania (second label)")))
    network = to_networkx(graph)
    assert network.nodes["ruritania"]["label"] == str(graph.value(ruritania, RDFS.label))


# --- the projection of a corpus's records: the same network as of its graph -------------


def _both(data: Path) -> tuple[nx.MultiDiGraph, nx.MultiDiGraph]:
    corpus = load_corpus(data)
    return corpus_network(corpus), to_networkx(union_view(build_dataset(corpus)))


@pytest.mark.parametrize("split", ["dev", "test"])
def test_corpus_network_is_the_projection_of_the_annotated_splits(split):
    made, expected = _both(REPO / "tests" / "fixtures" / "corpus" / split)
    assert made.number_of_edges() > 500  # drafts, reviews, when, roles, merges, hedges
    assert_same_network(made, expected)


def test_corpus_network_is_the_projection_of_the_seed_and_fixture_sources(fixture_data):
    made, expected = _both(fixture_data)
    assert made.number_of_nodes() > 100
    assert_same_network(made, expected)


def test_corpus_network_is_the_projection_of_shared_synthetic_entities(make_source):
    for source_id, size in (("src-b", 40), ("2019-src", 25), ("a", 30)):
        annotation, text = synthetic_annotation(source_id, size)
        data = make_source(annotation=annotation, text=text, folder=source_id)
    assert_same_network(*_both(data))


def test_corpus_network_is_the_projection_of_every_optional_field(make_source):
    """Merged declarations with two labels, aliases given twice, an empty label, every
    kind of ``when``, a former role, drafts reviewed or not with rounded confidences."""
    annotation = tiny_annotation()
    first, second, *others = annotation["statements"]
    first.update(when="2019", role="envoy", former=True, reviewed=False, confidence=0.125)
    second.update(when="2020-01-15", reviewed=True, confidence=1, claimed_by="freedonia")
    for number, statement in enumerate(others):
        statement.update(when="2020-02", former=False, confidence=0.115 + number)
    ruritania = next(e for e in annotation["entities"] if e["id"] == "ruritania")
    ruritania.update(aliases=["Rur", "Rur", "Ruritanian Republic"], wikidata="Q1", iso3166="RU")
    make_source(annotation=annotation)
    second_source = tiny_variant(
        "second", entities={"ruritania": {"label": "Republic of Ruritania", "aliases": ["Rur"]}}
    )
    make_source(second_source, folder="second")
    third = tiny_variant(
        "third",
        rename={"freedonia": "fred"},
        entities={"fred": {"same_as": ["freedonia"], "description": "A state"}},
    )
    data = make_source(third, folder="third")
    made, expected = _both(data)
    # the first declaration in load order ("second") names the node
    assert made.nodes["ruritania"]["label"] == "Republic of Ruritania"
    assert made.nodes["ruritania"]["aliases"] == ["Rur", "Ruritania", "Ruritanian Republic"]
    assert {d.get("confidence") for *_, d in made.edges(data=True)} >= {0.13, 1.0}
    assert_same_network(made, expected)


def _digest_after(make_source, change) -> tuple[str, str]:
    """``corpus_digest`` of three tiny sources, and again after ``change`` of the second."""
    data = three_tiny_sources(make_source)
    before = corpus_digest(load_corpus(data))
    edit_annotation(data, "second", change)
    return before, corpus_digest(load_corpus(data))


def test_corpus_digest_leaves_out_what_the_network_does_not_read(make_source):
    def retitled(document):
        document["source"]["title"] = "Second, revised"

    before, after = _digest_after(make_source, retitled)
    assert before == after and len(before) == 64


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d["source"].update(date="2018-01-02"),  # the date of undated statements
        lambda d: d["statements"][0].update(modality="alleged"),
        lambda d: d["statements"][0].update(quote=d["statements"][0]["quote"][:-1]),
        lambda d: d["entities"][0].update(description="another"),
    ],
)
def test_corpus_digest_follows_what_the_network_reads(make_source, change):
    before, after = _digest_after(make_source, change)
    assert before != after
