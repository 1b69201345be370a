"""The output folder: each build written whole beside the last, then switched in one step.

``apg build --out OUT`` writes a new build into ``OUT/builds/ID/`` and, once every file
of it is written, points the link ``OUT/current`` at it with one rename. The names users
open (``OUT/graph.ttl``, ``OUT/store``, ...) are links through ``OUT/current``, so they
all change at the same instant, and a build that is killed leaves the previous one whole.

Readers (``apg query``, ``apg serve``) resolve the links once and read the build folder
itself, which never changes after it is written; ``reading`` holds a shared lock on it so
that a later build does not delete it while it is read.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["BUILDS_DIR", "CURRENT_LINK", "MANIFEST", "READERS_LOCK", "build_folder", "reading"]

BUILDS_DIR = "builds"
CURRENT_LINK = "current"
MANIFEST = "MANIFEST.json"
"""Written last into a build folder: a build without it is unfinished."""
READERS_LOCK = ".readers.lock"
"""An empty file in each build folder; readers hold a shared lock on it."""
_RETRIES = 20


def build_folder(path: Path | str) -> Path | None:
    """The finished build folder that holds ``path`` once links are resolved, else None."""
    real = Path(os.path.realpath(path))
    for folder in (real, *real.parents):
        if folder.parent.name == BUILDS_DIR and (folder / MANIFEST).is_file():
            return folder
    return None


@contextmanager
def reading(path: Path | str) -> Iterator[Path]:
    """Resolve ``path`` and keep the build folder it lies in from being deleted meanwhile.

    Yields the resolved path, which stays valid for the whole ``with`` block even when a
    new build is switched in. A path outside any build folder is yielded resolved, with
    no lock. A build folder deleted between resolving and locking is resolved again.
    """
    for _ in range(_RETRIES):
        real = Path(os.path.realpath(path))
        folder = build_folder(real)
        if folder is None:
            yield real
            return
        try:
            descriptor = os.open(folder / READERS_LOCK, os.O_RDONLY)
        except FileNotFoundError:
            continue  # deleted by a build after it was resolved: resolve again
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)
            if not (folder / MANIFEST).is_file():
                continue  # a build is deleting it
            yield real
            return
        finally:
            os.close(descriptor)
    yield Path(os.path.realpath(path))
