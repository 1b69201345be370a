"""Who supports or opposes which position: verbs of stance ("backed", "rejected", "refused
to endorse", "unwilling to affirm"), appeals ("urged its allies to ..."), and the stance of
a state whose representative takes one."""

from __future__ import annotations

from typing import Any

from ..lexicon import BLAME, OPPOSE, SPEAKING_ROLES, SUPPORT, VIEW_NOUNS
from ..mentions import DraftEntity
from .context import GROUP_STANCE, Context, passive
from .polarity import AGAINST, DENIED, MEASURES, content_clause
from .rule import Rule, step

__all__ = ["SPEAKER_STATE", "STANCE_VERB", "speaker_states", "stance_verb"]

FAMILY = "stance"
STANCE_VERB = Rule(
    GROUP_STANCE,
    FAMILY,
    "backed, supported, affirmed, rejected, opposed, refused to endorse, unwilling to affirm; "
    "urged, called on, pushed for, objected to, stands by, is against, committed to; a group "
    "defined by what it prefers: supports_position, "
    "opposes_position",
)
SPEAKER_STATE = Rule(
    "speaker-state",
    FAMILY,
    "a stance of someone whose role is to speak for a state is also the state's, claimed_by "
    "the speaker: stances",
)

_APPEALS = ("urge", "call", "press", "demand")
_SUBJECTS = ("csubj", "csubjpass", "nsubj", "nsubjpass")
_WITHHOLDING = {"deny", "avoid", "refrain", "stop", "fail", "hesitate", "neglect", "cease"}
_STANCE_NOUNS = {
    "support": "supports_position", "backing": "supports_position",
    "opposition": "opposes_position", "objection": "opposes_position",
    "call": "supports_position", "demand": "supports_position",
}  # fmt: skip
# "pushed for X", "objected to X", "stands by X": a verb whose stance is in its preposition
_PREPOSED = {
    ("push", "for"): "supports_position", ("argue", "for"): "supports_position",
    ("campaign", "for"): "supports_position", ("lobby", "for"): "supports_position",
    ("advocate", "for"): "supports_position", ("stand", "by"): "supports_position",
    ("object", "to"): "opposes_position", ("stick", "to"): "supports_position",
    ("insist", "on"): "supports_position", ("throw", "behind"): "supports_position",
    ("come", "against"): "opposes_position",
}  # fmt: skip
# "remains committed to X", "is against X": an adjective or a preposition after a copula
_STANCE_ADJECTIVES = {"opposed": "opposes_position", "committed": "supports_position"}
# "criticised the decision to expel ...": blame of a measure, not of an actor, opposes it
_CRITICISE = {"criticise", "criticize", "condemn", "denounce", "slam"}


@step(STANCE_VERB, "verb")
def stance_verb(context: Context, sentence: Any, verb: Any) -> None:
    """ "Russia rejected the proposal", "refused to endorse ...", "urged its allies to ...":
    the subject supports or opposes what the verb takes; an attacker of "those unwilling
    to affirm X" affirms X."""
    lemma = verb.lemma_.lower()
    if lemma in BLAME and not passive(verb):
        _attacker(context, verb)
    if lemma in _CRITICISE and not passive(verb):
        _criticised(context, verb)
    refused = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("refuse", "decline")
    if (lemma in SUPPORT or lemma in OPPOSE or _unwilling(verb)) and not (
        refused or _withheld(verb)
    ):
        _stance(context, verb)
    if not any(c.dep_ == "neg" for c in verb.children) and lemma not in OPPOSE | BLAME:
        _nominal(context, verb)  # "resisted calls for X" is no call for X
    if lemma in _APPEALS:
        _appeal(context, verb)
    if lemma in AGAINST:
        _against(context, verb)


def _withheld(verb: Any) -> bool:
    """Whether a stance verb is what its subject holds back from: "denied supporting X",
    "stopped short of endorsing X", "refrained from backing X" (no stance either way)."""
    node = verb
    for _ in range(3):
        if node.dep_ not in ("xcomp", "pcomp", "prep", "advmod", "pobj") or node.head.i == node.i:
            return False
        node = node.head
        if node.lemma_.lower() in _WITHHOLDING:
            return True
    return False


def _nominal(context: Context, verb: Any) -> None:
    """A stance named by a noun or an adjective: "expressed support for X", "voiced
    opposition to X", "is opposed to X", "is in favour of X"."""
    found: list[tuple[str, Any]] = []
    for child in verb.children:
        stance = _STANCE_NOUNS.get(child.lemma_.lower())
        if child.dep_ == "dobj" and stance is not None:
            # "support for X", or "voiced opposition to X" where "to" hangs from the verb
            allowed = (
                ("for",) if child.lemma_.lower() in ("call", "demand") else ("for", "to", "of")
            )
            preps = [p for p in child.children if p.lower_ in allowed] or [
                p for p in verb.children if p.dep_ == "prep" and p.lower_ in ("for", "to")
            ]
            found += [(stance, p) for p in preps]
        adjective = _STANCE_ADJECTIVES.get(child.lower_)
        if child.dep_ in ("acomp", "xcomp") and adjective is not None:
            found += [(adjective, p) for p in child.children if p.lower_ == "to"]
        preposed = _PREPOSED.get((verb.lemma_.lower(), child.lower_))
        if (
            child.dep_ == "prep"
            and preposed is not None
            and not any(relation == preposed for relation, _ in found)
        ):
            found.append((preposed, child))  # the first "for": "pushed for X for Y"
        if child.dep_ == "prep" and child.lower_ == "against" and verb.lemma_ == "be":
            found.append(("opposes_position", child))
        if child.dep_ == "prep" and child.lower_ == "in":
            for favour in (c for c in child.children if c.lower_ in ("favour", "favor")):
                found += [("supports_position", p) for p in favour.children if p.lower_ == "of"]
    for relation, prep in found:
        for obj in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
            named = context.entity(obj)
            if named is not None and named.type != "position":
                continue  # "support for Ukraine": an actor, not a position
            tokens = list(obj.subtree)
            position = context.position(tokens, 2 if obj.lemma_.lower() in MEASURES else 3)
            for subject in context.subject_of(verb):
                context.add(subject, relation, position, context.modality(tokens, "reported"),
                            [verb, *tokens], STANCE_VERB.name)  # fmt: skip


def _criticised(context: Context, verb: Any) -> None:
    """ "Norway criticised the decision to expel the observers": a measure criticised is
    opposed (an actor or an event criticised is a blame, coded elsewhere)."""
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        if obj.lemma_.lower() not in MEASURES or context.entity(obj) is not None:
            continue
        tokens = list(obj.subtree)
        position = context.position(tokens, 2)
        for subject in context.subject_of(verb):
            context.add(subject, "opposes_position", position,
                        context.modality(verb.subtree, "reported"), [verb, *tokens],
                        STANCE_VERB.name)  # fmt: skip


def _unwilling(verb: Any) -> bool:
    return (
        verb.dep_ == "xcomp"
        and verb.head.lemma_.lower() in ("unwilling", "reluctant")
        and verb.lemma_.lower() in SUPPORT
    )


def _attacker(context: Context, verb: Any) -> None:
    """ "attacking those unwilling to affirm X": the attacker affirms X."""
    subjects = context.subject_of(verb)
    modality = context.modality(verb.subtree, "reported")
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for stance in (t for t in obj.subtree if _unwilling(t)):
            for inner in (c for c in stance.children if c.dep_ == "dobj"):
                position = context.position(list(inner.subtree))
                for subject in subjects:
                    context.add(subject, "supports_position", position, modality,
                                list(inner.subtree), STANCE_VERB.name)  # fmt: skip


def _stance(context: Context, verb: Any) -> None:
    lemma = verb.lemma_.lower()
    if verb.tag_ == "VBG" and verb.dep_ in _SUBJECTS:
        return  # "endorsing X would be used to ...": a measure spoken of, not taken
    negated = any(c.dep_ == "neg" for c in verb.children)
    if negated and lemma in OPPOSE:
        return  # "did not block the decision": not opposing is no support
    opposes = (lemma in OPPOSE) != negated or _unwilling(verb)
    if lemma == "refuse" or lemma == "decline":
        inner = next((c for c in verb.children if c.dep_ == "xcomp"), None)
        if inner is None or inner.lemma_.lower() not in SUPPORT | OPPOSE:
            return  # "declined to say whether ...", "refused to pay": no stance on a view
        verb, opposes = inner, inner.lemma_.lower() in SUPPORT
    subjects = context.subject_of(verb.head if _unwilling(verb) else verb)
    objects = [c for c in verb.children if c.dep_ in ("dobj", "ccomp")]
    relation = "opposes_position" if opposes else "supports_position"
    # "Hungary, which has often resisted new measures": the article's own account of it
    default = "asserted" if _described(verb) else "reported"
    for obj in objects:
        named = context.entity(obj)
        if named is not None and named.type != "position":
            continue
        tokens = list(obj.subtree)
        if obj.lemma_.lower() in DENIED and lemma in OPPOSE:
            clause = content_clause(obj)
            if clause is None:
                continue  # "rejected the accusations": a denial, coded by the deny frame
            # "rejected the claim that P": P is what is opposed
            tokens = [t for t in clause.subtree if not (t.dep_ == "mark" and t.head == clause)]
        position = _referred(context, obj) or context.position(
            tokens, 2 if obj.lemma_.lower() in MEASURES else 3
        )
        for subject in subjects:
            context.add(subject, relation, position, context.modality(verb.subtree, default),
                        [verb, *tokens], STANCE_VERB.name)  # fmt: skip


def _described(verb: Any) -> bool:
    """Whether a stance verb is said of an actor in a relative clause ("Hungary, which has
    often resisted ...")."""
    return verb.dep_ == "relcl" and any(
        c.dep_ == "nsubj" and c.lower_ in ("which", "who", "that") for c in verb.children
    )


def _referred(context: Context, noun: Any) -> DraftEntity | None:
    """The position "that view" or "this position" refers to: the one stated last before."""
    if noun.lemma_.lower() not in VIEW_NOUNS or not any(
        c.dep_ == "det" and c.lower_ in ("that", "this") for c in noun.children
    ):
        return None
    before = [entity for index, entity in context.positions if index < noun.i]
    return before[-1] if before else None


def _against(context: Context, verb: Any) -> None:
    """ "warned against using ransomware as a pretext", "voted against the resolution":
    the subject opposes it."""
    for prep in (c for c in verb.children if c.lower_ == "against" and c.dep_ == "prep"):
        for obj in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
            named = context.entity(obj)
            if named is not None and named.type != "position":
                continue  # "warned against Russia": an actor, not a position
            tokens = list(obj.subtree)
            position = context.position(tokens)
            for subject in context.subject_of(verb):
                context.add(subject, "opposes_position", position,
                            context.modality(tokens, "reported"), [verb, *tokens],
                            STANCE_VERB.name)  # fmt: skip


def _appeal(context: Context, verb: Any) -> None:
    """ "Estonia urged its allies to name and punish those responsible", "called on states
    to attribute attacks jointly", "called for a binding treaty": the caller supports it."""
    if verb.lemma_ == "call" and not any(c.lower_ in ("on", "for", "upon") for c in verb.children):
        return
    subjects = context.subject_of(verb)
    wanted = [c for c in verb.children if c.dep_ == "xcomp"]
    for prep in (c for c in verb.children if c.lower_ in ("on", "upon", "for")):
        if prep.lower_ == "for":
            if verb.lemma_ in ("call", "press"):  # "called for a treaty", not "for days"
                wanted += [c for c in prep.children if c.dep_ == "pobj" and c.lower_ != "it"]
        else:
            wanted += [x for p in prep.children for x in p.children if x.dep_ in ("acl", "xcomp")]
    for clause in wanted:
        tokens = list(clause.subtree)
        position = context.position(tokens)
        for subject in subjects:
            context.add(subject, "supports_position", position,
                        context.modality(tokens, "reported"), [verb, *tokens],
                        STANCE_VERB.name)  # fmt: skip


@step(SPEAKER_STATE, "document")
def speaker_states(context: Context) -> None:
    """A representative's stance is also the stance of the state they speak for."""
    for statement in list(context.statements):
        if statement.relation not in ("supports_position", "opposes_position"):
            continue  # a blame is the speaker's own act; a stance is the state's
        speaker = statement.subject
        state_id: str | None = None
        role = ""
        if speaker in context.representing:
            state_id, role = context.representing[speaker]
        else:
            state_id = next(
                (s.object for s in context.by_subject.get(speaker, ())
                 if s.relation == "represents"),
                None,
            )  # fmt: skip
            role = "organ"
        if state_id is None or state_id == statement.object:
            continue
        if role not in SPEAKING_ROLES | {"organ", "head"}:
            continue  # an official or a diplomat may speak for themselves
        context.add(
            context.mentions.entities[state_id],
            statement.relation,
            context.mentions.entities[statement.object],
            statement.modality,
            context.quote_tokens(statement.start, statement.end),
            SPEAKER_STATE.name,
            claimed_by=speaker,
        )
