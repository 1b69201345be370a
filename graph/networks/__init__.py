"""The graph as networks: the NetworkX projection, discourse networks, camps, and exchange.

This part owns the statement multigraph projected from RDF or from a corpus's records
(``projection``), the networks of discourse network analysis with roll-up to states and
time windows (``discourse``), camps, polarisation and rankings (``analysis``), the files
network tools read (``exchange``), and those files and the page's drawing kept from one
build for the next (``kept``).

It may import the core (``graph.namespaces``, ``graph.ontology``, ...) and nothing of the
other parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .analysis import (
        Analysis as Analysis,
        Camp as Camp,
        analyse as analyse,
        camp_members as camp_members,
    )
    from .discourse import (
        affiliation_network as affiliation_network,
        attribution_network as attribution_network,
        blame_network as blame_network,
        calendar_windows as calendar_windows,
        conflict_network as conflict_network,
        congruence_network as congruence_network,
        sanctions_network as sanctions_network,
        speakers as speakers,
        time_windows as time_windows,
    )
    from .exchange import network_files as network_files
    from .projection import corpus_network as corpus_network, to_networkx as to_networkx

_PUBLIC = {
    ".analysis": "Analysis Camp analyse camp_members",
    ".discourse": "affiliation_network attribution_network blame_network calendar_windows"
    " conflict_network congruence_network sanctions_network speakers time_windows",
    ".exchange": "network_files",
    ".projection": "corpus_network to_networkx",
}

__all__ = sorted(name for names in _PUBLIC.values() for name in names.split())

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
