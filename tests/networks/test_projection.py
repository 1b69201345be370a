from rdflib import Literal, URIRef

from graph import build_graph, load_corpus, to_networkx
from graph.namespaces import APG, RDFS
from tests.factories import tiny_annotation


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
