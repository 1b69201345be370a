"""Errors raised for bad input: each names the file, the item and what is wrong."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "AnnotationError",
    "BuildError",
    "ExtractionError",
    "SelectionError",
    "ValidationError",
]


class BuildError(Exception):
    """A build could not complete; the message is one line, fit for a user."""


class AnnotationError(BuildError):
    """An annotation file or a source text is malformed.

    The message reads ``FILE: ITEM: PROBLEM`` (the item is omitted when the problem
    concerns the whole file).
    """

    def __init__(self, path: Path | str, problem: str, item: str | None = None) -> None:
        self.path = Path(path)
        self.item = item
        self.problem = problem
        where = f"{self.path}: {item}" if item else str(self.path)
        super().__init__(f"{where}: {problem}")


class ValidationError(BuildError):
    """The built graph does not conform to the SHACL shapes."""

    def __init__(self, report: str, violations: list[str]) -> None:
        self.report = report
        self.violations = violations
        first = violations[0] if violations else "see the report"
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        super().__init__(f"graph does not conform to the shapes: {first}{more}")


class SelectionError(BuildError):
    """A sub-graph was asked for by a name, relation or type that the graph lacks."""


class ExtractionError(BuildError):
    """A text given to ``apg extract`` cannot be read as an article: ``FILE: PROBLEM``."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")
