"""The worker pool: cheap queries pass heavy ones, workers are replaced, builds are held."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.sparql.query import QueryError
from graph.sparql.workers import GENERAL, RESERVED, Busy, QueryTimeout, QueryWorkers
from tests.factories import LABEL_QUERY as LABEL, labelled_store as make_store, wait_for

# three unconstrained patterns over 2,000 triples: 8e9 solutions to count
ENDLESS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def make_build(out: Path, name: str) -> Path:
    """A finished build folder, as ``apg build`` writes it: ``out/builds/NAME/store``."""
    folder = out / "builds" / name
    folder.mkdir(parents=True)
    make_store(folder / "store", name)
    (folder / ".readers.lock").touch()
    (folder / "MANIFEST.json").write_text(json.dumps({"build": name}), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    return make_store(tmp_path_factory.mktemp("workers") / "store", "only")


@pytest.fixture
def pool(store) -> Iterator[QueryWorkers]:
    workers = QueryWorkers(store, size=2, timeout=30, slice_seconds=0.3)
    yield workers
    workers.terminate()


def run_in_thread(pool: QueryWorkers, sparql: str) -> tuple[threading.Thread, list[object]]:
    outcome: list[object] = []

    def ask() -> None:
        try:
            outcome.append(pool.answer(sparql, "json"))
        except QueryError as error:
            outcome.append(error)

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    return thread, outcome


def staffed(pool: QueryWorkers) -> bool:
    """Whether every place is filled with an idle worker and the spare is ready."""
    status = pool.status()
    return len(status[RESERVED]) == 1 and len(status["spares"]) == 1 and bool(status[GENERAL])


def label(pool: QueryWorkers) -> str:
    body = json.loads(pool.answer(LABEL, "json").body)
    return body["results"]["bindings"][0]["label"]["value"]


def test_a_cheap_query_answers_while_both_general_workers_are_busy(pool):
    heavy = [run_in_thread(pool, ENDLESS) for _ in range(2)]
    wait_for(lambda: not pool.status()[GENERAL], "both general workers busy")
    assert label(pool) == "only"
    assert all(thread.is_alive() for thread, _ in heavy)  # answered before either ended
    pool.terminate()
    for thread, outcome in heavy:
        thread.join()
        assert isinstance(outcome[0], QueryError)


def test_a_query_over_its_slice_moves_and_never_takes_the_reserved_worker_again(store):
    pool = QueryWorkers(store, size=1, timeout=2, slice_seconds=0.3)
    try:
        first = run_in_thread(pool, ENDLESS)
        wait_for(lambda: not pool.status()[GENERAL], "the general worker busy")
        reserved = pool.status()[RESERVED]
        moved = ENDLESS + " # another text"
        with pytest.raises((QueryTimeout, Busy)):
            pool.answer(moved, "json")  # overruns the slice, then waits for the general one
        first[0].join()
        wait_for(lambda: staffed(pool), "every place filled again")
        replaced = pool.status()[RESERVED]
        assert replaced != reserved  # the one that ran past its slice was killed

        again = run_in_thread(pool, ENDLESS)
        wait_for(lambda: not pool.status()[GENERAL], "the general worker busy again")
        with pytest.raises((QueryTimeout, Busy)):
            pool.answer(moved, "json")
        assert pool.status()[RESERVED] == replaced  # not sent there: still the same, idle
        again[0].join()
    finally:
        pool.terminate()


def test_a_query_past_the_time_limit_is_stopped_and_its_worker_replaced(store):
    pool = QueryWorkers(store, size=1, timeout=1, slice_seconds=0.3)
    try:
        before = set(pool.status()["all"])
        with pytest.raises(QueryTimeout, match="ran longer than 1 s and was stopped"):
            pool.answer(ENDLESS, "json")
        assert label(pool) == "only"
        assert set(pool.status()["all"]) != before
    finally:
        pool.terminate()


def test_a_worker_that_grew_with_its_answer_is_replaced(store):
    pool = QueryWorkers(store, size=1, recycle_bytes=-1)  # every answer counts as large
    try:
        answered_by = pool.status()[GENERAL]
        assert label(pool) == "only"
        wait_for(lambda: len(pool.status()[GENERAL]) == 1, "the place filled again")
        assert pool.status()[GENERAL] != answered_by
        assert not set(answered_by) & set(pool.status()["all"])
    finally:
        pool.terminate()


def test_a_worker_that_died_fails_one_query_in_one_line_and_is_replaced(pool):
    os.kill(pool.status()[GENERAL][-1], signal.SIGKILL)  # the one the next query takes
    with pytest.raises(QueryError, match=r"^the query worker failed; the query was not answered$"):
        pool.answer(LABEL, "json")
    assert label(pool) == "only"


def test_answers_keep_to_the_byte_limit(store):
    pool = QueryWorkers(store, size=1, max_bytes=5_000)
    try:
        written = pool.answer("SELECT * WHERE { ?s ?p ?o }", "csv")
        assert len(written.body) <= 5_000 and written.truncated == "bytes"
    finally:
        pool.terminate()


def locked(build: Path) -> bool:
    """Whether a reader holds the build (an exclusive lock cannot be had)."""
    descriptor = os.open(build / ".readers.lock", os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(descriptor)
    return False


def test_a_closed_pool_holds_its_build_until_its_last_query_ends(tmp_path):
    build = make_build(tmp_path / "out", "1")
    (tmp_path / "out" / "current").symlink_to(build)
    pool = QueryWorkers(tmp_path / "out" / "current" / "store", size=1, timeout=2)
    try:
        assert pool.store_path == build / "store"  # resolved once, never read through the link
        assert locked(build)
        thread, outcome = run_in_thread(pool, ENDLESS)
        wait_for(lambda: not pool.status()[GENERAL], "the query running")
        pool.close()
        assert locked(build) and not pool.released
        thread.join()
        assert isinstance(outcome[0], QueryTimeout)  # it finished on its own worker
        wait_for(lambda: pool.released, "the build released")
        assert not locked(build) and not pool.status()["all"]
    finally:
        pool.terminate()
