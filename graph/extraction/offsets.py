"""Positions and intervals in one text, asked about in logarithmic time.

The statement rules ask, token after token, which entity was mentioned last before a
token and whether a character lies in a passage already coded. Scanning every mention or
every passage for each question makes drafting quadratic in the article's length; these
two sets answer each question in O(log n) for a text of n positions.
"""

from __future__ import annotations

__all__ = ["IntervalCover", "PositionSet"]


class PositionSet:
    """A set of positions in ``range(size)`` that finds the last one before a position.

    >>> marks = PositionSet(10)
    >>> marks.add(2); marks.add(7)
    >>> marks.last_before(7), marks.last_before(8), marks.last_before(2)
    (2, 7, None)
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._tree = [0] * (size + 1)  # a Fenwick tree of counts, 1-based
        self._marked = bytearray(size)
        self._top = 1 << max(size.bit_length() - 1, 0)

    def add(self, position: int) -> None:
        """Add ``position`` (0 <= position < size); adding it again changes nothing."""
        if self._marked[position]:
            return
        self._marked[position] = 1
        index = position + 1
        while index <= self._size:
            self._tree[index] += 1
            index += index & -index

    def last_before(self, position: int) -> int | None:
        """The greatest position in the set that is less than ``position``, or None."""
        wanted = self._count_below(min(position, self._size))
        if wanted == 0:
            return None
        # descend the tree to the wanted-th position: the greatest prefix with fewer
        index, step = 0, self._top
        while step:
            following = index + step
            if following <= self._size and self._tree[following] < wanted:
                index = following
                wanted -= self._tree[following]
            step >>= 1
        return index

    def _count_below(self, position: int) -> int:
        count, index = 0, position
        while index > 0:
            count += self._tree[index]
            index -= index & -index
        return count


class IntervalCover:
    """Half-open intervals ``[start, end)`` of ``range(size)``, and whether any of them
    holds a position.

    >>> cover = IntervalCover(20)
    >>> cover.add(3, 8); cover.add(5, 12)
    >>> [cover.covers(p) for p in (2, 3, 11, 12)]
    [False, True, True, False]
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._tree = [0] * (size + 2)  # a Fenwick tree of +1 at starts and -1 at ends

    def add(self, start: int, end: int) -> None:
        """Add ``[start, end)``, clipped to ``range(size)``; an empty interval changes nothing."""
        start, end = max(start, 0), min(end, self._size)
        if start >= end:
            return
        self._change(start, 1)
        self._change(end, -1)

    def covers(self, position: int) -> bool:
        """Whether an interval holds ``position``."""
        if not 0 <= position < self._size:
            return False
        total, index = 0, position + 1
        while index > 0:
            total += self._tree[index]
            index -= index & -index
        return total > 0

    def _change(self, position: int, amount: int) -> None:
        index = position + 1
        while index <= self._size + 1:
            self._tree[index] += amount
            index += index & -index
