"""The statement rules: from the parse of one article and its mentions to draft statements.

A rule (``Rule``) is named as the ``rule:`` of the statements it makes, which is also the
key of its confidence (``graph.extraction.confidence.RULE_CONFIDENCE``). It is applied by
one or more steps (``Step``), each a function of the rule's family module:

- ``roles``: apposition, affiliation, editor, relative-clause, organ, title
- ``views``: view
- ``blame``: blame-verb, unnamed-target
- ``stance``: stance-verb, speaker-state
- ``membership``: participation, membership
- ``speech``: speaking, reported-speech
- ``attribution``: attribution
- ``events``: target, location, part, cause, victim, group-link, meeting
- ``quotations``: quotation
- ``frames``: one rule per frame file of ``graph/extraction/frames/`` (attribution-frame,
  blame-frame, codify-frame, concern-frame, deny-frame, endorse-frame, finding-frame,
  sanction-frame, suspicion-frame): statements whose words and parse are data, not code

``context`` holds what every step works on (the mentions, the statements so far, the
questions asked of the parse) and ``rule`` the records. The steps run in the order of
``PASSES``; later steps read what earlier ones found (a person's role, the views already
coded, the incidents, the quotations' speakers), so the order is part of each rule's
meaning. ``apply_rules(mentions, without=...)`` switches rules off by name: their steps
do not run and no statement is recorded under their names; the statements other rules
derive from theirs (a state's stance from its speaker's, a member's part in its group's
event) go with them.

This package imports the core and its extraction siblings (``lexicon``, ``mentions``,
``offsets``, ``phrases``), nothing else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby

from ...errors import BuildError, shown
from ..mentions import Mentions
from . import (
    attribution,
    blame,
    events,
    frames,
    membership,
    quotations,
    roles,
    speech,
    stance,
    views,
)
from .context import Context
from .rule import DraftStatement, Rule, Step

__all__ = [
    "PASSES",
    "RULES",
    "DraftStatement",
    "Pass",
    "Rule",
    "Step",
    "apply_rules",
    "checked_rule_names",
]


@dataclass(frozen=True)
class Pass:
    """One walk over the article. A pass of ``document`` steps runs each once, in order;
    any other goes sentence by sentence and, in each sentence, runs its steps in order,
    those of scope ``verb`` (or ``token``) that follow one another together, verb by verb
    (or token by token)."""

    title: str
    steps: tuple[Step, ...]

    @property
    def per_sentence(self) -> bool:
        return any(step.scope != "document" for step in self.steps)


RULES: tuple[Rule, ...] = (
    roles.APPOSITION,
    roles.AFFILIATION,
    roles.EDITOR,
    roles.RELATIVE_CLAUSE,
    roles.ORGAN,
    roles.TITLE,
    views.VIEW,
    blame.BLAME_VERB,
    blame.UNNAMED_TARGET,
    stance.STANCE_VERB,
    stance.SPEAKER_STATE,
    membership.PARTICIPATION,
    membership.MEMBERSHIP,
    speech.SPEAKING,
    speech.REPORTED_SPEECH,
    attribution.ATTRIBUTION,
    events.TARGET,
    events.LOCATION,
    events.PART,
    events.CAUSE,
    events.VICTIM,
    events.GROUP_LINK,
    events.MEETING,
    quotations.QUOTATION,
    *frames.RULES,
)
"""Every statement rule, family by family."""

PASSES: tuple[Pass, ...] = (
    Pass(
        "roles beside a name",
        (
            roles.representative_in_apposition,
            roles.affiliation_in_apposition,
            roles.editor_in_apposition,
        ),
    ),
    Pass(
        "organs, and what later rules refer to",
        (
            roles.organs,
            roles.titles_before_names,
            quotations.find_quotations,
            events.find_incidents,
            membership.find_groups,
        ),
    ),
    Pass("views, before what is reported of them", (views.views,)),
    Pass(
        "clauses, verbs and nouns",
        (
            roles.leader_in_clause,
            roles.representative_in_clause,
            roles.affiliation_in_clause,
            roles.editor_in_clause,
            # no two of these take the same verb (their verbs do not overlap), but for a
            # verb of blame (blames, the attacker's stance, then unnamed targets) and
            # for "told" or "wrote" (speaking, then reported speech)
            blame.blame_verb,
            stance.stance_verb,
            blame.unnamed_targets,
            membership.participation,
            speech.speaking,
            speech.reported_speech,
            attribution.attributed_operation,
            events.struck_target,
            events.hosted_meeting,
            events.cause_of_collapse,
            attribution.responsible_actor,
            events.part,
            events.operation_against,
            events.place_of_meeting,
            events.listed_victims,
            events.hit_victims,
            events.group_link,
            events.group_unit,
            events.place_of_body,
            events.unit_of_body,
            events.held_meeting,
            events.speakers_at_meeting,
            roles.leader_by_possessive,
            membership.memberships,
            membership.members_of_body,
        ),
    ),
    # the frames read the incidents found above; no later step reads their statements
    Pass("frames, once the operations are known", frames.STEPS),
    Pass(
        "what follows from the statements made",
        (
            quotations.quotations,
            stance.speaker_states,
            membership.shared_participation,
            blame.member_stances,
        ),
    ),
)
"""The order the steps run in."""


def checked_rule_names(names: Iterable[str]) -> frozenset[str]:
    """``names`` as a set, each the name of a rule; raises ``BuildError`` for another."""
    known = [rule.name for rule in RULES]
    for name in names:
        if name not in known:
            raise BuildError(
                f"no statement rule is named {shown(name)}; the rules are: {', '.join(known)}"
            )
    return frozenset(names)


def apply_rules(mentions: Mentions, without: Iterable[str] = ()) -> list[DraftStatement]:
    """The statements the rules find in one article, in the order they were made, with
    the rules named in ``without`` switched off.

    ``mentions`` gains the entities that the rules name (groups, events, positions, ...).
    Raises ``BuildError`` for a name in ``without`` that no rule has.
    """
    disabled = checked_rule_names(without)
    context = Context(mentions, disabled)
    for walk in PASSES:
        if walk.per_sentence:
            _walk_sentences(context, walk.steps, disabled)
            continue
        for step in walk.steps:
            if step.runs_without(disabled):
                step.function(context)
    return context.statements


def _walk_sentences(context: Context, steps: tuple[Step, ...], disabled: frozenset[str]) -> None:
    """Run ``steps`` sentence by sentence; following steps of one scope walk together."""
    runs = [
        (scope, [step for step in run if step.runs_without(disabled)])
        for scope, run in groupby(steps, key=lambda step: step.scope)
    ]
    walks_tokens = any(scope != "sentence" for scope, _ in runs)
    for sentence in context.sentences:
        # spaCy makes a new Token each time a sentence is walked: make them once
        tokens = list(sentence) if walks_tokens else []
        for scope, run in runs:
            if scope == "sentence":
                for step in run:
                    step.function(context, sentence)
                continue
            for token in tokens:
                if scope == "verb" and token.pos_ not in ("VERB", "AUX"):
                    continue
                for step in run:
                    step.function(context, sentence, token)
