"""Statements found by frames: files of data, one per sense of a relation, that say which
words trigger it and where its subject and object sit in the parse.

A frame file (``graph/extraction/frames/*.yaml``, described in docs/extraction.md) holds:

- ``name``: the rule the statements carry (``deny-frame``), with a ``description``;
- ``relation`` and the default ``modality`` (a hedge in the clause, or in the clauses it
  hangs from, makes it alleged or speculative);
- ``triggers``: the lemmas of the words that evoke it ("deny", "reject");
- ``patterns``: spaCy ``DependencyMatcher`` patterns whose first node is the trigger (its
  ``LEMMA`` is one of ``triggers`` unless the pattern says otherwise) and that name the
  nodes ``subject`` and ``object``, and may name ``about`` (the incident the statement
  answers: its ``about``) and ``claimant`` (whose claim it is: its ``claimed_by``);
- ``subject_type`` (``actor`` unless said) and ``object_type``: ``actor`` (the actors the
  node names) or ``incident`` (an incident named inside the node, else the cyber operation
  the node's phrase names, "a ransomware attack", else for an object the last incident
  named in the trigger's sentence or the one before, else none); an object may also be a
  ``document`` (the documents the object names, or a new one for a noun that names a
  kind of text: "the framework", "a joint advisory") or a ``position`` (the proposition
  the object's words state);
- ``also`` (optional): more statements each match gives, each a mapping of ``relation``,
  ``subject``, ``object`` and optionally ``claimed_by``, whose values name the nodes
  (``subject``, ``object``, ``about``, ``claimant``): "X blamed Y for Z" gives X blames Y
  and also Z attributed_to Y, claimed by X;
- ``examples``: sentences with the statements (subject, relation, object, each an id or
  a label, then optionally the label of its ``about``) each must give; an empty list when
  it must give none.

A trigger that is negated ("did not deny") gives nothing. A node that is a relative
pronoun ("the attack, which X attributed to Y") stands for the noun its clause describes.
The matchers are built once per
spaCy vocabulary and run once per article.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from typing import Any

from ...corpus import MODALITIES
from ...errors import AnnotationError, shown
from ...inputs import read_yaml
from ...ontology import vocabulary
from ..lexicon import DOCUMENT_NOUNS, INCIDENT_NOUNS, NAMING_VERBS
from ..mentions import DraftEntity
from ..phrases import phrase
from .context import Context
from .counted import counted_actors
from .rule import DraftStatement, Rule, Step

__all__ = [
    "FRAMES",
    "FRAMES_FOLDER",
    "RULES",
    "STEPS",
    "Also",
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
ROLES = ("subject", "object", "about", "claimant")
"""The nodes a pattern may name, and the values of an ``also`` statement's places."""
_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_KEYS = {
    "name", "description", "relation", "modality", "triggers", "patterns", "subject_type",
    "object_type", "also", "examples",
}  # fmt: skip
_ALSO_KEYS = {"relation", "subject", "object", "claimed_by"}
# heads of a phrase naming a cyber operation, beside the lexicon's incident nouns
_OPERATION_HEADS = {
    "cyber-attack", "cyberattack", "malware", "wiper", "espionage", "sabotage", "interference",
    "release", "compromise", "hijacking", "intrusions", "attacks",
}  # fmt: skip
_RELATIVES = {"that", "which", "who", "whom"}
_ACTORS = ("state", "group", "official", "person", "institution")
# "six people", "four officers": people a text counts, listed or charged as one group
# "denied any involvement": a part in an incident, whatever else was said between
_INVOLVEMENT = {"involvement", "responsibility", "role", "part"}
_COUNTED = {
    "person", "people", "individual", "officer", "national", "entity", "company", "hacker",
    "defendant", "operative", "agent",
}  # fmt: skip


@dataclass(frozen=True)
class Example:
    """A sentence of a frame file and the (subject, relation, object[, about]) it must give."""

    text: str
    statements: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Also:
    """A further statement a frame's match gives: the node (role) in each place."""

    relation: str
    subject: str
    object: str
    claimed_by: str | None = None


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
    subject_type: str = "actor"
    also: tuple[Also, ...] = ()


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
    subject_type = data.get("subject_type", "actor")
    if subject_type not in OBJECT_TYPES:
        raise AnnotationError(path, f"is {' or '.join(OBJECT_TYPES)}", "subject_type")
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
        subject_type,
        _also(path, data.get("also", [])),
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


def _also(path: Path, also: Any) -> tuple[Also, ...]:
    """The further statements of a match, each checked: a known relation, known roles."""
    if not isinstance(also, list):
        raise AnnotationError(path, "a list of statements (relation, subject, object)", "also")
    found = []
    relations = vocabulary().relations
    for number, item in enumerate(also, 1):
        where = f"also[{number}]"
        if not isinstance(item, dict) or not {"relation", "subject", "object"} <= set(item):
            raise AnnotationError(path, "a mapping of relation, subject, object", where)
        unknown = sorted(set(item) - _ALSO_KEYS)
        if unknown:
            raise AnnotationError(path, f"unknown key {shown(unknown[0])}", where)
        if item["relation"] not in relations:
            raise AnnotationError(path, f"{shown(item['relation'])} is no relation", where)
        for key in ("subject", "object", "claimed_by"):
            if key in item and item[key] not in ROLES:
                raise AnnotationError(path, f"{key} is one of {', '.join(ROLES)}", where)
        found.append(
            Also(item["relation"], item["subject"], item["object"], item.get("claimed_by"))
        )
    return tuple(found)


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
            isinstance(s, list) and len(s) in (3, 4) and all(isinstance(p, str) for p in s)
            for s in statements
        ):
            raise AnnotationError(
                path, "statements: a list of [subject, relation, object(, about)] (or [])", item
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


_SENTENCES: list[tuple[Any, dict[int, Any]]] = []  # (doc, sentence start -> its own Doc)


def _sentence_doc(sentence: Any) -> Any:
    """The sentence as a Doc of its own, made once per article: a matcher reads only its
    words (given a Span, spaCy's matcher copies it into a Doc at each call)."""
    doc = sentence.doc
    if not _SENTENCES or _SENTENCES[0][0] is not doc:
        _SENTENCES[:] = [(doc, {})]
    made = _SENTENCES[0][1]
    if sentence.start not in made:
        made[sentence.start] = sentence.as_doc()
    return made[sentence.start]


def _needed_words(pattern: tuple[dict[str, Any], ...]) -> tuple[frozenset[str], ...]:
    """For each node of a pattern that names its word (``LEMMA``, ``LOWER``), the words it
    can be: a sentence without one of each cannot match."""
    needed = []
    for node in pattern:
        attributes = node.get("RIGHT_ATTRS", {})
        for key in ("LEMMA", "LOWER"):
            value = attributes.get(key)
            if isinstance(value, str):
                needed.append(frozenset([value.lower()]))
            elif isinstance(value, dict) and "IN" in value:
                needed.append(frozenset(str(word).lower() for word in value["IN"]))
    return tuple(needed)


_NEEDED: dict[str, tuple[tuple[frozenset[str], ...], ...]] = {
    frame.rule.name: tuple(_needed_words(pattern) for pattern in frame.patterns) for frame in FRAMES
}


def frame_step(frame: Frame) -> Step:
    """The step that records the statements of ``frame`` found in an article."""

    def apply(context: Context) -> None:
        made: dict[tuple[int, str, str, str, str], DraftStatement | None] = {}
        for trigger, anchors in _matches(context, frame):
            if _negated(trigger):
                continue  # "did not deny", "was not behind"
            _record(context, frame, trigger, anchors, made)

    apply.__doc__ = f"The statements of the frame {frame.rule.name} ({frame.path.name})."
    return Step(frame.rule, "document", apply)


def _negated(trigger: Any) -> bool:
    """Whether the trigger, or the verb a trigger that is no verb hangs from, is negated."""
    heads = [trigger] if trigger.pos_ in ("VERB", "AUX") else [trigger, trigger.head]
    return any(c.dep_ == "neg" for head in heads for c in head.children)


def _record(
    context: Context,
    frame: Frame,
    trigger: Any,
    anchors: dict[str, Any],
    made: dict[tuple[int, str, str, str, str], DraftStatement | None],
) -> None:
    """The statements of one match of ``frame``: its own, then those of ``also``; none a
    trigger already gave (``made``) through another pattern."""
    subject_node, object_node = _noun(anchors["subject"]), _noun(anchors["object"])
    roles: dict[str, list[DraftEntity]] = {
        "subject": _fillers(
            context,
            frame.subject_type,
            trigger,
            subject_node,
            fallback=subject_node.pos_ not in ("NOUN", "PROPN"),
            within=frozenset(t.head.i for t in object_node.subtree if t.head.dep_ == "prep"),
            outside=_others(anchors, subject_node),
        ),
        "object": _fillers(
            context,
            frame.object_type,
            trigger,
            object_node,
            fallback=True,
            outside=_others(anchors, object_node),
        ),
        "about": [],
        "claimant": [],
    }
    if "about" in anchors:
        about_node = _noun(anchors["about"])
        # "pinned the campaign on Y": Y is no part of the campaign's name, but "held Y
        # responsible for the attack on Z" names the attack inside Y's phrase
        around = object_node.left_edge.i <= about_node.i <= object_node.right_edge.i
        inside = {t.i for t in about_node.subtree} if around else set()
        cut = (t.head.i for t in object_node.subtree if t.i not in inside)
        roles["about"] = _fillers(
            context,
            "incident",
            trigger,
            about_node,
            False,
            within=frozenset(i for i in cut if context.doc[i].dep_ == "prep"),
        )
    if "claimant" in anchors:
        roles["claimant"] = _actors(context, _noun(anchors["claimant"]))
    modality = context.modality(_clause(trigger), frame.modality)
    quote = [*anchors.values(), *object_node.subtree]
    about = roles["about"][0] if roles["about"] else None
    places: list[tuple[str, str, str, str | None]] = [
        (frame.relation, "subject", "object", "claimant")
    ]
    places += [(a.relation, a.subject, a.object, a.claimed_by) for a in frame.also]
    for relation, subject_role, object_role, claimed_role in places:
        claimants: list[DraftEntity | None] = [*(roles[claimed_role] if claimed_role else [])]
        for subject, obj, claimant in product(
            roles[subject_role], roles[object_role], claimants or [None]
        ):
            # not the subject's own claim
            claimed = None if claimant is None or claimant.id in (subject.id, obj.id) else claimant
            # one statement per claimant: "the US and the UK blamed Y for Z" is Z attributed
            # to Y as the US claims, and as the UK claims
            key = (trigger.i, subject.id, relation, obj.id, claimed.id if claimed else "")
            if key in made:  # by another pattern; this one may say what it is about
                _give_about(context, made[key], about)
                continue
            extra: dict[str, str] = {}
            if claimed is not None:
                extra["claimed_by"] = context.mentions.declare(claimed).id
            if about is not None and about.id not in (subject.id, obj.id):
                extra["about"] = context.mentions.declare(about).id
            others = {e.id for e in roles[subject_role]} - {subject.id}
            earlier = _made_before(
                context, subject, relation, obj.id, quote, others, extra.get("claimed_by")
            )
            if earlier is not None:
                _give_about(context, earlier, about)
                made[key] = earlier
                continue
            made[key] = context.add(
                subject, relation, obj, modality, quote, frame.rule.name, **extra
            )


def _matches(context: Context, frame: Frame) -> list[tuple[Any, dict[str, Any]]]:
    """Each match of ``frame`` in the article: its trigger and its named nodes; of the
    matches of one trigger, only those of its largest patterns (the most specific reading:
    "accused Y of involvement in Z" is about Z, not about "involvement").

    The matcher reads only the sentences that hold, for some pattern, a word for each node
    that names one: its cost grows with the words it reads and the nodes it has."""
    matcher = _matcher(context.doc.vocab, frame)
    strings = context.doc.vocab.strings
    keys = {strings[f"{frame.rule.name}#{n}"]: p for n, p in enumerate(frame.patterns)}
    needed = _NEEDED.get(frame.rule.name) or tuple(_needed_words(p) for p in frame.patterns)
    found = []
    for sentence, words in zip(context.sentences, context.sentence_words(), strict=True):
        if not any(all(choices & words for choices in wanted) for wanted in needed):
            continue
        for match_id, token_ids in matcher(_sentence_doc(sentence)):
            pattern = keys.get(match_id)
            if pattern is None:
                continue
            tokens = [sentence[i] for i in token_ids]
            anchors = {node["RIGHT_ID"]: t for node, t in zip(pattern, tokens, strict=True)}
            found.append((tokens[0], anchors))
    largest: dict[int, int] = {}
    for trigger, anchors in found:
        largest[trigger.i] = max(largest.get(trigger.i, 0), len(anchors))
    return sorted(
        (match for match in found if len(match[1]) == largest[match[0].i]),
        key=lambda match: match[0].i,
    )


def _others(anchors: dict[str, Any], node: Any) -> frozenset[int]:
    """The words of the other nodes' phrases that are not around ``node``: "suspect the
    group of an attack on a hospital in Kosice" does not name Kosice as the group."""
    return frozenset(
        t.i
        for name, other in anchors.items()
        if name in ("subject", "object", "about") and other.i != node.i
        and not (other.left_edge.i <= node.i <= other.right_edge.i)
        for t in other.subtree
    )  # fmt: skip


def _give_about(
    context: Context, statement: DraftStatement | None, about: DraftEntity | None
) -> None:
    """Say what a statement made without it is about."""
    if statement is None or about is None or statement.about:
        return
    if about.id not in (statement.subject, statement.object):
        statement.about = context.mentions.declare(about).id


def _made_before(
    context: Context,
    subject: DraftEntity,
    relation: str,
    obj: str,
    tokens: list[Any],
    others: set[str],
    claimed: str | None = None,
) -> DraftStatement | None:
    """The same statement made by an earlier rule from the same words, if any; an actor's
    claim the earlier rule may have given to the actor under another name ("the Czech
    government" / the Czech Republic), unless that is one of the ``others`` this match
    names beside it ("the US and the UK blamed ..."). A statement another claimant claims
    is not the same (``claimed``: whose claim this one is)."""
    start = min(t.idx for t in tokens)
    end = max(t.idx + len(t.text) for t in tokens)
    entities = context.mentions.entities
    candidates = (
        context.by_subject.get(subject.id, ()) if subject.type == "incident" else context.statements
    )
    found = None
    for statement in candidates:
        if (
            statement.relation != relation
            or statement.object != obj
            or statement.end <= start
            or end <= statement.start
            or statement.subject in others
            or (claimed and statement.claimed_by and statement.claimed_by != claimed)
        ):
            continue
        if statement.subject == subject.id:
            return statement
        if found is None and entities[statement.subject].type != "incident":
            found = statement
    return found


def _noun(token: Any) -> Any:
    """The noun a relative pronoun stands for ("the attack, which X attributed to Y")."""
    if token.lower_ in _RELATIVES and token.head.dep_ in ("relcl", "acl"):
        return token.head.head
    return token


def _clause(trigger: Any) -> list[Any]:
    """The words whose hedges count: the trigger's phrase, and the verbs it hangs from with
    their auxiliaries and adverbs ("is believed to have been the work of")."""
    tokens = list(trigger.subtree)
    node = trigger
    for _ in range(6):
        if node.head.i == node.i:
            break
        node = node.head
        tokens.append(node)
        tokens.extend(c for c in node.children if c.dep_ in ("aux", "advmod", "auxpass"))
    return tokens


def _fillers(
    context: Context,
    kind: str,
    trigger: Any,
    anchor: Any,
    fallback: bool,
    within: frozenset[int] = frozenset(),
    outside: frozenset[int] = frozenset(),
) -> list[DraftEntity]:
    """What a node names: actors, an incident, documents or a position (see the module's
    ``subject_type``); a preposition of the incident's phrase whose index is ``within``
    holds another node's words, and is no part of the incident's name; an actor is not
    looked for among the words ``outside``."""
    if kind == "actor":
        return _actors(context, anchor, outside)
    if kind == "document":
        return _documents(context, anchor)
    if kind == "position":
        position = context.position(sorted(anchor.subtree, key=lambda token: token.i))
        return [position] if position is not None else []
    named = _incidents_in(context, anchor)
    if named:
        return named
    described = context.entity(anchor.head) if anchor.dep_ == "appos" else None
    if described is not None and described.type == "incident":
        return [described]  # "Brushfire, the wiper that X laid at the door of Y"
    operation = _operation(context, anchor, within)
    if operation is None and anchor.dep_ == "pobj" and anchor.head.dep_ == "prep":
        # "the attack on the hospital, which X linked to Y": the clause hangs from "hospital"
        operation = _operation(context, anchor.head.head, within)
    if operation is None and fallback:
        # "denied that it had carried out the attack": the operation named inside
        inner = (
            t for t in anchor.subtree if t.i != anchor.i and t.pos_ == "NOUN" and not _generic(t)
        )
        operation = next(filter(None, (_operation(context, t, within) for t in inner)), None)
    if operation is not None:
        return [operation]
    return _incident_near(context, trigger, anchor) if fallback else []


def _actors(
    context: Context, anchor: Any, outside: frozenset[int] = frozenset()
) -> list[DraftEntity]:
    """The actors a phrase names; for a description, those it describes ("Wen Jiahao, a
    Chinese national involved in ..."), those named inside it ("a group working for
    Russian military intelligence"), or the people it counts ("six people")."""
    found = [e for e in context.actors(anchor) if e.type in _ACTORS]
    people = counted_actors(context, anchor)
    if people:  # "the three defendants and a company, Arvand": the three named before, and it
        return [*people, *(e for e in found if e not in people)]
    speaker = _speaker_of(anchor) if not found else None
    if speaker is not None:  # "Canada said it would hold Iran to account": Canada
        found = [e for e in context.actors(speaker) if e.type in _ACTORS]
    if not found and anchor.dep_ == "appos":
        found = [e for e in context.actors(anchor.head) if e.type in _ACTORS]
    if found or anchor.pos_ != "NOUN":
        return found
    if _bare(anchor, outside) and anchor.lemma_.lower() == "group":  # "the group", named before
        group = context.last_of_type("group", anchor.i)
        return [group] if group is not None else []
    counted = any(c.dep_ == "nummod" for c in anchor.children)
    if counted and anchor.tag_ == "NNS" and anchor.lemma_.lower() in _COUNTED:
        # "four individuals and one entity", each then named: those named
        nouns = [anchor, *(c for c in anchor.children if c.dep_ == "conj")]
        named = [e for noun in nouns[1:] for e in counted_actors(context, noun)]
        return named or [context.new_entity("group", phrase(anchor), anchor)]
    # a clause says more of the group, unless it names it ("a group it calls X")
    clauses = {
        t.i
        for c in anchor.children
        if c.dep_ == "relcl" and c.lemma_.lower() not in NAMING_VERBS
        for t in c.subtree
    }
    for token in anchor.subtree:
        skip = token.i in clauses or token.i in outside
        if token.dep_ == "poss" and context.mentions.entity_at(token.head) is not None:
            continue  # "sponsored by Russia's foreign intelligence service": the service
        entity = None if skip else context.mentions.entity_at(token)
        if entity is not None and entity.type in ("state", "group", "institution"):
            return [entity]
    return []


def _speaker_of(pronoun: Any) -> Any:
    """The subject of the verb of saying whose clause "it" is the subject of ("Canada said
    it would ..."), if any."""
    if pronoun.lower_ != "it" or pronoun.dep_ != "nsubj":
        return None
    clause = pronoun.head
    while clause.dep_ in ("conj", "xcomp") and clause.head.i != clause.i:
        clause = clause.head
    if clause.dep_ != "ccomp":
        return None
    return next((c for c in clause.head.children if c.dep_ == "nsubj"), None)


def _incidents_in(context: Context, anchor: Any) -> list[DraftEntity]:
    """The incidents named inside a phrase ("the WannaCry and NotPetya attacks")."""
    found: list[DraftEntity] = []
    for token in anchor.subtree:
        entity = context.entity(token)
        if entity is not None and entity.type == "incident" and entity not in found:
            found.append(entity)
    return found


def _operation(
    context: Context, anchor: Any, within: frozenset[int] = frozenset()
) -> DraftEntity | None:
    """The incident a phrase headed by an operation noun names: "the attack" the last one
    named before, "a ransomware attack on hospitals" a new one; a name that is no other
    entity ("blamed Russia for Brushfire") is one too."""
    lemma = anchor.lemma_.lower()
    if anchor.pos_ == "PROPN" and context.entity(anchor) is None:
        return _new_incident(context, anchor, within)
    if anchor.pos_ != "NOUN" or (
        lemma not in INCIDENT_NOUNS
        and lemma not in _OPERATION_HEADS
        and anchor.lower_ not in _OPERATION_HEADS
    ):
        return None
    if _bare(anchor):
        previous = context.last_of_type("incident", anchor.i)
        if previous is not None:
            return previous
    named = context.entity(anchor)
    if named is not None:  # an incident, or something else: "the talks" an event
        return named if named.type == "incident" else None
    return _new_incident(context, anchor, within)


def _generic(noun: Any) -> bool:
    """Whether a noun names a kind, not a case: a plural without a determiner ("denied
    carrying out cyber attacks" denies the accusation at hand, not a new incident)."""
    determined = any(c.dep_ in ("det", "poss", "nummod") for c in noun.children)
    return noun.tag_ == "NNS" and not determined


def _bare(noun: Any, outside: frozenset[int] = frozenset()) -> bool:
    """Whether a noun is only "the", "this", "these" ... and itself ("the attack"); a
    preposition that holds the words ``outside`` is another node's ("suspect the group of
    an attack")."""
    own = [
        c
        for c in noun.children
        if not (c.dep_ == "prep" and any(t.i in outside for t in c.subtree))
    ]
    return all(c.dep_ in ("det", "punct") for c in own) and any(
        c.lower_ in ("the", "this", "that", "these", "those") for c in own
    )


def _new_incident(context: Context, anchor: Any, within: frozenset[int]) -> DraftEntity | None:
    """The incident a phrase names, its name cut before a preposition that holds another
    node ("the attribution of the attack to Russia": the attack, not "attack to Russia";
    "the compromise of servers to Iran": the compromise of servers)."""
    inside = [
        t
        for t in anchor.subtree
        if t.i > anchor.i and t.dep_ == "prep" and t.i in within and _of_phrase(t, anchor)
    ]
    if not inside:
        return context.thing(anchor, "incident")
    label = context.doc[anchor.left_edge.i : inside[0].i].text
    if label.lower().startswith(("the ", "a ", "an ")):
        label = label.split(" ", 1)[1]
    return context.new_entity("incident", label, anchor)


def _of_phrase(token: Any, anchor: Any) -> bool:
    """Whether ``token`` hangs from ``anchor`` through prepositions alone, not through a
    clause ("the compromise of servers to Y", not "the wiper that X laid at the door of Y")."""
    head = token.head
    while head.i != anchor.i:
        if head.dep_ not in ("prep", "pobj") or head.head.i == head.i:
            return False
        head = head.head
    return True


def _incident_near(context: Context, trigger: Any, anchor: Any = None) -> list[DraftEntity]:
    """The incident named last in the trigger's sentence or the one before, or the only one
    the article names, if named before."""
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
    # an article about one incident: a denial further on is of that one
    only = [e for e in context.mentions.entities.values() if e.type == "incident"]
    if len(only) == 1 and context.last_of_type("incident", trigger.i) is only[0]:
        return only
    if anchor is not None and anchor.lemma_.lower() in _INVOLVEMENT:
        return _accused(context, trigger)
    return []


def _accused(context: Context, trigger: Any) -> list[DraftEntity]:
    """The incident the article has laid at someone's door before the trigger, if only one."""
    # "Prague blamed the GRU for the attack. ... The Russian embassy denied any involvement.":
    # what is denied is the accusation made, even when other incidents were named between
    before = [s for s in context.statements if s.start < trigger.idx]
    accused = {s.subject for s in before if s.relation == "attributed_to"}
    accused |= {s.about for s in before if s.relation == "blames" and s.about}
    named = [e for e in context.mentions.entities.values() if e.id in accused]
    return named if len(named) == 1 else []


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
