"""What the splices of a rebuild's documents share: their indexes' files, and runs.

A build keeps an index of each document it writes a piece at a time, so that the next
build can copy the pieces that did not change (``graph.jsonldsplice`` for JSON-LD,
``graph.rdfsplice`` for Turtle and TriG). Each index is kept as one file beside the
kept texts, named by its format and the code that wrote it, its first line its key and
the SHA-256 of the rest (``graph.buildcache.write_keyed``): an index cut short, edited,
or written by other code is read as missing, and the document written in full.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import numpy as np

from .buildcache import code_digest, read_keyed_mapped, write_keyed

__all__ = [
    "Encoded",
    "cut_head",
    "index_path",
    "keep_encoded",
    "read_decoded",
    "runs",
    "strings",
]

T = TypeVar("T")


class Encoded(Protocol):
    def encoded(self) -> Sequence[bytes] | None: ...


def index_path(folder: Path, index_format: str) -> Path:
    """The file in ``folder`` of an index of ``index_format``, for the code that runs now."""
    key = f"{index_format}\n{code_digest()}"
    return folder / f"{hashlib.sha256(key.encode()).hexdigest()}.index"


def keep_encoded(path: Path, index: Encoded) -> bool:
    """Write ``index`` as ``path`` (see the module); whether it could be written (an
    index whose text its file cannot hold is not)."""
    pieces = index.encoded()
    if pieces is None:
        return False
    write_keyed(path, pieces)
    return True


def read_decoded(path: Path, of: Callable[[memoryview], T]) -> T | None:
    """The index ``keep_encoded`` wrote as ``path``, mapped in memory and read by ``of``;
    None when it is missing or damaged (``of`` raises ``ValueError``, ``TypeError`` or
    ``KeyError``)."""
    payload = read_keyed_mapped(path)
    if payload is None:
        return None
    try:
        return of(payload)
    except (ValueError, TypeError, KeyError):
        return None


def cut_head(payload: bytes | memoryview) -> tuple[bytes, memoryview]:
    """An index's first line and the rest of it, the rest not copied (tens of megabytes
    at 100,000 statements); raises ``ValueError`` where there is no line."""
    view = memoryview(payload)
    at, step = 0, 1 << 16
    while at < len(view):  # the line looked for a stretch at a time
        found = bytes(view[at : at + step]).find(b"\n")
        if found >= 0:
            return bytes(view[: at + found]), view[at + found + 1 :]
        at += step
    raise ValueError("no first line")


def strings(items: Any) -> bool:
    """Whether ``items`` is a list of strings."""
    return isinstance(items, list) and all(isinstance(item, str) for item in items)


def runs(taken: np.ndarray, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of pieces taken (``taken`` true) among ``start`` to ``end`` (not
    included), each as its first and last."""
    found = np.flatnonzero(taken[start:end]) + start
    if not len(found):
        return []
    breaks = np.flatnonzero(np.diff(found) != 1)
    firsts = np.concatenate([[found[0]], found[breaks + 1]])
    lasts = np.concatenate([found[breaks], [found[-1]]])
    return list(zip(firsts.tolist(), lasts.tolist(), strict=True))
