"""Each source as a build read it, kept for the next build.

Reading a corpus is mostly parsing each annotation file (YAML, checked item by item) and
locating each quote in its text: about 3 s of CPU at 30,000 statements, every build, for
sources that did not change. A build keeps in ``OUT/.cache/sources/``, for each
annotation file (by its path and the code), what it read: the source, its entities, and
its statements, each with the entity ids as written and its quote located, under the
SHA-256 of the file and of its text (``graph.annotations.source_digest``). The next
build reads both files, to know that they did not change, but parses neither: it takes
the entry and maps the ids to the corpus's canonical ids, as a fresh read would. A
source whose entry is missing, damaged or of other files is read afresh; so is one
whose statements name an entity that no source declares any more, so that it raises
the error a fresh read raises.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Sequence
from dataclasses import astuple, fields
from pathlib import Path
from typing import Any

from .annotations import Annotation, read_source_files, source_digest
from .buildcache import EntryFolder, code_digest
from .corpus import Entity, Source, Statement
from .evidence import Evidence

__all__ = ["KeptSources"]

_FORMAT = "apg kept source 1"
_SOURCE_FILES = frozenset({"annotation_path", "text_path", "text", "digest"})


class KeptSources:
    """The sources kept in ``folder``, as ``load_corpus`` asks for them
    (``graph.annotations.SourcesKept``): taken by ``take``; ``keep`` holds what was read
    afresh until ``save`` writes it (a first build that fails writes nothing), and
    ``keep_only_used`` removes the entries of sources no longer read. ``read_only``
    ones, for the commands that read a build's cache, keep nothing."""

    def __init__(self, folder: Path, *, read_only: bool = False) -> None:
        self._entries = EntryFolder(folder)
        self._read_only = read_only
        self._new: dict[str, dict[str, Any]] = {}
        self._used: set[str] = set()

    def take(self, path: Path, data_dir: Path) -> tuple[Annotation, list[Statement]] | None:
        """The source of the annotation file ``path`` as kept, if its file and text are
        those read then (read now from ``data_dir`` as ``load_corpus`` reads them)."""
        key = _key(path)
        self._used.add(key)
        content = self._entries.read(key)
        if not isinstance(content, dict) or not isinstance(content.get("text"), str):
            return None
        found = read_source_files(path, content["text"], data_dir)
        if found is None or source_digest(*found) != content.get("digest"):
            return None
        try:
            return _decoded(path, content, found[1])
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def keep(self, path: Path, annotation: Annotation, statements: Sequence[Statement]) -> None:
        """Keep the source of ``path`` as read: ``annotation`` and its statements, the
        entities named as written."""
        if self._read_only:
            return
        key = _key(path)
        self._used.add(key)
        self._new[key] = _encoded(annotation, statements)

    def save(self) -> None:
        """Write the entries of the sources read afresh."""
        for key, content in self._new.items():
            self._entries.write(key, content)
        self._new.clear()

    def keep_only_used(self) -> None:
        """Remove the entries of annotation files neither taken nor read since made."""
        self._entries.keep_only(self._used)


def _key(path: Path) -> str:
    text = f"{_FORMAT}\n{code_digest()}\n{os.path.realpath(path)}"
    return hashlib.sha256(text.encode()).hexdigest()


def _encoded(annotation: Annotation, statements: Sequence[Statement]) -> dict[str, Any]:
    source = annotation.source
    described = {
        f.name: _plain(getattr(source, f.name))
        for f in fields(Source)
        if f.name not in _SOURCE_FILES
    }
    return {
        "digest": source.digest,
        "text": source.text_path.relative_to(source.annotation_path.parent).as_posix(),
        "source": described,
        "entities": [
            {f.name: _plain(getattr(entity, f.name)) for f in fields(Entity)}
            for entity in annotation.entities
        ],
        "entity_items": dict(annotation.entity_items),
        "statements": [_statement_fields(statement) for statement in statements],
    }


def _statement_fields(statement: Statement) -> list[Any]:
    values = []
    for f in fields(Statement):
        value = getattr(statement, f.name)
        if isinstance(value, Evidence):  # its fields in the order Evidence(*...) takes them
            value = list(astuple(value))
        values.append(value)
    return values


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _tuples(described: dict[str, Any]) -> dict[str, Any]:
    return {name: tuple(v) if isinstance(v, list) else v for name, v in described.items()}


def _decoded(path: Path, content: dict[str, Any], text: str) -> tuple[Annotation, list[Statement]]:
    described = dict(content["source"])
    described["date"] = dt.date.fromisoformat(described["date"])
    described["authors"] = tuple(described["authors"])
    source = Source(
        annotation_path=path,
        text_path=path.parent / content["text"],
        text=text,
        digest=content["digest"],
        **described,
    )
    entities = tuple(Entity(**_tuples(entity)) for entity in content["entities"])
    # each statement's fields in their order (``_statement_fields``): made by position,
    # which takes half the time of naming each field (set otherwise than by
    # ``__init__``, their attributes would be slower to read, in every stage after)
    names = [f.name for f in fields(Statement)]
    at, named = names.index("evidence"), names.index("id")
    statements = []
    for values in content["statements"]:
        if not isinstance(values, list) or len(values) != len(names):
            raise ValueError("a statement of other fields")
        evidence = values[at] = Evidence(*values[at])
        if text[evidence.start : evidence.end] != evidence.exact:  # never a quote misplaced
            raise ValueError(f"the quote of statement {values[named]!r} is not at its offsets")
        statements.append(Statement(*values))
    annotation = Annotation(source, entities, (), dict(content["entity_items"]))
    return annotation, statements
