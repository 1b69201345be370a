"""Pause Python's cycle collector while a graph of millions of objects is made and read.

The collector runs whenever the objects made since its last run pass a threshold, and
its full runs walk every object still alive. Building and writing a corpus's graph makes
millions of objects (terms, tuples, index entries) that all live until the end, so each
run finds nothing to free and the runs together took about a third of building the
dataset of 30,000 statements. Objects are still freed as soon as nothing refers to them;
only cycles wait for the collector, which resumes afterwards. Forked workers inherit the
pause, and, with it paused, do not write into every object's header and so do not copy
the pages they only read. ``apg review`` pauses it too while it reads an annotation
file, whose tens of thousands of small objects form no cycle either.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


@contextmanager
def paused() -> Iterator[None]:
    """Keep the cycle collector from running inside the block; as it was afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
