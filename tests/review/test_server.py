"""Running the review app: the address it prints, and what it refuses before serving."""

from __future__ import annotations

import pytest

from graph.review import ReviewError, review_address, serve_review


def test_the_address_names_the_source_and_carries_the_token():
    assert review_address("127.0.0.1", 7879, "abc", "un-gge") == (
        "http://127.0.0.1:7879/source/un-gge?token=abc"
    )
    assert review_address("::1", 80, "abc") == "http://[::1]:80/?token=abc"
    assert (
        review_address("127.0.0.1", 1, "t", "a b/c")
        == "http://127.0.0.1:1/source/a%20b%2Fc?token=t"
    )


def test_a_missing_data_folder_is_refused(tmp_path):
    with pytest.raises(ReviewError, match="data folder not found"):
        serve_review(tmp_path / "none", coder="alice", open_browser=False)


def test_a_port_in_use_is_refused_in_one_line(make_source, listener):
    port, _ = listener
    with pytest.raises(ReviewError, match=f"cannot serve on 127.0.0.1 port {port}"):
        serve_review(make_source(), coder="alice", port=port, open_browser=False)
