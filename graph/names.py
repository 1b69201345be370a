"""How names are compared: one normal form for linking, merging and scoring."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "QUOTE_MARKS",
    "american_spelling",
    "normalise_name",
    "spellings",
    "straight_quotes",
]

QUOTE_MARKS = "\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f"
"""Curly quotation marks and apostrophes, as news text types them."""

_STRAIGHT = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
     "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"'}
)  # fmt: skip
_ARTICLE = re.compile(r"^(?:the|a|an) ")
# British spellings, compared in their American form: "Organisation" is "Organization"
_ISATION = re.compile(r"(?<=\w\w)isation(s?)\b")
_AMERICAN = {
    "defence": "defense", "offence": "offense", "centre": "center", "centres": "centers",
    "programme": "program", "programmes": "programs", "licence": "license",
    "labour": "labor", "behaviour": "behavior", "honour": "honor", "armour": "armor",
}  # fmt: skip
_BRITISH_WORD = re.compile(r"\b(?:" + "|".join(_AMERICAN) + r")\b")
_ANY_BRITISH = re.compile("|".join(_AMERICAN))  # one of them anywhere, a word or not
_BRITISH = {american: british for british, american in _AMERICAN.items()}
_IZATION = re.compile(r"(?<=\w\w)ization(s?)\b")
_AMERICAN_WORD = re.compile(r"\b(?:" + "|".join(_BRITISH) + r")\b")


def straight_quotes(text: str) -> str:
    """``text`` with curly quotation marks and apostrophes made straight."""
    return text.translate(_STRAIGHT)


def normalise_name(name: str) -> str:
    """Reduce a name to the form in which names are compared.

    Unicode NFKC, curly quotes made straight, case folded, white space collapsed,
    surrounding punctuation stripped, a leading "the ", "a " or "an " dropped, a
    possessive "'s" at the end dropped, then punctuation stripped again and British
    spellings made American (``american_spelling``), so that "Organisation" and
    "Organization" are one name.

    >>> normalise_name("  \\u201cThe  West\\u2019s\\u201d  ")
    'west'
    """
    text = straight_quotes(unicodedata.normalize("NFKC", name)).casefold()
    text = _strip_punctuation(" ".join(text.split()))
    text = _ARTICLE.sub("", text)
    if text.endswith("'s"):
        text = text[:-2]
    return _strip_punctuation(american_spelling(text))


def american_spelling(text: str) -> str:
    """``text`` (in lower case) with British spellings made American: "-isation" as
    "-ization", "defence" as "defense", "centre" as "center" and a few more.

    >>> american_spelling("organisation for security and co-operation in europe")
    'organization for security and co-operation in europe'
    """
    # names are compared often: look for the words before running the expressions
    if "isation" in text:
        text = _ISATION.sub(r"ization\1", text)
    if _ANY_BRITISH.search(text):
        text = _BRITISH_WORD.sub(lambda match: _AMERICAN[match.group(0)], text)
    return text


def _strip_punctuation(text: str) -> str:
    start, end = 0, len(text)
    while start < end and _is_edge(text[start]):
        start += 1
    while end > start and _is_edge(text[end - 1]):
        end -= 1
    return text[start:end]


def _is_edge(character: str) -> bool:
    return character.isspace() or unicodedata.category(character).startswith("P")


def spellings(name: str) -> set[str]:
    """``name`` in lower case, in its British and its American spelling (one form when
    it holds no word spelt two ways): what to look for in a text that may use either.

    >>> sorted(spellings("Ministry of Defence"))
    ['ministry of defence', 'ministry of defense']
    """
    lower = name.lower()
    british = lower
    if "ization" in british:
        british = _IZATION.sub(r"isation\1", british)
    if any(american in british for american in _BRITISH):
        british = _AMERICAN_WORD.sub(lambda match: _BRITISH[match.group(0)], british)
    return {lower, american_spelling(lower), british}
