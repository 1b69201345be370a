"""Who is behind a cyber operation: one carried out, coordinated, launched ... by, or
blamed on, someone; "X were responsible for hacking into Y"; and whom it was meant to
help ("intended to assist X")."""

from __future__ import annotations

from typing import Any

from ..lexicon import ATTRIBUTE, INCIDENT_NOUNS
from ..mentions import DraftEntity
from .context import Context, passive
from .rule import Rule, step

__all__ = ["ATTRIBUTION", "attributed_operation", "responsible_actor"]

FAMILY = "attribution"
ATTRIBUTION = Rule(
    "attribution",
    FAMILY,
    'a cyber operation carried out, coordinated, launched ... by, or blamed on, someone; "X '
    'were responsible for hacking into Y"; "intended to assist X": attributed_to, '
    "intended_to_benefit",
)

_HELPING = ("assist", "benefit", "help", "aid", "support")


@step(ATTRIBUTION, "verb")
def attributed_operation(context: Context, sentence: Any, verb: Any) -> None:
    """ "That break-in was allegedly coordinated by Russian intelligence": the incident is
    attributed to it (alleged); "... and intended to assist Trump": meant to benefit him."""
    if verb.lemma_.lower() not in ATTRIBUTE or not passive(verb):
        return
    incidents = [c for c in verb.children if c.dep_ == "nsubjpass"]
    agents = [
        pobj
        for agent in verb.children
        if agent.dep_ in ("agent",) or (agent.dep_ == "prep" and agent.lower_ in ("on", "by"))
        for pobj in agent.children
        if pobj.dep_ == "pobj"
    ]
    modality = context.modality([*verb.children, *sentence], "reported")
    for noun in incidents:
        if noun.lemma_.lower() not in INCIDENT_NOUNS and noun.lower_ not in INCIDENT_NOUNS:
            continue
        incident = context.thing(noun, "incident")
        if incident is not None and incident.type not in ("incident", "event"):
            continue
        for pobj in agents:
            actors = context.actors(pobj) or [
                a for a in [context.first_actor(pobj, ("institution", "group", "state"))] if a
            ]
            for actor in actors:
                context.add(incident, "attributed_to", actor, modality,
                            [noun, verb, *pobj.subtree], ATTRIBUTION.name)  # fmt: skip
        for conj in verb.conjuncts:
            for xcomp in (c for c in conj.children if c.dep_ == "xcomp"):
                if xcomp.lemma_ in _HELPING:
                    for obj in (c for c in xcomp.children if c.dep_ == "dobj"):
                        beneficiary = context.entity(obj) or context.thing(obj, "event")
                        context.add(incident, "intended_to_benefit", beneficiary, modality,
                                    [conj, *obj.subtree], ATTRIBUTION.name)  # fmt: skip


@step(ATTRIBUTION, "token")
def responsible_actor(context: Context, sentence: Any, adjective: Any) -> None:
    """ "the Russians were responsible for hacking into the DNC": the hack is attributed
    to them."""
    if adjective.lemma_.lower() != "responsible" or adjective.dep_ != "acomp":
        return
    subjects = [c for c in adjective.head.children if c.dep_ == "nsubj"]
    for prep in (c for c in adjective.children if c.lower_ == "for"):
        for act in (c for c in prep.children if c.dep_ in ("pobj", "pcomp")):
            incident = _incident_of(context, act)
            if incident is None:
                continue
            modality = context.modality([*sentence], "reported")
            for subject in subjects:
                for actor in context.actors(subject):
                    context.add(incident, "attributed_to", actor, modality,
                                [subject, *act.subtree], ATTRIBUTION.name)  # fmt: skip


def _incident_of(context: Context, act: Any) -> DraftEntity | None:
    """The incident a phrase names: one already seen against the same target, or new."""
    if act.lemma_.lower() not in INCIDENT_NOUNS:
        return None
    statements = context.statements
    targets = [e for e in map(context.entity, act.subtree) if e is not None]
    first = min((context.first_target.get(t.id, len(statements)) for t in targets),
                default=len(statements))  # fmt: skip
    if first < len(statements):
        return context.mentions.entities[statements[first].subject]
    return context.thing(act, "incident") if act.pos_ == "NOUN" else None
