"""Rewrite one item of an annotation file through a round-trip YAML parser (ruamel.yaml).

Only the item's own lines are parsed and written again, with the file's indentation, so
its comments, key order and quoting stay as they were, and an item that is not changed
comes out as the same bytes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

__all__ = ["ItemStyle", "detect_style", "render_item", "rewrite_item"]

_WIDTH = 4096
"""ruamel.yaml's line width: a changed value is not folded (its emitter leaves a space at
the end of a folded line)."""
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)")
_NESTED_LIST = re.compile(r"^( +)[A-Za-z_][A-Za-z0-9_-]*:[ \t]*\n( *)- ", re.MULTILINE)


@dataclass(frozen=True)
class ItemStyle:
    """How a file writes its items: the column of the list's dashes, and for a list
    inside an item, its dashes' offset from its key (``offset``)."""

    dash: int
    offset: int = 0


def detect_style(text: str, dash: int) -> ItemStyle:
    """The style of the items of ``text`` whose list has its dashes at column ``dash``.

    >>> detect_style("items:\\n- id: a\\n  aliases:\\n  - A\\n", 0)
    ItemStyle(dash=0, offset=0)
    """
    nested = _NESTED_LIST.search(text)
    offset = len(nested.group(2)) - len(nested.group(1)) if nested else dash
    return ItemStyle(dash=dash, offset=max(offset, 0))


@cache
def _yaml(offset: int) -> YAML:
    parser = YAML()
    parser.preserve_quotes = True
    parser.indent(mapping=2, sequence=offset + 2, offset=offset)
    return parser


def _dump(parser: YAML, item: CommentedMap, dash: int, width: int) -> str:
    parser.width = width
    stream = io.StringIO()
    parser.dump([item], stream)
    lines = stream.getvalue().splitlines(keepends=True)
    shift = dash - (len(lines[0]) - len(lines[0].lstrip(" ")))
    if shift >= 0:
        return "".join(" " * shift + line if line.strip() else line for line in lines)
    return "".join(line[-shift:] if line.strip() else line for line in lines)


def _dedent(block: str, dash: int) -> str:
    lines = block.splitlines(keepends=True)
    return "".join(line[min(dash, len(line) - len(line.lstrip(" "))) :] for line in lines)


def rewrite_item(block: str, style: ItemStyle, edit: Callable[[CommentedMap], None]) -> str:
    """``block`` (an item's lines, "- " and all) after ``edit`` changed its mapping.

    The item is parsed and written again by ruamel.yaml; the lines of each field whose
    value ``edit`` left alone (with the comments below it) are then taken from ``block``
    as they were, so that only the changed fields' lines differ, whatever ruamel.yaml's
    emitter would make of the others (it folds long lines otherwise than libyaml).
    """
    parser = _yaml(style.offset)
    loaded = parser.load(_dedent(block, style.dash))
    if not isinstance(loaded, list) or len(loaded) != 1:
        raise ValueError("the lines hold no single item")
    item = loaded[0]
    if not isinstance(item, CommentedMap):
        raise ValueError("the item is no mapping")
    before = dict(item)
    edit(item)
    written = _dump(parser, item, style.dash, _WIDTH)
    old, new = _fields(block, style.dash), _fields(written, style.dash)
    if old is None or new is None or list(old) != list(before) or list(new) != list(item):
        merged = written
    else:
        kept = {
            k
            for k in item
            if k in before and before[k] == item[k] and type(before[k]) is type(item[k])
        }
        lines = "".join(old[k] if k in kept else new[k] for k in item)
        merged = lines[: style.dash] + "-" + lines[style.dash + 1 :] if lines else lines
    if not block.endswith("\n"):
        merged = merged.removesuffix("\n")
    return merged


def _fields(block: str, dash: int) -> dict[str, str] | None:
    """The lines of each field of the item ``block``, its dash written as a space; None
    when its lines do not split so."""
    if not block.endswith("\n"):
        block += "\n"
    first = re.match(r" *- +", block)
    if first is None:
        return None
    keys = first.end()
    block = " " * keys + block[keys:]
    fields: dict[str, str] = {}
    current: str | None = None
    for line in block.splitlines(keepends=True):
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) == keys and not stripped.startswith(("#", "- ")):
            found = _KEY.match(stripped)
            if found is None or found.group(1) in fields:
                return None
            current = found.group(1)
            fields[current] = ""
        if current is None:
            return None
        fields[current] += line
    return fields


def render_item(values: Mapping[str, Any], style: ItemStyle) -> str:
    """A new item holding ``values`` in this order, as lines to put in the file."""
    return _dump(_yaml(style.offset), CommentedMap(values), style.dash, _WIDTH)
