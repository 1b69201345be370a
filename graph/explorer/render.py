"""Render the graph as a self-contained interactive HTML page with pyvis."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import networkx as nx

from .layout import LAYOUT_THRESHOLD, layout_positions
from .views import ACTOR_LINKS, ACTOR_VIEW_LIMIT, explorer_views

__all__ = ["ARROW_HEADS", "EDGE_STYLES", "NODE_STYLES", "render_html"]

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
    "sanctions": "#882255",
    "denies": "#999933",
}
DEFAULT_EDGE_COLOUR = "#888888"
# arrow heads other than vis-network's arrow: a denial ends in a bar, the sign of a tie refused
ARROW_HEADS: dict[str, str] = {"denies": "bar"}
# ring colours of camps, in camp order (largest first); apart from the type colours
CAMP_COLOURS = ("#B2182B", "#2166AC", "#762A83", "#1B7837", "#8C510A", "#C51B7D", "#01665E")
UNLISTED_CAMP_COLOUR = "#444444"
RELATION_LABELS: dict[str, str] = {
    "supports_position": "supports",
    "opposes_position": "opposes",
}


def render_html(
    graph: nx.MultiDiGraph,
    title: str,
    sources: dict[str, str],
    *,
    positions: dict[str, tuple[float, float]] | None = None,
    camps: Sequence[Sequence[str]] = (),
    speakers: Mapping[str, str] | None = None,
) -> str:
    """Return the HTML page of ``graph`` (as made by ``to_networkx``).

    ``camps`` lists the members of each camp (``graph.networks.analysis``), largest first: their
    nodes get a ring in the camp's colour, and the legend lists the camps. ``speakers`` maps
    actors to the state or body they speak for (``graph.networks.speakers``): with it, the
    actor view can be rolled up to states, and a denial by an official answers an attribution
    to its state in the attribution table (see ``views``).

    The page inlines its JavaScript and CSS and fetches nothing. Every text from the
    sources (labels, quotes) travels as JSON data and is shown as text, never as HTML.
    ``sources`` maps source IRIs to the titles shown with quotes. Above
    ``LAYOUT_THRESHOLD`` nodes, or when ``positions`` are given, nodes are drawn where
    the layout puts them and physics is off, so that large graphs open at once.
    """
    # loaded when a page is rendered, not when the explorer is imported
    import pyvis
    from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
    from pyvis.network import Network

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
    if positions is None and graph.number_of_nodes() > LAYOUT_THRESHOLD:
        positions = layout_positions(graph)
    # filling the lists directly: Network.add_edge checks duplicates in O(E) per call
    camp_of = {member: number for number, group in enumerate(camps, 1) for member in group}
    network.nodes = [
        _node(node, data, None if positions is None else positions.get(node), camp_of.get(node))
        for node, data in sorted(graph.nodes(data=True))
    ]
    network.node_ids = [node["id"] for node in network.nodes]
    network.edges = [
        _edge(subject, obj, key, data, sources)
        for subject, obj, key, data in sorted(graph.edges(keys=True, data=True), key=lambda e: e[2])
    ]
    network.options = _options(physics=positions is None)
    network.heading = title
    # the tables and the actor view (templates/tables.html), beside what pyvis passes
    network.templateEnv.globals["views"] = {
        **explorer_views(graph, speakers),
        "nodeStyles": NODE_STYLES,
        "actorViewLimit": ACTOR_VIEW_LIMIT,
        "linkColours": {
            kind: EDGE_STYLES.get(relation, DEFAULT_EDGE_COLOUR)
            for kind, relation in ACTOR_LINKS.items()
        },
    }
    return network.generate_html()


def _camp_colour(number: int) -> str:
    return CAMP_COLOURS[number - 1] if number <= len(CAMP_COLOURS) else UNLISTED_CAMP_COLOUR


def _node(
    node: str,
    data: dict[str, object],
    position: tuple[float, float] | None,
    camp: int | None = None,
) -> dict[str, object]:
    entity_type = str(data.get("type"))
    style = NODE_STYLES.get(entity_type, {"shape": "dot", "color": "#999999"})
    label = str(data.get("label", node))
    lines = [label, f"type: {entity_type}"]
    if data.get("description"):
        lines.append(str(data["description"]))
    if data.get("wikidata"):
        lines.append(f"Wikidata: {data['wikidata']}")
    if data.get("iso3166"):
        lines.append(f"ISO 3166: {data['iso3166']}")
    if camp is not None:
        lines.append(f"camp {camp}")
    result: dict[str, object] = {
        "id": node,
        "label": _shorten(label),
        "fullLabel": label,
        "title": "\n".join(lines),
        "shape": style["shape"],
        "color": style["color"],
        "typeColor": style["color"],
        "camp": camp or 0,
        "entityType": entity_type,
        "aliases": list(data.get("aliases", [])),  # type: ignore[call-overload]
        "description": str(data.get("description", "")),
        "wikidata": str(data.get("wikidata", "")),
        "iso3166": str(data.get("iso3166", "")),
    }
    if camp is not None:
        ring = _camp_colour(camp)
        result["color"] = {
            "background": style["color"],
            "border": ring,
            "highlight": {"background": style["color"], "border": ring},
            "hover": {"background": style["color"], "border": ring},
        }
        result["borderWidth"] = 4
    if position is not None:
        result["x"], result["y"] = position
        result["physics"] = False
    return result


def _shorten(label: str, limit: int = 48) -> str:
    """Keep long labels (positions are whole sentences) short on the canvas."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


DRAFT_DASHES = [2, 4]
"""Dotted, thin: a statement drafted by ``apg extract`` that nobody has reviewed yet."""


def _edge(
    subject: str, obj: str, key: str, data: dict[str, object], sources: dict[str, str]
) -> dict[str, object]:
    relation = str(data["relation"])
    hedged = bool(data.get("hedged"))
    source_title = sources.get(str(data.get("source")), str(data.get("source")))
    lines = [
        f"{relation.replace('_', ' ')} ({data.get('modality')})",
        f"“{data.get('quote')}”",
        f"{source_title}, {data.get('date')}",
    ]
    if data.get("about"):
        lines.append(f"about: {data['about']}")
    if data.get("claimed_by"):
        lines.append(f"claimed by: {data['claimed_by']}")
    draft = data.get("reviewed") is False
    if draft:
        confidence = data.get("confidence")
        lines.append(
            "draft, not reviewed"
            + (f" (confidence {float(str(confidence)):.2f})" if confidence is not None else "")
        )
    return {
        "id": key,
        "from": subject,
        "to": obj,
        "label": RELATION_LABELS.get(relation, relation.replace("_", " ")),
        "title": "\n".join(lines),
        "color": EDGE_STYLES.get(relation, DEFAULT_EDGE_COLOUR),
        "dashes": DRAFT_DASHES if draft else hedged,
        "width": 1 if draft else 2,
        "arrows": {"to": {"enabled": True, "type": ARROW_HEADS[relation]}}
        if relation in ARROW_HEADS
        else "to",
        "relation": relation,
        "quote": str(data.get("quote")),
        "modality": str(data.get("modality")),
        "hedged": hedged,
        "source": str(data.get("source")),
        "sourceTitle": source_title,
        "date": str(data.get("date")),
        "about": str(data.get("about", "")),
        "claimedBy": str(data.get("claimed_by", "")),
        "draft": draft,
        "confidence": data.get("confidence"),
    }


def _options(*, physics: bool) -> dict[str, object]:
    if not physics:
        return {
            "physics": {"enabled": False},
            "layout": {"improvedLayout": False},
            "edges": {"font": {"size": 9, "align": "middle"}, "smooth": False},
            "nodes": {"font": {"size": 14}, "borderWidth": 1},
            "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
        }
    return {
        "physics": {
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {
                "gravitationalConstant": -45,
                "springLength": 90,
                "avoidOverlap": 0.4,
            },
            "stabilization": {"iterations": 400},
        },
        "edges": {"font": {"size": 11, "align": "middle"}, "smooth": {"type": "dynamic"}},
        "nodes": {
            "font": {"size": 18},
            "borderWidth": 1,
            "scaling": {"label": {"drawThreshold": 3}},
        },
        "interaction": {"hover": True, "tooltipDelay": 150},
    }
