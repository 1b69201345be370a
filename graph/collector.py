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

The pieces of work run on such a graph (``graph.forked``) make cycles of their own that
die with them: each network projected for the page or a network file is a NetworkX graph
whose cached views refer back to it. Paused, the collector left them all in memory to the
end (at 30,000 statements, in one process, 5.6 million objects where the graph is 1.9
million). ``cycles_freed_after`` runs the collector once at the end of a piece, over what
the piece made, not over the graph made before it: the graph is frozen (``gc.freeze``:
the collector never walks it), so the run costs what the piece made. ``give_back_freed``
then returns to the system the memory freed outside Python's own allocator (the checks'
Oxigraph store, large strings).
"""

from __future__ import annotations

import ctypes
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["cycles_freed_after", "give_back_freed", "paused"]

_frozen = 0  # how many ``cycles_freed_after`` blocks are open: the outermost freezes
_frozen_before = False  # whether objects were frozen before the outermost block began


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


@contextmanager
def cycles_freed_after() -> Iterator[None]:
    """Free the cycles the block leaves, at its end, without walking what existed before.

    What exists when the outermost such block begins is frozen (``gc.freeze``) until it
    ends, so that the collector's run at the end of the block walks only the objects made
    in it. Where something was frozen before (the caller's own ``gc.freeze``), everything
    stays frozen afterwards: a freeze is the whole process's, and not this block's to undo.
    The collector is not started inside the block: run there, it took a fifth to a third
    more time for the outputs of a corpus, which make millions of objects. A
    process forked inside the block inherits the frozen objects.
    """
    global _frozen, _frozen_before
    if _frozen == 0:
        _frozen_before = gc.get_freeze_count() > 0
        gc.freeze()
    _frozen += 1
    try:
        yield
        gc.collect()
    finally:
        _frozen -= 1
        if _frozen == 0 and not _frozen_before:
            gc.unfreeze()


def give_back_freed() -> None:
    """Return to the system the memory that is free in the C library's heap (glibc's
    ``malloc_trim``), where Python or a library (the checks' Oxigraph store) freed it but
    the heap kept it; nothing elsewhere."""
    if _malloc_trim is not None:
        _malloc_trim(0)


def _trim_function() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        # the symbols this process already has, the C library's among them
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim
        return trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None


_malloc_trim = _trim_function()
