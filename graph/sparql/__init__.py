"""SPARQL over the graph: the Oxigraph store, queries, the endpoint, and pushing to a server.

This part owns the on-disk store (``store``), checking a query on its tokens (``tokens``),
running it where it cannot reach the network (``sandbox``), writing answers within limits
(``results``), queries by name, file or text (``query``), the read-only endpoint and its
worker processes (``serve``, ``workers``) and the Graph Store Protocol client (``push``).

It may import the core (``graph.errors``, ``graph.namespaces``, ``graph.output``, ...) and
nothing of the other parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .query import (
        QueryResult as QueryResult,
        bundled_queries as bundled_queries,
        load_query as load_query,
        run_query as run_query,
        run_remote as run_remote,
    )
    from .store import open_store as open_store

_PUBLIC = {
    ".query": "QueryResult bundled_queries load_query run_query run_remote",
    ".store": "open_store",
}

__all__ = sorted(name for names in _PUBLIC.values() for name in names.split())

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
