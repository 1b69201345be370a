"""The jobs that run across the parts: here ``show``, the page of ``render`` in a notebook."""

from __future__ import annotations

import pytest

import graph
from graph.checked import load_checked
from graph.errors import SelectionError


@pytest.fixture(scope="module")
def seed_checked(seed_data):
    return load_checked(seed_data)


def test_show_carries_the_page_that_render_writes(seed_data, seed_checked, tmp_path):
    written = graph.render(seed_data, tmp_path / "khramov.html", focus="Oleg Khramov", depth=1)
    shown = graph.show(seed_checked, focus="Oleg Khramov", depth=1, height=450)
    assert shown.html == written.read_text(encoding="utf-8")
    assert shown.height == 450
    assert shown._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "Democratic National Committee" not in shown.html


def test_show_reads_a_data_folder_as_render_does(seed_data, seed_checked):
    by_folder = graph.show(seed_data, relations=["blames"], types=["state", "official"])
    assert by_folder == graph.show(seed_checked, relations=["blames"], types=["state", "official"])
    assert by_folder.height == 600 and "Oleg Khramov" in by_folder.html


def test_show_of_an_unknown_actor_is_a_selection_error(seed_checked):
    with pytest.raises(SelectionError, match="Oleg Khramoff"):
        graph.show(seed_checked, focus="Oleg Khramoff")
