"""The query thread: no socket (seccomp), a deep stack, and the rest of the process as it was."""

from __future__ import annotations

import socket
import struct
import subprocess
import sys
import threading

import pyoxigraph
import pytest

from graph.sparql.sandbox import _program, network_isolation, query_limits, run_isolated
from graph.sparql.tokens import FALLBACK_LIMITS, LIMITS
from tests.factories import WORKDIR

SECCOMP = network_isolation().startswith("queries cannot open sockets")
needs_seccomp = pytest.mark.skipif(not SECCOMP, reason=network_isolation())


@needs_seccomp
@pytest.mark.parametrize("silent", ["", "SILENT "])
def test_service_run_past_the_token_check_reaches_no_listener(listener, silent):
    """Layer 2 alone: the query goes straight to the engine, in the sandboxed thread."""
    port, accepted = listener
    store = pyoxigraph.Store()
    sparql = f"SELECT * WHERE {{ SERVICE {silent}<http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
    if silent:
        assert run_isolated(lambda: len(list(store.query(sparql)))) == 1  # the error is silenced
    else:
        with pytest.raises(PermissionError, match="os error 13"):
            run_isolated(lambda: list(store.query(sparql)))
    with socket.create_connection(("127.0.0.1", port), timeout=5):  # this thread still may
        pass
    for _ in range(50):
        if accepted:
            break
        threading.Event().wait(0.02)
    assert len(accepted) == 1  # the test's own connection, and nothing from the query


@needs_seccomp
def test_every_address_family_is_refused_in_the_thread():
    def sockets() -> list[str]:
        refused = []
        for family, kind in [
            (socket.AF_INET, socket.SOCK_STREAM), (socket.AF_INET6, socket.SOCK_DGRAM),
            (socket.AF_UNIX, socket.SOCK_STREAM), (socket.AF_NETLINK, socket.SOCK_RAW),
        ]:  # fmt: skip
            try:
                socket.socket(family, kind).close()
            except PermissionError:
                refused.append(family.name)
        return refused

    assert run_isolated(sockets) == ["AF_INET", "AF_INET6", "AF_UNIX", "AF_NETLINK"]
    socket.socket().close()  # and the calling thread keeps them


def test_a_value_and_an_error_come_back_to_the_caller():
    assert run_isolated(lambda: 6 * 7) == 42
    with pytest.raises(ZeroDivisionError):
        run_isolated(lambda: 1 / 0)


@pytest.mark.parametrize("machine", ["x86_64", "aarch64"])
def test_the_filter_checks_the_architecture_first(machine):
    program = _program(machine)
    instructions = [struct.unpack("HBBI", program[i : i + 8]) for i in range(0, len(program), 8)]
    load, check, deny = instructions[:3]
    assert load == (0x20, 0, 0, 4)  # the arch field
    assert check[0] == 0x15 and check[3] == {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}[machine]
    assert deny == (0x06, 0, 0, 0x00050000 | 13)  # any other architecture: EACCES
    assert instructions[-1] == deny and instructions[-2] == (0x06, 0, 0, 0x7FFF0000)
    numbers = {value for code, _, _, value in instructions[4:-2]}
    assert {"x86_64": 41, "aarch64": 198}[machine] in numbers and 425 in numbers
    assert (0x40000000 in numbers) is (machine == "x86_64")  # x32 system calls


def test_the_limits_follow_the_stack():
    assert query_limits() in (LIMITS, FALLBACK_LIMITS)
    assert ("512 MB query stack is unavailable" in network_isolation()) is (
        query_limits() == FALLBACK_LIMITS
    )


@pytest.mark.skipif(query_limits() != LIMITS, reason="the 512 MB stack is unavailable")
def test_a_query_nested_past_the_default_stack_runs_in_the_query_thread():
    """5,000 nested groups overflow an 8 MB stack (signal 11); the query thread runs them.
    In a child process, so that a crash fails the test instead of ending the run."""
    code = (
        "import pyoxigraph\n"
        "from graph.sparql.sandbox import run_isolated\n"
        "q = 'SELECT * WHERE ' + '{' * 5000 + ' ?s ?p ?o ' + '}' * 5000\n"
        "print(run_isolated(lambda: len(list(pyoxigraph.Store().query(q)))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=WORKDIR, capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout.strip()) == (0, "0")
