"""GraphML and GEXF written as text, in the very bytes NetworkX's writers give.

:mod:`graph.networks.exchange` wrote both formats with ``networkx.generate_graphml`` and
``networkx.generate_gexf``, which build an ElementTree of the whole network and serialise it
element by element; on a large corpus that cost most of the time spent writing networks.
:func:`graphml` and :func:`gexf` write the same documents with string joins instead, and
give the same bytes as those writers did under ``exchange``'s post-processing: the lines
joined with ``\\n`` and a final ``\\n``, UTF-8, and for GEXF no ``lastmodifieddate`` (so the
bytes do not change from day to day). What they reproduce, byte for byte:

- NetworkX's documents: GraphML with one ``<key>`` per attribute name, value type and scope
  (ids ``d0``, ``d1``, ... in order of first use, each new key inserted before the others,
  so they appear newest first), multigraph edge keys as edge ``id``; GEXF 1.2draft with one
  ``<attribute>`` per title and class (typed by the first value seen), its ``<attributes>``
  of edges before those of nodes, a node's ``id``, ``label`` and ``pid`` and an edge's
  ``id``, ``label``, ``weight`` and ``type`` written on the element, other edge ids
  numbered from 0 past the explicit ones, a multigraph key and an attribute named ``key``
  written as ``networkx_key``, booleans as ``true``/``false``, infinities and NaN as
  ``INF``, ``-INF`` and ``NaN``;
- ElementTree's serialisation: its indentation (``indent``), ``<tag />`` for an element
  with neither text nor children, its escaping (``& < >`` in text; ``& < > "`` and
  carriage return, line feed and tab as ``&#13;``, ``&#10;``, ``&#09;`` in attribute
  values) and its US-ASCII output (any other character as a decimal reference such as
  ``&#233;``);
- the line splitting of ``generate_*``: ``str.splitlines`` also breaks at ``\\r``,
  ``\\r\\n``, ``\\x0b``, ``\\x0c`` and ``\\x1c``-``\\x1e`` that ElementTree leaves in text,
  and joining the lines with ``\\n`` turns each of those breaks into a line feed.

They write what :func:`graph.networks.exchange.flat` gives: no graph attributes, attribute
values of type ``str``, ``int``, ``float`` or ``bool``. For anything else (a graph
attribute, a value of another type, a GEXF attribute that NetworkX reads as time, spells,
parents or visualisation: ``start``, ``end``, ``spells``, ``parents``, ``viz``) they raise
:class:`Unsupported`, and ``exchange`` writes that network with NetworkX itself, so the
bytes, or NetworkX's error, stay what they were.
"""

from __future__ import annotations

import itertools
import re

import networkx as nx

from .documents import Document, Elements, Run, assemble

__all__ = ["Unsupported", "gexf", "gexf_document", "graphml", "graphml_document"]


class Unsupported(Exception):
    """The network holds something these writers do not reproduce; write it with NetworkX."""


_XML_TYPES: dict[type, str] = {str: "string", int: "long", float: "double", bool: "boolean"}
"""The type NetworkX's GraphML and GEXF writers both declare for a value of each type."""

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
    | {"\r": "&#13;", "\n": "&#10;", "\t": "&#09;"}
)
_TEXT_SPECIAL = re.compile("[&<>]").search
_ATTRIBUTE_SPECIAL = re.compile('[&<>"\r\n\t]').search


def _text(value: str) -> str:
    """Element text escaped as ElementTree escapes it."""
    return value.translate(_TEXT) if _TEXT_SPECIAL(value) else value


def _attribute(value: str) -> str:
    """An attribute value escaped as ElementTree escapes it (quotes added by the caller)."""
    return value.translate(_ATTRIBUTE) if _ATTRIBUTE_SPECIAL(value) else value


def _chunk(text: str) -> bytes:
    """The bytes of a piece of a document that ends a line (or is empty): US-ASCII with
    character references, as ElementTree writes it, then split into lines and joined
    again as ``exchange`` joined NetworkX's lines. The pieces' bytes, joined, are those
    of the whole document so made, since no line break spans two pieces."""
    data = text.encode("ascii", "xmlcharrefreplace")
    if _BREAKS(data) is None:
        return data
    return ("\n".join(data.decode("ascii").splitlines()) + "\n").encode("ascii")


_BREAKS = re.compile(b"[\r\x0b\x0c\x1c\x1d\x1e]").search
"""What ``str.splitlines`` breaks at besides a line feed, in US-ASCII."""


def _xml_type(name: object, value: object) -> str:
    try:
        return _XML_TYPES[type(value)]
    except KeyError:
        raise Unsupported(f"attribute {name!r} is a {type(value).__name__}") from None


def _no_graph_attributes(elements: Elements) -> None:
    if elements.graph:
        raise Unsupported(f"graph attributes {sorted(elements.graph)}")


# GraphML ---------------------------------------------------------------------------------

_GRAPHML_ROOT = (
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
    ' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
)


def graphml(network: nx.Graph) -> bytes:
    """The GraphML of ``network``, as ``"\\n".join(nx.generate_graphml(network)) + "\\n"``
    in UTF-8; :class:`Unsupported` for what this writer does not reproduce."""
    return assemble(graphml_document(Elements(network))).data


def graphml_document(elements: Elements) -> Document:
    """The GraphML of ``elements`` as a ``Document``: its keys declared from the kinds
    of attributes (``Elements.distinct_nodes``), each element's text made when asked."""
    _no_graph_attributes(elements)
    keys: dict[tuple[str, str, str], str] = {}  # (name, type, scope) -> key id
    key_lines: list[str] = []
    for scope, kinds in (
        ("node", [data for _, data in elements.distinct_nodes()]),
        ("edge", [data for *_, data in elements.distinct_edges()]),
    ):
        for attributes in kinds:
            for name, value in attributes.items():
                key = (str(name), _xml_type(name, value), scope)
                if key not in keys:
                    keys[key] = f"d{len(keys)}"
                    key_lines.append(
                        f'  <key id="{keys[key]}" for="{scope}" attr.name="{_attribute(key[0])}"'
                        f' attr.type="{key[1]}" />\n'
                    )

    def element(opening: str, tag: str, attributes: dict[str, object], scope: str) -> bytes:
        lines = []
        for name, value in attributes.items():
            key = keys[str(name), _XML_TYPES[type(value)], scope]
            text = str(value)
            if text:
                lines.append(f'      <data key="{key}">{_text(text)}</data>\n')
            else:
                lines.append(f'      <data key="{key}" />\n')
        if lines:
            return _chunk("".join([f"{opening}>\n", *lines, f"    </{tag}>\n"]))
        return _chunk(f"{opening} />\n")

    def node(index: int) -> bytes:
        name, attributes = elements.node(index)
        return element(f'    <node id="{_attribute(str(name))}"', "node", attributes, "node")

    def edge(index: int) -> bytes:
        u, v, key, attributes = elements.edge(index)
        opening = f'    <edge source="{_attribute(str(u))}" target="{_attribute(str(v))}"'
        if elements.multigraph:
            opening += f' id="{_attribute(str(key))}"'
        return element(opening, "edge", attributes, "edge")

    edgedefault = "directed" if elements.directed else "undirected"
    head = [_GRAPHML_ROOT, *reversed(key_lines)]
    if elements.node_count or elements.edge_count:
        head.append(f'  <graph edgedefault="{edgedefault}">\n')
        tail = "  </graph>\n</graphml>\n"
    else:
        head.append(f'  <graph edgedefault="{edgedefault}" />\n')
        tail = "</graphml>\n"
    return Document(
        (_chunk("".join(head)), b"", _chunk(tail)),
        (Run(elements.node_count, node), Run(elements.edge_count, edge)),
    )


# GEXF ------------------------------------------------------------------------------------

_GEXF_ROOT = (
    '<gexf xmlns="http://www.gexf.net/1.2draft"'
    ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
    ' xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd"'
    ' version="1.2">\n'
)
_NODE_SPECIAL = frozenset({"start", "end", "spells", "parents", "viz"})
_EDGE_SPECIAL = frozenset({"start", "end", "spells", "viz"})
"""Names NetworkX's GEXF writer reads as time, spells, parents or visualisation."""
_NODE_ON_ELEMENT = frozenset({"id", "label", "pid"})
_EDGE_ON_ELEMENT = frozenset({"id", "label", "weight", "type"})
_FLOAT_NAMES = {"inf": "INF", "-inf": "-INF", "nan": "NaN"}


def gexf(network: nx.Graph) -> bytes:
    """The GEXF of ``network``, as ``"\\n".join(nx.generate_gexf(network)) + "\\n"`` in
    UTF-8 without ``lastmodifieddate``; :class:`Unsupported` for what this writer does not
    reproduce."""
    return assemble(gexf_document(Elements(network))).data


def gexf_document(elements: Elements) -> Document:
    """The GEXF of ``elements`` as a ``Document``: its attributes declared from the
    kinds of attributes (``Elements.distinct_nodes``), each element's text made when
    asked. An edge's text holds its number among the edges: it is copied only to the
    same place; and where a node's id or an edge's is an attribute of its own, an
    element's text depends on others: the document is not spliceable."""
    _no_graph_attributes(elements)
    attribute_ids = itertools.count()
    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}  # class -> title -> id
    declarations: dict[str, list[str]] = {"node": [], "edge": []}

    def declare(kind: str, attributes: dict[str, object], on_element: frozenset[str]) -> None:
        for name, value in attributes.items():
            if name in on_element:
                continue
            title = _title(name)
            xml_type = _xml_type(name, value)
            if title not in declared[kind]:
                declared[kind][title] = str(next(attribute_ids))
                declarations[kind].append(
                    f'      <attribute id="{declared[kind][title]}" title="{_attribute(title)}"'
                    f' type="{xml_type}" />\n'
                )

    def attvalues(kind: str, attributes: dict[str, object], on_element: frozenset[str]) -> str:
        titles = declared[kind]
        lines = [
            f'          <attvalue for="{titles[_title(name)]}"'
            f' value="{_attribute(_gexf_value(value))}" />\n'
            for name, value in attributes.items()
            if name not in on_element
        ]
        if not lines:
            return ""
        return "".join(["        <attvalues>\n", *lines, "        </attvalues>\n"])

    node_ids = False  # whether a node's GEXF id is an attribute of its own
    for name, attributes in elements.distinct_nodes():
        if not _NODE_SPECIAL.isdisjoint(attributes):
            raise Unsupported(f"node {name!r} has {sorted(_NODE_SPECIAL & set(attributes))}")
        node_ids = node_ids or "id" in attributes
        declare("node", attributes, _NODE_ON_ELEMENT)
    edge_ids = False  # whether an edge's id is an attribute of its own
    for u, v, key, attributes in elements.distinct_edges():
        if elements.multigraph:
            attributes = {**attributes, "key": key}
        if not _EDGE_SPECIAL.isdisjoint(attributes):
            raise Unsupported(f"edge {u!r}-{v!r} has {sorted(_EDGE_SPECIAL & set(attributes))}")
        edge_ids = edge_ids or "id" in attributes
        declare("edge", attributes, _EDGE_ON_ELEMENT)

    def gexf_id(node: object, attributes: dict[str, object]) -> str:
        return _attribute(str(attributes.get("id", node)))

    ids = (
        {node: gexf_id(node, attributes) for node, attributes in elements.nodes()}
        if node_ids
        else None
    )
    numbers: list[str] | None = None  # each edge's id, where some edges name theirs
    if edge_ids:
        explicit = {str(d["id"]) for *_, d in elements.edges() if d.get("id") is not None}
        free = (str(n) for n in itertools.count() if str(n) not in explicit)
        numbers = [
            next(free) if d.get("id") is None else str(d["id"]) for *_, d in elements.edges()
        ]

    def node(index: int) -> bytes:
        name, attributes = elements.node(index)
        opening = (
            f'      <node id="{gexf_id(name, attributes)}"'
            f' label="{_attribute(str(attributes.get("label", name)))}"'
        )
        if "pid" in attributes:
            opening += f' pid="{_attribute(str(attributes["pid"]))}"'
        return _chunk(_element(opening, "node", attvalues("node", attributes, _NODE_ON_ELEMENT)))

    def edge(index: int) -> bytes:
        u, v, key, attributes = elements.edge(index)
        if elements.multigraph:
            attributes = {**attributes, "key": key}
        source = ids[u] if ids is not None else _attribute(str(u))
        target = ids[v] if ids is not None else _attribute(str(v))
        number = str(index) if numbers is None else numbers[index]
        opening = f'      <edge source="{source}" target="{target}" id="{_attribute(number)}"'
        for name in ("label", "weight", "type"):
            if name in attributes:
                opening += f' {name}="{_attribute(str(attributes[name]))}"'
        return _chunk(_element(opening, "edge", attvalues("edge", attributes, _EDGE_ON_ELEMENT)))

    edgetype = "directed" if elements.directed else "undirected"
    head = [
        _GEXF_ROOT,
        "  <meta>\n",
        f"    <creator>{_text(f'NetworkX {nx.__version__}')}</creator>\n",
        "  </meta>\n",
        f'  <graph defaultedgetype="{edgetype}" mode="static" name="">\n',
    ]
    for kind in ("edge", "node"):  # each new <attributes> went before the others
        if declarations[kind]:
            head.append(f'    <attributes mode="static" class="{kind}">\n')
            head.extend(declarations[kind])
            head.append("    </attributes>\n")
    nodes, edges = elements.node_count, elements.edge_count
    head.append("    <nodes>\n" if nodes else "    <nodes />\n")
    between = ("    </nodes>\n" if nodes else "") + (
        "    <edges>\n" if edges else "    <edges />\n"
    )
    tail = ("    </edges>\n" if edges else "") + "  </graph>\n</gexf>\n"
    return Document(
        (_chunk("".join(head)), _chunk(between), _chunk(tail)),
        (Run(nodes, node), Run(edges, edge, moves=True)),
        spliceable=not (node_ids or edge_ids),
    )


def _title(name: object) -> str:
    """The title of GEXF's ``<attribute>`` for an attribute named ``name``: a
    multigraph's edge key (``key``) is ``networkx_key``, as NetworkX names it."""
    return "networkx_key" if name == "key" else str(name)


def _element(opening: str, tag: str, children: str) -> str:
    """A node or edge of GEXF: its opening, then its ``<attvalues>`` if it has any."""
    if children:
        return f"{opening}>\n{children}      </{tag}>\n"
    return f"{opening} />\n"


def _gexf_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if type(value) is float:
        return _FLOAT_NAMES.get(text, text)
    return text
