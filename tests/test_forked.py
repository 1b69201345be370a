"""graph.forked runs pieces of work in forked workers and gives back their results."""

import os
import signal
import sys
import time
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

import pytest

from graph import forked
from graph.forked import HandOff, run_all
from tests.factories import wait_for, waits_then_marks

LINUX = sys.platform == "linux"


def _pieces(count):
    return [lambda number=number: (number, os.getpid()) for number in range(count)]


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_pieces_run_in_workers_and_come_back_in_order(monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    results = run_all(_pieces(5), jobs=2)
    assert [number for number, _ in results] == [0, 1, 2, 3, 4]
    assert os.getpid() not in {pid for _, pid in results}


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_each_piece_has_a_worker_of_its_own(monkeypatch):
    """A worker ends with its piece: what the piece copied of this process's pages is
    not held through the pieces after it."""
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    results = run_all(_pieces(5), jobs=2)
    assert len({pid for _, pid in results}) == 5


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_a_worker_that_dies_raises_a_broken_pool(monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)

    def killed():
        os.kill(os.getpid(), signal.SIGKILL)

    with pytest.raises(BrokenProcessPool, match="exit code -9"):
        run_all([lambda: 1, killed, lambda: 3], jobs=2)


def test_one_job_runs_the_pieces_here():
    results = run_all(_pieces(3), jobs=1)
    assert results == [(0, os.getpid()), (1, os.getpid()), (2, os.getpid())]


def test_without_memory_for_a_worker_the_pieces_run_here(monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: False)
    assert {pid for _, pid in run_all(_pieces(3), jobs=2)} == {os.getpid()}


def test_the_memory_check_counts_each_worker():
    assert forked._memory_for(1)  # a test process fits beside itself
    assert not forked._memory_for(10**9)


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_an_error_in_a_worker_is_raised_here(monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)

    def broken():
        raise ValueError("piece 2 failed")

    with pytest.raises(ValueError, match="piece 2 failed"):
        run_all([lambda: 1, broken], jobs=2)


def test_check_sees_each_result_in_the_order_the_pieces_end():
    seen = []
    results = run_all(_pieces(3), jobs=1, check=lambda index, result: seen.append(index))
    assert seen == [0, 1, 2] and [number for number, _ in results] == [0, 1, 2]


def test_an_error_of_check_here_leaves_the_later_pieces_undone(tmp_path):
    def refuse(index, result):
        raise ValueError(f"piece {index} refused")

    with pytest.raises(ValueError, match="piece 0 refused"):
        run_all([lambda: 1, waits_then_marks(tmp_path / "late")], jobs=1, check=refuse)
    assert not (tmp_path / "late").exists()


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_an_error_of_check_stops_the_workers_still_at_work(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)

    def refuse(index, result):
        if result == "quick":
            raise ValueError("enough")

    marks = tmp_path / "marks"
    marks.mkdir()
    started = tmp_path / "started"
    pieces = [waits_then_marks(marks / "first", started), lambda: _quick_after(started)]
    pieces += [waits_then_marks(marks / "never begun")]
    with pytest.raises(ValueError, match="enough"):
        run_all(pieces, jobs=2, check=refuse)
    # the waiting piece was stopped, and the last, begun as the quick one ended, too
    assert list(marks.iterdir()) == []
    with pytest.raises(ProcessLookupError):  # and its worker has ended, not only been told
        os.kill(int(started.read_text()), 0)


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_the_next_piece_begins_before_check_sees_a_result(tmp_path, monkeypatch):
    # what the build process does with a result (the store's changes after the checks)
    # holds back no worker
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    begun = tmp_path / "begun"
    seen: list[tuple[int, bool]] = []

    def check(index, result):
        if index == 0:  # the third piece takes the first one's worker: begun by now
            seen.append((index, _appears(begun, seconds=5)))

    pieces = [lambda: "first", lambda: time.sleep(0.5) or "second", partial(_marks, begun)]
    assert run_all(pieces, jobs=2, check=check) == ["first", "second", "third"]
    assert seen == [(0, True)]


def _marks(path: Path) -> str:
    path.write_text("begun")
    return "third"


def _appears(path: Path, *, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def _quick_after(started: Path) -> str:
    """``quick``, once the waiting piece has begun (and written its process id)."""
    while not started.exists() or not started.read_text():
        time.sleep(0.01)
    return "quick"


def test_even_runs_keep_the_order_and_share_the_sizes():
    sizes = [10, 10, 10, 10, 100, 10, 10, 10, 10, 10]
    runs = forked.even_runs(sizes, 4)
    assert [index for run in runs for index in run] == list(range(10))
    assert runs == [[0, 1, 2, 3], [4], [5, 6, 7, 8, 9]]  # the large one is a run of its own
    assert forked.even_runs([1] * 9, 8) == [[0], [1], [2], [3], [4, 5], [6], [7], [8]]
    assert forked.even_runs([5, 5], 1) == [[0, 1]]
    assert forked.even_runs([], 3) == []
    assert forked.even_runs([0, 0, 0], 2) == [[0, 1, 2]]


def test_the_small_sizes_after_a_large_one_share_a_run():
    """A rebuild checks the one source that changed and looks the others up: they are
    one piece of work, not a worker each."""
    assert forked.even_runs([1] * 50 + [7000] + [1] * 49, 8) == [
        list(range(50)),
        [50],
        list(range(51, 100)),
    ]


class _Cycle:
    def __init__(self):
        self.me = self


def test_the_cycles_a_piece_leaves_are_freed_when_it_ends_with_the_collector_off():
    import gc
    import weakref

    left = []

    def piece():
        made = _Cycle()
        left.append(weakref.ref(made))
        return 1

    was = gc.isenabled()
    gc.disable()
    try:
        assert run_all([piece, piece], jobs=1) == [1, 1]
    finally:
        (gc.enable if was else gc.disable)()
    assert [ref() for ref in left] == [None, None]
    assert gc.get_freeze_count() == 0


def _marks_begun(log: Path, name: str, result=None):
    """A piece that writes ``name`` on a line of ``log`` as it begins."""

    def piece():
        with log.open("a") as stream:
            stream.write(f"{name}\n")
        return name if result is None else result

    return piece


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_then_runs_here_while_the_first_piece_runs_in_a_worker(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    log = tmp_path / "begun"
    seen = []

    def then():
        # the first piece has begun in a worker while this process does its own work
        wait_for(lambda: log.exists() and log.read_text() == "a\n", "the first piece began")
        return [_marks_begun(log, "c")]

    work = [_marks_begun(log, "a"), _marks_begun(log, "b")]
    results = run_all(
        work, jobs=2, check=lambda index, result: seen.append((index, result)), then=then
    )
    assert results == ["a", "b", "c"]  # the pieces of ``then`` follow those of ``work``
    assert log.read_text().split() == ["a", "c", "b"]  # and begin before the rest of it
    assert sorted(seen) == [(0, "a"), (1, "b"), (2, "c")]


def test_then_and_its_pieces_come_first_where_the_pieces_run_here(tmp_path):
    log = tmp_path / "begun"
    seen = []

    def then():
        assert not log.exists()  # before any piece of ``work``
        return [_marks_begun(log, "c")]

    work = [_marks_begun(log, "a"), _marks_begun(log, "b")]
    results = run_all(work, jobs=1, check=lambda index, result: seen.append(index), then=then)
    assert results == ["a", "b", "c"]
    assert log.read_text().split() == ["c", "a", "b"] and seen == [2, 0, 1]


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_an_error_of_then_stops_the_workers_begun(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    started = tmp_path / "started"

    def then():
        wait_for(lambda: started.exists() and started.read_text(), "the first piece began")
        raise ValueError("the dataset could not be built")

    work = [waits_then_marks(tmp_path / "first", started), waits_then_marks(tmp_path / "second")]
    with pytest.raises(ValueError, match="could not be built"):
        run_all(work, jobs=2, then=then)
    assert not (tmp_path / "first").exists() and not (tmp_path / "second").exists()
    with pytest.raises(ProcessLookupError):  # the worker has ended
        os.kill(int(started.read_text()), 0)


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_then_may_run_pieces_of_its_own(monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)

    def then():
        inner = run_all(_pieces(3), jobs=2)
        return [lambda: [number for number, _ in inner]]

    results = run_all(_pieces(2), jobs=2, then=then)
    assert [number for number, _ in results[:2]] == [0, 1] and results[2] == [0, 1, 2]


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_the_pieces_then_gives_run_in_workers_when_no_work_came_first(monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    results = run_all([], jobs=2, then=lambda: _pieces(3))
    assert [number for number, _ in results] == [0, 1, 2]
    assert os.getpid() not in {pid for _, pid in results}


def _made_by(name):
    return lambda: {"made by": name}


def test_a_value_handed_off_here_is_only_made():
    """Where the pieces run here, the caller keeps what it made: no file is written."""
    handed = HandOff(Path("/nonexistent-folder/value"))
    assert handed.value(_made_by("here")) == {"made by": "here"}


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_a_value_handed_off_is_read_by_the_workers_after_the_one_that_made_it(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    path = tmp_path / "value"
    handed = HandOff(path)

    def after():
        wait_for(path.exists, "the value handed off")
        return handed.value(_made_by("second"))

    first, second = run_all([lambda: handed.value(_made_by("first")), after], jobs=2)
    assert first == second == {"made by": "first"}


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
@pytest.mark.parametrize("found", ["another", "cut", "garbage"])
def test_a_file_not_whole_or_not_signed_by_the_hand_off_is_made_again(tmp_path, monkeypatch, found):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    path = tmp_path / "value"
    if found == "another":  # written by another build's hand-off, with another key
        other = HandOff(path)
        run_all([lambda: other.value(_made_by("another")), lambda: None], jobs=2)
    elif found == "cut":
        before = HandOff(path)
        run_all([lambda: before.value(_made_by("cut")), lambda: None], jobs=2)
        path.write_bytes(path.read_bytes()[:-1])
    else:
        path.write_bytes(b"x" * 100)
    assert path.exists()
    handed = HandOff(path)
    made, _ = run_all([lambda: handed.value(_made_by("anew")), lambda: None], jobs=2)
    assert made == {"made by": "anew"}
