"""What a statement rule is, the steps that apply it, and the statements it makes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

__all__ = ["DraftStatement", "Rule", "Scope", "Step", "step"]

Scope = Literal["document", "sentence", "verb", "token"]


@dataclass
class DraftStatement:
    """A statement of a draft; ``start``/``end`` are its quote's offsets in the body."""

    subject: str
    relation: str
    object: str
    modality: str
    start: int
    end: int
    rule: str
    role: str | None = None
    former: bool | None = None
    claimed_by: str | None = None
    about: str | None = None  # the incident a blame or sanctions answer

    @property
    def key(self) -> tuple[str, str, str, int, str]:
        """What tells two statements apart: an attribution claimed by each of two
        claimants is two statements."""
        return (self.subject, self.relation, self.object, self.start, self.claimed_by or "")


@dataclass(frozen=True)
class Rule:
    """A statement rule: its ``name`` is the ``rule:`` that its statements' notes carry and
    the key of its confidence (``graph.extraction.confidence.RULE_CONFIDENCE``); ``family``
    is the module of ``graph.extraction.rules`` that holds its steps."""

    name: str
    family: str
    description: str  # what it finds, then after ": " the relations it gives


@dataclass(frozen=True)
class Step:
    """One step of the rules' order: a rule's matcher, or (``rule`` None) one that finds
    the entities or quotations that rules use, and that always runs.

    ``scope`` says what ``function`` is called on: ``document`` once, as
    ``function(context)``; ``sentence`` on each sentence, as ``function(context,
    sentence)``; ``verb`` on each verb or auxiliary of a sentence and ``token`` on each of
    its tokens, as ``function(context, sentence, token)``.
    """

    rule: Rule | None
    scope: Scope
    function: Callable[..., None]

    def runs_without(self, disabled: frozenset[str]) -> bool:
        """Whether the step runs when the rules named in ``disabled`` are switched off."""
        return self.rule is None or self.rule.name not in disabled


def step(rule: Rule | None, scope: Scope) -> Callable[[Callable[..., None]], Step]:
    """Make the function it decorates a step of ``rule`` that runs on ``scope``."""

    def make(function: Callable[..., None]) -> Step:
        return Step(rule, scope, function)

    return make
