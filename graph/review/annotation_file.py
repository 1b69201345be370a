"""Edit one source's ``annotation.yaml`` item by item, as ``apg review`` does.

Each change rewrites the lines of one entity or statement (``graph.review.items``) and
leaves every other byte of the file as it was; it is checked first with the loader's own
rules (``graph.annotations.check_statement``, ``check_entity``), then written atomically
(a temporary file in the same folder, renamed over the file).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from .. import collector
from ..annotations import check_annotation, check_entity, check_statement, load_source
from ..corpus import Source, Statement
from ..errors import AnnotationError, BuildError, one_line, shown
from ..evidence import QuoteError, locate_quote
from ..inputs import MAX_YAML_NODES, YamlMapping, parse_yaml, read_yaml_text
from .items import ItemStyle, detect_style, render_item, rewrite_item
from .layout import LISTS, ItemList, Layout, marked_layout, verified_layout
from .shapes import REFERENCES, shape_problems

__all__ = ["AnnotationFile", "EditRefused"]

_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# an anchor (&name) where a value starts: the fast loader would follow its aliases
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]", re.MULTILINE)
_KINDS = {"entities": "entity", "statements": "statement"}
_STATEMENT_ORDER = ("id", "subject", "relation", "object", "modality", "quote")
_ENTITY_ORDER = ("id", "type", "label")


class EditRefused(BuildError):
    """A change to an annotation file that would break the build; the file is untouched.

    ``field`` is the field the problem is in ("relation", "quote", ...), when known;
    ``message`` the loader's one-line message, as ``apg build`` prints it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        self.message = one_line(message)
        self.field = field
        super().__init__(self.message)


@dataclass(frozen=True)
class _Item:
    values: dict[str, Any]
    span: tuple[int, int] | None


@dataclass(frozen=True)
class _List:
    items: tuple[_Item, ...]
    layout: ItemList


@dataclass(frozen=True)
class _Change:
    start: int
    removed: str
    inserted: int
    lists: dict[str, _List]


class AnnotationFile:
    """One annotation file inside a data folder, opened for editing.

    The file is read once; each change is checked, spliced into the text and written;
    ``undo`` reverts the changes of this session one by one. A change is refused with
    ``EditRefused`` when the file changed on disk since it was last read or written.
    """

    path: Path
    source: Source
    _root: Path  # the data folder, resolved
    _real: Path  # the file, resolved at open; the only file written
    _bom: str
    _text: str  # the file's text as on disk, but for a leading byte order mark
    _stamp: tuple[int, int, int]
    _lists: dict[str, _List]
    _style: ItemStyle
    _undo: list[_Change]
    _indexes: dict[str, tuple[tuple[_Item, ...], dict[Any, int]]]  # by list: ids to positions
    _quotes: dict[str, tuple[int, int] | None]  # each quote's place in the text

    @classmethod
    def open(cls, path: Path, *, data_dir: Path) -> AnnotationFile:
        """Read and check the annotation file ``path``, which must lie inside ``data_dir``.

        Its source and entities are checked as ``apg build`` checks them, its statements'
        ids too (``check`` runs every rule). Raises ``AnnotationError`` when the file is
        unreadable or no valid annotation.
        """
        self = cls.__new__(cls)
        self.path = Path(path)
        self._root = Path(os.path.realpath(data_dir))
        self._real = Path(os.path.realpath(self.path))
        raw = read_yaml_text(self.path, root=self._root)
        self._bom = "\ufeff" if raw.startswith("\ufeff") else ""
        self._text = raw.removeprefix("\ufeff")
        self._stamp = _stamp(self._real)
        # reading a large file makes tens of thousands of small objects, none in a cycle
        with collector.paused():
            document, layout = _read(self.path, self._text)
            annotation = check_annotation(self.path, document, text_root=self._root)
        self.source = annotation.source
        self._lists = {}
        for key in LISTS:
            values = document.get(key) or []
            item_list = layout.lists.get(key) or ItemList(dash=0, spans=(), key_line=None)
            spans = item_list.spans if item_list.spans is not None else [None] * len(values)
            items = tuple(_Item(v, s) for v, s in zip(values, spans, strict=True))
            self._lists[key] = _List(items, item_list)
        dash = next((lst.layout.dash for lst in self._lists.values() if lst.items), 0)
        self._style = detect_style(self._text, dash)
        self._undo = []
        self._indexes = {}
        self._quotes = {}
        return self

    # --- reading ------------------------------------------------------------------------

    def statements(self) -> list[dict[str, Any]]:
        """The statements in file order, each a copy of its fields as the YAML gives them."""
        return [_copy(item.values) for item in self._lists["statements"].items]

    def entities(self) -> list[dict[str, Any]]:
        """The entities in file order, each a copy of its fields as the YAML gives them."""
        return [_copy(item.values) for item in self._lists["entities"].items]

    def statement(self, statement_id: str) -> dict[str, Any] | None:
        """A copy of the statement's fields, None when there is no such statement."""
        found = self._find("statements", statement_id)
        return _copy(found[1].values) if found else None

    def entity(self, entity_id: str) -> dict[str, Any] | None:
        """A copy of the entity's fields, None when there is no such entity."""
        found = self._find("entities", entity_id)
        return _copy(found[1].values) if found else None

    def span(self, statement_id: str) -> tuple[int, int] | None:
        """The character offsets of the statement's quote in ``source.text``; None when
        the statement is unknown or its quote is not found once."""
        found = self._find("statements", statement_id)
        quote = found[1].values.get("quote") if found else None
        if not isinstance(quote, str):
            return None
        if quote not in self._quotes:  # the text never changes: a quote's place neither
            try:
                evidence = locate_quote(self.source.text, quote)
                self._quotes[quote] = (evidence.start, evidence.end)
            except QuoteError:
                self._quotes[quote] = None
        return self._quotes[quote]

    @property
    def changes(self) -> int:
        """How many changes of this session ``undo`` can take back."""
        return len(self._undo)

    def check(self) -> None:
        """Check the whole file as ``apg build`` does; raises ``AnnotationError``."""
        load_source(self.path, data_dir=self._root)

    # --- changes ------------------------------------------------------------------------

    def accept(self, statement_id: str, *, coder: str) -> None:
        """Mark the statement reviewed: remove its ``reviewed: false`` (confidence and
        note stay) and record ``coded_by: coder``."""
        self.update(statement_id, {}, coder=coder)

    def accept_entity(self, entity_id: str, *, coder: str) -> None:
        """Mark the entity reviewed: remove its ``reviewed: false`` and record
        ``coded_by: coder``."""
        self._edit("entities", entity_id, {}, coder)

    def update(self, statement_id: str, changes: Mapping[str, Any], *, coder: str) -> None:
        """Set the statement's fields to ``changes`` (None removes a field) and accept it.

        A coder who corrects a statement has reviewed it: ``reviewed: false`` goes and
        ``coded_by`` records the coder. Raises ``EditRefused`` when the statement is
        unknown or the changed statement would not load.
        """
        self._edit("statements", statement_id, changes, coder)

    def reject(self, statement_id: str) -> None:
        """Remove the statement's lines (and the blank lines after it, when a blank line
        precedes it, so items stay one blank line apart); comments around it stay."""
        index, item = self._editable("statements", statement_id)
        assert item.span is not None
        start, end = item.span
        if self._text[:start].endswith("\n\n") or start == 0:
            while self._text.startswith("\n", end):
                end += 1
        lists = dict(self._lists)
        items = self._lists["statements"].items
        lists["statements"] = replace(lists["statements"], items=items[:index] + items[index + 1 :])
        self._splice(start, end, "", lists)

    def add_statement(self, fields: Mapping[str, Any], *, coder: str) -> str:
        """Append a statement after the last one and return its id.

        Without an ``id`` in ``fields``, it is made from subject, relation and object
        (``russia-blames-west``, then ``-2``, ``-3`` ... when taken). Raises
        ``EditRefused`` when the statement would not load.
        """
        return self._add("statements", fields, coder, _STATEMENT_ORDER)

    def add_entity(self, fields: Mapping[str, Any], *, coder: str) -> str:
        """Append an entity after the last one and return its id (made from its label
        when ``fields`` has none). Raises ``EditRefused`` when the entity would not load."""
        return self._add("entities", fields, coder, _ENTITY_ORDER)

    def undo(self) -> bool:
        """Restore the file as it was before the last change of this session; False when
        there is none. Raises ``EditRefused`` when the file changed on disk meanwhile."""
        if not self._undo:
            return False
        self._check_unchanged()
        change = self._undo[-1]
        text = (
            self._text[: change.start]
            + change.removed
            + self._text[change.start + change.inserted :]
        )
        self._write(text)
        self._undo.pop()
        self._text, self._lists = text, change.lists
        return True

    # --- the work -----------------------------------------------------------------------

    def _find(self, key: str, item_id: str) -> tuple[int, _Item] | None:
        items = self._lists[key].items
        index = self._indexes.get(key)
        if index is None or index[0] is not items:  # the list changed: index it again
            positions: dict[Any, int] = {}
            for position, item in enumerate(items):
                positions.setdefault(item.values.get("id"), position)
            index = self._indexes[key] = (items, positions)
        found = index[1].get(item_id)
        return (found, items[found]) if found is not None else None

    def _editable(self, key: str, item_id: str) -> tuple[int, _Item]:
        found = self._find(key, item_id)
        if found is None:
            raise EditRefused(f"{self.path}: no {_KINDS[key]} {shown(item_id)} in the file", "id")
        if found[1].span is None:
            raise EditRefused(
                f"{self.path}: {_KINDS[key]} {item_id!r}: the list is written in flow style "
                "([...] or {...}); edit it by hand, or write it as a block list"
            )
        return found

    def _edit(self, key: str, item_id: str, changes: Mapping[str, Any], coder: str) -> None:
        index, item = self._editable(key, item_id)
        assert item.span is not None
        start, end = item.span
        edit = _editor(changes, coder)
        values = dict(item.values)
        edit(values)
        others = [other for i, other in enumerate(self._lists[key].items) if i != index]
        # an accept changes nothing the shapes look at: it stays fast
        shaped = {"relation", *REFERENCES}
        shapes = any(values.get(k) != item.values.get(k) for k in shaped)
        self._check_item(key, values, others, self._line(start), shapes=shapes)
        try:
            style = replace(self._style, dash=self._lists[key].layout.dash)
            block = rewrite_item(self._text[start:end], style, edit)
        except Exception as error:  # ruamel's errors share no base class
            raise EditRefused(
                f"{self.path}: {_KINDS[key]} {item_id!r}: its lines cannot be rewritten "
                f"({one_line(str(error))[:120]}); edit it by hand"
            ) from None
        self._verify(key, block, values)
        items = self._lists[key].items
        new = _Item(values, (start, start + len(block)))
        lists = dict(self._lists)
        lists[key] = replace(lists[key], items=(*items[:index], new, *items[index + 1 :]))
        self._splice(start, end, block, lists, edited=(key, index))

    def _add(self, key: str, fields: Mapping[str, Any], coder: str, order: tuple[str, ...]) -> str:
        item_list = self._lists[key]
        if any(item.span is None for item in item_list.items):
            raise EditRefused(
                f"{self.path}: '{key}' is written in flow style ([...]); edit it by hand"
            )
        values = {k: v for k, v in fields.items() if v is not None}
        taken = {item.values.get("id") for item in item_list.items}
        if "id" not in values:
            words = [values.get(k) for k in ("subject", "relation", "object")]
            if key == "entities":
                words = [values.get("label")]
            values["id"] = _new_id(words, taken, _KINDS[key])
        values = {
            **{k: values[k] for k in order if k in values},
            **{k: v for k, v in values.items() if k not in order},
        }
        values.pop("reviewed", None)
        values["coded_by"] = coder
        at = self._insertion_point(key)
        self._check_item(key, values, list(item_list.items), self._line(at) + 1)
        block = render_item(values, replace(self._style, dash=item_list.layout.dash))
        self._verify(key, block, values)
        prefix, block = self._placed(key, at, block)
        start = at + len(prefix)
        lists = dict(self._lists)
        new = _Item(values, (start, start + len(block)))
        lists[key] = replace(item_list, items=(*item_list.items, new))
        self._splice(at, at, prefix + block, lists, edited=(key, len(item_list.items)))
        return str(values["id"])

    def _insertion_point(self, key: str) -> int:
        item_list = self._lists[key]
        if item_list.items:
            span = item_list.items[-1].span
            assert span is not None
            return span[1]
        if item_list.layout.key_line is not None:
            return item_list.layout.key_line[1]
        return len(self._text)

    def _placed(self, key: str, at: int, block: str) -> tuple[str, str]:
        """What goes before a new item at ``at``, and the item's lines."""
        items = self._lists[key].items
        if items:
            spans = [item.span for item in items[-2:] if item.span is not None]
            between = self._text[spans[0][1] - 1 : spans[-1][0]] if len(spans) == 2 else ""
            return ("\n" if "\n\n" in between else ""), block
        key_line = self._lists[key].layout.key_line
        if key_line is not None:
            line = self._text[key_line[0] : key_line[1]]
            if line.rstrip("\n").rstrip().endswith(("[]", "null", "~")):
                raise EditRefused(
                    f"{self.path}: '{key}' is written as an empty flow list; write it as "
                    f"'{key}:' alone on its line"
                )
            return ("" if line.endswith("\n") else "\n"), block
        lead = "" if not self._text or self._text.endswith("\n") else "\n"
        return f"{lead}{key}:\n", block

    def _check_item(
        self,
        key: str,
        values: dict[str, Any],
        others: list[_Item],
        line: int,
        *,
        shapes: bool = True,
    ) -> None:
        mapping = YamlMapping(values)
        mapping.line, mapping.key_lines = line, {}
        kind = _KINDS[key]
        try:
            if key == "statements":
                ids = {
                    item.values.get("id"): item.values.get("id") for item in self._entity_items()
                }
                statement = check_statement(self.path, mapping, self.source, ids)  # type: ignore[arg-type]
                if shapes:
                    self._check_shapes(statement)
            else:
                check_entity(self.path, mapping, self.source.id)
        except AnnotationError as error:
            raise EditRefused(str(error), error.field) from None
        item_id = values["id"]
        if any(other.values.get("id") == item_id for other in others):
            raise EditRefused(
                str(
                    AnnotationError(
                        self.path,
                        f"duplicate {kind} id {item_id!r}",
                        f"{kind} {item_id!r} (line {line})",
                    )
                ),
                "id",
            )

    def _check_shapes(self, statement: Statement) -> None:
        """Refuse a statement that the ontology's shapes refuse (a relation's domain and
        range), as ``apg build`` would."""
        named = {getattr(statement, field) for field in REFERENCES} - {None}
        found = [self._find("entities", entity_id) for entity_id in named]
        entities = {
            item.values["id"]: check_entity(self.path, item.values, self.source.id)
            for _, item in filter(None, found)
        }
        problems = shape_problems(self.path, self.source, statement, entities)
        if problems:
            raise EditRefused(problems[0], "relation")

    def _entity_items(self) -> tuple[_Item, ...]:
        return self._lists["entities"].items

    def _verify(self, key: str, block: str, values: dict[str, Any]) -> None:
        """Refuse lines that would not read back as ``values``."""
        try:
            read = yaml.load(block, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            read = None
        if read != [values]:
            raise EditRefused(
                f"{self.path}: {_KINDS[key]} {values.get('id')!r}: the rewritten lines would "
                "not read back as the values given; edit it by hand"
            )

    def _line(self, offset: int) -> int:
        return self._text.count("\n", 0, offset) + 1

    def _splice(
        self,
        start: int,
        end: int,
        inserted: str,
        lists: dict[str, _List],
        edited: tuple[str, int] | None = None,
    ) -> None:
        """Replace ``text[start:end]`` by ``inserted``, write the file, shift later spans."""
        self._check_unchanged()
        text = self._text[:start] + inserted + self._text[end:]
        delta = len(inserted) - (end - start)
        shifted = {
            key: replace(
                item_list,
                items=tuple(
                    item
                    if (key, index) == edited or item.span is None or item.span[0] < end
                    else _Item(item.values, (item.span[0] + delta, item.span[1] + delta))
                    for index, item in enumerate(item_list.items)
                ),
            )
            for key, item_list in lists.items()
        }
        self._write(text)
        self._undo.append(_Change(start, self._text[start:end], len(inserted), self._lists))
        self._text, self._lists = text, shifted

    def _check_unchanged(self) -> None:
        if _stamp(self._real) != self._stamp:
            raise EditRefused(
                f"{self.path}: changed on disk since it was opened; open it again to edit it"
            )

    def _write(self, text: str) -> None:
        """Write ``text`` over the file atomically, keeping its permissions."""
        real = Path(os.path.realpath(self.path))
        if real != self._real or not real.is_relative_to(self._root):
            raise EditRefused(f"{self.path}: now resolves to {real}; open it again to edit it")
        mode = os.stat(real).st_mode & 0o7777
        temporary = real.with_name(f".{real.name}.{os.getpid()}.tmp")
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
            with os.fdopen(handle, "wb") as stream:
                stream.write((self._bom + text).encode("utf-8"))
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, real)
        except OSError as error:
            temporary.unlink(missing_ok=True)
            raise EditRefused(f"{self.path}: cannot write: {error.strerror}") from None
        self._stamp = _stamp(real)


def _read(path: Path, text: str) -> tuple[Any, Layout]:
    """The values of the annotation ``text`` and where its items are written.

    libyaml's loader reads a large file in a fraction of the time of the loader of
    ``apg build``; it is used when the file holds no anchor (so no alias can be
    followed), cannot hold more values than that loader allows, and its items' lines
    agree with what it read (each key written once). Otherwise the file is read as the
    build reads it, which names any problem at its line.
    """
    if not _ANCHOR.search(text) and _value_bound(text) <= MAX_YAML_NODES:
        try:
            document = yaml.load(text, Loader=_FAST_LOADER)
        except (yaml.YAMLError, ValueError, OverflowError, TypeError, RecursionError):
            document = None
        if document is not None and (layout := verified_layout(text, document)) is not None:
            return document, layout
    document = parse_yaml(path, text)
    return document, marked_layout(text, _FAST_LOADER)


def _value_bound(text: str) -> int:
    """At most how many values ``text`` can hold: each needs a ':', '-', ',', '?', '['
    or '{' of its own, but for the keys and values of one pair."""
    indicators = sum(text.count(mark) for mark in ":-,?")
    return 2 * indicators + text.count("[") + text.count("{") + 1


def _stamp(path: Path) -> tuple[int, int, int]:
    status = os.stat(path)
    return status.st_mtime_ns, status.st_size, status.st_ino


def _copy(values: dict[str, Any]) -> dict[str, Any]:
    return {key: list(value) if isinstance(value, list) else value for key, value in values.items()}


def _editor(changes: Mapping[str, Any], coder: str) -> Callable[[Any], None]:
    """The change to make to an item's mapping (a dict or ruamel's ``CommentedMap``):
    set or remove ``changes``, then accept it (``reviewed: false`` goes, ``coded_by``
    comes where it was, or last)."""

    def edit(mapping: Any) -> None:
        for key, value in changes.items():
            if value is None:
                mapping.pop(key, None)
            else:
                mapping[key] = value
        position = None
        if mapping.get("reviewed") is False:
            position = list(mapping).index("reviewed")
            del mapping["reviewed"]
        if "coded_by" in mapping or position is None:
            mapping["coded_by"] = coder
        else:
            _insert(mapping, position, "coded_by", coder)

    return edit


def _insert(mapping: Any, position: int, key: str, value: Any) -> None:
    if hasattr(mapping, "insert"):
        mapping.insert(position, key, value)
        return
    pairs = list(mapping.items())
    pairs.insert(position, (key, value))
    mapping.clear()
    mapping.update(pairs)


def _new_id(words: list[Any], taken: set[Any], kind: str) -> str:
    """An id made of ``words`` that is not ``taken``: lower-case words joined by '-'."""
    parts = []
    for word in words:
        letters = unicodedata.normalize("NFKD", str(word or "")).encode("ascii", "ignore")
        if part := re.sub(r"[^a-z0-9]+", "-", letters.decode("ascii").lower()).strip("-"):
            parts.append(part)
    base = "-".join(parts) or kind
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
