"""Positions and intervals answer as a scan of all of them would."""

from __future__ import annotations

from hypothesis import given, strategies as st

from graph.extraction.offsets import IntervalCover, PositionSet

SIZE = 60


@given(
    added=st.lists(st.integers(0, SIZE - 1), max_size=40),
    asked=st.lists(st.integers(0, SIZE + 5), min_size=1, max_size=20),
)
def test_last_before_is_the_greatest_added_position_below(added, asked):
    marks = PositionSet(SIZE)
    for position in added:
        marks.add(position)
    for position in asked:
        below = [p for p in added if p < position]
        assert marks.last_before(position) == (max(below) if below else None)


def test_last_before_in_an_empty_set_and_at_the_ends():
    marks = PositionSet(1)
    assert marks.last_before(1) is None
    marks.add(0)
    assert (marks.last_before(0), marks.last_before(1)) == (None, 0)
    assert PositionSet(0).last_before(0) is None


def test_last_before_as_positions_are_added_out_of_order():
    marks = PositionSet(100)
    answers = []
    for position in (50, 10, 90, 30):
        marks.add(position)
        answers.append(marks.last_before(60))
    assert answers == [50, 50, 50, 50]
    assert [marks.last_before(p) for p in (11, 31, 51, 100)] == [10, 30, 50, 90]


@given(
    intervals=st.lists(st.tuples(st.integers(-5, SIZE + 5), st.integers(-5, SIZE + 5)), max_size=15)
)
def test_covers_is_whether_an_interval_holds_the_position(intervals):
    cover = IntervalCover(SIZE)
    for start, end in intervals:
        cover.add(start, end)
    for position in range(-2, SIZE + 2):
        expected = 0 <= position < SIZE and any(a <= position < b for a, b in intervals)
        assert cover.covers(position) == expected, position


def test_an_interval_ends_before_its_end():
    cover = IntervalCover(10)
    cover.add(2, 5)
    assert [cover.covers(p) for p in range(7)] == [False, False, True, True, True, False, False]
