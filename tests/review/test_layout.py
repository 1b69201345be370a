"""Finding each item's lines: what belongs to an item and what to the next."""

from __future__ import annotations

import yaml

from graph.review.layout import verified_layout

TEXT = """\
source:
  id: a
entities:
  - id: one
    label: One
    note: |
      kept

      # inside the note
  # a section header
  - id: two
    label: Two

statements:
- id: s
  quote: x
"""


def test_an_item_ends_at_its_last_content_line_and_a_header_comment_goes_with_the_next():
    layout = verified_layout(TEXT, yaml.safe_load(TEXT))
    assert layout is not None
    (one_start, one_end), (two_start, two_end) = layout.lists["entities"].spans or ()
    assert TEXT[one_start:one_end].endswith("      # inside the note\n")
    assert TEXT[one_end:two_start] == "  # a section header\n"
    assert TEXT[two_start:two_end] == "  - id: two\n    label: Two\n"
    assert layout.lists["statements"].dash == 0


def test_a_key_written_twice_or_a_flow_list_is_not_trusted_to_the_line_scan():
    twice = TEXT.replace("    label: Two\n", "    label: Two\n    label: Deux\n")
    assert verified_layout(twice, yaml.safe_load(twice)) is None
    flow = "source:\n  id: a\nentities: [{id: one, label: One}]\n"
    assert verified_layout(flow, yaml.safe_load(flow)) is None
