"""Tests of the hedges (graph/extraction/hedges.py and hedges.yaml): every example of the
file, the check of a hedges file, and the modality a hedge gives a drafted statement."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import AnnotationError
from graph.extraction import hedges
from graph.extraction.hedges import HEDGES, HEDGES_FILE, hedge_marks, read_hedges
from graph.extraction.language import load_pipeline

EXAMPLES = [
    pytest.param(example, id=f"example-{number}")
    for number, example in enumerate(HEDGES.examples, 1)
]

GOOD = """\
hedges:
  - {words: allegedly, modality: alleged}
  - {words: may have, modality: speculative, tag: MD, not_text: [May]}
examples:
  - {text: The group allegedly ran the servers., modality: alleged}
"""


def _modality(text: str) -> str:
    doc = load_pipeline()(text)
    return hedges.modality(doc, hedge_marks(doc), "reported")


@pytest.mark.parametrize("example", EXAMPLES)
def test_every_example_of_the_hedges_file_gives_its_modality(example):
    assert _modality(example.text) == example.modality


def test_the_file_covers_the_hedges_of_both_kinds_and_their_exceptions():
    words = {" ".join(h.words): h for h in HEDGES.hedges}
    assert {"alleged", "suspected", "believed to", "widely believed", "may have"} <= set(words)
    assert words["might"].tag == "MD"  # not the noun: "military might"
    assert "May" in words["may have"].not_text  # not the month
    assert {e.modality for e in HEDGES.examples} == {"alleged", "speculative", "reported"}


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("Military might alone will not deter the hackers.", "reported"),
        ("In May 2017 the talks collapsed.", "reported"),
        ("The talks, which began in May, collapsed.", "reported"),
        ("The alleged hackers may have fled.", "alleged"),  # alleged is the stronger
        ("The agency may well have known.", "speculative"),
        ("The group is widely suspected of the break-in.", "alleged"),
    ],
)
def test_a_hedge_counts_only_in_its_hedging_use(text, modality):
    assert _modality(text) == modality


def test_only_the_tokens_asked_about_count():
    doc = load_pipeline()("Russia backed the plan. The hackers may have fled.")
    first = next(iter(doc.sents))
    marks = hedge_marks(doc)
    assert hedges.modality(first, marks, "reported") == "reported"
    assert hedges.modality(doc, marks, "reported") == "speculative"


def test_a_good_hedges_file_is_read(tmp_path: Path):
    path = tmp_path / "hedges.yaml"
    path.write_text(GOOD, encoding="utf-8")
    read = read_hedges(path)
    assert [h.words for h in read.hedges] == [("allegedly",), ("may", "have")]
    assert read.examples[0].modality == "alleged"


@pytest.mark.parametrize(
    ("change", "item", "problem"),
    [
        (("modality: alleged}", "modality: certain}"), "hedges[1]", "modality: is alleged or"),
        (("words: allegedly", "words: Allegedly"), "hedges[1]", "not lower-case words"),
        (("tag: MD,", "tag: MD, when: always,"), "hedges[2]", "unknown key 'when'"),
        (("not_text: [May]", "not_text: May"), "hedges[2]", "not_text: a list of words"),
        (("words: may have", "words: allegedly"), "hedges[2]", "'allegedly' twice"),
        (("servers., modality: alleged", "servers., modality: unsure"), "examples[1]", "is one of"),
    ],
)
def test_a_wrong_hedge_is_named_in_one_line(tmp_path: Path, change, item, problem):
    path = tmp_path / "hedges.yaml"
    path.write_text(GOOD.replace(*change, 1), encoding="utf-8")
    with pytest.raises(AnnotationError) as raised:
        read_hedges(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {item}: ")
    assert problem in message


def test_a_file_without_examples_is_refused(tmp_path: Path):
    path = tmp_path / "hedges.yaml"
    path.write_text(GOOD.split("examples:")[0], encoding="utf-8")
    with pytest.raises(AnnotationError, match="mapping of hedges and examples"):
        read_hedges(path)


def test_the_shipped_file_is_inside_the_package():
    assert HEDGES_FILE.parent.name == "extraction"
    assert HEDGES.path == HEDGES_FILE


def test_a_frame_statement_takes_the_hedge_of_its_clause(draft_text):
    text = (
        "A cyber-attack on the Tallinn port halted shipping on Monday. Russia reportedly "
        "denied any involvement.\n"
    )
    denials = [s for s in draft_text(text).statements if s.relation == "denies"]
    assert [(s.subject, s.modality) for s in denials] == [("russia", "alleged")]


def test_a_stance_takes_the_hedge_of_its_clause(draft_text):
    statements = draft_text("Germany is believed to support the proposal for a treaty.\n")
    stances = [s for s in statements.statements if s.relation == "supports_position"]
    assert [(s.subject, s.modality) for s in stances] == [("germany", "alleged")]
