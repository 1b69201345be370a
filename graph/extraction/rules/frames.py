"""Statements found by frames: files of data, one per sense of a relation, that say which
words trigger it and where its subject and object sit in the parse.

A frame file (``graph/extraction/frames/*.yaml``, described in docs/extraction.md) holds:

- ``name``: the rule the statements carry (``deny-frame``), with a ``description``;
- ``relation`` and the default ``modality`` (a hedge in the clause makes it alleged or
  speculative);
- ``triggers``: the lemmas of the words that evoke it ("deny", "reject");
- ``patterns``: spaCy ``DependencyMatcher`` patterns whose first node is the trigger (its
  ``LEMMA`` is one of ``triggers`` unless the pattern says otherwise) and that name the
  nodes ``subject`` and ``object``;
- ``object_type``: ``actor`` (the actors the object names), ``incident`` (an incident
  named inside the object, else the last one named in the trigger's sentence or the one
  before, else none), ``document`` (the documents the object names, or a new one for a
  noun that names a kind of text: "the framework", "a joint advisory") or ``position``
  (the proposition the object's words state);
- ``examples``: sentences with the statements (subject, relation, object, each an id or
  a label) each must give; an empty list when it must give none.

A trigger that is negated ("did not deny") gives nothing. The matchers are built once per
spaCy vocabulary and run once per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...corpus import MODALITIES
from ...errors import AnnotationError, shown
from ...inputs import read_yaml
from ...ontology import vocabulary
from ..lexicon import DOCUMENT_NOUNS
from ..mentions import DraftEntity
from .context import Context
from .rule import Rule, Step

__all__ = [
    "FRAMES",
    "FRAMES_FOLDER",
    "RULES",
    "STEPS",
    "Example",
    "Frame",
    "frame_step",
    "read_frame",
    "read_frames",
]

FAMILY = "frames"
FRAMES_FOLDER = Path(__file__).resolve().parent.parent / "frames"
"""The frame files shipped with the package."""

OBJECT_TYPES = ("actor", "incident", "document", "position")
# what the object of a ``document`` frame may be called when it names no known document
_DOCUMENT_HEADS = DOCUMENT_NOUNS | {
    "framework", "advisory", "statement", "norm", "strategy", "guidance", "communique",
    "toolbox", "regime", "code", "principle", "pledge", "accord", "call", "guideline",
}  # fmt: skip
ANCHORS = ("subject", "object")
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_KEYS = {
    "name", "description", "relation", "modality", "triggers", "patterns", "object_type",
    "examples",
}  # fmt: skip


@dataclass(frozen=True)
class Example:
    """A sentence of a frame file and the (subject, relation, object) it must give."""

    text: str
    statements: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Frame:
    """One sense of a relation, read from a frame file."""

    path: Path
    rule: Rule
    relation: str
    modality: str
    triggers: tuple[str, ...]
    patterns: tuple[tuple[dict[str, Any], ...], ...]
    object_type: str
    examples: tuple[Example, ...]


def read_frames(folder: Path = FRAMES_FOLDER) -> tuple[Frame, ...]:
    """The frames of every ``*.yaml`` file of ``folder``, by file name; raises
    ``AnnotationError`` (one line naming the file and the item) for a bad one or for two
    frames of one name."""
    frames: list[Frame] = []
    for path in sorted(folder.glob("*.yaml")):
        frame = read_frame(path)
        if any(f.rule.name == frame.rule.name for f in frames):
            raise AnnotationError(path, f"another frame is named {shown(frame.rule.name)}", "name")
        frames.append(frame)
    return tuple(frames)


def read_frame(path: Path) -> Frame:
    """The frame a file holds, checked; raises ``AnnotationError`` naming the file and
    the item that is wrong."""
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise AnnotationError(path, "a frame file is a mapping (name, relation, ...)")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise AnnotationError(path, f"unknown key (known: {', '.join(sorted(_KEYS))})", unknown[0])
    name = _text(path, data, "name")
    if not _NAME.match(name):
        raise AnnotationError(path, f"{shown(name)} is not a rule name (like deny-frame)", "name")
    modality = _text(path, data, "modality")
    if modality not in MODALITIES:
        raise AnnotationError(
            path, f"unknown modality (known: {', '.join(MODALITIES)})", "modality"
        )
    object_type = _text(path, data, "object_type")
    if object_type not in OBJECT_TYPES:
        raise AnnotationError(path, f"is {' or '.join(OBJECT_TYPES)}", "object_type")
    triggers = data.get("triggers")
    if (
        not isinstance(triggers, list)
        or not triggers
        or not all(isinstance(t, str) and t for t in triggers)
    ):
        raise AnnotationError(path, "a list of lemmas", "triggers")
    relation = _text(path, data, "relation")
    if relation not in vocabulary().relations:
        raise AnnotationError(path, f"{shown(relation)} is no relation of the ontology", "relation")
    rule = Rule(name, FAMILY, f"{_text(path, data, 'description')}: {relation}")
    return Frame(
        path,
        rule,
        relation,
        modality,
        tuple(triggers),
        _patterns(path, data.get("patterns"), triggers),
        object_type,
        _examples(path, data.get("examples")),
    )


def _text(path: Path, data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise AnnotationError(path, "missing or not a text", key)
    return value.strip()


def _patterns(
    path: Path, patterns: Any, triggers: list[str]
) -> tuple[tuple[dict[str, Any], ...], ...]:
    """The patterns, each checked by building a matcher of it; the trigger node's lemma
    is one of ``triggers`` unless the pattern sets it."""
    from spacy.matcher import DependencyMatcher
    from spacy.vocab import Vocab

    if not isinstance(patterns, list) or not patterns:
        raise AnnotationError(path, "a list of DependencyMatcher patterns", "patterns")
    checked = []
    for number, pattern in enumerate(patterns, 1):
        item = f"patterns[{number}]"
        if (
            not isinstance(pattern, list)
            or not pattern
            or not all(isinstance(node, dict) for node in pattern)
        ):
            raise AnnotationError(path, "a list of nodes (RIGHT_ID, RIGHT_ATTRS, ...)", item)
        nodes = [dict(node) for node in pattern]
        trigger = dict(nodes[0].get("RIGHT_ATTRS") or {})
        trigger.setdefault("LEMMA", {"IN": list(triggers)})
        nodes[0]["RIGHT_ATTRS"] = trigger
        ids = [node.get("RIGHT_ID") for node in nodes]
        for anchor in ANCHORS:
            if anchor not in ids:
                raise AnnotationError(path, f"names no node {shown(anchor)} (RIGHT_ID)", item)
        try:
            DependencyMatcher(Vocab()).add("check", [nodes])
        except (ValueError, TypeError, KeyError) as problem:
            first = str(problem).strip().splitlines()[0] if str(problem).strip() else "invalid"
            raise AnnotationError(path, f"not a DependencyMatcher pattern: {first}", item) from None
        checked.append(tuple(nodes))
    return tuple(checked)


def _examples(path: Path, examples: Any) -> tuple[Example, ...]:
    if not isinstance(examples, list) or not examples:
        raise AnnotationError(path, "a list of sentences and their statements", "examples")
    found = []
    for number, example in enumerate(examples, 1):
        item = f"examples[{number}]"
        if not isinstance(example, dict) or not isinstance(example.get("text"), str):
            raise AnnotationError(path, "a mapping with text and statements", item)
        statements = example.get("statements")
        if not isinstance(statements, list) or not all(
            isinstance(s, list) and len(s) == 3 and all(isinstance(p, str) for p in s)
            for s in statements
        ):
            raise AnnotationError(
                path, "statements: a list of [subject, relation, object] (or [])", item
            )
        found.append(Example(example["text"], tuple(tuple(s) for s in statements)))
    return tuple(found)


FRAMES = read_frames()
"""The frames shipped with the package."""

_MATCHERS: dict[int, tuple[Any, dict[str, Any]]] = {}  # id(vocab) -> (vocab, by frame)


def _matcher(vocab: Any, frame: Frame) -> Any:
    """The matcher of ``frame`` for a spaCy vocabulary; those of every frame are made on
    first use of the vocabulary."""
    from spacy.matcher import DependencyMatcher

    kept = _MATCHERS.get(id(vocab))
    if kept is None or kept[0] is not vocab:
        matchers = {}
        for each in FRAMES:
            matcher = DependencyMatcher(vocab)
            for number, pattern in enumerate(each.patterns):
                # a key per pattern, to know which nodes the matched tokens are
                matcher.add(f"{each.rule.name}#{number}", [list(pattern)])
            matchers[each.rule.name] = matcher
        kept = _MATCHERS[id(vocab)] = (vocab, matchers)
    return kept[1][frame.rule.name]


def frame_step(frame: Frame) -> Step:
    """The step that records the statements of ``frame`` found in an article."""

    def apply(context: Context) -> None:
        for trigger, anchors in _matches(context, frame):
            if any(c.dep_ == "neg" for c in trigger.children):
                continue  # "did not deny"
            subjects = context.actors(anchors["subject"])
            objects = _objects(context, frame, trigger, anchors["object"])
            modality = context.modality(trigger.subtree, frame.modality)
            quote = [*anchors.values(), *anchors["object"].subtree]
            for subject in subjects:
                for obj in objects:
                    context.add(subject, frame.relation, obj, modality, quote, frame.rule.name)

    apply.__doc__ = f"The statements of the frame {frame.rule.name} ({frame.path.name})."
    return Step(frame.rule, "document", apply)


def _matches(context: Context, frame: Frame) -> list[tuple[Any, dict[str, Any]]]:
    """Each match of ``frame`` in the article: its trigger and its named nodes."""
    matcher = _matcher(context.doc.vocab, frame)
    strings = context.doc.vocab.strings
    keys = {strings[f"{frame.rule.name}#{n}"]: p for n, p in enumerate(frame.patterns)}
    found = []
    for match_id, token_ids in matcher(context.doc):
        pattern = keys.get(match_id)
        if pattern is None:
            continue
        anchors = {
            node["RIGHT_ID"]: context.doc[i] for node, i in zip(pattern, token_ids, strict=True)
        }
        found.append((context.doc[token_ids[0]], anchors))
    return found


def _objects(context: Context, frame: Frame, trigger: Any, anchor: Any) -> list[DraftEntity]:
    """What the object node names: actors, or the incident named in it, in its sentence or in
    the one before."""
    if frame.object_type == "actor":
        return context.actors(anchor)
    if frame.object_type == "document":
        return _documents(context, anchor)
    if frame.object_type == "position":
        position = context.position(sorted(anchor.subtree, key=lambda token: token.i))
        return [position] if position is not None else []
    for token in anchor.subtree:
        entity = context.entity(token)
        if entity is not None and entity.type == "incident":
            return [entity]
    # "Britain blamed Russia for NotPetya. Moscow rejected the claims.": the claims rejected
    # are those of the sentence or the one before; an incident named further back may not
    # be what the accusation was about
    sentence = trigger.sent
    before = context.doc[sentence.start - 1].sent if sentence.start > 0 else None
    for span in (sentence, before):
        incidents = [] if span is None else [context.entity(token) for token in span]
        named = [entity for entity in incidents if entity is not None and entity.type == "incident"]
        if named:
            return [named[-1]]
    return []


def _documents(context: Context, anchor: Any) -> list[DraftEntity]:
    """The documents a noun phrase and its conjuncts name: a known one, or a new one for a
    noun that names a kind of text; nothing for any other noun ("backed the proposal")."""
    found: list[DraftEntity] = []
    for member in [anchor, *anchor.conjuncts]:
        entity = context.entity(member)
        if entity is None and member.lemma_.lower() in _DOCUMENT_HEADS:
            entity = context.thing(member, "document")
        if entity is not None and entity.type == "document" and entity not in found:
            found.append(entity)
    return found


RULES: tuple[Rule, ...] = tuple(frame.rule for frame in FRAMES)
STEPS: tuple[Step, ...] = tuple(frame_step(frame) for frame in FRAMES)
