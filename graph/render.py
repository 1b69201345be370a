"""Render the graph as a self-contained interactive HTML page with pyvis."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pyvis
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from pyvis.network import Network

__all__ = ["EDGE_STYLES", "NODE_STYLES", "render_html"]

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE = "graph.html"

# shape and colour by entity type; colours chosen to stay apart for colour-blind readers
NODE_STYLES: dict[str, dict[str, str]] = {
    "state": {"shape": "dot", "color": "#0072B2"},
    "official": {"shape": "diamond", "color": "#E69F00"},
    "person": {"shape": "diamond", "color": "#F0E442"},
    "institution": {"shape": "square", "color": "#56B4E9"},
    "group": {"shape": "hexagon", "color": "#009E73"},
    "incident": {"shape": "star", "color": "#D55E00"},
    "event": {"shape": "triangle", "color": "#CC79A7"},
    "document": {"shape": "box", "color": "#BBBBBB"},
    "position": {"shape": "ellipse", "color": "#FFFFFF"},
}
EDGE_STYLES: dict[str, str] = {
    "blames": "#D55E00",
    "supports_position": "#009E73",
    "opposes_position": "#CC0000",
    "attributed_to": "#7F3C8D",
    "targets": "#A05000",
    "endorses": "#3C9D3C",
    "represents": "#0072B2",
    "leads": "#005080",
}
DEFAULT_EDGE_COLOUR = "#888888"


def render_html(graph: nx.MultiDiGraph, title: str, sources: dict[str, str]) -> str:
    """Return the HTML page of ``graph`` (as made by ``to_networkx``).

    The page inlines its JavaScript and CSS and fetches nothing. Every text from the
    sources (labels, quotes) travels as JSON data and is shown as text, never as HTML.
    ``sources`` maps source IRIs to the titles shown in tooltips.
    """
    network = Network(
        height="100%",
        width="100%",
        directed=True,
        cdn_resources="in_line",
        select_menu=False,
        filter_menu=False,
    )
    network.templateEnv = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATE_DIR),
                FileSystemLoader(Path(pyvis.__file__).parent / "templates"),
            ]
        ),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    network.path = TEMPLATE
    # filling the lists directly: Network.add_edge checks duplicates in O(E) per call
    network.nodes = [_node(node, data) for node, data in sorted(graph.nodes(data=True))]
    network.node_ids = [node["id"] for node in network.nodes]
    network.edges = [
        _edge(subject, obj, key, data, sources)
        for subject, obj, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    network.options = _options()
    network.heading = title
    return network.generate_html()


def _node(node: str, data: dict[str, object]) -> dict[str, object]:
    style = NODE_STYLES.get(str(data.get("type")), {"shape": "dot", "color": "#999999"})
    lines = [str(data.get("label", node)), f"type: {data.get('type')}"]
    if data.get("description"):
        lines.append(str(data["description"]))
    if data.get("wikidata"):
        lines.append(f"Wikidata: https://www.wikidata.org/wiki/{data['wikidata']}")
    if data.get("iso3166"):
        lines.append(f"ISO 3166: {data['iso3166']}")
    return {
        "id": node,
        "label": str(data.get("label", node)),
        "title": "\n".join(lines),
        "shape": style["shape"],
        "color": style["color"],
        "entityType": str(data.get("type")),
    }


def _edge(
    subject: str, obj: str, key: str, data: dict[str, object], sources: dict[str, str]
) -> dict[str, object]:
    relation = str(data["relation"])
    hedged = bool(data.get("hedged"))
    lines = [
        f"{relation.replace('_', ' ')} ({data.get('modality')})",
        f"“{data.get('quote')}”",
        f"{sources.get(str(data.get('source')), data.get('source'))}, {data.get('date')}",
    ]
    return {
        "id": key,
        "from": subject,
        "to": obj,
        "label": relation.replace("_", " "),
        "title": "\n".join(lines),
        "color": EDGE_STYLES.get(relation, DEFAULT_EDGE_COLOUR),
        "dashes": hedged,
        "arrows": "to",
        "relation": relation,
        "quote": str(data.get("quote")),
        "modality": str(data.get("modality")),
    }


def _options() -> dict[str, object]:
    return {
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -80, "springLength": 140},
            "stabilization": {"iterations": 300},
        },
        "edges": {"font": {"size": 9, "align": "middle"}, "smooth": {"type": "dynamic"}},
        "nodes": {"font": {"size": 14}, "borderWidth": 1},
        "interaction": {"hover": True, "tooltipDelay": 150},
    }
