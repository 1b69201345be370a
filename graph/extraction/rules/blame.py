"""Who blames whom: verbs of blame and their objects ("Oleg Khramov blamed western
countries"), and targets left unnamed ("Without naming Russia or China, Markoff attacked
those who ..."), which are implied to belong to the group attacked and to share its
stances."""

from __future__ import annotations

from typing import Any

from ..lexicon import BLAME
from ..mentions import DraftEntity
from .context import Context, passive, subject_tokens
from .rule import Rule, step

__all__ = ["BLAME_VERB", "UNNAMED_TARGET", "blame_verb", "member_stances", "unnamed_targets"]

FAMILY = "blame"
BLAME_VERB = Rule(
    "blame-verb",
    FAMILY,
    "blamed, accused, attacked, criticised, denounced, condemned ... and their objects: blames",
)
UNNAMED_TARGET = Rule(
    "unnamed-target",
    FAMILY,
    '"Without naming X, Y attacked Z": X is blamed and counted among Z, and shares Z\'s '
    "stances (implicit): blames, member_of, stances",
)


@step(BLAME_VERB, "verb")
def blame_verb(context: Context, sentence: Any, verb: Any) -> None:
    """ "Oleg Khramov blamed western countries for the impasse": he blames them."""
    if not _blaming(verb):
        return
    subjects = context.subject_of(verb)
    modality = context.modality(verb.subtree, "reported")
    for obj in (c for c in verb.children if c.dep_ == "dobj"):
        for target in _blamed(context, obj):
            for subject in subjects:
                context.add(subject, "blames", target, modality,
                            [*subject_tokens(verb), verb, *obj.subtree],
                            BLAME_VERB.name)  # fmt: skip


def _blaming(verb: Any) -> bool:
    return verb.lemma_.lower() in BLAME and not passive(verb)


def _blamed(context: Context, obj: Any) -> list[DraftEntity]:
    """Who an object of blame names: its actors, or the first actor named inside it
    ("criticised what he called the megaphone diplomacy of western states")."""
    return context.actors(obj) or [
        t for t in [context.first_actor(obj, ("state", "group", "institution"))] if t
    ]


@step(UNNAMED_TARGET, "verb")
def unnamed_targets(context: Context, sentence: Any, verb: Any) -> None:
    """ "Without naming Russia or China, Markoff attacked those who ...": she blames
    Russia and China, implied to be among those she attacked."""
    if not _blaming(verb):
        return
    for token in sentence:
        if token.lower_ != "without" or token.i >= verb.i:
            continue
        naming = next((c for c in token.children if c.lemma_ == "name"), None)
        if naming is None:
            continue
        subjects = context.subject_of(verb)
        blamed = [t for o in verb.children if o.dep_ == "dobj" for t in _blamed(context, o)]
        for obj in (c for c in naming.children if c.dep_ == "dobj"):
            for target in context.actors(obj):
                for subject in subjects:
                    context.add(subject, "blames", target, "implicit",
                                [token, *obj.subtree], UNNAMED_TARGET.name)  # fmt: skip
                for group in (b for b in blamed if b.type == "group"):
                    context.add(target, "member_of", group, "implicit",
                                [token, *obj.subtree], UNNAMED_TARGET.name)  # fmt: skip


@step(UNNAMED_TARGET, "document")
def member_stances(context: Context) -> None:
    """States implied to belong to a group ("Without naming Russia or China, X attacked
    those who ...") are implied to hold the group's stances."""
    for membership in [s for s in context.statements if s.relation == "member_of"]:
        if membership.modality != "implicit":
            continue
        for stance in list(context.by_subject.get(membership.object, ())):
            if stance.relation not in ("supports_position", "opposes_position"):
                continue
            context.add(
                context.mentions.entities[membership.subject],
                stance.relation,
                context.mentions.entities[stance.object],
                "implicit",
                context.quote_tokens(stance.start, stance.end),
                UNNAMED_TARGET.name,
                claimed_by=stance.claimed_by,
            )
