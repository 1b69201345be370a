"""Find the project's data folders: the ontology, the bundled queries and the gazetteer."""

from __future__ import annotations

from pathlib import Path

__all__ = ["resource_dir"]

PACKAGE = Path(__file__).resolve().parent


def resource_dir(name: str, marker: str) -> Path:
    """Return the folder ``name`` (``ontology``, ``queries``, ``gazetteer``) holding ``marker``.

    A wheel ships it inside the package as ``_name``; a source checkout keeps it at the top
    level, beside the package.
    """
    packaged = PACKAGE / f"_{name}"
    if (packaged / marker).exists():
        return packaged
    return PACKAGE.parent / name
