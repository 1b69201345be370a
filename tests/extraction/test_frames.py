"""Tests of the frames: every example of every frame file, the check of a frame file,
and switching a frame's rule off."""

from __future__ import annotations

from pathlib import Path

import pytest

import graph
from graph.errors import AnnotationError
from graph.extraction.draft import draft_document
from graph.extraction.rules import RULES
from graph.extraction.rules.frames import (
    FRAMES,
    FRAMES_FOLDER,
    Also,
    read_frame,
    read_frames,
)

EXAMPLES = [
    pytest.param(frame, example, id=f"{frame.rule.name}-{number}")
    for frame in FRAMES
    for number, example in enumerate(frame.examples, 1)
]

GOOD_FRAME = """\
name: deny-frame
description: X denied any involvement
relation: denies
modality: reported
object_type: incident
triggers: [deny]
patterns:
  - - {RIGHT_ID: trigger, RIGHT_ATTRS: {POS: VERB}}
    - {LEFT_ID: trigger, REL_OP: ">", RIGHT_ID: subject, RIGHT_ATTRS: {DEP: nsubj}}
    - {LEFT_ID: trigger, REL_OP: ">", RIGHT_ID: object, RIGHT_ATTRS: {DEP: dobj}}
examples:
  - text: Russia denied any involvement.
    statements: []
"""


def _named(draft, entity_id: str) -> set[str]:
    """The id of an entity of ``draft`` and its label, in lower case."""
    labels = {entity.id: entity.label for entity in draft.entities}
    return {entity_id.lower(), labels.get(entity_id, entity_id).lower()}


@pytest.mark.parametrize(("frame", "example"), EXAMPLES)
def test_frame_example_gives_its_statements(draft_text, frame, example) -> None:
    # a wanted statement may come from a rule before the frame (the frame then adds what
    # it is about); the frame itself gives no other
    draft = draft_text(example.text)
    found = [
        (
            _named(draft, s.subject),
            s.relation,
            _named(draft, s.object),
            _named(draft, s.about) if s.about else set(),
            s.rule,
        )
        for s in draft.statements
    ]
    wanted = [
        (subject.lower(), relation, obj.lower(), about[0].lower() if about else None)
        for subject, relation, obj, *about in example.statements
    ]
    for subject, relation, obj, about in wanted:
        assert any(
            subject in s and relation == r and obj in o and (about is None or about in a)
            for s, r, o, a, _ in found
        ), f"{example.text!r} does not give {(subject, relation, obj, about)}; it gives {found}"
    for s, r, o, _, rule in found:
        if rule == frame.rule.name:
            assert any(w[0] in s and w[1] == r and w[2] in o for w in wanted), (
                f"{example.text!r} gives {(s, r, o)}, not only {example.statements}"
            )


def test_every_frame_file_is_a_rule_with_examples_that_give_none() -> None:
    names = {frame.rule.name for frame in FRAMES}
    assert {"deny-frame", "sanction-frame"} <= names
    assert names <= {rule.name for rule in RULES}
    for frame in FRAMES:
        assert any(not example.statements for example in frame.examples), frame.path.name


def test_frame_files_ship_inside_the_package() -> None:
    assert FRAMES_FOLDER.is_relative_to(Path(graph.__file__).parent)
    assert sorted(p.name for p in FRAMES_FOLDER.glob("*.yaml")) == [
        "attribution.yaml",
        "blames.yaml",
        "codifies.yaml",
        "concerns.yaml",
        "denies.yaml",
        "endorses.yaml",
        "finding.yaml",
        "sanctions.yaml",
        "suspicion.yaml",
    ]


def test_a_good_frame_file_is_read(tmp_path) -> None:
    path = tmp_path / "deny.yaml"
    path.write_text(GOOD_FRAME, "utf-8")
    frame = read_frame(path)
    assert (frame.rule.name, frame.relation, frame.triggers) == ("deny-frame", "denies", ("deny",))
    assert frame.patterns[0][0]["RIGHT_ATTRS"]["LEMMA"] == {"IN": ["deny"]}


@pytest.mark.parametrize(
    ("old", "new", "item"),
    [
        ("relation: denies\n", "", "relation"),
        ("relation: denies", "relation: refutes", "relation"),
        ("modality: reported", "modality: certain", "modality"),
        ("object_type: incident", "object_type: place", "object_type"),
        ("triggers: [deny]", "triggers: []", "triggers"),
        ("RIGHT_ID: subject", "RIGHT_ID: agent", "patterns[1]"),
        ('REL_OP: ">", RIGHT_ID: object', 'REL_OP: "~~", RIGHT_ID: object', "patterns[1]"),
        ("statements: []", "statements: [[Russia, denies]]", "examples[1]"),
        ("name: deny-frame", "name: Deny Frame", "name"),
        ("relation: denies", "relation: denies\nverbs: [deny]", "verbs"),
        ("object_type: incident", "object_type: incident\nsubject_type: place", "subject_type"),
        ("object_type: incident", "object_type: incident\nalso: {relation: blames}", "also"),
        (
            "object_type: incident",
            "object_type: incident\nalso: [{relation: blames, subject: object}]",
            "also[1]",
        ),
        (
            "object_type: incident",
            "object_type: incident\nalso: [{relation: refutes, subject: object, object: about}]",
            "also[1]",
        ),
        (
            "object_type: incident",
            "object_type: incident\nalso: [{relation: blames, subject: speaker, object: about}]",
            "also[1]",
        ),
        (
            "object_type: incident",
            "object_type: incident\nalso: [{relation: blames, subject: object, object: about, "
            "modality: alleged}]",
            "also[1]",
        ),
    ],
)
def test_a_bad_frame_file_is_reported_in_one_line(tmp_path, old, new, item) -> None:
    assert old in GOOD_FRAME
    path = tmp_path / "bad.yaml"
    path.write_text(GOOD_FRAME.replace(old, new), "utf-8")
    with pytest.raises(AnnotationError) as raised:
        read_frame(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {item}: ")


def test_two_frames_of_one_name_are_refused(tmp_path) -> None:
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(GOOD_FRAME, "utf-8")
    with pytest.raises(AnnotationError, match=r"b\.yaml: name: another frame is named"):
        read_frames(tmp_path)


def test_a_frame_switched_off_drafts_nothing(text_facts) -> None:
    text = (
        "Britain blamed Russia for the NotPetya cyber-attack. Moscow rejected the claims. "
        "The European Union imposed sanctions on Russia."
    )
    relations = {relation for _, relation, _, _ in text_facts(text)}
    assert {"denies", "sanctions"} <= relations
    off = text_facts(text, without=("deny-frame", "sanction-frame"))
    assert not {relation for _, relation, _, _ in off} & {"denies", "sanctions"}


def test_the_matchers_are_built_once_per_vocabulary() -> None:
    from spacy.vocab import Vocab

    from graph.extraction.rules.frames import _matcher

    vocab = Vocab()
    first = {frame.rule.name: _matcher(vocab, frame) for frame in FRAMES}
    assert all(_matcher(vocab, frame) is first[frame.rule.name] for frame in FRAMES)
    assert _matcher(Vocab(), FRAMES[0]) is not first[FRAMES[0].rule.name]


def test_a_frame_with_further_statements_is_read(tmp_path) -> None:
    path = tmp_path / "blame.yaml"
    path.write_text(
        GOOD_FRAME.replace("relation: denies", "relation: blames").replace(
            "object_type: incident",
            "object_type: actor\nsubject_type: actor\nalso: [{relation: attributed_to, "
            "subject: about, object: object, claimed_by: subject}]",
        ),
        "utf-8",
    )
    frame = read_frame(path)
    assert frame.subject_type == "actor"
    assert frame.also == (Also("attributed_to", "about", "object", "subject"),)


def test_the_blame_frame_says_who_claims_the_attribution(draft_text) -> None:
    draft = draft_text("Canada accused North Korea of carrying out the WannaCry attack.")
    (attribution,) = [s for s in draft.statements if s.relation == "attributed_to"]
    (blame,) = [s for s in draft.statements if s.relation == "blames"]
    assert (attribution.claimed_by, attribution.modality) == ("canada", "reported")
    assert blame.about == attribution.subject


def test_an_attribution_the_text_hedges_is_alleged(draft_text) -> None:
    draft = draft_text("The hack is widely believed to have been the work of a group tied to Iran.")
    (attribution,) = [s for s in draft.statements if s.rule == "attribution-frame"]
    assert (attribution.object, attribution.modality) == ("iran", "alleged")


def test_a_speakers_suspicion_is_speculative_the_texts_alleged(draft_text) -> None:
    spoken = draft_text("Slovak officials say they suspect China of the 2022 attack on a bank.")
    written = draft_text("Two Russian officers are suspected of involvement in the dam attack.")
    assert [s.modality for s in spoken.statements if s.rule == "suspicion-frame"] == ["speculative"]
    assert [s.modality for s in written.statements if s.rule == "suspicion-frame"] == ["alleged"]


def test_what_sanctions_answer_is_written_as_about(draft_text) -> None:
    draft = draft_text("The European Union imposed sanctions on Russia over the Kestrel attack.")
    document = draft_document(draft, "article.txt")
    (sanctions,) = [s for s in document["statements"] if s["relation"] == "sanctions"]
    labels = {e["id"]: e["label"] for e in document["entities"]}
    assert labels[sanctions["about"]] == "Kestrel"
    assert sanctions["about"] in {e["id"] for e in document["entities"]}


def test_a_blame_without_an_incident_has_no_about(draft_text) -> None:
    document = draft_document(draft_text("Norway blamed Russia for the failure of the talks."), "a")
    assert [s.get("about") for s in document["statements"] if s["relation"] == "blames"] == [None]
