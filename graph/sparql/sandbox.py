"""Run a query in a thread that cannot open a socket, on a stack deep enough for it.

Oxigraph evaluates ``SERVICE`` by making the HTTP request in the thread that runs the
query. On Linux (x86_64 and aarch64) that thread first installs a seccomp filter that
makes ``socket(2)`` fail with EACCES, for every address family, and refuses
``io_uring_setup`` and, on x86_64, every x32 system call; a system call made for another
architecture fails whole. Seccomp applies per thread (and to the threads it starts), so
the rest of the process keeps its network. Where the filter cannot be installed, the
check of the query's tokens (``graph.sparql.tokens``) is the only barrier, and
``network_isolation`` says so.

The thread gets a 512 MB stack: Oxigraph's parser and evaluator recurse, and with the
default 8 MB a few thousand nested brackets or chained operators overflow it (signal
11). The stack is virtual memory; only the pages a query touches are used.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import socket
import struct
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .tokens import FALLBACK_LIMITS, LIMITS, Limits, QueryError

__all__ = ["QUERY_STACK_BYTES", "network_isolation", "query_limits", "run_isolated"]

QUERY_STACK_BYTES = 512 * 1024 * 1024

# <linux/audit.h>, the system call tables, <linux/prctl.h>, <linux/seccomp.h>, <linux/filter.h>
_ARCHITECTURES = {  # machine: (AUDIT_ARCH_*, socket's number)
    "x86_64": (0xC000003E, 41),
    "aarch64": (0xC00000B7, 198),
}
_IO_URING_SETUP = 425  # the same number on both
_X32_SYSCALL_BIT = 0x40000000
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_BPF_LOAD_WORD = 0x20  # BPF_LD | BPF_W | BPF_ABS
_BPF_JUMP_EQUAL = 0x15  # BPF_JMP | BPF_JEQ | BPF_K
_BPF_JUMP_AT_LEAST = 0x35  # BPF_JMP | BPF_JGE | BPF_K
_BPF_RETURN = 0x06  # BPF_RET | BPF_K
_NUMBER_OFFSET, _ARCH_OFFSET = 0, 4  # in struct seccomp_data

T = TypeVar("T")


class _FilterProgram(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


@dataclass(frozen=True)
class _Isolation:
    seccomp: bool
    big_stack: bool
    reason: str
    """Why seccomp is unavailable, or the empty string."""


_lock = threading.Lock()
_probed: _Isolation | None = None
_filter: tuple[ctypes.Array[ctypes.c_char], _FilterProgram] | None = None


def _instruction(code: int, value: int, if_true: int = 0, if_false: int = 0) -> bytes:
    return struct.pack("HBBI", code, if_true, if_false, value)


def _program(machine: str) -> bytes:
    """The filter: EACCES for socket, io_uring_setup, x32 and foreign system calls."""
    audit_arch, socket_number = _ARCHITECTURES[machine]
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    checks = [(_BPF_JUMP_EQUAL, socket_number), (_BPF_JUMP_EQUAL, _IO_URING_SETUP)]
    if machine == "x86_64":
        checks.insert(0, (_BPF_JUMP_AT_LEAST, _X32_SYSCALL_BIT))
    program = [
        _instruction(_BPF_LOAD_WORD, _ARCH_OFFSET),
        _instruction(_BPF_JUMP_EQUAL, audit_arch, if_true=1),
        _instruction(_BPF_RETURN, deny),
        _instruction(_BPF_LOAD_WORD, _NUMBER_OFFSET),
    ]
    for index, (jump, value) in enumerate(checks):  # to the last instruction: deny
        program.append(_instruction(jump, value, if_true=len(checks) - index))
    program += [_instruction(_BPF_RETURN, _SECCOMP_RET_ALLOW), _instruction(_BPF_RETURN, deny)]
    return b"".join(program)


def _deny_network() -> None:
    """Install the filter on the calling thread; raise OSError when the kernel refuses."""
    assert _filter is not None
    libc = ctypes.CDLL(None, use_errno=True)
    unsigned = ctypes.c_ulong
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, unsigned(1), unsigned(0), unsigned(0), unsigned(0)):
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    program = ctypes.byref(_filter[1])
    if libc.prctl(_PR_SET_SECCOMP, unsigned(_SECCOMP_MODE_FILTER), program, 0, 0):
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_SECCOMP) failed")


def _probe_seccomp() -> str:
    """Install the filter in a throwaway thread and see a socket refused; return why not."""
    global _filter
    machine = platform.machine().lower()
    if not sys.platform.startswith("linux"):
        return f"seccomp is Linux only (this is {sys.platform})"
    if machine not in _ARCHITECTURES:
        return f"no seccomp filter for {machine} (only x86_64 and aarch64)"
    code = _program(machine)
    buffer = ctypes.create_string_buffer(code, len(code))
    _filter = (buffer, _FilterProgram(len(code) // 8, ctypes.addressof(buffer)))
    outcome: list[str] = []

    def probe() -> None:
        try:
            _deny_network()
        except OSError as error:
            outcome.append(f"the kernel refused the filter: {error}")
            return
        try:
            socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
        except PermissionError:
            outcome.append("")
            return
        outcome.append("the filter did not stop a socket")

    thread = threading.Thread(target=probe, name="apg-seccomp-probe", daemon=True)
    thread.start()
    thread.join()
    return outcome[0] if outcome else "the probe thread failed"


def _probe_stack() -> bool:
    try:
        with _stack(QUERY_STACK_BYTES):
            thread = threading.Thread(target=lambda: None, name="apg-stack-probe", daemon=True)
            thread.start()
        thread.join()
    except (ValueError, RuntimeError, MemoryError):
        return False
    return True


class _stack:
    """Start threads with ``size`` bytes of stack inside the ``with`` block."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.previous = 0

    def __enter__(self) -> None:
        self.previous = threading.stack_size(self.size)

    def __exit__(self, *exc: object) -> None:
        threading.stack_size(self.previous)


def _isolation() -> _Isolation:
    global _probed
    with _lock:
        if _probed is None:
            reason = _probe_seccomp()
            _probed = _Isolation(seccomp=not reason, big_stack=_probe_stack(), reason=reason)
        return _probed


def network_isolation() -> str:
    """Say, in one line, what keeps queries from the network here.

    >>> network_isolation().startswith(("queries cannot open sockets", "queries are"))
    True
    """
    isolation = _isolation()
    stack = "" if isolation.big_stack else "; the 512 MB query stack is unavailable, so "
    if not isolation.big_stack:
        stack += f"queries are limited to {FALLBACK_LIMITS.tokens:,} tokens"
    if isolation.seccomp:
        return f"queries cannot open sockets (seccomp, {platform.machine()}){stack}"
    return f"queries are checked for SERVICE but not kept from sockets: {isolation.reason}{stack}"


def query_limits() -> Limits:
    """The limits for a query that runs here: lower when the big stack is unavailable."""
    return LIMITS if _isolation().big_stack else FALLBACK_LIMITS


def _chain(error: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    link: BaseException | None = error
    while link is not None and link not in links:
        links.append(link)
        link = link.__cause__ or link.__context__
    return links


def run_isolated(work: Callable[[], T]) -> T:
    """Call ``work`` in a fresh thread kept from the network, and return what it returns.

    What ``work`` raises is raised here. Raises ``QueryError`` when the filter that the
    probe installed cannot be installed on the new thread.
    """
    isolation = _isolation()
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            if isolation.seccomp:
                try:
                    _deny_network()
                except OSError as error:
                    raise QueryError(f"cannot keep the query from the network: {error}") from None
            outcome["value"] = work()
        except BaseException as error:  # handed to the calling thread
            # without its frames: the engine's objects in them must be freed in this thread
            for link in _chain(error):
                link.__traceback__ = None
            outcome["error"] = error

    # threading.stack_size is process-wide: hold the lock while it is changed
    with _lock, _stack(QUERY_STACK_BYTES if isolation.big_stack else 0):
        thread = threading.Thread(target=run, name="apg-query", daemon=True)
        thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]  # type: ignore[return-value]
