"""Review and code annotations in the browser: ``apg review``.

This part owns the file editor that ``apg review`` writes through (``annotation_file``):
it finds each entity's and statement's lines (``layout``), rewrites one item through a
round-trip YAML parser (``items``) and checks it with the loader's own rules. On top of
it: the web app that shows a source's text and statements (``app``, Flask), running it on
this machine (``server``, waitress) and finding the source a user names (``sources``).

It may import the core (``graph.annotations``, ``graph.corpus``, ...) and nothing of the
other parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .annotation_file import AnnotationFile as AnnotationFile, EditRefused as EditRefused
    from .app import KnownName as KnownName, create_app as create_app, new_token as new_token
    from .server import (
        ReviewError as ReviewError,
        review_address as review_address,
        serve_review as serve_review,
    )
    from .sources import source_folder as source_folder

_PUBLIC = {
    ".annotation_file": "AnnotationFile EditRefused",
    ".app": "KnownName create_app new_token",
    ".server": "ReviewError review_address serve_review",
    ".sources": "source_folder",
}

__all__ = sorted(name for names in _PUBLIC.values() for name in names.split())

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
