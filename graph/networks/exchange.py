"""Write the analysis networks in the formats network tools read.

For each network of :mod:`graph.networks.discourse`, at the level of actors and of states, and for
the statement multigraph itself: GraphML and GEXF (for Gephi, Cytoscape, yEd, igraph),
node-link JSON (for D3 and ``networkx.node_link_graph``) and a CSV edge list. Every file
is byte-stable: the same graph gives the same bytes in any run.

GraphML and GEXF are written by :mod:`.xmlwriters`, in the bytes NetworkX's own writers give
and much faster; a network those writers do not cover is written by NetworkX. Each format
is written as a :class:`graph.networks.documents.Document` (``each_document_of``): fixed
texts around the nodes and the edges, each element made plain when its text is first
written, so that a build can make a file again from the one before where few elements
changed (see :mod:`graph.networks.kept`).

Attribute values are scalars in every format: a list (the statements behind an edge, the
positions two actors share) is written as its items separated by spaces, which IRIs and
entity ids never contain. ``start`` and ``end`` (a quote's character offsets) are written
as ``quote_start`` and ``quote_end``, because GEXF reads ``start`` and ``end`` as time.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterator
from functools import partial
from json.encoder import encode_basestring
from typing import cast

import networkx as nx

from ..jsontext import indented
from . import xmlwriters
from .discourse import (
    STANCE_RELATIONS,
    Level,
    Shared,
    affiliation_network,
    attribution_network,
    blame_network,
    conflict_network,
    congruence_network,
    relations_read,
    sanctions_network,
)
from .documents import Document, Elements, Run, assemble

__all__ = [
    "FORMATS",
    "NETWORKS",
    "PARTS",
    "each_file_of",
    "each_network",
    "each_network_file",
    "file_names",
    "files_of",
    "flat",
    "network_files",
    "relations_of",
    "stems",
    "to_csv",
    "to_gexf",
    "to_graphml",
    "to_json",
]

NETWORKS: dict[str, Callable[..., nx.Graph]] = {
    "affiliation": affiliation_network,
    "congruence": congruence_network,
    "conflict": conflict_network,
    "blame": blame_network,
    "sanctions": sanctions_network,
    "attribution": attribution_network,
}
_READS: dict[str, frozenset[str]] = {
    "affiliation": STANCE_RELATIONS,
    "congruence": STANCE_RELATIONS,
    "conflict": STANCE_RELATIONS,
    "blame": frozenset({"blames"}),
    "sanctions": frozenset({"sanctions"}),
    "attribution": frozenset({"attributed_to", "denies"}),
}
"""The relations of the statements each of ``NETWORKS`` is made of."""
_RENAMED = {"start": "quote_start", "end": "quote_end"}
_STATEMENTS = "networks/statements"  # the stem of the statement network's files


def flat(network: nx.Graph) -> nx.Graph:
    """Return a copy whose attribute values are all strings, numbers or booleans."""
    result = network.__class__()
    for node, data in network.nodes(data=True):
        result.add_node(node, **_scalars(data))
    if network.is_multigraph():
        for u, v, key, data in network.edges(keys=True, data=True):
            result.add_edge(u, v, key=key, **_scalars(data))
    else:
        for u, v, data in network.edges(data=True):
            result.add_edge(u, v, **_scalars(data))
    return result


def _scalars(data: dict[str, object]) -> dict[str, object]:
    result: dict[str, object] = {}
    for key, value in sorted(data.items()):
        if value is None:
            continue
        if isinstance(value, list | tuple | set | frozenset):
            value = " ".join(str(item) for item in value)
        result[_RENAMED.get(key, key)] = value
    return result


def to_graphml(network: nx.Graph) -> bytes:
    """GraphML, with typed attributes (``weight`` a double, ``hedged`` a boolean)."""
    return _graphml(flat(network))


def to_gexf(network: nx.Graph) -> bytes:
    """GEXF 1.2, without the writing date (so the bytes do not change from day to day)."""
    return _gexf(flat(network))


def to_json(network: nx.Graph) -> bytes:
    """Node-link JSON, as ``networkx.node_link_data`` gives it (edges under ``edges``)."""
    return _json(flat(network))


def to_csv(network: nx.Graph) -> bytes:
    """An edge list: ``source``, ``target``, then every edge attribute, one column each."""
    return _csv(flat(network))


def _graphml(flattened: nx.Graph) -> bytes:
    try:
        return xmlwriters.graphml(flattened)
    except xmlwriters.Unsupported:
        return _networkx_graphml(flattened)


def _gexf(flattened: nx.Graph) -> bytes:
    try:
        return xmlwriters.gexf(flattened)
    except xmlwriters.Unsupported:
        return _networkx_gexf(flattened)


def _networkx_graphml(flattened: nx.Graph) -> bytes:
    """NetworkX's GraphML, for what :mod:`.xmlwriters` does not write (the same bytes)."""
    return ("\n".join(nx.generate_graphml(flattened)) + "\n").encode("utf-8")


def _networkx_gexf(flattened: nx.Graph) -> bytes:
    """NetworkX's GEXF without its writing date, for what :mod:`.xmlwriters` does not write."""
    text = "\n".join(nx.generate_gexf(flattened))
    text = re.sub(r' lastmodifieddate="[^"]*"', "", text, count=1)
    return (text + "\n").encode("utf-8")


def _json(flattened: nx.Graph) -> bytes:
    return assemble(_json_document(Elements(flattened))).data


def _csv(flattened: nx.Graph) -> bytes:
    return assemble(_csv_document(Elements(flattened))).data


def _json_document(elements: Elements) -> Document:
    """Node-link JSON (``networkx.node_link_data`` with edges under ``edges``, indented
    by one space) as a ``Document``: the edges, then the nodes, as the keys sort."""
    marks = {"edges": "\x00edges", "nodes": "\x00nodes"}  # where each list goes
    text = indented(
        {"directed": elements.directed, "multigraph": elements.multigraph, "graph": elements.graph}
        | marks,
        indent=1,
    )
    before, _, rest = text.partition(encode_basestring(marks["edges"]))
    between, _, after = rest.partition(encode_basestring(marks["nodes"]))
    edges, nodes = elements.edge_count, elements.node_count
    opened, closed = "[\n  ", "\n ]"  # a list of items, one level in

    def edge(index: int) -> bytes:
        u, v, key, data = elements.edge(index)
        item = (
            {**data, "source": u, "target": v, "key": key}
            if elements.multigraph
            else {**data, "source": u, "target": v}
        )
        return indented(item, indent=1, depth=2).encode()

    def node(index: int) -> bytes:
        name, data = elements.node(index)
        return indented({**data, "id": name}, indent=1, depth=2).encode()

    fixed = (
        before + (opened if edges else "[]"),
        (closed if edges else "") + between + (opened if nodes else "[]"),
        (closed if nodes else "") + after + "\n",
    )
    return Document(
        (fixed[0].encode(), fixed[1].encode(), fixed[2].encode()),
        (Run(edges, edge, b",\n  "), Run(nodes, node, b",\n  ")),
        kinds=("edge", "node"),
    )


def _csv_document(elements: Elements) -> Document:
    """An edge list (``to_csv``) as a ``Document``: its columns, then a row an edge."""
    columns = sorted({key for *_, data in elements.distinct_edges() for key in data})
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["source", "target", *columns])
    head = out.getvalue().encode("utf-8")

    def row(index: int) -> bytes:
        u, v, _, data = elements.edge(index)
        out.seek(0)
        out.truncate()
        writer.writerow([u, v, *(_cell(data.get(column)) for column in columns)])
        return out.getvalue().encode("utf-8")

    return Document(
        (head, b"", b""), (Run(0, row), Run(elements.edge_count, row)), kinds=("", "edge")
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


FORMATS: dict[str, Callable[[nx.Graph], bytes]] = {
    "graphml": to_graphml,
    "gexf": to_gexf,
    "json": to_json,
    "csv": to_csv,
}


def network_files(statements: nx.MultiDiGraph) -> dict[str, bytes]:
    """Return every network in every format, keyed by file name under ``networks/``.

    ``networks/statements.*`` is the statement multigraph (one edge per statement);
    ``networks/{actor,state}/{affiliation,congruence,conflict,blame,sanctions,attribution}.*``
    are the projections at each level. Each network is flattened once for its four files.
    """
    return dict(each_network_file(statements))


PARTS = ("statements", "actor", "state")
"""The parts of the files of ``network_files``: the statement multigraph, and the
projections at each level."""


def each_network_file(
    statements: nx.MultiDiGraph, parts: Collection[str] = PARTS
) -> Iterator[tuple[str, bytes]]:
    """The files of ``network_files``, each name with its bytes, in the same order, one
    network made at a time: who writes each as it comes holds one network's files, not
    all (about a gigabyte at 100,000 statements).

    ``parts`` (of ``PARTS``) gives only the files of those parts, so that the parts can
    be made by several processes: each part's files are the same either way.
    """
    for stem, make in each_network(statements, parts):
        yield from each_file_of(stem, make())


def each_network(
    statements: nx.MultiDiGraph, parts: Collection[str] = PARTS
) -> Iterator[tuple[str, Callable[[], nx.Graph]]]:
    """The networks of ``network_files`` of ``parts``, in order, each as the stem of its
    files' names (``networks/actor/blame``) and a function that makes it, so that who
    has its files already need not make it."""
    shared = Shared(statements)  # made once for the projections
    for stem in stems(parts):
        if stem == _STATEMENTS:
            yield stem, lambda: statements
            continue
        level, name = _projection(stem)
        yield stem, partial(NETWORKS[name], statements, level, shared=shared)


def stems(parts: Collection[str] = PARTS) -> list[str]:
    """The stems of the networks of ``each_network`` of ``parts``, in its order.

    >>> stems(["statements"])
    ['networks/statements']
    """
    unknown = sorted(set(parts) - set(PARTS))
    if unknown:
        raise ValueError(f"unknown parts {unknown} (known: {', '.join(PARTS)})")
    found = [_STATEMENTS] if "statements" in parts else []
    for level in ("actor", "state"):
        if level in parts:
            found += [f"networks/{level}/{name}" for name in NETWORKS]
    return found


def relations_of(stem: str) -> frozenset[str] | None:
    """The relations of every statement the network ``stem`` of ``each_network`` reads
    (``graph.networks.discourse.relations_read``); None for the statement network, which
    holds them all.

    >>> sorted(relations_of("networks/actor/attribution"))
    ['attributed_to', 'denies']
    """
    if stem == _STATEMENTS:
        return None
    level, name = _projection(stem)
    return relations_read(_READS[name], level)


def _projection(stem: str) -> tuple[Level, str]:
    """The level and the name (of ``NETWORKS``) of the projection ``stem``."""
    head, _, rest = stem.partition("/")
    level, _, name = rest.partition("/")
    if head != "networks" or level not in ("actor", "state") or name not in NETWORKS:
        raise ValueError(f"not a network of each_network: {stem!r}")
    return cast(Level, level), name


def file_names(stem: str) -> list[str]:
    """The names of the files of the network ``stem`` (``networks/actor/blame``), in
    the order ``files_of`` makes them."""
    return [f"{stem}.{extension}" for extension in _DOCUMENTS]


def files_of(stem: str, network: nx.Graph) -> dict[str, bytes]:
    """The files of ``network`` in every format, named ``{stem}.{format}``; the network
    is flattened once for the four."""
    return dict(each_file_of(stem, network))


def each_file_of(stem: str, network: nx.Graph) -> Iterator[tuple[str, bytes]]:
    """The files of ``files_of``, each name with its bytes, one made at a time: who
    writes each as it comes holds one file, not four (the statement network's are
    about 0.2 GiB at 100,000 statements)."""
    for name, made in each_document_of(stem, network):
        yield name, made if isinstance(made, bytes) else assemble(made).data


def each_document_of(stem: str, network: nx.Graph) -> Iterator[tuple[str, Document | bytes]]:
    """The files of ``files_of``, each name with its ``Document`` (see
    :mod:`.documents`), or its bytes where NetworkX writes it. Each element of the
    network is made plain once for the four (as ``flat`` makes it), when first written."""
    elements = Elements(network, _scalars, graph_attributes=False)
    for name, document in zip(file_names(stem), _DOCUMENTS.values(), strict=True):
        try:
            yield name, document(elements)
        except xmlwriters.Unsupported:
            yield name, _NETWORKX[name.rpartition(".")[2]](flat(network))


_DOCUMENTS: dict[str, Callable[[Elements], Document]] = {
    "graphml": xmlwriters.graphml_document,
    "gexf": xmlwriters.gexf_document,
    "json": _json_document,
    "csv": _csv_document,
}
_NETWORKX: dict[str, Callable[[nx.Graph], bytes]] = {
    "graphml": _networkx_graphml,
    "gexf": _networkx_gexf,
}
