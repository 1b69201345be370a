"""The store's folder name, the answer formats and the endpoint's limits, by default.

Kept apart from the modules that use them so that the command line can show them without
loading the SPARQL engine.
"""

from __future__ import annotations

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_TIMEOUT",
    "FORMATS",
    "STORE_DIR",
]

STORE_DIR = "store"
"""The store's folder in a build."""

FORMATS = ("table", "csv", "tsv", "json", "xml")
"""The formats ``apg query`` prints answers in."""

DEFAULT_TIMEOUT = 10.0
"""Seconds a query may run on the endpoint, writing its answer included."""

DEFAULT_MAX_ROWS = 10_000
"""Rows an answer of the endpoint may hold."""

DEFAULT_MAX_BYTES = 20_000_000
"""Bytes an answer of the endpoint may take."""
