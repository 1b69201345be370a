"""Worker processes that answer queries on one build of the store, fairly and in bounds.

A query runs in a worker process that holds the store open read-only; the worker also
writes the answer (in rows and bytes within the limits), so the whole work of a query
fits in the time limit, and sends the bytes back. A worker that runs past the limit is
killed and replaced.

Fairness: ``size`` general workers take queries first. When they are all busy, a query
goes to a reserved worker for a short slice (``DEFAULT_SLICE``); a cheap query answers
there at once. A query that overruns the slice is stopped (the reserved worker is
killed and a warm spare, started ahead, takes its place at once), waits for a general
worker and runs there with the whole time limit; it and the same text sent again never
go to the reserved worker again (the pool remembers the last ``SLOW_MEMORY`` of them).

Workers are forked from a server process that has imported this module, so a new one
is ready in about 40 ms instead of 2.6 s for a fresh interpreter. A worker whose memory
grew by more than ``RECYCLE_BYTES`` while answering (a large answer) is replaced, so
the memory goes back to the system.
"""

from __future__ import annotations

import contextlib
import hashlib
import multiprocessing
import os
import signal
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..errors import BuildError
from ..output import reading
from .defaults import DEFAULT_MAX_BYTES, DEFAULT_MAX_ROWS, DEFAULT_TIMEOUT
from .query import NotWritable, QueryError, RefusedQuery, answer_query
from .results import Written
from .store import StoreError, open_store

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_ROWS",
    "DEFAULT_SLICE",
    "DEFAULT_TIMEOUT",
    "RECYCLE_BYTES",
    "Busy",
    "QueryTimeout",
    "QueryWorkers",
    "Retired",
]

DEFAULT_SLICE = 0.5
"""Seconds a query may run on the reserved worker before it is moved to a general one."""
RECYCLE_BYTES = 256 * 1024 * 1024
"""Growth of a worker's resident memory, since it started, past which it is replaced."""
SLOW_MEMORY = 256
STARTUP_SECONDS = 60.0
GENERAL, RESERVED = "general", "reserved"


class QueryTimeout(QueryError):
    """A query ran past the time limit and was stopped."""


class Busy(QueryError):
    """Every worker stayed busy for longer than the time limit."""


class Retired(QueryError):
    """The pool was closed (a new build is served, or the server stops) before the query
    got a worker; ask the pool that is current now."""


@dataclass(eq=False)
class _Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    stopping: bool = False


def _work(
    connection: Connection, store_path: str, limits: tuple[int, int, int], server: int
) -> None:
    """A worker's loop: answer each ``(query, format)`` sent on ``connection`` until None
    arrives or the server is gone.

    ``limits`` are the rows and bytes an answer may hold and the growth in memory past
    which the worker asks to be replaced.
    """
    max_rows, max_bytes, recycle_bytes = limits
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's to handle
    threading.Thread(target=_watch_server, args=(server,), daemon=True).start()
    try:
        store = open_store(store_path)
    except BuildError as error:
        _send(connection, ("failed", str(error)))
        return
    started = _resident_bytes()
    _send(connection, ("ready", None))
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        sparql, output_format = request
        reply: tuple[str, Any]
        try:
            written = answer_query(
                sparql, store, output_format, max_rows=max_rows, max_bytes=max_bytes
            )
            reply = ("ok", written)
        except RefusedQuery as error:
            reply = ("refused", str(error))
        except NotWritable as error:
            reply = ("not-writable", str(error))
        except BuildError as error:
            reply = ("error", str(error))
        grown = _resident_bytes() - started
        if not _send(connection, (*reply, grown > recycle_bytes)):
            return


def _send(connection: Connection, message: object) -> bool:
    try:
        connection.send(message)
    except (OSError, EOFError):
        return False
    return True


def _watch_server(server: int) -> None:
    """End this worker when the server process is gone, even in the middle of a query."""
    while True:
        time.sleep(1.0)
        try:
            os.kill(server, 0)
        except ProcessLookupError:
            os._exit(0)
        except PermissionError:  # the number now belongs to another user's process
            os._exit(0)


def _resident_bytes() -> int:
    """This process's resident memory (Linux), or 0 where it cannot be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _context() -> Any:  # a ForkServerContext or a SpawnContext
    """Fork workers from a server process that has imported this module, where possible."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # with "__main__" too, the program's main module is imported there once, not again
        # in every worker
        context.set_forkserver_preload(["__main__", __name__])
        return context
    return multiprocessing.get_context("spawn")


class QueryWorkers:
    """Worker processes that answer queries on one build of a store, each within a time
    limit (see the module's docstring for how queries are shared out).

    ``store`` is resolved once: the workers read the build folder it points at, which is
    kept (``output.reading``) until the pool is closed and its last query has finished.
    Raises ``StoreError`` when there is no store there or no worker can open it.
    """

    def __init__(
        self,
        store: Path | str,
        *,
        size: int = 2,
        timeout: float = DEFAULT_TIMEOUT,
        slice_seconds: float = DEFAULT_SLICE,
        max_rows: int = DEFAULT_MAX_ROWS,
        max_bytes: int = DEFAULT_MAX_BYTES,
        spares: int = 1,
        recycle_bytes: int = RECYCLE_BYTES,
    ) -> None:
        self.timeout = timeout
        self.slice_seconds = slice_seconds
        self.max_rows = max_rows
        self.max_bytes = max_bytes
        self._limits = (max_rows, max_bytes, recycle_bytes)
        self._context = _context()
        self._changed = threading.Condition()
        self._idle: dict[str, list[_Worker]] = {GENERAL: [], RESERVED: []}
        self._wanted = {GENERAL: size, RESERVED: 1}
        self._members = {GENERAL: 0, RESERVED: 0}
        self._spares: list[_Worker] = []
        self._wanted_spares = spares
        self._all: set[_Worker] = set()
        self._slow: OrderedDict[bytes, None] = OrderedDict()
        self._closing = False
        self._released = False
        self._build = contextlib.ExitStack()
        self.store_path = self._build.enter_context(reading(store))
        try:
            open_store(self.store_path)  # fail now, in the caller, if there is no store
            self._start_all(size + 1 + spares)
        except BaseException:
            self.terminate()
            raise
        self._staffer = threading.Thread(target=self._staff, name="apg-staffer", daemon=True)
        self._staffer.start()

    def _start_all(self, count: int) -> None:
        starting = [self._launch() for _ in range(count)]
        for worker in starting:
            problem = self._await_ready(worker)
            if problem:
                raise StoreError(f"{self.store_path}: a query worker could not start: {problem}")
            with self._changed:
                self._place(worker)

    def _launch(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_work,
            args=(theirs, str(self.store_path), self._limits, os.getpid()),
            name="apg-query-worker",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = _Worker(process, mine)
        with self._changed:
            self._all.add(worker)
        return worker

    def _await_ready(self, worker: _Worker) -> str:
        """Wait for a new worker's first word; return what went wrong, or ''."""
        try:
            if worker.connection.poll(STARTUP_SECONDS):
                status, problem = worker.connection.recv()
                if status == "ready":
                    return ""
            else:
                problem = f"not ready after {STARTUP_SECONDS:g} s"
        except (EOFError, OSError):
            problem = f"it ended (exit code {worker.process.exitcode})"
        self._stop(worker, kill=True)
        return str(problem)

    def _place(self, worker: _Worker) -> None:
        """Give a ready worker a place: a missing reserved or general one, else a spare."""
        for role in (RESERVED, GENERAL):
            if self._members[role] < self._wanted[role]:
                self._members[role] += 1
                self._idle[role].append(worker)
                self._changed.notify_all()
                return
        self._spares.append(worker)

    def _missing(self) -> int:
        places = sum(self._wanted[role] - self._members[role] for role in (GENERAL, RESERVED))
        return places + self._wanted_spares - len(self._spares)

    def _staff(self) -> None:
        """Keep every place and the spares filled, starting workers as they are needed."""
        while True:
            with self._changed:
                while not self._closing and self._missing() <= 0:
                    self._changed.wait()
                if self._closing:
                    return
            worker = self._launch()
            problem = self._await_ready(worker)
            with self._changed:
                if problem or self._closing:
                    placed = False
                else:
                    self._place(worker)
                    placed = True
            if not placed:
                if not problem:
                    self._stop(worker)
                self._release_build_when_done()
                time.sleep(1.0)  # a store that went away: do not spin

    def answer(self, sparql: str, output_format: str) -> Written:
        """Answer a query, written in ``output_format``, in a worker.

        Raises ``QueryTimeout`` past the time limit, ``Busy`` when no worker is free
        within it, ``Retired`` when the pool closed first, and the query's own
        ``RefusedQuery``, ``NotWritable`` or ``QueryError``.
        """
        request = (sparql, output_format)
        digest = hashlib.blake2b(sparql.encode("utf-8"), digest_size=16).digest()
        worker, role = self._acquire(may_reserve=not self._is_slow(digest))
        if role == RESERVED:
            reply = self._ask(worker, role, request, self.slice_seconds)
            if reply is not None:
                return _outcome(reply)
            self._remember_slow(digest)
            worker, role = self._acquire(may_reserve=False)
        reply = self._ask(worker, role, request, self.timeout)
        if reply is None:
            raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
        return _outcome(reply)

    def _acquire(self, *, may_reserve: bool) -> tuple[_Worker, str]:
        deadline = time.monotonic() + self.timeout
        with self._changed:
            while True:
                if self._closing:
                    raise Retired("the pool was closed")
                if self._idle[GENERAL]:
                    return self._idle[GENERAL].pop(), GENERAL
                if may_reserve and self._idle[RESERVED]:
                    return self._idle[RESERVED].pop(), RESERVED
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise Busy(f"every worker is busy; try again (limit {self.timeout:g} s)")
                self._changed.wait(remaining)

    def _ask(
        self, worker: _Worker, role: str, request: tuple[str, str], seconds: float
    ) -> tuple[str, Any, bool] | None:
        """Send a query to a worker; None when it did not answer within ``seconds``."""
        try:
            worker.connection.send(request)
            if not worker.connection.poll(seconds):
                self._discard(worker, role)
                return None
            reply: tuple[str, Any, bool] = worker.connection.recv()
        except (EOFError, OSError):
            self._discard(worker, role)
            raise QueryError("the query worker failed; the query was not answered") from None
        if reply[2]:  # its memory grew with a large answer: give it back to the system
            self._discard(worker, role, kill=False)
        else:
            self._release(worker, role)
        return reply

    def _is_slow(self, digest: bytes) -> bool:
        with self._changed:
            return digest in self._slow

    def _remember_slow(self, digest: bytes) -> None:
        with self._changed:
            self._slow[digest] = None
            self._slow.move_to_end(digest)
            while len(self._slow) > SLOW_MEMORY:
                self._slow.popitem(last=False)

    def _release(self, worker: _Worker, role: str) -> None:
        with self._changed:
            if not self._closing:
                self._idle[role].append(worker)
                self._changed.notify_all()
                return
            self._members[role] -= 1
        self._stop(worker)
        self._release_build_when_done()

    def _discard(self, worker: _Worker, role: str, *, kill: bool = True) -> None:
        """Stop a worker and give its place to a spare at once (the staffer starts another)."""
        self._stop(worker, kill=kill)
        with self._changed:
            self._members[role] -= 1
            if not self._closing and self._spares:
                self._members[role] += 1
                self._idle[role].append(self._spares.pop())
            self._changed.notify_all()
        self._release_build_when_done()

    def _stop(self, worker: _Worker, *, kill: bool = False) -> None:
        """End a worker: ask it to (or kill it), wait for it, forget it. Only the first
        of two threads that stop the same worker (a request and ``terminate``) does it."""
        with self._changed:
            if worker.stopping:
                return
            worker.stopping = True
        # a worker killed meanwhile, or its pipe closed: it is gone either way
        with contextlib.suppress(OSError, ValueError):
            if not kill:
                with contextlib.suppress(OSError):
                    worker.connection.send(None)
                worker.process.join(timeout=2)
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join(timeout=5)
        worker.connection.close()
        with self._changed:
            self._all.discard(worker)

    def close(self) -> None:
        """Stop taking queries: idle workers end now, busy ones when their query is done;
        the build is released when the last has ended."""
        with self._changed:
            self._closing = True
            idle = [*self._idle[GENERAL], *self._idle[RESERVED], *self._spares]
            for role in (GENERAL, RESERVED):
                self._members[role] -= len(self._idle[role])
                self._idle[role].clear()
            self._spares.clear()
            self._changed.notify_all()
        for worker in idle:
            self._stop(worker)
        self._release_build_when_done()

    def terminate(self) -> None:
        """Close the pool and kill every worker at once, busy or not."""
        self.close()
        with self._changed:
            workers = list(self._all)
        for worker in workers:
            self._stop(worker, kill=True)
        self._release_build_when_done()

    def _release_build_when_done(self) -> None:
        with self._changed:
            if not self._closing or self._all or self._released:
                return
            self._released = True
        self._build.close()

    def status(self) -> dict[str, tuple[int, ...]]:
        """The process ids of the idle general and reserved workers, of the spares, and of
        every worker alive (``all``): what the pool holds at this instant."""
        with self._changed:
            return {
                GENERAL: tuple(worker.process.pid or 0 for worker in self._idle[GENERAL]),
                RESERVED: tuple(worker.process.pid or 0 for worker in self._idle[RESERVED]),
                "spares": tuple(worker.process.pid or 0 for worker in self._spares),
                "all": tuple(sorted(worker.process.pid or 0 for worker in self._all)),
            }

    @property
    def released(self) -> bool:
        """Whether the pool is closed, every worker has ended and the build is released."""
        with self._changed:
            return self._released


def _outcome(reply: tuple[str, Any, bool]) -> Written:
    status, payload, _ = reply
    if status == "ok":
        answer: Written = payload
        return answer
    if status == "refused":
        raise RefusedQuery(payload)
    if status == "not-writable":
        raise NotWritable(payload)
    raise QueryError(payload)
