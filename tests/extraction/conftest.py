"""Shared fixtures of the extraction tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest

from graph.extraction.article import Article
from graph.extraction.draft import Draft, extract


@pytest.fixture(scope="session")
def draft_text() -> Callable[..., Draft]:
    """A factory: ``draft_text(text, without=())`` drafts ``text`` as a whole article, with
    nothing annotated known (the gazetteer alone) and the rules named in ``without``
    switched off."""

    def draft(text: str, without: Iterable[str] = ()) -> Draft:
        article = Article(Path("sentences.txt"), text, 0, len(text), None)
        meta = {"id": "sentences", "date": dt.date(2021, 11, 20)}
        return extract(article, meta, without_rules=without)

    return draft


@pytest.fixture(scope="session")
def text_facts(draft_text) -> Callable[..., set[tuple[str, str, str, str]]]:
    """A factory: ``text_facts(text, without=())`` is the set of (subject, relation,
    object, rule) of the statements ``draft_text`` drafts."""

    def facts(text: str, without: Iterable[str] = ()) -> set[tuple[str, str, str, str]]:
        draft = draft_text(text, without)
        return {(s.subject, s.relation, s.object, s.rule) for s in draft.statements}

    return facts
