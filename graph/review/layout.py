"""Find where each entity and statement of an annotation file is written, line by line.

An item of the block lists ``entities:`` and ``statements:`` starts at the line whose
first non-blank characters are "- " at the list's dash column, and ends at its last
content line: blank lines and comment lines indented no deeper than its keys that follow
it belong to what comes next (a section header's comment stays when the item goes). A
fast scan of the lines finds the items; ``verified_layout`` checks it against the
values a YAML parser read, and ``marked_layout`` finds them from the parser's marks
instead when the file is laid out otherwise (flow style, odd indentation).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

__all__ = ["LISTS", "ItemList", "Layout", "marked_layout", "scan_layout", "verified_layout"]

LISTS = ("entities", "statements")
"""The lists of an annotation whose items are edited."""

_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]+(.*))?\Z")
_ID_LINE = re.compile(r"id:[ \t]+(['\"]?)([A-Za-z0-9_-]+)\1[ \t]*(?:#.*)?\Z")


class OddLayout(Exception):
    """The file is not laid out as the line scan expects."""


@dataclass(frozen=True)
class ItemList:
    """One list of items: each item's ``(start, end)`` character offsets in the file.

    ``start`` is where the item's first line starts, ``end`` where the line after its
    last content line starts (or the file ends). ``dash`` is the column of the items'
    dashes; ``key_line`` the offsets of the line ``statements:`` (say) when the list has
    no item, else None. ``spans`` is None when the items cannot be told apart by lines
    (a flow list): they can be read but not edited.
    """

    dash: int
    spans: tuple[tuple[int, int], ...] | None
    key_line: tuple[int, int] | None = None


@dataclass(frozen=True)
class Layout:
    """The lists of an annotation file, by key; a missing key has no entry."""

    lists: Mapping[str, ItemList]


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line's start offset and its text without the line break."""
    lines, start = [], 0
    for line in text.split("\n"):
        lines.append((start, line))
        start += len(line) + 1
    if lines and lines[-1][1] == "":
        lines.pop()
    return lines


@dataclass
class _Scan:
    dash: int = -1
    keys: int = -1
    starts: list[int] | None = None
    ends: list[int] | None = None
    key_line: tuple[int, int] | None = None
    key_names: list[list[str]] | None = None
    ids: list[str | None] | None = None


def scan_layout(text: str) -> tuple[Layout, dict[str, list[list[str]]], dict[str, list[Any]]]:
    """Find the items of the block lists by their lines.

    Returns the layout, the keys written at each item's key column (in order), and each
    item's id as written. Raises ``OddLayout`` when a line does not fit.
    """
    scans: dict[str, _Scan] = {}
    current: _Scan | None = None
    top_keys: list[str] = []
    length = len(text)
    for start, line in _lines(text):
        stripped = line.lstrip(" ")
        if not stripped.strip():
            continue
        indent = len(line) - len(stripped)
        end = min(start + len(line) + 1, length)
        if stripped.startswith("#"):
            if current is not None and current.starts and indent > current.keys:
                current.ends[-1] = end  # type: ignore[index]
            continue
        if indent == 0 and not stripped.startswith("-"):
            current = _top_key(line, start, end, top_keys, scans)
            continue
        if current is None:
            continue
        _item_line(current, stripped, indent, end, start)
    lists: dict[str, ItemList] = {}
    names: dict[str, list[list[str]]] = {}
    ids: dict[str, list[Any]] = {}
    for key, scan in scans.items():
        starts, ends = scan.starts or [], scan.ends or []
        lists[key] = ItemList(
            dash=max(scan.dash, 0),
            spans=tuple(zip(starts, ends, strict=True)),
            key_line=scan.key_line if not starts else None,
        )
        names[key] = scan.key_names or []
        ids[key] = scan.ids or []
    return Layout(lists), names, ids


def _top_key(
    line: str, start: int, end: int, top_keys: list[str], scans: dict[str, _Scan]
) -> _Scan | None:
    """Read a line at column 0: a top-level key; return the scan of the list it opens."""
    found = _KEY.match(line)
    if found is None:
        raise OddLayout(f"unexpected line at column 0: {line[:40]!r}")
    key, value = found.group(1), (found.group(2) or "").strip()
    if key in top_keys:
        raise OddLayout(f"top-level key {key!r} twice")
    top_keys.append(key)
    if key not in LISTS:
        return None
    if value and not value.startswith("#") and value not in ("[]", "null", "~"):
        raise OddLayout(f"{key!r} is not a block list")
    scan = _Scan(starts=[], ends=[], key_names=[], ids=[], key_line=(start, end))
    scans[key] = scan
    return scan


def _item_line(scan: _Scan, stripped: str, indent: int, end: int, start: int) -> None:
    """Read a content line inside a list: an item's first line or a line of an item."""
    assert scan.starts is not None and scan.ends is not None
    assert scan.key_names is not None and scan.ids is not None
    if scan.dash < 0:
        scan.dash = indent
    if indent < scan.dash:
        raise OddLayout("a line left of the list's dashes")
    if indent == scan.dash:
        dashed = re.match(r"-( +)(?=[^ #])", stripped)
        if dashed is None:
            raise OddLayout("an item that does not start with '- ' and a key")
        scan.keys = indent + len(dashed.group(0))
        scan.starts.append(start)
        scan.ends.append(end)
        scan.key_names.append([])
        scan.ids.append(None)
        _key_line(scan, stripped[len(dashed.group(0)) :])
        return
    if not scan.starts:
        raise OddLayout("a line before the list's first item")
    scan.ends[-1] = end
    # "- " at the key column is an item of a list inside the item, as PyYAML writes it
    if indent == scan.keys and not stripped.startswith("- "):
        _key_line(scan, stripped)


def _key_line(scan: _Scan, content: str) -> None:
    found = _KEY.match(content)
    if found is None:
        raise OddLayout(f"not a key at the item's key column: {content[:40]!r}")
    assert scan.key_names is not None and scan.ids is not None
    scan.key_names[-1].append(found.group(1))
    if found.group(1) == "id" and (written := _ID_LINE.match(content)):
        scan.ids[-1] = written.group(2)


def verified_layout(text: str, document: Any) -> Layout | None:
    """The layout of ``text`` found by lines, or None when it disagrees with ``document``.

    It agrees when each list has as many items as ``document``, each item's keys are
    written once each at its key column, and its id is written as ``document`` reads it.
    """
    try:
        layout, names, ids = scan_layout(text)
    except OddLayout:
        return None
    if not isinstance(document, dict) or list(document) != _top_keys(text):
        return None
    for key in LISTS:
        values = document.get(key) or []
        if not isinstance(values, list):
            return None
        item_list = layout.lists.get(key)
        count = len(item_list.spans or ()) if item_list else 0
        if count != len(values):
            return None
        for item, written, item_id in zip(
            values, names.get(key, []), ids.get(key, []), strict=True
        ):
            if not isinstance(item, dict) or written != list(item) or item_id != item.get("id"):
                return None
    return layout


def _top_keys(text: str) -> list[str]:
    return [
        found.group(1)
        for _, line in _lines(text)
        if line[:1] not in ("", " ", "#", "-", "\t") and (found := _KEY.match(line))
    ]


def marked_layout(text: str, loader: Any) -> Layout:
    """The layout of ``text`` from the marks of the YAML nodes ``loader`` composes.

    An item is editable when it starts on a line of its own, after "- ", and no other
    item shares its lines; a list whose items are not is read-only (``spans`` None).
    """
    root = yaml.compose(text, Loader=loader)
    lists: dict[str, ItemList] = {}
    if not isinstance(root, yaml.MappingNode):
        return Layout(lists)
    for key_node, value_node in root.value:
        if key_node.value not in LISTS:
            continue
        line_start = text.rfind("\n", 0, key_node.start_mark.index) + 1
        line_end = text.find("\n", key_node.start_mark.index)
        key_line = (line_start, len(text) if line_end < 0 else line_end + 1)
        if not isinstance(value_node, yaml.SequenceNode) or not value_node.value:
            lists[key_node.value] = ItemList(dash=0, spans=(), key_line=key_line)
            continue
        lists[key_node.value] = _marked_items(text, value_node)
    return Layout(lists)


def _marked_items(text: str, sequence: yaml.SequenceNode) -> ItemList:
    spans: list[tuple[int, int]] = []
    dash = -1
    for node in sequence.value:
        start = text.rfind("\n", 0, node.start_mark.index) + 1
        before = text[start : node.start_mark.index]
        if sequence.flow_style or not re.fullmatch(r" *- +", before):
            return ItemList(dash=0, spans=None)
        dash = len(before) - len(before.lstrip(" "))
        last = _last_node(node).end_mark.index
        while last > start and text[last - 1] in " \t\r\n":
            last -= 1
        end = text.find("\n", last)
        end = len(text) if end < 0 else end + 1
        if spans and start < spans[-1][1]:
            return ItemList(dash=0, spans=None)
        spans.append((start, end))
    return ItemList(dash=max(dash, 0), spans=tuple(spans))


def _last_node(node: yaml.Node) -> yaml.Node:
    """The last scalar of ``node``: a collection's own end mark lies after the comments
    that follow it."""
    while isinstance(node, yaml.MappingNode | yaml.SequenceNode) and node.value:
        last = node.value[-1]
        node = last[1] if isinstance(last, tuple) else last
    return node
