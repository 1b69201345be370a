"""What the indexes of the documents before share (graph.spliceindex)."""

import pytest

from graph.spliceindex import cut_head


def test_an_index_s_first_line_is_cut_from_bytes_or_a_view_however_long():
    for line in (b"", b"{}", b"x" * 200_000):  # longer than a stretch looked at
        for payload in (line + b"\nrest\nmore", memoryview(line + b"\nrest\nmore")):
            head, rest = cut_head(payload)
            assert head == line and bytes(rest) == b"rest\nmore"
    with pytest.raises(ValueError, match="no first line"):
        cut_head(memoryview(b"x" * 70_000))
