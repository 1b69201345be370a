"""Errors raised for bad input: each names the file, the item and what is wrong."""

from __future__ import annotations

import re
import reprlib
from pathlib import Path
from typing import Any

__all__ = [
    "MAX_PROBLEM_CHARS",
    "MAX_SHOWN_CHARS",
    "AnnotationError",
    "BuildError",
    "ExtractionError",
    "SelectionError",
    "ValidationError",
    "cut",
    "one_line",
    "shown",
]

MAX_SHOWN_CHARS = 80
"""How much of a value an error message shows (``shown``)."""
MAX_PROBLEM_CHARS = 600
"""How long the problem of an ``AnnotationError`` may be (the file's path comes on top)."""


# what would break a message into lines: control characters and Unicode's line breaks
_LINE_BREAKING = re.compile("[\x00-\x1f\x7f\x85\u2028\u2029]")


def one_line(text: str) -> str:
    """``text`` with control characters and line breaks written as escapes, like ``repr``.

    >>> one_line("data/one\\n/annotation.yaml")
    'data/one\\\\n/annotation.yaml'
    """
    return _LINE_BREAKING.sub(lambda found: repr(found.group())[1:-1], text)


def cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, ending in '…' when it was cut.

    >>> cut("Ruritania blamed Freedonia", 12)
    'Ruritania b…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _ShortRepr(reprlib.Repr):
    """``reprlib.Repr`` that reads a dict subclass as a dict and survives huge integers."""

    def repr1(self, x: Any, level: int) -> str:
        if isinstance(x, dict) and type(x) is not dict:
            x = dict(x)
        if isinstance(x, int) and not isinstance(x, bool) and x.bit_length() > 256:
            return f"<a number of {x.bit_length()} bits>"
        return super().repr1(x, level)


_SHORT_REPR = _ShortRepr()
_SHORT_REPR.maxlevel = 3
_SHORT_REPR.maxstring = _SHORT_REPR.maxother = MAX_SHOWN_CHARS
_SHORT_REPR.maxlist = _SHORT_REPR.maxdict = _SHORT_REPR.maxtuple = _SHORT_REPR.maxset = 6


def shown(value: object, limit: int = MAX_SHOWN_CHARS) -> str:
    """``value`` as an error message shows it: like ``repr``, cut to ``limit`` characters.

    Only the part shown is formatted, so a huge value costs no more than a small one.

    >>> shown("Freedonia")
    "'Freedonia'"
    >>> shown("x" * 100, 10)
    "'xxxxxxxx…"
    >>> shown(2**1000)
    '<a number of 1001 bits>'
    """
    if isinstance(value, str):
        return cut(repr(value[: limit + 1]), limit)
    return cut(_SHORT_REPR.repr(value), limit)


class BuildError(Exception):
    """A build could not complete; the message is one line, fit for a user."""


class AnnotationError(BuildError):
    """An annotation file or a source text is malformed.

    The message reads ``FILE: ITEM: PROBLEM`` (the item is omitted when the problem
    concerns the whole file); the problem is cut to ``MAX_PROBLEM_CHARS`` characters, the
    item to twice ``MAX_SHOWN_CHARS``, and a control character or line break (in a
    folder's name, say) is written as an escape, so the message stays one readable line.
    ``field`` names the item's field the problem is in ("relation", "quote"), when known.
    """

    def __init__(
        self, path: Path | str, problem: str, item: str | None = None, *, field: str | None = None
    ) -> None:
        self.path = Path(path)
        self.field = field
        self.item = cut(item, MAX_SHOWN_CHARS * 2) if item else item
        self.problem = cut(problem, MAX_PROBLEM_CHARS)
        item = self.item
        where = f"{self.path}: {item}" if item else str(self.path)
        super().__init__(one_line(f"{where}: {self.problem}"))

    def __reduce__(self) -> Any:  # made again from its parts, as a worker sends it back
        made = (type(self), self.path, self.problem, self.item, self.field)
        return _annotation_error, made, self.__dict__


class ValidationError(BuildError):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, report: str, violations: list[str]) -> None:
        self.report = report
        self.violations = violations
        first = violations[0] if violations else "see the report"
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"graph does not conform to the shapes: {first}{more}")

    def __reduce__(self) -> Any:
        return type(self), (self.report, self.violations), self.__dict__


class SelectionError(BuildError):
    """A sub-graph was asked for by a name, relation or type that the graph lacks."""


class ExtractionError(BuildError):
    """A text given to ``apg extract`` cannot be read as an article: ``FILE: PROBLEM``."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")

    def __reduce__(self) -> Any:
        return type(self), (self.path, self.problem), self.__dict__


def _annotation_error(
    kind: type[AnnotationError], path: Path, problem: str, item: str | None, field: str | None
) -> AnnotationError:
    return kind(path, problem, item, field=field)
