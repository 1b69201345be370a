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

__all__ = ["Unsupported", "gexf", "graphml"]


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


def _document(parts: list[str]) -> bytes:
    """The bytes of a document: US-ASCII with character references, as ElementTree writes
    it, then split into lines and joined again as ``exchange`` joined NetworkX's lines."""
    text = "".join(parts).encode("ascii", "xmlcharrefreplace").decode("ascii")
    return ("\n".join(text.splitlines()) + "\n").encode("ascii")


def _xml_type(name: object, value: object) -> str:
    try:
        return _XML_TYPES[type(value)]
    except KeyError:
        raise Unsupported(f"attribute {name!r} is a {type(value).__name__}") from None


def _no_graph_attributes(network: nx.Graph) -> None:
    if network.graph:
        raise Unsupported(f"graph attributes {sorted(network.graph)}")


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
    _no_graph_attributes(network)
    keys: dict[tuple[str, str, str], str] = {}  # (name, type, scope) -> key id
    key_lines: list[str] = []

    def data(scope: str, attributes: dict[str, object]) -> list[str]:
        lines = []
        for name, value in attributes.items():
            name = str(name)
            key = (name, _xml_type(name, value), scope)
            if key not in keys:
                keys[key] = f"d{len(keys)}"
                key_lines.append(
                    f'  <key id="{keys[key]}" for="{scope}" attr.name="{_attribute(name)}"'
                    f' attr.type="{key[1]}" />\n'
                )
            text = str(value)
            if text:
                lines.append(f'      <data key="{keys[key]}">{_text(text)}</data>\n')
            else:
                lines.append(f'      <data key="{keys[key]}" />\n')
        return lines

    body: list[str] = []

    def element(opening: str, tag: str, attributes: dict[str, object], scope: str) -> None:
        lines = data(scope, attributes)
        if lines:
            body.append(f"{opening}>\n")
            body.extend(lines)
            body.append(f"    </{tag}>\n")
        else:
            body.append(f"{opening} />\n")

    ids: dict[object, str] = {}  # node -> its escaped id
    for node, attributes in network.nodes(data=True):
        ids[node] = _attribute(str(node))
        element(f'    <node id="{ids[node]}"', "node", attributes, "node")
    if network.is_multigraph():
        for u, v, key, attributes in network.edges(keys=True, data=True):
            opening = f'    <edge source="{ids[u]}" target="{ids[v]}" id="{_attribute(str(key))}"'
            element(opening, "edge", attributes, "edge")
    else:
        for u, v, attributes in network.edges(data=True):
            opening = f'    <edge source="{ids[u]}" target="{ids[v]}"'
            element(opening, "edge", attributes, "edge")

    edgedefault = "directed" if network.is_directed() else "undirected"
    if body:
        graph = [f'  <graph edgedefault="{edgedefault}">\n', *body, "  </graph>\n"]
    else:
        graph = [f'  <graph edgedefault="{edgedefault}" />\n']
    return _document([_GRAPHML_ROOT, *reversed(key_lines), *graph, "</graphml>\n"])


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
    _no_graph_attributes(network)
    attribute_ids = itertools.count()
    declared: dict[str, dict[str, str]] = {"node": {}, "edge": {}}  # class -> title -> id
    declarations: dict[str, list[str]] = {"node": [], "edge": []}

    def attvalues(kind: str, attributes: dict[str, object], on_element: frozenset[str]) -> str:
        lines = []
        for name, value in attributes.items():
            if name in on_element:
                continue
            title = "networkx_key" if name == "key" else str(name)
            xml_type = _xml_type(name, value)
            if title not in declared[kind]:
                declared[kind][title] = str(next(attribute_ids))
                declarations[kind].append(
                    f'      <attribute id="{declared[kind][title]}" title="{_attribute(title)}"'
                    f' type="{xml_type}" />\n'
                )
            lines.append(
                f'          <attvalue for="{declared[kind][title]}"'
                f' value="{_attribute(_gexf_value(value))}" />\n'
            )
        if not lines:
            return ""
        return "".join(["        <attvalues>\n", *lines, "        </attvalues>\n"])

    nodes: list[str] = []
    ids: dict[object, str] = {}  # node -> its escaped GEXF id
    for node, attributes in network.nodes(data=True):
        if not _NODE_SPECIAL.isdisjoint(attributes):
            raise Unsupported(f"node {node!r} has {sorted(_NODE_SPECIAL & set(attributes))}")
        ids[node] = _attribute(str(attributes.get("id", node)))
        opening = (
            f'      <node id="{ids[node]}" label="{_attribute(str(attributes.get("label", node)))}"'
        )
        if "pid" in attributes:
            opening += f' pid="{_attribute(str(attributes["pid"]))}"'
        nodes.append(_element(opening, "node", attvalues("node", attributes, _NODE_ON_ELEMENT)))

    edges: list[str] = []
    explicit = {str(d["id"]) for *_, d in network.edges(data=True) if d.get("id") is not None}
    numbers = (str(n) for n in itertools.count() if str(n) not in explicit)
    if network.is_multigraph():
        triples = (
            (u, v, {**d, "key": key}) for u, v, key, d in network.edges(keys=True, data=True)
        )
    else:
        triples = ((u, v, d) for u, v, d in network.edges(data=True))
    for u, v, attributes in triples:
        if not _EDGE_SPECIAL.isdisjoint(attributes):
            raise Unsupported(f"edge {u!r}-{v!r} has {sorted(_EDGE_SPECIAL & set(attributes))}")
        edge_id = attributes.get("id")
        opening = (
            f'      <edge source="{ids[u]}" target="{ids[v]}"'
            f' id="{_attribute(next(numbers) if edge_id is None else str(edge_id))}"'
        )
        for name in ("label", "weight", "type"):
            if name in attributes:
                opening += f' {name}="{_attribute(str(attributes[name]))}"'
        edges.append(_element(opening, "edge", attvalues("edge", attributes, _EDGE_ON_ELEMENT)))

    edgetype = "directed" if network.is_directed() else "undirected"
    parts = [
        _GEXF_ROOT,
        "  <meta>\n",
        f"    <creator>{_text(f'NetworkX {nx.__version__}')}</creator>\n",
        "  </meta>\n",
        f'  <graph defaultedgetype="{edgetype}" mode="static" name="">\n',
    ]
    for kind in ("edge", "node"):  # each new <attributes> went before the others
        if declarations[kind]:
            parts.append(f'    <attributes mode="static" class="{kind}">\n')
            parts.extend(declarations[kind])
            parts.append("    </attributes>\n")
    for tag, elements in (("nodes", nodes), ("edges", edges)):
        if elements:
            parts.extend([f"    <{tag}>\n", *elements, f"    </{tag}>\n"])
        else:
            parts.append(f"    <{tag} />\n")
    parts.extend(["  </graph>\n", "</gexf>\n"])
    return _document(parts)


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
