"""Rewriting one item: an unchanged item comes out as the same bytes, a changed field
changes its own lines only."""

from __future__ import annotations

import pytest
import yaml

from graph.review.items import detect_style, rewrite_item
from graph.review.layout import LISTS, verified_layout
from tests.factories import SEED_DIR


def items_of(text: str) -> list[str]:
    layout = verified_layout(text, yaml.safe_load(text))
    assert layout is not None
    return [text[start:end] for key in LISTS for start, end in layout.lists[key].spans or ()]


@pytest.mark.parametrize("which", ["seed", "draft"])
def test_every_unchanged_item_is_written_as_the_same_bytes(which, seed_draft_dir):
    folder = SEED_DIR if which == "seed" else seed_draft_dir
    text = (folder / "annotation.yaml").read_text(encoding="utf-8")
    dash = 2 if which == "seed" else 0
    style = detect_style(text, dash)
    blocks = items_of(text)
    assert len(blocks) > 100
    for block in blocks:
        assert rewrite_item(block, style, lambda item: None) == block


def test_a_changed_field_keeps_the_comments_and_quoting_of_the_others():
    block = (
        "  - id: a  # first\n"
        "    relation: blames   # checked\n"
        "    quote: 'it said: no'\n"
        "    # why\n"
        '    note: "two"\n'
    )
    style = detect_style(block, 2)
    written = rewrite_item(block, style, lambda item: item.__setitem__("relation", "denies"))
    # ruamel.yaml keeps the comment, one space after the new value
    assert written == block.replace("blames   # checked", "denies # checked")


def test_the_first_field_removed_leaves_the_dash_on_the_next():
    block = "- reviewed: false\n  id: a\n  quote: x\n"
    written = rewrite_item(block, detect_style(block, 0), lambda item: item.pop("reviewed"))
    assert written == "- id: a\n  quote: x\n"
