"""Render the graph as a self-contained interactive HTML page with pyvis."""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import networkx as nx
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import escape

from .layout import (
    LINE_HEIGHT,
    LabelledNode,
    fit_to_pane,
    layout_positions,
    place_labels,
    spread_apart,
)
from .views import ACTOR_LINKS, ACTOR_VIEW_LIMIT, Edge, explorer_views

__all__ = [
    "ARROW_HEADS",
    "CORE_RELATIONS",
    "EDGE_LABEL_LIMIT",
    "EDGE_STYLES",
    "HEADING",
    "NODE_STYLES",
    "STATEMENTS",
    "VIEWS",
    "PageText",
    "StatementOrder",
    "node_weights",
    "render_html",
    "render_page",
    "statement_digests",
    "statement_order",
    "statement_texts",
    "views_text",
]

TEMPLATE_DIR = Path(__file__).parent / "templates"
TEMPLATE = "graph.html"
EDGE_LABEL_LIMIT = 5000
"""Statements above which a page labels its lines only once zoomed in far enough to read them.

The first view of such a page is too far out to draw them, and measuring tens of thousands
of labels would hold up its first drawing (see ``benchmarks/render.py``).
"""

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
    "position": {"shape": "triangleDown", "color": "#FFFFFF"},
}
# Okabe-Ito colours for the relations a reader asks about, apart for colour-blind readers;
# blame and opposition differ in colour, width and arrow head too. Other relations are grey.
EDGE_STYLES: dict[str, str] = {
    "blames": "#D55E00",
    "supports_position": "#009E73",
    "opposes_position": "#CC79A7",
    "represents": "#56B4E9",
    "attributed_to": "#0072B2",
    "denies": "#000000",
    "sanctions": "#882255",
}
CORE_RELATIONS = tuple(EDGE_STYLES)
"""The relations the legend lists first, in this order."""
DEFAULT_EDGE_COLOUR = "#A0A0A0"
EDGE_WIDTHS: dict[str, float] = {"blames": 3.5, "supports_position": 2.5, "opposes_position": 2.5}
DEFAULT_EDGE_WIDTH = 1.5
# arrow heads other than vis-network's arrow: blame ends in a sharp vee, opposition in a bar
# (a tie blocked) and a denial in a dot (a tie refused)
ARROW_HEADS: dict[str, str] = {"blames": "vee", "opposes_position": "bar", "denies": "circle"}
HEDGED_DASHES = [8, 5]
"""Dashed: an alleged, implicit or speculative statement."""
# ring colours of camps, in camp order (largest first); apart from the type colours
CAMP_COLOURS = ("#B2182B", "#2166AC", "#762A83", "#1B7837", "#8C510A", "#C51B7D", "#01665E")
UNLISTED_CAMP_COLOUR = "#444444"
NODE_BORDER = "#3D3D3D"
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
    layout: Mapping[str, tuple[float, float]] | None = None,
    camps: Sequence[Sequence[str]] = (),
    speakers: Mapping[str, str] | None = None,
    edge_label_limit: int = EDGE_LABEL_LIMIT,
) -> str:
    """Return the HTML page of ``graph`` (as made by ``to_networkx``): the text of
    ``render_page``, which says what each argument is."""
    return render_page(
        graph,
        title,
        sources,
        positions=positions,
        layout=layout,
        camps=camps,
        speakers=speakers,
        edge_label_limit=edge_label_limit,
    ).text()


@dataclass(frozen=True)
class PageText:
    """The text of a page (``render_page``), cut where a source's title shows in it and
    where what a statement says shows: the page's heading (in ``<title>`` and ``<h1>``,
    a corpus of one source titled by it), the JSON of each statement (its tooltip and
    its row name its source) and the JSON of the tables and the actor view. The rest is
    a function of the network's nodes (each with its attributes and the number of
    statements it takes part in), its camps, its layout and whether its lines are
    labelled lazily alone (see ``graph.explorer.pagesplice.frame_key``).

    ``fixed`` are the texts around the places, one more than ``places`` (each
    ``HEADING``, ``STATEMENTS`` or ``VIEWS``); ``heading`` is the heading as the page
    writes it, ``statements`` the JSON of each statement, as the page writes it, in the
    page's order, ``sources`` the IRI of each one's source, and ``views`` the JSON of
    the tables and the actor view (``views_text``).
    """

    fixed: tuple[str, ...]
    places: tuple[str, ...]
    heading: str
    statements: tuple[str, ...]
    sources: tuple[str, ...]
    views: str

    def text(self) -> str:
        """The page."""
        pieces = [self.fixed[0]]
        for place, fixed in zip(self.places, self.fixed[1:], strict=True):
            pieces.append(self.place_text(place))
            pieces.append(fixed)
        return "".join(pieces)

    def place_text(self, place: str) -> str:
        """What stands in the page at a place of kind ``place``."""
        if place == HEADING:
            return self.heading
        if place == VIEWS:
            return self.views
        return "[" + ", ".join(self.statements) + "]"


HEADING, STATEMENTS, VIEWS = "heading", "statements", "views"
"""The places of ``PageText``."""


def render_page(
    graph: nx.MultiDiGraph,
    title: str,
    sources: dict[str, str],
    *,
    positions: dict[str, tuple[float, float]] | None = None,
    layout: Mapping[str, tuple[float, float]] | None = None,
    camps: Sequence[Sequence[str]] = (),
    speakers: Mapping[str, str] | None = None,
    edge_label_limit: int = EDGE_LABEL_LIMIT,
) -> PageText:
    """The HTML page of ``graph`` (as made by ``to_networkx``), as the text of its parts
    (see ``PageText``).

    ``camps`` lists the members of each camp (``graph.networks.analysis``), largest first: their
    nodes get a ring in the camp's colour, and the legend lists the camps. ``speakers`` maps
    actors to the state or body they speak for (``graph.networks.speakers``): with it, the
    actor view can be rolled up to states, and a denial by an official answers an attribution
    to its state in the attribution table (see ``views``).

    The page inlines its JavaScript and CSS and fetches nothing. Every text from the
    sources (labels, quotes) travels as JSON data and is shown as text, never as HTML.
    ``sources`` maps source IRIs to the titles shown with quotes. Nodes are drawn at
    ``positions`` (canvas units), by default where ``layout_positions`` puts them scaled by
    ``fit_to_pane``; physics is off, so the page opens the same way every time and a filter
    hides things without moving the rest. ``layout`` is that default's first step,
    ``fit_to_pane(layout_positions(graph))``, when it was made before (the build keeps it
    for a network that did not change; see ``graph.networks.kept``): the page is the same.
    A page of more than ``edge_label_limit`` statements labels its lines once zoomed in
    far enough to read them, not before the first drawing. Nodes and labels are sized by
    ``node_weights``; ``place_labels`` puts a label above its node when below it would
    overlap a heavier one's, and leaves it out of the first view when both would.
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
    # the data travel as JSON in the order they are made (deterministic): sorting the keys
    # of every node and statement cost a fifth of the JSON's time
    network.templateEnv.policies["json.dumps_kwargs"] = {}
    network.templateEnv.globals["core_relations"] = list(CORE_RELATIONS)
    network.path = TEMPLATE
    spread = positions is None
    if positions is None:
        positions = dict(layout) if layout is not None else fit_to_pane(layout_positions(graph))
    # filling the lists directly: Network.add_edge checks duplicates in O(E) per call
    camp_of = {member: number for number, group in enumerate(camps, 1) for member in group}
    edges = list(graph.edges(keys=True, data=True))  # walked once, for all that reads them
    network.nodes = _sized(
        [
            _node(node, data, positions.get(node, (0.0, 0.0)), camp_of.get(node))
            for node, data in sorted(graph.nodes(data=True))
        ],
        node_weights(graph, edges),
        spread=spread,
    )
    network.node_ids = [node["id"] for node in network.nodes]
    lazy_labels = len(edges) > edge_label_limit
    made = statement_texts(edges, sources, lazy_labels=lazy_labels)
    # the statements and the heading stand in the page as marks, replaced by their texts
    mark = f"apg-place-{secrets.token_hex(16)}"
    network.edges = mark  # written as a JSON string: the mark in quotation marks
    network.templateEnv.globals["lazy_edge_labels"] = lazy_labels
    network.options = _options()
    network.heading = f"{mark}-heading"
    # the tables and the actor view (templates/tables.html), beside what pyvis passes
    network.templateEnv.globals["views"] = f"{mark}-views"
    fixed, places = _cut(
        network.generate_html(),
        {f'"{mark}"': STATEMENTS, mark + "-heading": HEADING, f'"{mark}-views"': VIEWS},
    )
    return PageText(
        fixed,
        places,
        str(escape(title)),
        tuple(text for text, _ in made),
        tuple(source for _, source in made),
        views_text(graph, speakers, edges),
    )


def views_text(
    graph: nx.MultiDiGraph, speakers: Mapping[str, str] | None, edges: Sequence[Edge]
) -> str:
    """The JSON of the page's tables and actor view (``explorer_views``) of ``graph``
    (whose edges are ``edges``), as the page writes it."""
    views = {
        **explorer_views(graph, speakers, edges=edges),
        "nodeStyles": NODE_STYLES,
        "actorViewLimit": ACTOR_VIEW_LIMIT,
        "linkColours": {
            kind: EDGE_STYLES.get(relation, DEFAULT_EDGE_COLOUR)
            for kind, relation in ACTOR_LINKS.items()
        },
    }
    return str(htmlsafe_json_dumps(views))


def statement_texts(
    edges: Sequence[Edge],
    sources: Mapping[str, str],
    *,
    lazy_labels: bool,
    only: Collection[str] | None = None,
    order: StatementOrder | None = None,
) -> list[tuple[str, str]]:
    """The JSON of each statement of ``edges`` (a network's, all of them) as the page
    writes it, with the IRI of its source, in the page's order (by key; ``order``, where
    given, is ``statement_order(edges)``); of the statements of the sources ``only``
    names, where given. ``sources`` maps each source IRI to its title."""
    made = []
    for index, source, parallel in statement_order(edges) if order is None else order:
        if only is None or source in only:
            subject, obj, key, data = edges[index]
            edge = _edge(subject, obj, key, data, sources, parallel)
            if lazy_labels:
                edge["lazyLabel"] = edge.pop("label")
            # as the template's ``tojson`` writes it (its keys in the order made, see
            # ``render_page``), to stand inside a ``<script>`` element
            made.append((str(htmlsafe_json_dumps(edge)), source))
    return made


def statement_digests(
    edges: Sequence[Edge],
    *,
    lazy_labels: bool,
    digests: Sequence[str | None] | None = None,
    order: StatementOrder | None = None,
) -> dict[str, str]:
    """The SHA-256 of what the JSON of the statements of each source (by IRI) is made
    of but the source's title (``statement_texts``): each statement's edge with its
    attributes and the statements drawn before it between the same two nodes, in the
    page's order, and whether labels are lazy. About a third of what making the JSON
    costs: a rebuild makes again only the JSON of the sources whose digest changed (see
    ``graph.explorer.pagesplice``). ``digests``, where given, are those of ``edges`` (in
    their order; see ``graph.networks.documents.element_digests``), each standing for its
    edge: its ``repr`` is then made only for an edge of none; ``order``, where given, is
    ``statement_order(edges)``."""
    made: dict[str, hashlib._Hash] = {}
    for index, source, parallel in statement_order(edges) if order is None else order:
        digest = made.get(source)
        if digest is None:
            made[source] = digest = hashlib.sha256(b"lazy" if lazy_labels else b"eager")
        found = None if digests is None else digests[index]
        if found is None:
            digest.update(repr((edges[index], parallel)).encode("utf-8", "surrogatepass") + b"\n")
        else:
            digest.update(f"{found} {parallel}\n".encode())
    return {source: digest.hexdigest() for source, digest in made.items()}


StatementOrder = list[tuple[int, str, int]]
"""The page's order of a network's statements (``statement_order``)."""


def statement_order(edges: Sequence[Edge]) -> StatementOrder:
    """The index of each of ``edges`` in the page's order (by key), with its source's IRI
    and the number of statements before it between the same two nodes (which bend its
    line)."""
    keys = [edge[2] for edge in edges]
    parallel: dict[tuple[str, str], int] = {}
    order = []
    for index in sorted(range(len(edges)), key=keys.__getitem__):
        subject, obj, _, data = edges[index]
        pair = (subject, obj) if subject <= obj else (obj, subject)
        before = parallel.get(pair, 0)
        parallel[pair] = before + 1
        order.append((index, str(data.get("source")), before))
    return order


def _cut(page: str, marks: Mapping[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``page`` cut at each of ``marks``: the texts around them, and the place each
    stands for, in order."""
    pattern = re.compile("|".join(re.escape(mark) for mark in marks))
    fixed, places, at = [], [], 0
    for found in pattern.finditer(page):
        fixed.append(page[at : found.start()])
        places.append(marks[found.group(0)])
        at = found.end()
    fixed.append(page[at:])
    if sorted(set(places)) != sorted(set(marks.values())):
        raise ValueError("the page's template lacks a place for the heading, statements or views")
    return tuple(fixed), tuple(places)


def node_weights(graph: nx.MultiDiGraph, edges: Sequence[Edge] | None = None) -> dict[str, int]:
    """The number of statements each node of ``graph`` takes part in, as subject or
    object; ``edges``, when given, are the graph's, as ``explorer_views`` takes them."""
    weights = dict.fromkeys(graph, 0)
    for subject, obj, *_ in graph.edges() if edges is None else edges:
        weights[subject] += 1
        weights[obj] += 1
    return weights


# sizes in canvas units, which are screen pixels in the fitted first view of a small graph
NODE_SIZES = (7.0, 20.0)
FONT_SIZES = (11.0, 17.0)
EDGE_FONT_SIZE = 6.0
"""Small enough to stay hidden at first view; readable once zoomed in twice."""
INSIDE_SHAPES = ("box", "ellipse")
LABEL_WIDTH = 130.0
"""Widest a label gets before it wraps, in canvas units."""
CHARACTER_WIDTH = 0.58
"""Mean width of a character of the page's sans-serif font, in font sizes (a little over)."""


def _sized(
    nodes: list[dict[str, object]], weights: dict[str, int], *, spread: bool
) -> list[dict[str, object]]:
    """Give each node a size and a label font by its weight, and hide overlapping labels.

    With ``spread``, nodes move apart first to make room for the heaviest labels.
    """
    heaviest = max(weights.values(), default=0) or 1
    labelled = []
    for node in sorted(nodes, key=lambda n: (-weights[str(n["id"])], str(n["id"]))):
        share = math.sqrt(weights[str(node["id"])] / heaviest)
        size = NODE_SIZES[0] + share * (NODE_SIZES[1] - NODE_SIZES[0])
        font = round(FONT_SIZES[0] + share * (FONT_SIZES[1] - FONT_SIZES[0]), 1)
        inside = node["shape"] in INSIDE_SHAPES
        width, lines = _label_extent(str(node["label"]), font, LABEL_WIDTH)
        labelled.append(
            LabelledNode(
                str(node["id"]),
                float(node["x"]),  # type: ignore[arg-type]
                float(node["y"]),  # type: ignore[arg-type]
                size,
                font,
                width,
                lines * font * LINE_HEIGHT + 2,
                inside,
            )
        )
        node["size"] = round(size, 1)
        node["weight"] = weights[str(node["id"])]
        # wrapping costs the browser a measurement per word: only where needed, and at the
        # width estimated here (the browser's narrower font would otherwise fit more words
        # on a line, and the label would spread wider than the room made for it)
        if lines > 1:
            node["widthConstraint"] = {"maximum": math.ceil(width)}
    if spread:
        moved = spread_apart(labelled)
        labelled = [
            replace(node, x=moved[node.node][0], y=moved[node.node][1]) for node in labelled
        ]
        for node in nodes:
            node["x"], node["y"] = moved[str(node["id"])]
    places = place_labels(labelled)
    for node in nodes:
        place = places[str(node["id"])]
        label_font = {"size": place.size}
        if place.raised:
            label_font["vadjust"] = -round(place.raised, 1)
        node["font"] = label_font
    return nodes


def _label_extent(label: str, font: float, maximum: float) -> tuple[float, int]:
    """Estimated width (canvas units) and line count of ``label``, wrapped at ``maximum``.

    The estimate errs on the large side; a label that wraps is given its estimated width
    as its widest (see ``_sized``), so that the browser wraps it into no more lines.
    """
    widths = [len(word) * CHARACTER_WIDTH * font for word in label.split()] or [0.0]
    space = CHARACTER_WIDTH * font
    lines, line, widest = 1, widths[0], widths[0]
    for width in widths[1:]:
        if line + space + width > maximum:
            lines, line = lines + 1, width
        else:
            line += space + width
        widest = max(widest, line)
    return min(widest, maximum) + 4, lines


def _camp_colour(number: int) -> str:
    return CAMP_COLOURS[number - 1] if number <= len(CAMP_COLOURS) else UNLISTED_CAMP_COLOUR


def _node(
    node: str,
    data: dict[str, object],
    position: tuple[float, float],
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
        "color": {
            "background": style["color"],
            "border": NODE_BORDER,
            "highlight": {"background": style["color"], "border": "#000000"},
            "hover": {"background": style["color"], "border": "#000000"},
        },
        "typeColor": style["color"],
        "camp": camp or 0,
        "entityType": entity_type,
        "aliases": list(data.get("aliases", [])),  # type: ignore[call-overload]
        "description": str(data.get("description", "")),
        "wikidata": str(data.get("wikidata", "")),
        "iso3166": str(data.get("iso3166", "")),
    }
    if camp is not None:
        # the page draws the ring around the shape, set off by a white gap and a dark
        # outline, so that it shows on every fill colour
        result["campColor"] = _camp_colour(camp)
    result["x"], result["y"] = position
    return result


def _shorten(label: str, limit: int = 48) -> str:
    """Keep long labels (positions are whole sentences) short on the canvas."""
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


DRAFT_DASHES = [2, 4]
"""Dotted, thin: a statement drafted by ``apg extract`` that nobody has reviewed yet."""
PARALLEL_ROUNDNESS = 0.18
"""Bend of the second statement between two nodes, the third twice as much, and so on."""


def _edge(
    subject: str,
    obj: str,
    key: str,
    data: dict[str, object],
    sources: Mapping[str, str],
    parallel: int = 0,
) -> dict[str, object]:
    """The vis edge of one statement; ``parallel`` counts the statements drawn before it
    between the same two nodes, which it bends away from."""
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
    width = EDGE_WIDTHS.get(relation, DEFAULT_EDGE_WIDTH)
    edge: dict[str, object] = {
        "id": key,
        "from": subject,
        "to": obj,
        "label": RELATION_LABELS.get(relation, relation.replace("_", " ")),
        "title": "\n".join(lines),
        "color": EDGE_STYLES.get(relation, DEFAULT_EDGE_COLOUR),
        "dashes": DRAFT_DASHES if draft else HEDGED_DASHES if hedged else False,
        "width": max(1.0, width - 1) if draft else width,
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
    if parallel:
        bend = "curvedCW" if parallel % 2 else "curvedCCW"
        edge["smooth"] = {"type": bend, "roundness": PARALLEL_ROUNDNESS * ((parallel + 1) // 2)}
    return edge


def _options() -> dict[str, object]:
    """vis-network options: no physics, labels hidden below a size on screen and capped above."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "edges": {
            "font": {"size": EDGE_FONT_SIZE, "align": "middle", "strokeWidth": 3},
            "smooth": False,
            "scaling": {"label": {"drawThreshold": 9, "maxVisible": 14}},
            "arrowStrikethrough": False,
        },
        "nodes": {
            "font": {"face": "arial", "strokeWidth": 3, "strokeColor": "#ffffff"},
            "borderWidth": 1,
            "scaling": {"label": {"drawThreshold": 8, "maxVisible": 24}},
        },
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": True},
    }
