"""SPARQL over the graph: the Oxigraph store, queries, the endpoint, and pushing to a server.

This part owns the on-disk store (``store``), checking a query on its tokens (``tokens``),
running it where it cannot reach the network (``sandbox``), writing answers within limits
(``results``), queries by name, file or text (``query``), the read-only endpoint and its
worker processes (``serve``, ``workers``) and the Graph Store Protocol client (``push``).

It may import the core (``graph.errors``, ``graph.namespaces``, ``graph.output``, ...) and
nothing of the other parts.
"""

from .query import QueryResult, bundled_queries, load_query, run_query, run_remote
from .store import open_store

__all__ = [
    "QueryResult",
    "bundled_queries",
    "load_query",
    "open_store",
    "run_query",
    "run_remote",
]
