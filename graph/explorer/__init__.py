"""The HTML explorer: the part of the graph a reader asks for, its layout, and the page.

This part owns selecting a subgraph (``subgraph``), laying out large graphs beforehand
(``layout``) and writing the self-contained page with pyvis (``render``, ``templates/``).

It may import the core (``graph.errors``, ``graph.ontology``, ...) and nothing of the other
parts: it takes the NetworkX multigraph that ``graph.networks`` projects as an argument.
pyvis and igraph are loaded when a page is rendered, not when this package is imported.
"""

from .render import render_html
from .subgraph import find_entity, select_subgraph

__all__ = ["find_entity", "render_html", "select_subgraph"]
