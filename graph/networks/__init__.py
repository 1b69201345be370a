"""The graph as networks: the NetworkX projection, discourse networks, camps, and exchange.

This part owns the statement multigraph projected from RDF (``projection``), the networks of
discourse network analysis with roll-up to states and time windows (``discourse``), camps,
polarisation and rankings (``analysis``) and the files network tools read (``exchange``).

It may import the core (``graph.namespaces``, ``graph.ontology``, ...) and nothing of the
other parts.
"""

from .analysis import Analysis, Camp, analyse
from .discourse import (
    affiliation_network,
    attribution_network,
    blame_network,
    calendar_windows,
    conflict_network,
    congruence_network,
    speakers,
    time_windows,
)
from .exchange import network_files
from .projection import to_networkx

__all__ = [
    "Analysis",
    "Camp",
    "affiliation_network",
    "analyse",
    "attribution_network",
    "blame_network",
    "calendar_windows",
    "conflict_network",
    "congruence_network",
    "network_files",
    "speakers",
    "time_windows",
    "to_networkx",
]
