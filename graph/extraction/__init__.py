"""Drafting annotations from raw text, and scoring drafts against curated annotations.

This part owns reading an article (``article``, ``markup``), parsing it (``language``),
finding and linking the entities it mentions (``gazetteer``, ``names`` of the core,
``mentions``), the statement rules and the words they look for (``rules``, ``lexicon``,
``phrases``), how far each rule is trusted (``confidence``), unique quotes (``quotes``,
``offsets``), the draft itself (``draft``), many drafts at once (``batch``), its score
(``evaluation``), the totals over a folder of drafts (``scoring``) and the agreement of
two coders (``agreement``).

It may import the core (``graph.annotations``, ``graph.errors``, ``graph.export``,
``graph.inputs``, ``graph.names``, ...) and nothing of the other parts. spaCy is loaded
when the first article is parsed, not when this package is imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .agreement import Agreement as Agreement, measure_agreement as measure_agreement
    from .article import Article as Article, read_article as read_article
    from .batch import Batch as Batch, draft_corpus as draft_corpus
    from .draft import (
        Draft as Draft,
        extract_file as extract_file,
        read_meta as read_meta,
        write_draft as write_draft,
    )
    from .evaluation import Evaluation as Evaluation, evaluate as evaluate
    from .scoring import CorpusEvaluation as CorpusEvaluation, evaluate_corpus as evaluate_corpus

_PUBLIC = {
    ".agreement": "Agreement measure_agreement",
    ".article": "Article read_article",
    ".batch": "Batch draft_corpus",
    ".draft": "Draft extract_file read_meta write_draft",
    ".evaluation": "Evaluation evaluate",
    ".scoring": "CorpusEvaluation evaluate_corpus",
}

__all__ = sorted(name for names in _PUBLIC.values() for name in names.split())

__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)
