"""Run independent pieces of work at once, in forked copies of this process.

A build writes Turtle, TriG, JSON-LD, the page and the networks from one graph, each
piece on its own and each costing seconds at corpus size. ``run_all`` runs each such
piece in a worker process forked for it from this one, which sees the graph without it
being copied or sent (the operating system shares the memory until a worker writes to
it), and sends back only its result. Where forking is not available (not Linux), where
one worker is asked for, or where the memory left would not hold a worker's copy of the
pages it touches, the pieces run here, one after the other: the results are the same.

A worker ends with its piece: Python writes a count into every object it reads, so
the pages of this process a piece read are copied into its worker, and a worker kept
for the next piece held them through it (at 100,000 statements, the workers that had
written Turtle or JSON-LD went on holding 0.4 to 0.7 GiB of such copies while they made
the network files).

Where the pieces run here, the cycle collector runs at the end of each piece over what
the piece made (see ``graph.collector.cycles_freed_after``), so the cycles a piece
leaves (the networks it projected) are freed when it ends, rather than held by this
process through all the pieces after it; the memory they took is then given back to the
system. A worker, which ends with its piece, collects nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import multiprocessing
import os
import pickle
import secrets
import sys
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import collector

__all__ = ["HandOff", "available_bytes", "cpus", "even_runs", "run_all"]

T = TypeVar("T")
_WORK: list[Callable[[], Any]] = []


def cpus() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1  # pragma: no cover (not Linux)


def even_runs(sizes: Sequence[int], count: int) -> list[list[int]]:
    """The indices of ``sizes`` cut into up to ``count`` runs in order, of about equal
    sums: the pieces of work to give ``count`` workers.

    Each index goes to the run whose share of the total holds the middle of its size,
    counted from the start: a large size is a run of its own, and the small ones after
    it share one run rather than each making one.

    >>> even_runs([10, 10, 10, 10, 100, 10], 3)
    [[0, 1, 2, 3], [4], [5]]
    >>> even_runs([100, 1, 1, 1, 1], 4)
    [[0], [1, 2, 3, 4]]
    """
    total, done = sum(sizes), 0
    runs: dict[int, list[int]] = {}
    for index, size in enumerate(sizes):
        middle = 2 * done + size  # twice the middle of this size, counted from the start
        share = min(count - 1, middle * count // (2 * total)) if total else 0
        runs.setdefault(share, []).append(index)
        done += size
    return list(runs.values())


def run_all(
    work: Sequence[Callable[[], T]],
    jobs: int | None = None,
    *,
    check: Callable[[int, T], None] | None = None,
    then: Callable[[], Sequence[Callable[[], T]]] | None = None,
) -> list[T]:
    """The result of each piece of ``work``, in order, each run in a process forked for
    it, up to ``jobs`` at once (by default one per CPU).

    An exception a piece raises is raised here. A worker that dies (killed, out of
    memory) raises ``concurrent.futures.process.BrokenProcessPool``. ``check``, when
    given, sees each result as soon as it comes (its index, the result), in the order
    the pieces end, once the pieces that the freed workers take next have begun (what
    it does holds back no worker); an exception it raises ends the run at once: the
    pieces not begun are dropped, the workers still at work (those just begun among
    them) are stopped, and the exception is raised here.

    ``then``, when given, is work of this process that gives more pieces: the first
    pieces of ``work`` begin in up to ``jobs - 1`` workers while it runs here (it takes
    the place of a worker), and the pieces it gives begin before the rest of ``work``;
    their results follow those of ``work`` (and their indices, for ``check``). An
    exception ``then`` raises stops the workers and is raised here. Where the pieces
    run here, ``then`` and its pieces come first: a piece that checks comes before the
    work it would make useless.
    """
    workers = jobs or cpus()
    if then is None:  # else as many as the pieces ``then`` gives may be worth a worker
        workers = min(workers, len(work))
    if workers < 2 or not _can_fork() or not _memory_for(workers):
        more = [] if then is None else list(then())
        ordered = [*range(len(work), len(work) + len(more)), *range(len(work))]
        pieces = [*work, *more]
        found: dict[int, T] = {}
        for index in ordered:
            found[index] = _done(pieces[index])
            if check is not None:
                check(index, found[index])
        return [found[index] for index in range(len(pieces))]
    global _WORK
    outer, _WORK = _WORK, list(work)  # ``then`` may run pieces of its own
    try:
        return _in_forked_workers(len(work), workers, check, then)
    finally:
        _WORK = outer


class HandOff(Generic[T]):
    """A value made once by the first worker that needs it, and read by the workers
    forked after that from a file at ``path``: for a value that costs more to make than
    to read (the statement network of 100,000 statements took 1.7 s to make, 0.2 s to
    read back, in each of the three pieces that need it).

    Made in this process, before the workers are forked. ``value`` in a worker reads the
    file where it is there, else makes the value and writes the file (to a file of its
    own, then renamed: a worker never reads one half written); a worker that comes while
    another is still making it makes its own, the same value. In this process, ``value``
    only makes it (the caller keeps it; no worker will ask). The file is signed with a
    key made here, which only this process and its workers hold: a file that is not
    whole, or not written by one of them, is not read but made again.
    """

    def __init__(self, path: Path) -> None:
        self._path = path
        self._key = secrets.token_bytes(32)
        self._maker = os.getpid()

    def value(self, make: Callable[[], T]) -> T:
        """The value: read from the file, else made by ``make`` (and handed off)."""
        if os.getpid() == self._maker:
            return make()
        found = self._read()
        if found is not None:
            return found[0]
        made = make()
        self._write(made)
        return made

    def _read(self) -> tuple[T] | None:
        try:
            data = self._path.read_bytes()
        except OSError:
            return None
        signature, payload = data[:_SIGNATURE], memoryview(data)[_SIGNATURE:]
        if not hmac.compare_digest(signature, self._sign(payload)):
            return None
        with collector.paused():
            found: tuple[T] = pickle.loads(payload)
        return found

    def _write(self, value: T) -> None:
        payload = pickle.dumps((value,), protocol=pickle.HIGHEST_PROTOCOL)
        written = self._path.with_name(f"{self._path.name}.{os.getpid()}")
        try:
            with open(written, "wb") as file:
                file.write(self._sign(payload))
                file.write(payload)
            os.replace(written, self._path)
        except OSError:  # the others make it too
            written.unlink(missing_ok=True)

    def _sign(self, payload: bytes | memoryview) -> bytes:
        return hmac.new(self._key, payload, hashlib.sha256).digest()


_SIGNATURE = 32  # the bytes of an HMAC-SHA256


def _in_forked_workers(
    count: int,
    workers: int,
    check: Callable[[int, Any], None] | None,
    then: Callable[[], Sequence[Callable[[], Any]]] | None = None,
) -> list[Any]:
    """The results of the ``count`` pieces of ``_WORK``, each run in a process forked
    for it alone, up to ``workers`` at once, begun in order; with ``then``, those of the
    pieces it gives too (see ``run_all``), added to ``_WORK``.

    A process that ran a piece ends with it: the pages of this process it touched (a
    page Python writes a count into is copied for the worker) and what it made are given
    back, rather than held by a worker through the pieces after it. The next piece
    begins as soon as a result comes, not once its worker has ended (it gives its
    memory back meanwhile); the workers that ended are reaped as the run goes on.
    """
    context = multiprocessing.get_context("fork")
    waiting = deque(range(count))
    running: dict[int, tuple[Any, Connection]] = {}
    ending: list[Any] = []  # workers that gave their result
    results: dict[int, Any] = {}

    def begin() -> None:
        while waiting and len(running) < workers - (then is not None):
            index = waiting.popleft()
            receiving, sending = context.Pipe(duplex=False)
            process = context.Process(target=_worker, args=(index, sending))
            process.start()
            sending.close()  # the worker's end: once it is gone, reading ends
            running[index] = (process, receiving)

    try:
        while waiting or running or then is not None:
            ending = [process for process in ending if process.is_alive()]  # reaps
            begin()
            if then is not None:  # this process's own work, beside the workers begun
                more = then()
                then = None
                waiting.extendleft(reversed(range(len(_WORK), len(_WORK) + len(more))))
                _WORK.extend(more)
                continue
            ready = wait([receiving for _, receiving in running.values()])
            came: list[int] = []
            for index in [n for n, (_, receiving) in running.items() if receiving in ready]:
                process, receiving = running.pop(index)
                with receiving:
                    try:
                        succeeded, value = receiving.recv()
                    except EOFError:
                        process.join()
                        raise BrokenProcessPool(
                            "a worker ended before it gave its result "
                            f"(exit code {process.exitcode})"
                        ) from None
                ending.append(process)
                if not succeeded:
                    raise value
                results[index] = value
                came.append(index)
            begin()  # the next pieces begin before ``check`` looks at the results
            if check is not None:
                for index in came:
                    check(index, results[index])
    finally:
        _stop([process for process, _ in running.values()])
        for _, receiving in running.values():
            receiving.close()
    return [results[index] for index in range(len(_WORK))]


def _worker(index: int, sending: Connection) -> None:
    """Run piece ``index`` of ``_WORK`` and send back ``(True, result)``, or ``(False,
    exception)`` with the worker's traceback as a note of the exception.

    What the piece made is not collected (``_done``): the worker ends with it, and the
    result is sent at once (a collection took about 0.3 s after Turtle and TriG at
    30,000 statements, before the next piece could begin)."""
    try:
        outcome: tuple[bool, Any] = (True, _WORK[index]())
    except BaseException as error:  # sent back, raised by the caller
        error.add_note(f"raised in a worker:\n{traceback.format_exc()}")
        outcome = (False, error)
    with sending:
        sending.send(outcome)


def _stop(processes: list[Any]) -> None:
    """Stop ``processes`` (workers still at work) and wait for them to end: a worker
    still at work would go on writing (a build's staged files) into folders the caller
    is about to remove."""
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=10)
        if process.is_alive():
            process.kill()
            process.join()


def _done(piece: Callable[[], T]) -> T:
    """What ``piece`` gives, with the cycles it left freed and their memory given back."""
    with collector.cycles_freed_after():
        result = piece()
    collector.give_back_freed()
    return result


def _can_fork() -> bool:
    # a spawned worker would import the caller's main module again and could not see
    # the graph; fork is Linux's default and safe for the pieces run here, none of which
    # opens an on-disk Oxigraph store, whose threads a fork does not copy (a build hands
    # the store to a started process: graph.sparql.store.StoreLoad)
    return sys.platform == "linux" and "fork" in multiprocessing.get_all_start_methods()


def _memory_for(workers: int) -> bool:
    """Whether the memory available could hold a copy of this process for each worker."""
    try:
        return available_bytes() > workers * _resident_bytes()
    except (OSError, ValueError):
        return False


def available_bytes() -> int:
    """The memory Linux could give without swapping (``MemAvailable``: free pages and the
    page cache it can drop)."""
    with open("/proc/meminfo", encoding="ascii") as meminfo:
        for line in meminfo:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")


def _resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
