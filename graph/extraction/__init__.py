"""Drafting annotations from raw text, and scoring drafts against curated annotations.

This part owns reading an article (``article``, ``markup``), parsing it (``language``),
finding and linking the entities it mentions (``gazetteer``, ``names`` of the core,
``mentions``), the statement rules and the words they look for (``rules``, ``lexicon``,
``phrases``), how far each rule is trusted (``confidence``), unique quotes (``quotes``,
``offsets``), the draft itself (``draft``) and its score (``evaluate``).

It may import the core (``graph.annotations``, ``graph.errors``, ``graph.export``,
``graph.inputs``, ``graph.names``, ...) and nothing of the other parts. spaCy is loaded
when the first article is parsed, not when this package is imported.
"""

from .article import Article, read_article
from .draft import Draft, extract_file, read_meta, write_draft
from .evaluate import Evaluation, evaluate

__all__ = [
    "Article",
    "Draft",
    "Evaluation",
    "evaluate",
    "extract_file",
    "read_article",
    "read_meta",
    "write_draft",
]
