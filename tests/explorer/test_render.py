import json
import re

from graph import build_graph, load_corpus, render_html, to_networkx
from tests.factories import tiny_annotation

HOSTILE = "<img src=x onerror=alert(1)>"


def _data(html: str, name: str) -> list[dict]:
    match = re.search(rf'<script type="application/json" id="data-{name}">(.*?)</script>', html)
    assert match, name
    return json.loads(match.group(1))


def test_page_carries_every_node_and_edge(make_source):
    graph = to_networkx(build_graph(load_corpus(make_source())))
    html = render_html(graph, "Tiny", {})
    nodes, edges = _data(html, "nodes"), _data(html, "edges")
    assert sorted(n["id"] for n in nodes) == sorted(graph.nodes)
    assert len(edges) == graph.number_of_edges()
    blame = next(e for e in edges if e["relation"] == "blames")
    assert blame["quote"] == "Ruritania blamed Freedonia for the failed talks"
    assert blame["dashes"] is False


def test_page_loads_nothing_from_the_network(seed_graph):
    html = render_html(to_networkx(seed_graph), "Seed", {})
    assert not re.search(r"""<[^>]*\s(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert not re.search(r"""url\(\s*["']?(https?:)?//""", html)
    assert "<link" not in html and "@import" not in html


def test_hostile_text_is_data_not_markup(make_source):
    annotation = tiny_annotation()
    annotation["entities"][1]["label"] = HOSTILE
    annotation["entities"][1]["description"] = "</script><script>alert(2)</script>"
    graph = to_networkx(build_graph(load_corpus(make_source(annotation=annotation))))
    html = render_html(graph, "<b>title</b>", {})
    assert HOSTILE not in html
    assert "</script><script>alert(2)" not in html
    assert "<b>title</b>" not in html and "&lt;b&gt;title&lt;/b&gt;" in html
    labels = {n["label"] for n in _data(html, "nodes")}
    assert HOSTILE in labels  # shown as that text once the JSON is parsed


def test_hedged_statements_are_dashed(seed_graph):
    edges = _data(render_html(to_networkx(seed_graph), "Seed", {}), "edges")
    alleged = [e for e in edges if e["modality"] == "alleged"]
    assert alleged and all(e["dashes"] for e in alleged)
    assert all(not e["dashes"] for e in edges if e["modality"] in ("asserted", "reported"))


def test_camps_ring_their_members_and_leave_others_alone(seed_graph):
    network = to_networkx(seed_graph)
    html = render_html(network, "Seed", {}, camps=[("russia", "cuba"), ("united-states",)])
    nodes = {n["id"]: n for n in _data(html, "nodes")}
    assert nodes["russia"]["camp"] == 1 and nodes["united-states"]["camp"] == 2
    assert nodes["russia"]["campColor"] == nodes["cuba"]["campColor"]
    assert nodes["russia"]["campColor"] != nodes["united-states"]["campColor"]
    assert nodes["russia"]["color"]["background"] == nodes["russia"]["typeColor"]
    assert nodes["china"]["camp"] == 0 and "campColor" not in nodes["china"]
    assert "camp 1" in nodes["cuba"]["title"]


def test_unreviewed_drafts_are_dotted_and_say_so(make_source):
    annotation = tiny_annotation()
    annotation["statements"][0].update(reviewed=False, confidence=0.8)
    html = render_html(
        to_networkx(build_graph(load_corpus(make_source(annotation=annotation)))), "Tiny", {}
    )
    edges = {e["relation"]: e for e in _data(html, "edges")}
    draft, curated = edges["blames"], edges["represents"]
    assert draft["draft"] is True and draft["confidence"] == 0.8
    # dotted and one unit thinner than a reviewed statement of the same relation
    assert draft["dashes"] == [2, 4] and draft["width"] == 2.5
    assert draft["title"].endswith("draft, not reviewed (confidence 0.80)")
    assert curated["draft"] is False and curated["dashes"] is False and curated["width"] == 1.5
    assert 'id="legend-drafts" hidden' in html  # shown by the page once it counts drafts


def test_sanctions_and_denials_have_colours_of_their_own_and_a_denial_ends_in_a_dot(
    sanctions_statements,
):
    edges = _data(render_html(sanctions_statements, "Sanctions", {}), "edges")
    by_relation: dict[str, list[dict]] = {}
    for edge in edges:
        by_relation.setdefault(edge["relation"], []).append(edge)
    assert len(by_relation["sanctions"]) == 3 and len(by_relation["denies"]) == 2
    colours = {relation: {e["color"] for e in found} for relation, found in by_relation.items()}
    assert colours["sanctions"] == {"#882255"} and colours["denies"] == {"#000000"}
    assert all(
        len(found) == 1 and found.isdisjoint(colours["sanctions"] | colours["denies"])
        for relation, found in colours.items()
        if relation not in ("sanctions", "denies")
    )
    assert all(
        e["arrows"] == {"to": {"enabled": True, "type": "circle"}} for e in by_relation["denies"]
    )
    assert all(e["arrows"] == "to" for e in by_relation["sanctions"])
    marek = next(e for e in by_relation["sanctions"] if e["to"] == "ivo-marek")
    assert marek["about"] == "blackout-attack" and "about: blackout-attack" in marek["title"]
