"""Load annotated sources (article text plus ``annotation.yaml``) and check them."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import Any, Protocol, cast

from .corpus import (
    MODALITIES,
    Corpus,
    Entity,
    Source,
    Statement,
)
from .errors import AnnotationError, shown
from .evidence import QuoteError, QuoteIndex, locate_quote
from .forked import cpus, even_runs, run_all
from .hashing import parts_digest
from .inputs import (
    RefusedFile,
    character_name,
    illegal_character,
    line_and_column,
    parse_yaml,
    read_inside,
    read_yaml_text,
    reference_problem,
)
from .merging import Declaration, find_ambiguities, merge_declarations
from .ontology import vocabulary

__all__ = [
    "ANNOTATION_FILE",
    "ID_PATTERN",
    "MAX_TEXT_BYTES",
    "SOURCE_KEYS",
    "Annotation",
    "SourcesKept",
    "annotation_paths",
    "check_annotation",
    "check_entity",
    "check_source",
    "check_statement",
    "coder_files",
    "coder_name",
    "load_annotation",
    "load_corpus",
    "load_source",
    "read_source_digest",
    "read_source_files",
    "source_digest",
]

ANNOTATION_FILE = "annotation.yaml"
MAX_TEXT_BYTES = 10 * 1024 * 1024
"""The largest source text read."""
# a number longer than this is no label: Python refuses to write one of 4,300 digits
_MAX_NUMBER_BITS = 256

# Every pattern is anchored with \A and \Z, not ^ and $: '$' also matches before a final
# newline, and "russia\n" is no id (it breaks the IRI made of it).
ID_PATTERN = re.compile(r"\A[a-z0-9]+(?:-[a-z0-9]+)*\Z")
"""An id of a source, entity or statement: lower-case words joined by '-'."""
_ID = ID_PATTERN
_WIKIDATA = re.compile(r"\AQ[1-9][0-9]*\Z")
_ISO3166 = re.compile(r"\A[A-Z]{2}\Z")
_WHEN = re.compile(r"\A[0-9]{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12][0-9]|3[01]))?)?\Z")
# http(s); or file: for a draft of a text that came from a file and has no address yet
_URL = re.compile(r"\A(?:https?://\S+|file:///\S+)\Z")

SOURCE_KEYS = frozenset({
    "id", "text", "title", "url", "date", "site", "publisher",
    "original_title", "original_url", "author", "language",
})  # fmt: skip
"""The fields of an annotation's ``source``."""
# ``reviewed`` and ``confidence`` mark items of a draft that ``apg extract`` proposed
_DRAFT_KEYS = {"reviewed", "confidence"}
_ENTITY_KEYS = {
    "id", "type", "label", "aliases", "description", "wikidata", "iso3166", "same_as",
    "coded_by", *_DRAFT_KEYS,
}  # fmt: skip
_STATEMENT_KEYS = {
    "id", "subject", "relation", "object", "modality", "quote",
    "about", "where", "when", "role", "former", "note", "claimed_by", "coded_by",
    *_DRAFT_KEYS,
}  # fmt: skip


# --- field checks ---------------------------------------------------------------------


class _Item:
    """Reads the fields of one YAML mapping, raising errors that name file, line and item."""

    def __init__(self, path: Path, mapping: Any, name: str, allowed: set[str]) -> None:
        self.path = path
        line = getattr(mapping, "line", 0)
        self.name = f"{name} (line {line})" if line else name
        if not isinstance(mapping, dict):
            raise AnnotationError(path, f"expected a mapping, got {_kind(mapping)}", self.name)
        self.mapping = mapping
        unknown = sorted((shown(key), key) for key in mapping if key not in allowed)
        if unknown:
            shown_key, key = unknown[0]
            raise self.error(
                f"unknown field {shown_key} (allowed: {', '.join(sorted(allowed))})",
                key if isinstance(key, str) else None,
            )

    def error(self, problem: str, key: str | None = None) -> AnnotationError:
        """The error ``problem`` of this item, in its field ``key`` when given."""
        return AnnotationError(self.path, problem, self.name, field=key)

    def rename(self, name: str) -> None:
        line = getattr(self.mapping, "line", 0)
        self.name = f"{name} (line {line})" if line else name

    def text(self, key: str, *, required: bool = True) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            if required:
                raise self.error(f"missing field {key!r}", key)
            return None
        return self._text_value(key, f"field {key!r}", value)

    def _text_value(self, key: str, field_name: str, value: Any) -> str:
        """``value`` as text, refused when it is no scalar, empty, or holds a character
        that XML 1.0 cannot carry (``field_name`` names it in errors)."""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.error(f"{field_name} must be text, got {_kind(value)}", key)
        if isinstance(value, int) and value.bit_length() > _MAX_NUMBER_BITS:
            raise self.error(
                f"{field_name} must be text, got a number of {value.bit_length()} bits", key
            )
        text = str(value)
        if not text.strip():
            raise self.error(f"{field_name} is empty", key)
        if (index := illegal_character(text)) is not None:
            line = getattr(self.mapping, "key_lines", {}).get(key)
            raise self.error(
                f"{field_name}{f' (line {line})' if line else ''} holds the character "
                f"{character_name(text[index])}, which XML 1.0 cannot carry; remove it",
                key,
            )
        return text

    def required_text(self, key: str) -> str:
        value = self.text(key)
        assert value is not None
        return value

    def pattern(self, key: str, regex: re.Pattern[str], what: str, *, required: bool) -> str | None:
        value = self.text(key, required=required)
        if value is not None and not regex.fullmatch(value):
            raise self.error(f"field {key!r} must be {what}, got {shown(value)}", key)
        return value

    def text_list(self, key: str) -> tuple[str, ...]:
        value = self.mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise self.error(f"field {key!r} must be a list of text, got {_kind(value)}", key)
        return tuple(
            self._text_value(key, f"field {key!r}[{index}]", item)
            for index, item in enumerate(value)
        )

    def boolean(self, key: str) -> bool | None:
        value = self.mapping.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise self.error(f"field {key!r} must be true or false, got {shown(value)}", key)

    def confidence(self, key: str) -> float | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise self.error(f"field {key!r} must be a number from 0 to 1, got {shown(value)}", key)
        return float(value)

    def date(self, key: str) -> dt.date:
        value = self.mapping.get(key)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if value is None:
            raise self.error(f"missing field {key!r}", key)
        raise self.error(f"field {key!r} must be a date YYYY-MM-DD, got {shown(value)}", key)

    def when(self, key: str) -> str | None:
        value = self.mapping.get(key)
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value.isoformat()
        text = value if isinstance(value, str) else ""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 9999:
            text = str(value)
        if not _WHEN.fullmatch(text):
            raise self.error(
                f"field {key!r} must be a date YYYY, YYYY-MM or YYYY-MM-DD, got {shown(value)}",
                key,
            )
        if len(text) == 10:
            try:
                dt.date.fromisoformat(text)
            except ValueError:
                raise self.error(f"field {key!r} is not a real date: {shown(text)}", key) from None
        return text


def _kind(value: Any) -> str:
    """Name the kind of a YAML value for an error message."""
    for kind, name in ((bool, "a boolean"), (dict, "a mapping"), (list, "a list"), (str, "text")):
        if isinstance(value, kind):
            return name
    return "nothing" if value is None else type(value).__name__


# --- loading --------------------------------------------------------------------------


@dataclass(frozen=True)
class Annotation:
    """One annotation file, checked but for what needs other files: its source, its
    entities, and its statements as read (ids checked, entities not yet resolved)."""

    source: Source
    entities: tuple[Entity, ...]
    statements: tuple[_Item, ...]
    # how errors name each entity: "entity 'russia' (line 12)", by id
    entity_items: Mapping[str, str] = field(default_factory=dict)


def load_annotation(path: Path | str, *, data_dir: Path | str | None = None) -> Annotation:
    """Read one annotation file and its text; check everything that needs no other file.

    With ``data_dir``, the annotation file and its text must really lie inside it (a
    symlink, to the file or to a folder on the way, may not lead out of it); without,
    the annotation file is the one named and its text must lie inside the annotation's
    own folder. Either way the text is named by a relative path without '..', and both
    must be regular files (see ``graph.inputs.read_inside``).
    """
    path = Path(path)
    root = Path(os.path.realpath(data_dir)) if data_dir is not None else None
    content = read_yaml_text(path, root=root)
    document = parse_yaml(path, content)
    text_root = root if root is not None else Path(os.path.realpath(path.parent))
    annotation = check_annotation(path, document, text_root=text_root)
    source = replace(annotation.source, digest=source_digest(content, annotation.source.text))
    return replace(annotation, source=source)


def source_digest(annotation_text: str, text: str) -> str:
    """The SHA-256 of an annotation file's content and of its source text, as read
    (without a leading byte order mark): all of a source that its graph depends on."""
    return parts_digest(
        part.encode("utf-8") for part in (annotation_text.removeprefix("\ufeff"), text)
    )


def read_source_digest(path: Path, text_reference: str, data_dir: Path | str) -> str | None:
    """``source_digest`` of the annotation file ``path`` and of its text as they are now,
    the text named by ``text_reference`` (relative to the annotation's folder), both read
    as ``load_corpus`` reads them from ``data_dir``; None when either cannot be read so."""
    found = read_source_files(path, text_reference, data_dir)
    return None if found is None else source_digest(*found)


def read_source_files(
    path: Path, text_reference: str, data_dir: Path | str
) -> tuple[str, str] | None:
    """The content of the annotation file ``path`` and its text (named by
    ``text_reference``, relative to the annotation's folder), both read as
    ``load_corpus`` reads them from ``data_dir``; None when either cannot be read so.

    What they are read for is their digest (``source_digest``), compared with that of
    files a build read and checked: the characters of the annotation file are not
    checked again (a file that fails the check cannot have that digest)."""
    if reference_problem(text_reference):
        return None
    root = Path(os.path.realpath(data_dir))
    try:
        content = read_yaml_text(path, root=root, characters=False)
        text = _text_read(path.parent / text_reference, root)
    except (AnnotationError, RefusedFile, OSError, UnicodeDecodeError):
        return None
    return content, text


def check_annotation(path: Path, document: Any, *, text_root: Path) -> Annotation:
    """Check the YAML ``document`` read from the annotation file ``path`` (see
    ``load_annotation``); its text must lie inside the resolved folder ``text_root``."""
    if not isinstance(document, dict):
        raise AnnotationError(
            path,
            f"expected a mapping with 'source', 'entities' and "
            f"'statements' at the top, got {_kind(document)}",
        )
    top = _Item(path, document, "top level", {"source", "entities", "statements"})
    source = check_source(path, top.mapping.get("source"), text_root)
    entities: list[Entity] = []
    entity_items: dict[str, str] = {}
    for entity_id, item in _identified_items(top, "entities", "entity", _ENTITY_KEYS):
        entity_items[entity_id] = item.name
        entities.append(_entity(item, source.id))
    statements = [
        item for _, item in _identified_items(top, "statements", "statement", _STATEMENT_KEYS)
    ]
    return Annotation(source, tuple(entities), tuple(statements), entity_items)


def check_entity(path: Path, mapping: Any, source_id: str, *, name: str = "entity") -> Entity:
    """Check one entity of an annotation as the loader does, and return it.

    ``mapping`` is the entity as YAML gives it (a ``YamlMapping`` names its line in
    errors), ``name`` how errors call it until its id is read. That its id is unique in
    the file is the caller's to check. Raises ``AnnotationError`` with ``field`` set when
    the problem is in one field.
    """
    item = _Item(path, mapping, name, _ENTITY_KEYS)
    _identify(item, "entity")
    return _entity(item, source_id)


def _entity(item: _Item, source_id: str) -> Entity:
    """The entity of ``item``, whose id is checked already."""
    vocab = vocabulary()
    entity_type = item.required_text("type")
    if entity_type not in vocab.entity_types:
        raise item.error(
            f"unknown type {shown(entity_type)} (known: {', '.join(vocab.entity_types)})",
            "type",
        )
    iso = item.pattern(
        "iso3166", _ISO3166, "an ISO 3166-1 alpha-2 code such as 'RU'", required=False
    )
    if iso is not None and entity_type != "state":
        raise item.error(f"field 'iso3166' is only for states, not for a {entity_type}", "iso3166")
    same_as = item.text_list("same_as")
    for index, other in enumerate(same_as):
        if not _ID.fullmatch(other):
            raise item.error(
                f"field 'same_as'[{index}] must be an entity id (lower-case words "
                f"joined by '-'), got {shown(other)}",
                "same_as",
            )
    return Entity(
        id=item.required_text("id"),
        type=entity_type,
        label=item.required_text("label").strip(),
        aliases=item.text_list("aliases"),
        description=item.text("description", required=False),
        wikidata=item.pattern(
            "wikidata", _WIKIDATA, "a Wikidata id such as 'Q159'", required=False
        ),
        iso3166=iso,
        sources=(source_id,),
        reviewed=item.boolean("reviewed"),
        confidence=item.confidence("confidence"),
        same_as=same_as,
        coded_by=item.text("coded_by", required=False),
    )


def _identify(item: _Item, kind: str) -> str:
    """Check the id of ``item`` and name the item by it in errors; return the id."""
    item_id = item.pattern("id", _ID, "lower-case words joined by '-'", required=True)
    assert item_id is not None
    item.rename(f"{kind} {item_id!r}")
    return item_id


def _identified_items(
    top: _Item, key: str, kind: str, allowed: set[str]
) -> list[tuple[str, _Item]]:
    """The items of the list ``key``, each with its id, refusing a missing or repeated id."""
    items: list[tuple[str, _Item]] = []
    first_seen: dict[str, str] = {}
    for index, raw in enumerate(_list(top, key)):
        item = _Item(top.path, raw, f"{key}[{index}]", allowed)
        item_id = _identify(item, kind)
        if item_id in first_seen:
            raise item.error(f"duplicate {kind} id (first declared at {first_seen[item_id]})", "id")
        first_seen[item_id] = item.name
        items.append((item_id, item))
    return items


def _list(top: _Item, key: str) -> list[Any]:
    value = top.mapping.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise AnnotationError(top.path, f"'{key}' must be a list, got {_kind(value)}")
    return value


def check_source(path: Path, raw: Any, root: Path) -> Source:
    """The ``source`` of the annotation file ``path``, checked, with its text, which must
    lie inside the resolved folder ``root``."""
    if raw is None:
        raise AnnotationError(path, "missing 'source' (the metadata of the text)")
    item = _Item(path, raw, "source", set(SOURCE_KEYS))
    source_id = item.pattern("id", _ID, "lower-case words joined by '-'", required=True)
    assert source_id is not None
    text_path, text = _read_text(item, root)
    return Source(
        id=source_id,
        annotation_path=path,
        text_path=text_path,
        text=text,
        title=item.required_text("title"),
        url=_url(item, "url", required=True) or "",
        date=item.date("date"),
        site=item.text("site", required=False),
        publisher=item.text("publisher", required=False),
        original_title=item.text("original_title", required=False),
        original_url=_url(item, "original_url", required=False),
        authors=item.text_list("author"),
        language=item.text("language", required=False),
    )


def _read_text(item: _Item, root: Path) -> tuple[Path, str]:
    """The path and the content of the source text that ``item`` (the ``source``) names.

    The text must lie inside ``root`` (see ``load_annotation``); a leading byte order
    mark is dropped, so offsets count from the character after it.
    """
    reference = item.required_text("text")
    if problem := reference_problem(reference):
        raise item.error(
            f"field 'text' must be a relative path to a file in the annotation's folder, "
            f"such as article.txt: {shown(reference)} {problem}"
        )
    text_path = item.path.parent / reference
    try:
        text = _text_read(text_path, root)
    except FileNotFoundError:
        raise item.error(f"source text not found: {shown(reference)}") from None
    except RefusedFile as refusal:
        raise item.error(f"source text {shown(reference)} {refusal}") from None
    except UnicodeDecodeError as error:
        raise AnnotationError(text_path, f"not UTF-8 (byte {error.start})") from None
    if not text.strip():
        raise AnnotationError(text_path, "source text is empty")
    if (index := illegal_character(text)) is not None:
        line, column = line_and_column(text, index)
        hint = " (a form feed often comes from a PDF's page breaks)" if text[index] == "\f" else ""
        raise AnnotationError(
            text_path,
            f"character {character_name(text[index])}, which XML 1.0 cannot carry; remove it{hint}",
            f"line {line}, column {column}",
        )
    return text_path, text


def _text_read(text_path: Path, root: Path) -> str:
    """The source text at ``text_path``, inside ``root``, decoded, without a leading byte
    order mark (offsets count from the character after it). Raises what ``read_inside``
    raises, and ``UnicodeDecodeError``."""
    return read_inside(text_path, root, MAX_TEXT_BYTES).decode("utf-8").removeprefix("\ufeff")


def _url(item: _Item, key: str, *, required: bool) -> str | None:
    return item.pattern(key, _URL, "an http(s) URL (or a file:/// URL)", required=required)


def check_statement(
    path: Path,
    mapping: Any,
    source: Source,
    entity_ids: Mapping[str, str],
    *,
    name: str = "statement",
) -> Statement:
    """Check one statement of an annotation as the loader does, and return it.

    ``mapping`` is the statement as YAML gives it (a ``YamlMapping`` names its line in
    errors), ``source`` the annotation's source (its quote must occur once in its text),
    ``entity_ids`` maps each entity id it may name to the id it stands for. That its id
    is unique in the file is the caller's to check. Raises ``AnnotationError`` with
    ``field`` set when the problem is in one field.
    """
    item = _Item(path, mapping, name, _STATEMENT_KEYS)
    _identify(item, "statement")
    return _statement(item, source, entity_ids)


def _statement(
    item: _Item,
    source: Source,
    canonical: Mapping[str, str],
    quotes: QuoteIndex | None = None,
) -> Statement:
    """The statement of ``item``, its entity ids checked and mapped by ``canonical``; its
    quote is located with ``quotes`` (an index of the source's text) when given."""
    vocab = vocabulary()

    def entity_ref(key: str, *, required: bool) -> str | None:
        value = item.text(key, required=required)
        if value is None:
            return None
        if value not in canonical:
            raise item.error(f"unknown entity {shown(value)} in field {key!r}", key)
        return canonical[value]

    relation = item.required_text("relation")
    if relation not in vocab.relations:
        raise item.error(
            f"unknown relation {shown(relation)} (known: {', '.join(vocab.relations)})",
            "relation",
        )
    modality = item.required_text("modality")
    if modality not in MODALITIES:
        raise item.error(
            f"unknown modality {shown(modality)} (known: {', '.join(MODALITIES)})", "modality"
        )
    quote = item.required_text("quote")
    try:
        evidence = quotes.locate(quote) if quotes is not None else locate_quote(source.text, quote)
    except QuoteError as error:
        raise item.error(f"{error} (in {source.text_path.name})", "quote") from None
    subject = entity_ref("subject", required=True)
    obj = entity_ref("object", required=True)
    assert subject is not None and obj is not None
    return Statement(
        id=item.required_text("id"),
        source=source.id,
        subject=subject,
        relation=relation,
        object=obj,
        modality=modality,
        evidence=evidence,
        about=entity_ref("about", required=False),
        where=entity_ref("where", required=False),
        when=item.when("when"),
        role=item.text("role", required=False),
        former=item.boolean("former"),
        note=item.text("note", required=False),
        claimed_by=entity_ref("claimed_by", required=False),
        reviewed=item.boolean("reviewed"),
        confidence=item.confidence("confidence"),
        coded_by=item.text("coded_by", required=False),
    )


def load_source(path: Path | str, *, data_dir: Path | str | None = None) -> Corpus:
    """Load one annotation file, on its own, as a corpus of one source.

    Statements may refer only to the entities that this file declares. Entities are kept
    as declared: ``same_as`` links, which may name entities of other sources, and shared
    Wikidata ids or ISO codes are resolved by ``load_corpus``. With ``data_dir``, the
    file and its text must lie inside it (see ``load_annotation``). Raises
    ``AnnotationError`` naming the file and item at the first problem found.
    """
    annotation = load_annotation(path, data_dir=data_dir)
    entities = {entity.id: entity for entity in annotation.entities}
    ids = {entity_id: entity_id for entity_id in entities}
    source = annotation.source
    quotes = QuoteIndex(source.text)
    statements = tuple(_statement(item, source, ids, quotes) for item in annotation.statements)
    return Corpus(
        sources=(annotation.source,), entities=dict(sorted(entities.items())), statements=statements
    )


class SourcesKept(Protocol):
    """The sources a build read before, as ``load_corpus`` asks for them (see
    ``graph.keptsources.KeptSources``)."""

    def take(self, path: Path, data_dir: Path) -> tuple[Annotation, list[Statement]] | None:
        """The annotation of ``path`` (without its statements' items) and its statements
        (the entities named as written), if its file and text did not change."""

    def keep(self, path: Path, annotation: Annotation, statements: Sequence[Statement]) -> None:
        """Keep what was read afresh of ``path``, for ``take`` in the next build."""


def load_corpus(
    data_dir: Path | str,
    *,
    leave_out: Collection[str] = (),
    jobs: int | None = 1,
    kept: SourcesKept | None = None,
) -> Corpus:
    """Load every ``*/annotation.yaml`` under ``data_dir`` into one checked corpus.

    The source folders named in ``leave_out`` are not read (``apg extract`` of a batch
    drafts them again, and links no draft to them).

    Files are read in sorted path order; each, and the text it names, must really lie
    inside ``data_dir`` (see ``load_annotation``), and an ``annotation.yaml`` that is a
    dangling or looping symlink is an error, not a source left out. Declarations that
    share an id, a Wikidata id or an ISO 3166 code, or that ``same_as`` links
    (transitively), become one entity under one of their ids (see
    ``graph.merging.canonical_id``); statements refer to that id. Names that distinct
    entities share are recorded in ``Corpus.ambiguities``, ``same_as`` links to ids that
    no source declares in ``Corpus.unknown_same_as`` (the entity is kept as declared),
    and declarations that label an id otherwise than its first declaration in
    ``Corpus.label_conflicts``. Raises ``AnnotationError`` naming the file and item at
    the first problem found.

    A corpus of more than ``READ_APART_BYTES`` of annotations is read by up to ``jobs``
    forked worker processes (None: one per CPU; by default none), each reading a run of
    files in order; the corpus, and the error raised for a bad file, are the same as
    read in this process (see ``graph.forked``). Workers are for a command's process,
    not one that serves others on threads of its own.

    With ``kept`` (see ``graph.keptsources``), a source whose annotation file and text
    are those a build read before is taken as that build read it, not parsed again, and
    what is read afresh is kept for the next: the corpus, and the errors, are the same.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise AnnotationError(data_dir, "data folder not found")
    paths = [path for path in annotation_paths(data_dir) if path.parent.name not in leave_out]
    if not paths:
        raise AnnotationError(data_dir, f"no */{ANNOTATION_FILE} found")
    taken = {path: kept.take(path, data_dir) for path in paths} if kept is not None else {}
    fresh = [path for path in paths if taken.get(path) is None]
    read = dict(zip(fresh, _read_annotations(fresh, data_dir, jobs), strict=True))
    annotations = [read[path] if (found := taken.get(path)) is None else found[0] for path in paths]

    sources: dict[str, Source] = {}
    declarations: list[Declaration] = []
    for annotation in annotations:
        source = annotation.source
        if source.id in sources:
            raise AnnotationError(
                source.annotation_path,
                f"duplicate source id {source.id!r} (also in {sources[source.id].annotation_path})",
                "source",
            )
        sources[source.id] = source
        declarations += [
            Declaration(
                entity,
                source.annotation_path,
                annotation.entity_items.get(entity.id, f"entity {entity.id!r}"),
            )
            for entity in annotation.entities
        ]
    entities, canonical, unknown_same_as, label_conflicts = merge_declarations(declarations)

    written_ids = {entity_id: entity_id for entity_id in canonical}
    statements: list[Statement] = []
    for path, annotation in zip(paths, annotations, strict=True):
        found = taken.get(path)
        if found is not None and (named := _entity_refs(found[1])) <= canonical.keys():
            as_written = found[1]
        else:
            if found is not None:  # names an entity no longer declared: read for the error
                annotation = load_annotation(path, data_dir=data_dir)
            as_written = _statements(annotation, written_ids)
            if kept is not None:
                kept.keep(path, annotation, as_written)
            named = _entity_refs(as_written)
        if any(canonical[ref] != ref for ref in named):
            statements += (_canonical(statement, canonical) for statement in as_written)
        else:  # every entity named by its canonical id already
            statements += as_written
    return Corpus(
        sources=tuple(sources.values()),
        entities={entity.id: entity for entity in sorted(entities, key=lambda e: e.id)},
        statements=tuple(statements),
        ambiguities=find_ambiguities(entities),
        unknown_same_as=unknown_same_as,
        label_conflicts=label_conflicts,
    )


_ENTITY_FIELDS = ("subject", "object", "about", "where", "claimed_by")
"""The fields of a statement that name an entity."""


def _entity_refs(statements: Sequence[Statement]) -> set[str]:
    """The ids of the entities ``statements`` name."""
    named: set[str | None] = set(chain.from_iterable(map(_NAMED, statements)))
    named.discard(None)
    return cast(set[str], named)


_NAMED = attrgetter(*_ENTITY_FIELDS)


def _canonical(statement: Statement, canonical: Mapping[str, str]) -> Statement:
    """``statement`` naming each entity by its canonical id."""
    changed: dict[str, Any] = {
        name: canonical[value]
        for name in _ENTITY_FIELDS
        if (value := getattr(statement, name)) is not None and canonical[value] != value
    }
    return replace(statement, **changed) if changed else statement


def _statements(annotation: Annotation, canonical: Mapping[str, str]) -> list[Statement]:
    """The statements of ``annotation``, their quotes located through one index of its text
    (a source of n statements would otherwise be scanned 2n times)."""
    quotes = QuoteIndex(annotation.source.text)
    return [
        _statement(item, annotation.source, canonical, quotes) for item in annotation.statements
    ]


READ_APART_BYTES = 1024 * 1024
"""Annotations of more bytes than this, in all, are read by several processes."""


def _read_annotations(paths: list[Path], data_dir: Path, jobs: int | None) -> list[Annotation]:
    """``load_annotation`` of each path, in order; the first error in that order raised."""
    sizes = [_size(path) for path in paths]
    workers = min(cpus() if jobs is None else jobs, len(paths))
    if workers < 2 or sum(sizes) <= READ_APART_BYTES:
        return [load_annotation(path, data_dir=data_dir) for path in paths]
    runs = [[paths[index] for index in run] for run in even_runs(sizes, 4 * workers)]
    annotations = []
    for found in run_all([partial(_read_run, run, data_dir) for run in runs], workers):
        for annotation in found:
            if isinstance(annotation, AnnotationError):
                raise annotation
            annotations.append(annotation)
    return annotations


def _read_run(paths: list[Path], data_dir: Path) -> list[Annotation | AnnotationError]:
    """The annotations of ``paths`` in order, up to and with the first error (sent back,
    not raised, so that the first of all the runs is the one raised)."""
    found: list[Annotation | AnnotationError] = []
    for path in paths:
        try:
            found.append(load_annotation(path, data_dir=data_dir))
        except AnnotationError as error:
            found.append(error)
            break
    return found


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # reading it names the problem
        return 0


def annotation_paths(data_dir: Path) -> list[Path]:
    """Every ``*/annotation.yaml`` of ``data_dir`` in sorted order, broken symlinks too.

    ``Path.glob`` leaves out a symlink whose target is missing or loops, which would drop
    a source without a word; here it is listed, and reading it names the problem.
    """
    try:
        folders = sorted(data_dir.iterdir())
    except OSError as error:
        raise AnnotationError(data_dir, f"cannot list the data folder: {error.strerror}") from None
    # lexists (lstat) is true for a symlink whatever its target
    return [
        folder / ANNOTATION_FILE for folder in folders if os.path.lexists(folder / ANNOTATION_FILE)
    ]


_CODER_FILE = re.compile(r"\Aannotation\.(?P<coder>[^.]+)\.yaml\Z")


def coder_name(path: Path | str) -> str | None:
    """The coder an annotation file is named for: ``alice`` for ``annotation.alice.yaml``.

    None for any other name (``annotation.yaml``, the annotation the build reads).

    >>> coder_name("data/tiny/annotation.alice.yaml")
    'alice'
    """
    found = _CODER_FILE.match(Path(path).name)
    if found is None or not ID_PATTERN.match(found["coder"]):
        return None
    return found["coder"]


def coder_files(folder: Path | str) -> dict[str, Path]:
    """The coders' annotation files of a source folder, by coder name, sorted by name.

    These are the ``annotation.<coder>.yaml`` beside the ``annotation.yaml`` of a
    source; ``apg build`` reads none of them.
    """
    found = {
        name: path
        for path in Path(folder).glob("annotation.*.yaml")
        if path.name != ANNOTATION_FILE and (name := coder_name(path)) is not None
    }
    return dict(sorted(found.items()))
