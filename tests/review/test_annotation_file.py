"""The annotation file editor: each change touches its item's lines only, is checked as
``apg build`` checks it, written atomically and undone."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from graph.annotations import load_source
from graph.errors import AnnotationError
from graph.review import AnnotationFile, EditRefused
from tests.factories import SEED_DIR, TINY_TEXT, tiny_annotation

RAW = """\
# Tiny source, written by hand.
source:
  id: tiny
  text: article.txt
  title: Tiny
  url: https://example.org/tiny
  date: 2020-01-02

entities:
  # states
  - id: ruritania
    type: state
    label: Ruritania   # the kingdom
  - id: freedonia
    type: state
    label: "Freedonia"

  # people and positions
  - id: anna-vogel
    type: official
    label: Anna Vogel
  - id: self-defence-applies
    type: position
    label: The right of self-defence applies online

statements:

  # blame
  - id: ruritania-blames-freedonia
    subject: ruritania
    relation: blames
    object: freedonia
    modality: reported
    quote: 'Ruritania blamed Freedonia'
    reviewed: false
    confidence: 0.7
    note: >-
      rule: blame

  # positions
  - id: vogel-supports
    subject: anna-vogel
    relation: supports_position
    object: self-defence-applies
    modality: reported
    quote: said the right of self-defence applies online
    reviewed: false
    confidence: 0.6

  - id: vogel-represents
    subject: anna-vogel
    relation: represents
    object: ruritania
    modality: asserted
    quote: "The Ruritanian envoy, Anna Vogel"
"""
BLAME_LINES = """\
  - id: ruritania-blames-freedonia
    subject: ruritania
    relation: blames
    object: freedonia
    modality: reported
    quote: 'Ruritania blamed Freedonia'
    reviewed: false
    confidence: 0.7
    note: >-
      rule: blame
"""


@pytest.fixture
def tiny(make_source) -> AnnotationFile:
    data = make_source(raw=RAW)
    return AnnotationFile.open(data / "tiny" / "annotation.yaml", data_dir=data)


def on_disk(annotation: AnnotationFile) -> str:
    return annotation.path.read_text(encoding="utf-8")


def test_open_reads_the_items_in_file_order_as_the_yaml_gives_them(tiny):
    assert [s["id"] for s in tiny.statements()] == [
        "ruritania-blames-freedonia", "vogel-supports", "vogel-represents",
    ]  # fmt: skip
    assert tiny.statements()[0]["reviewed"] is False
    assert tiny.statements()[0]["confidence"] == 0.7
    assert tiny.entities()[1] == {"id": "freedonia", "type": "state", "label": "Freedonia"}
    assert tiny.source.id == "tiny" and tiny.source.text == TINY_TEXT


def test_span_gives_the_quote_s_offsets_in_the_text(tiny):
    start = TINY_TEXT.index("said the right")
    assert tiny.span("vogel-supports") == (
        start,
        start + len("said the right of self-defence applies online"),
    )
    assert tiny.span("no-such-statement") is None


def test_accept_replaces_reviewed_false_by_coded_by_and_keeps_every_other_byte(tiny):
    tiny.accept("ruritania-blames-freedonia", coder="Ana Lima")
    assert on_disk(tiny) == RAW.replace(
        "    reviewed: false\n    confidence: 0.7\n",
        "    coded_by: Ana Lima\n    confidence: 0.7\n",
    )
    statement = load_source(tiny.path).statements[0]
    assert (statement.reviewed, statement.confidence, statement.coded_by) == (None, 0.7, "Ana Lima")
    assert statement.note == "rule: blame"


def test_accept_of_a_reviewed_statement_adds_coded_by_as_its_last_line(tiny):
    tiny.accept("vogel-represents", coder="Ana")
    quote = '    quote: "The Ruritanian envoy, Anna Vogel"\n'
    assert on_disk(tiny) == RAW.replace(quote, quote + "    coded_by: Ana\n")


def test_reject_removes_the_item_s_lines_and_keeps_the_comment_of_the_next(tiny):
    tiny.reject("ruritania-blames-freedonia")
    assert on_disk(tiny) == RAW.replace(BLAME_LINES, "")
    assert "  # blame\n\n  # positions\n  - id: vogel-supports" in on_disk(tiny)
    assert [s.id for s in load_source(tiny.path).statements] == [
        "vogel-supports",
        "vogel-represents",
    ]


def test_reject_after_a_blank_line_takes_the_blank_lines_after_the_item(make_source):
    raw = (
        RAW
        + "\n  - id: vogel-blames\n    subject: anna-vogel\n    relation: blames\n"
        + "    object: freedonia\n    modality: reported\n"
        + "    quote: Freedonia for the failed talks\n"
    )
    data = make_source(raw=raw)
    annotation = AnnotationFile.open(data / "tiny" / "annotation.yaml", data_dir=data)
    annotation.reject("vogel-represents")
    assert "0.6\n\n  - id: vogel-blames\n" in on_disk(annotation)
    load_source(annotation.path)


def test_update_of_the_relation_changes_that_line_and_accepts_the_statement(tiny):
    tiny.update("ruritania-blames-freedonia", {"relation": "sanctions"}, coder="Ana")
    expected = RAW.replace(
        BLAME_LINES,
        BLAME_LINES.replace("relation: blames", "relation: sanctions").replace(
            "reviewed: false", "coded_by: Ana"
        ),
    )
    assert on_disk(tiny) == expected
    assert load_source(tiny.path).statements[0].relation == "sanctions"


def test_update_with_none_removes_an_optional_field(tiny):
    tiny.update("ruritania-blames-freedonia", {"confidence": None, "note": None}, coder="Ana")
    assert "confidence" not in tiny.statements()[0]
    assert on_disk(tiny) == RAW.replace(
        "    reviewed: false\n    confidence: 0.7\n    note: >-\n      rule: blame\n",
        "    coded_by: Ana\n",
    )


@pytest.mark.parametrize(
    ("changes", "field", "problem"),
    [
        ({"object": "nobody"}, "object", "unknown entity 'nobody' in field 'object'"),
        ({"quote": "Ruritania blamed the west"}, "quote", "quote not found in the text"),
        ({"quote": "Ruritania"}, "quote", "quote occurs 2 times in the text"),
        ({"relation": "likes"}, "relation", "unknown relation 'likes'"),
        ({"modality": "maybe"}, "modality", "unknown modality 'maybe'"),
        ({"quote": None}, "quote", "missing field 'quote'"),
        ({"id": "Not An Id"}, "id", "field 'id' must be lower-case words joined by '-'"),
        ({"id": "vogel-supports"}, "id", "duplicate statement id 'vogel-supports'"),
        ({"colour": "red"}, "colour", "unknown field 'colour'"),
        ({"confidence": 2}, "confidence", "must be a number from 0 to 1"),
    ],
)
def test_a_change_that_would_break_the_build_is_refused_and_changes_nothing(
    tiny, changes, field, problem
):
    before = tiny.statements()
    with pytest.raises(EditRefused) as refused:
        tiny.update("ruritania-blames-freedonia", changes, coder="Ana")
    assert refused.value.field == field
    assert problem in refused.value.message
    assert refused.value.message.startswith(f"{tiny.path}: statement ")
    assert "\n" not in refused.value.message
    assert on_disk(tiny) == RAW and tiny.statements() == before
    assert not tiny.undo()


def test_the_loader_s_message_names_the_item_and_its_line(tiny):
    with pytest.raises(
        EditRefused, match=r"statement 'vogel-supports' \(line 41\): unknown relation"
    ):
        tiny.update("vogel-supports", {"relation": "likes"}, coder="Ana")


def test_an_unknown_statement_is_refused(tiny):
    with pytest.raises(EditRefused, match="no statement 'nope'") as refused:
        tiny.accept("nope", coder="Ana")
    assert refused.value.field == "id"
    with pytest.raises(EditRefused):
        tiny.reject("nope")


def test_add_statement_appends_one_that_loads_with_its_offsets(tiny):
    fields = {
        "subject": "anna-vogel", "relation": "blames", "object": "freedonia",
        "modality": "reported", "quote": "Freedonia for the failed talks",
    }  # fmt: skip
    assert tiny.add_statement(fields, coder="Ana") == "anna-vogel-blames-freedonia"
    second = {**fields, "quote": "for the failed talks."}
    assert tiny.add_statement(second, coder="Ana") == "anna-vogel-blames-freedonia-2"
    text = on_disk(tiny)
    assert text.startswith(RAW + "\n  - id: anna-vogel-blames-freedonia\n    subject: anna-vogel\n")
    statement = load_source(tiny.path).statements[3]
    start = TINY_TEXT.index("Freedonia for the failed talks")
    assert (statement.evidence.start, statement.evidence.end) == (start, start + 30)
    assert (statement.coded_by, statement.reviewed, statement.relation) == ("Ana", None, "blames")


def test_add_statement_is_refused_for_an_unknown_entity(tiny):
    fields = {"subject": "atlantis", "relation": "blames", "object": "freedonia",
              "modality": "reported", "quote": "Freedonia for the failed talks"}  # fmt: skip
    with pytest.raises(EditRefused) as refused:
        tiny.add_statement(fields, coder="Ana")
    assert refused.value.field == "subject" and on_disk(tiny) == RAW


def test_add_entity_appends_after_the_last_entity_with_an_id_from_its_label(tiny):
    new_id = tiny.add_entity({"type": "person", "label": "Miguel Rodríguez"}, coder="Ana")
    assert new_id == "miguel-rodriguez"
    last = "    label: The right of self-defence applies online\n"
    assert on_disk(tiny) == RAW.replace(
        last,
        last + "  - id: miguel-rodriguez\n    type: person\n    label: Miguel Rodríguez\n"
        "    coded_by: Ana\n",
    )
    entity = load_source(tiny.path).entities["miguel-rodriguez"]
    assert (entity.label, entity.coded_by) == ("Miguel Rodríguez", "Ana")
    tiny.update("vogel-represents", {"subject": new_id}, coder="Ana")
    assert load_source(tiny.path).statements[2].subject == "miguel-rodriguez"


def test_add_entity_is_refused_for_an_unknown_type(tiny):
    with pytest.raises(EditRefused, match="unknown type 'planet'") as refused:
        tiny.add_entity({"type": "planet", "label": "Mars"}, coder="Ana")
    assert refused.value.field == "type" and on_disk(tiny) == RAW


def test_undo_restores_the_bytes_before_each_change(tiny):
    tiny.accept("vogel-supports", coder="Ana")
    after_accept = on_disk(tiny)
    tiny.reject("ruritania-blames-freedonia")
    tiny.add_entity({"type": "person", "label": "Karl Vogel"}, coder="Ana")
    assert tiny.undo() and tiny.undo()
    assert on_disk(tiny) == after_accept
    assert tiny.undo() and on_disk(tiny) == RAW
    assert not tiny.undo()
    assert tiny.statements()[0]["id"] == "ruritania-blames-freedonia"
    tiny.reject("vogel-represents")
    assert "vogel-represents" not in on_disk(tiny)


def test_a_file_changed_on_disk_is_not_overwritten(tiny):
    changed = RAW.replace("title: Tiny", "title: Tiny, edited")
    tiny.path.write_text(changed, encoding="utf-8")
    os.utime(tiny.path, ns=(1, 1))
    with pytest.raises(EditRefused, match="changed on disk"):
        tiny.accept("vogel-supports", coder="Ana")
    assert on_disk(tiny) == changed


def test_writes_keep_the_file_s_mode_and_leave_no_temporary_file(tiny):
    os.chmod(tiny.path, 0o640)
    tiny.accept("vogel-supports", coder="Ana")
    assert os.stat(tiny.path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tiny.path.parent.iterdir()) == ["annotation.yaml", "article.txt"]


def test_check_runs_every_rule_of_the_build(tiny):
    tiny.check()
    tiny.path.write_text(RAW.replace("object: freedonia", "object: atlantis"), encoding="utf-8")
    with pytest.raises(AnnotationError, match="unknown entity 'atlantis'"):
        tiny.check()


def test_open_refuses_a_file_outside_the_data_folder(make_source, tmp_path):
    data = make_source(raw=RAW)
    with pytest.raises(AnnotationError, match="outside"):
        AnnotationFile.open(data / "tiny" / "annotation.yaml", data_dir=tmp_path / "other")


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (
            RAW.replace("    relation: blames\n", "    relation: blames\n    relation: denies\n"),
            "duplicate key 'relation'",
        ),
        (
            RAW.replace("label: Anna Vogel", "label: &who Anna Vogel"),
            None,
        ),
        (
            RAW.replace('label: "Freedonia"', "label: &name Freedonia").replace(
                "label: Anna Vogel", "label: *name"
            ),
            r"alias \*name refused",
        ),
        (RAW.replace("  - id: freedonia", "  - id: ruritania"), "duplicate entity id"),
        (RAW.replace("entities:", "people:"), "unknown field 'people'"),
    ],
    ids=["duplicate-key", "anchor-alone", "alias", "duplicate-id", "unknown-key"],
)
def test_open_reads_as_the_build_reads(make_source, raw, problem):
    data = make_source(raw=raw)
    path = data / "tiny" / "annotation.yaml"
    if problem is None:
        assert AnnotationFile.open(path, data_dir=data).entities()[2]["label"] == "Anna Vogel"
        return
    with pytest.raises(AnnotationError, match=problem):
        AnnotationFile.open(path, data_dir=data)


def test_a_flow_list_is_read_and_its_items_are_not_edited(make_source):
    raw = RAW.replace(
        RAW[RAW.index("entities:") : RAW.index("statements:")],
        "entities: [{id: ruritania, type: state, label: Ruritania},\n"
        "  {id: freedonia, type: state, label: Freedonia},\n"
        "  {id: anna-vogel, type: official, label: Anna Vogel},\n"
        "  {id: self-defence-applies, type: position, label: Self-defence applies}]\n\n",
    )
    data = make_source(raw=raw)
    annotation = AnnotationFile.open(data / "tiny" / "annotation.yaml", data_dir=data)
    assert [e["id"] for e in annotation.entities()][-1] == "self-defence-applies"
    annotation.accept("ruritania-blames-freedonia", coder="Ana")
    assert on_disk(annotation) == raw.replace(
        "    reviewed: false\n    confidence: 0.7", "    coded_by: Ana\n    confidence: 0.7"
    )
    with pytest.raises(EditRefused, match="flow style"):
        annotation.add_entity({"type": "person", "label": "Karl Vogel"}, coder="Ana")


def test_accepting_every_statement_of_the_seed_changes_only_their_last_lines(copy_source):
    path = copy_source(SEED_DIR)
    before = path.read_text(encoding="utf-8")
    annotation = AnnotationFile.open(path, data_dir=path.parent.parent)
    for statement in annotation.statements():
        annotation.accept(statement["id"], coder="Ana")
    after = path.read_text(encoding="utf-8")
    added = [line for line in after.splitlines() if line == "    coded_by: Ana"]
    assert len(added) == len(annotation.statements())
    assert [
        line for line in after.splitlines() if line != "    coded_by: Ana"
    ] == before.splitlines()
    load_source(path)


def test_accepting_every_statement_of_a_draft_replaces_each_reviewed_false(
    seed_draft_dir, copy_source
):
    path = copy_source(seed_draft_dir)
    before = path.read_text(encoding="utf-8")
    annotation = AnnotationFile.open(path, data_dir=path.parent.parent)
    for statement in annotation.statements():
        annotation.accept(statement["id"], coder="Ana")
    head, _, statements = before.partition("\nstatements:\n")
    expected = (
        head + "\nstatements:\n" + statements.replace("  reviewed: false\n", "  coded_by: Ana\n")
    )
    assert path.read_text(encoding="utf-8") == expected
    assert all(s.reviewed is None for s in load_source(path).statements)


@settings(max_examples=20, deadline=None)
@given(
    operations=st.lists(
        st.tuples(
            st.sampled_from(["accept", "reject", "relation", "modality", "note"]),
            st.integers(min_value=0, max_value=200),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_sequence_of_changes_keeps_a_draft_loadable_and_other_items_as_they_were(
    seed_draft_dir, operations
):
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "data"
        shutil.copytree(seed_draft_dir, data / "draft")
        path = data / "draft" / "annotation.yaml"
        annotation = AnnotationFile.open(path, data_dir=data)
        text = path.read_text(encoding="utf-8")
        blocks = {
            item.values["id"]: text[item.span[0] : item.span[1]]
            for item in annotation._lists["statements"].items
        }
        touched = set()
        for operation, index in operations:
            ids = [s["id"] for s in annotation.statements()]
            statement_id = ids[index % len(ids)]
            touched.add(statement_id)
            if operation == "accept":
                annotation.accept(statement_id, coder="Ana")
            elif operation == "reject":
                annotation.reject(statement_id)
            elif operation == "relation":
                # refused where the shapes forbid it for these entities: then nothing changes
                unchanged = path.read_bytes()
                try:
                    annotation.update(statement_id, {"relation": "participates_in"}, coder="Ana")
                except EditRefused as refusal:
                    assert refusal.field == "relation" and "participates_in" in refusal.message
                    assert path.read_bytes() == unchanged
            elif operation == "modality":
                annotation.update(statement_id, {"modality": "alleged"}, coder="Ana")
            else:
                annotation.update(statement_id, {"note": "checked: 'yes' # really"}, coder="Ana")
            load_source(path)
        after = path.read_text(encoding="utf-8")
        for statement_id, block in blocks.items():
            if statement_id not in touched:
                assert block in after, statement_id


def test_one_item_is_found_by_id_and_accept_entity_records_the_coder(make_source):
    annotation = tiny_annotation()
    annotation["entities"][0].update(reviewed=False, confidence=0.9)
    data = make_source(annotation)
    path = data / "tiny" / "annotation.yaml"
    opened = AnnotationFile.open(path, data_dir=data)
    assert opened.statement("ruritania-blames-freedonia")["object"] == "freedonia"
    assert opened.statement("nothing") is None and opened.entity("nothing") is None
    assert opened.changes == 0
    opened.accept_entity("ruritania", coder="Ana")
    assert opened.changes == 1
    assert opened.entity("ruritania") == {
        "id": "ruritania", "type": "state", "label": "Ruritania", "confidence": 0.9,
        "coded_by": "Ana",
    }  # fmt: skip
    assert load_source(path).entities["ruritania"].coded_by == "Ana"
