"""Indented JSON text, as ``json.dumps(..., ensure_ascii=False, indent=N, sort_keys=True)``
writes it, in less time.

With ``indent``, ``json`` writes with its encoder in Python, one generator per object and
per list, about 4 µs an item. :func:`indented` writes the same text into one list, each
string by ``json``'s own encoder in C, and a key whose value is a string or a whole number
in one step: the files of JSON-LD and of the networks are mostly such keys. A document it
does not write as ``json`` would (a key that is not a string, a value of a type ``json``
converts) is handed to ``json`` itself.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _string
from typing import Any

__all__ = ["indented"]


def indented(document: Any, indent: int = 2, depth: int = 0) -> str:
    """``json.dumps(document, ensure_ascii=False, indent=indent, sort_keys=True)``, faster.

    With ``depth``, the text is indented as it would be ``depth`` levels down in a larger
    document (its first line is not: it follows what comes before it).

    >>> print(indented({"b": [1, 2.5], "a": {"c": None}}, indent=1))
    {
     "a": {
      "c": null
     },
     "b": [
      1,
      2.5
     ]
    }
    """
    parts: list[str] = []
    newline = "\n" + " " * (indent * depth)
    try:
        _write(document, newline, " " * indent, parts)
    except (_NotPlain, TypeError):  # sorting keys of several types fails: json says why
        text = json.dumps(document, ensure_ascii=False, indent=indent, sort_keys=True)
        return text.replace("\n", newline)
    return "".join(parts)


_CONSTANTS = {None: "null", True: "true", False: "false"}


class _NotPlain(Exception):
    """A value ``_write`` leaves to ``json``."""


def _write(value: Any, newline: str, step: str, parts: list[str]) -> None:
    """Append the text of ``value``, indented from ``newline`` (a line break and spaces)
    by ``step`` at each level."""
    if isinstance(value, str):
        parts.append(_string(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return
        inner = newline + step
        separator = "{" + inner
        for key in sorted(value):
            if not isinstance(key, str):
                raise _NotPlain
            item = value[key]
            kind = type(item)
            if kind is str:  # the most common values, in one step
                parts.append(separator + _string(key) + ": " + _string(item))
            elif kind is int:
                parts.append(separator + _string(key) + ": " + int.__repr__(item))
            else:
                parts.append(separator + _string(key) + ": ")
                _write(item, inner, step, parts)
            separator = "," + inner
        parts.append(newline + "}")
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + step
        separator = "[" + inner
        for item in value:
            parts.append(separator)
            _write(item, inner, step, parts)
            separator = "," + inner
        parts.append(newline + "]")
    elif value is None or value is True or value is False:
        parts.append(_CONSTANTS[value])
    elif isinstance(value, int | float):
        parts.append(json.dumps(value))
    else:
        raise _NotPlain
