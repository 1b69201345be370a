"""The HTML explorer: the part of the graph a reader asks for, its layout, and the page.

This part owns selecting a subgraph (``subgraph``), laying out large graphs beforehand
(``layout``), the page's tables and actor view (``views``, ``templates/tables.html``),
writing the self-contained page with pyvis (``render``, ``templates/``) and carrying that
page into a notebook cell (``inline``).

It may import the core (``graph.errors``, ``graph.ontology``, ...) and nothing of the other
parts: it takes the NetworkX multigraph that ``graph.networks`` projects as an argument.
pyvis and igraph are loaded when a page is rendered, not when this package is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .inline import InlinePage as InlinePage
    from .render import render_html as render_html
    from .subgraph import find_entity as find_entity, select_subgraph as select_subgraph

_PUBLIC = {
    ".inline": "InlinePage",
    ".render": "render_html",
    ".subgraph": "find_entity select_subgraph",
}

__all__ = sorted(name for names in _PUBLIC.values() for name in names.split())

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
