"""Read a SPARQL query as the tokens the engine reads, and refuse what it must not run.

The tokens are the terminals of the SPARQL 1.1 grammar (IRIs, prefixed names, blank
nodes, variables, language tags, numbers, the four string forms, punctuation, keywords),
read case-insensitively, with comments and white space between them. Where Oxigraph's
parser (pyoxigraph 0.5) reads a text differently from the grammar, the tokens follow
Oxigraph, since it is the one that runs the query:

- Oxigraph matches keywords as prefixes, without a word boundary: ``SERVICE:x {...}`` is
  ``SERVICE`` and the IRI ``:x``, ``SERVICESILENT<x>`` is ``SERVICE SILENT <x>``, and
  ``?s ?p trueSERVICE<x> {...}`` ends a triple with ``true`` before a ``SERVICE``. So a
  word holding ``SERVICE`` anywhere, and a prefix name that starts with ``service``
  (after a leading ``true`` or ``false``), count as ``SERVICE``.
- A prefixed name's local part takes one group of dots (``ex:a.b``, never ``ex:a.b.c``),
  so ``ex:a.b.SERVICE<x>{}`` is ``ex:a.b``, ``.`` and a ``SERVICE``.
- ``\\uXXXX`` escapes are read only inside strings and IRIs: the engine does not apply the
  grammar's codepoint-escape rule (section 19.2) to the whole text. The rule is applied
  as well, as a second reading, and a keyword refused in either reading is refused.
- ``<`` right after an operand in an expression is less-than (``FILTER(?a<?b)``); an
  IRI everywhere else. The tokens follow the brackets to know which is which.

rdflib's SPARQL parser was considered as the checking parser and not used: importing it
takes 0.4 s and it parses each bundled query in 0.15 to 0.37 s, it fails on the legal
escape ``ex:a\\#`` itself, and it would be a second grammar that differs from
Oxigraph's anyway. The check is the first of two layers: queries also run in a thread
that cannot open a socket (``graph.sparql.sandbox``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import BuildError

__all__ = [
    "FALLBACK_LIMITS",
    "LIMITS",
    "QUERY_FORMS",
    "UPDATE_KEYWORDS",
    "Limits",
    "QueryError",
    "RefusedQuery",
    "Token",
    "check_query",
    "leading_form",
    "tokenize",
    "unescape_codepoints",
]

UPDATE_KEYWORDS = (
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
)  # fmt: skip
QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")


class QueryError(BuildError):
    """A query could not be found, parsed or run."""


class RefusedQuery(QueryError):
    """A query asks for something the tool does not do: an update, LOAD, SERVICE."""


@dataclass(frozen=True)
class Limits:
    """How large a query may be before the engine sees it.

    The engine's parser and evaluator recurse once per nested bracket and per operator
    in a chain, so a query past these limits could overflow the stack of the thread that
    runs it.
    """

    depth: int
    """Brackets ``( [ {`` open at once."""
    tokens: int
    chars: int
    """Characters of query text."""
    iri_chars: int
    """Characters of one IRI (an IRI is one token, whatever it holds)."""


LIMITS = Limits(depth=128, tokens=50_000, chars=1_000_000, iri_chars=4_096)
"""For a thread with a 512 MB stack: every shape measured up to 25,000 deep ran there."""
FALLBACK_LIMITS = Limits(depth=64, tokens=5_000, chars=200_000, iri_chars=4_096)
"""For a thread with the default 8 MB stack: 3,000 ``MINUS`` overflowed it, 5,000 ``!``
or ``||`` and 1,000 nested ``{`` did not."""


@dataclass(frozen=True)
class Token:
    """One token: its kind, its text as written, and where it starts (from 1)."""

    kind: str
    """iri, pname, bnode, var, langtag, number, string, word or punct."""
    text: str
    line: int
    column: int


# Oxigraph's PN_CHARS_BASE (without the planes past U+FFFF, which the grammar allows)
_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
)
_CHARS_U = _BASE + "_"
_CHARS = _CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PREFIX = rf"[{_BASE}][{_CHARS}]*(?:\.+[{_CHARS}]+)*"
_LOCAL = rf"(?:[{_CHARS_U}:0-9]|{_PLX})(?:[{_CHARS}:]|{_PLX})*(?:\.+(?:[{_CHARS}:]|{_PLX})+)?"
_HEX = "[0-9A-Fa-f]"
_UCHAR = rf"\\u{_HEX}{{4}}|\\U{_HEX}{{8}}"
_ECHAR = r"""\\[tbnrf"'\\]"""

_SPACE = re.compile(r"[ \t\r\n]+|#[^\r\n]*")
_IRIREF = re.compile(rf"""<(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>""")
_PNAME = re.compile(rf"(?:{_PREFIX})?:(?:{_LOCAL})?")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_VAR = re.compile(rf"[?$][{_CHARS_U}0-9][{_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*")
_BNODE = re.compile(rf"_:[{_CHARS_U}0-9][{_CHARS}]*(?:\.+[{_CHARS}]+)*")
_LANGTAG = re.compile(r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*(?:--[A-Za-z]+)?")
_NUMBER = re.compile(r"(?:[0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)[eE][+-]?[0-9]+|[0-9]*\.[0-9]+|[0-9]+")
_STRING = re.compile(
    rf'"""(?:(?:""|")?(?:[^"\\]|{_ECHAR}|{_UCHAR}))*"""'
    rf"|'''(?:(?:''|')?(?:[^'\\]|{_ECHAR}|{_UCHAR}))*'''"
    rf'|"(?:[^"\\\n\r]|{_ECHAR}|{_UCHAR})*"'
    rf"|'(?:[^'\\\n\r]|{_ECHAR}|{_UCHAR})*'"
)
_PUNCT = re.compile(r"\^\^|&&|\|\||!=|<=|>=|<<|>>|[{}()\[\];,.+\-*/?!=<>^|~]")
_CODEPOINT = re.compile(rf"\\u({_HEX}{{4}})|\\U({_HEX}{{8}})")
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_OPERAND_ENDS = frozenset({"iri", "pname", "bnode", "var", "langtag", "number", "string"})


@dataclass
class _Frame:
    """An open bracket, and what the engine reads inside it."""

    bracket: str
    reading: str
    """top, pattern (triples and graph patterns), expr (an expression) or term (a
    collection, a path, a row of values: terms only)."""
    clause: str = "pattern"
    """In a query or sub-query: select (projections), modifier (GROUP BY, HAVING, ORDER
    BY), values (the closing VALUES), else pattern."""
    ends_select: bool = False
    """This group is a sub-query's WHERE: after it come its solution modifiers."""
    line: int = 0
    column: int = 0


class _Reader:
    """The tokens of one text, read left to right with the brackets they sit in."""

    def __init__(self, text: str, limits: Limits | None) -> None:
        self.text = text
        self.limits = limits
        self.tokens: list[Token] = []
        self.frames = [_Frame("", "top", clause="top")]
        self.position = 0
        self.line = 1
        self.line_start = 0

    def read(self, *, lenient: bool = False) -> list[Token]:
        for _ in self.each(lenient=lenient):
            pass
        return self.tokens

    def each(self, *, lenient: bool = False) -> Iterator[Token]:
        """Yield the tokens one by one (``tokens`` holds those read so far)."""
        text = self.text
        while self.position < len(text):
            space = _SPACE.match(text, self.position)
            if space:
                self._advance(space.end())
                continue
            try:
                token = self._next()
            except QueryError:
                if not lenient:
                    raise
                token = None
            if token is None:
                if lenient:
                    self._advance(self.position + 1)
                    continue
                raise self._error(f"unexpected {_shown(text[self.position])}")
            self.tokens.append(token)
            if self.limits and len(self.tokens) > self.limits.tokens:
                raise QueryError(
                    f"the query has more than {self.limits.tokens:,} tokens (the limit); "
                    "split it or use VALUES with fewer rows"
                )
            self._track(token, lenient=lenient)
            self._advance(self.position + len(token.text))
            yield token
        if not lenient and len(self.frames) > 1:
            frame = self.frames[-1]
            raise QueryError(
                f"SPARQL syntax error: line {frame.line}, column {frame.column}: "
                f"{frame.bracket!r} is never closed"
            )

    def _advance(self, end: int) -> None:
        newlines = self.text.count("\n", self.position, end)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rindex("\n", self.position, end) + 1
        self.position = end

    def _token(self, kind: str, text: str) -> Token:
        return Token(kind, text, self.line, self.position - self.line_start + 1)

    def _error(self, problem: str) -> QueryError:
        column = self.position - self.line_start + 1
        return QueryError(f"SPARQL syntax error: line {self.line}, column {column}: {problem}")

    def _next(self) -> Token | None:
        text, position = self.text, self.position
        char = text[position]
        if char == "<":
            return self._angle()
        if char in "\"'":
            match = _STRING.match(text, position)
            if match is None:
                raise self._error("a string that is never closed")
            return self._token("string", match.group())
        if char in "?$":
            match = _VAR.match(text, position)
            if match:
                return self._token("var", match.group())
        elif char == "_" and text.startswith("_:", position):
            match = _BNODE.match(text, position)
            return self._token("bnode", match.group()) if match else None
        elif char == "@":
            match = _LANGTAG.match(text, position)
            return self._token("langtag", match.group()) if match else None
        elif char.isdigit() or (char == "." and text[position + 1 : position + 2].isdigit()):
            match = _NUMBER.match(text, position)
            if match:
                return self._token("number", match.group())
        match = _PNAME.match(text, position)
        if match:
            return self._token("pname", match.group())
        match = _WORD.match(text, position)
        if match:
            return self._token("word", match.group())
        match = _PUNCT.match(text, position)
        return self._token("punct", match.group()) if match else None

    def _angle(self) -> Token:
        """``<``: an IRI, or less-than right after an operand in an expression."""
        iri = _IRIREF.match(self.text, self.position)
        if self.frames[-1].reading == "expr" and _ends_operand(self._previous()):
            if iri and ("#" in iri.group() or "'" in iri.group()):
                # Read as code, '#' and "'" open a comment or a string past the '>'
                raise self._error(
                    "'<' after an operand compares, but the text after it reads as an "
                    "IRI; write a space after '<'"
                )
            return self._token("punct", "<=" if self.text.startswith("<=", self.position) else "<")
        if iri:
            self._check_iri(iri.group())
            return self._token("iri", iri.group())
        match = _PUNCT.match(self.text, self.position)
        assert match is not None  # '<' is punctuation
        return self._token("punct", match.group())

    def _check_iri(self, iri: str) -> None:
        if self.limits is None:
            return
        if len(iri) > self.limits.iri_chars:
            raise self._error(f"an IRI longer than {self.limits.iri_chars:,} characters")
        depth = deepest = len(self.frames) - 1
        for char in iri:  # brackets inside an IRI count too, in case it is read as code
            if char in "([":
                depth += 1
                deepest = max(deepest, depth)
            elif char in ")]":
                depth -= 1
        if deepest > self.limits.depth:
            raise self._depth_error()

    def _depth_error(self) -> QueryError:
        depth = self.limits.depth if self.limits else 0
        column = self.position - self.line_start + 1
        return QueryError(
            f"the query nests brackets ( [ {{ deeper than {depth} (the limit), at line "
            f"{self.line}, column {column}; write it flatter"
        )

    def _previous(self, back: int = 1) -> Token | None:
        return self.tokens[-back] if len(self.tokens) >= back else None

    def _track(self, token: Token, *, lenient: bool) -> None:
        """Follow the brackets and clauses that decide how ``<`` and ``(`` read."""
        frame = self.frames[-1]
        text = token.text
        if token.kind == "word":
            _enter_clause(frame, text.upper())
            return
        if token.kind != "punct":
            return
        if text in ("(", "[", "{"):
            if text == "{":
                reading = "pattern"
            elif text == "[":
                reading = "term"
            else:
                reading = self._paren_reading(frame)
            opened = _Frame(
                text, reading, ends_select=text == "{" and frame.clause == "select",
                line=token.line, column=token.column,
            )  # fmt: skip
            self.frames.append(opened)
            if self.limits and len(self.frames) - 1 > self.limits.depth:
                raise self._depth_error()
        elif text in _CLOSERS:
            if len(self.frames) == 1 or frame.bracket != _CLOSERS[text]:
                if lenient:
                    return
                raise self._error(f"{text!r} closes nothing")
            self.frames.pop()
            if frame.ends_select:
                self.frames[-1].clause = "modifier"

    def _paren_reading(self, frame: _Frame) -> str:
        """Whether a ``(`` opens an expression or a list of terms."""
        if frame.reading in ("expr", "term"):
            return frame.reading
        previous, before = self._previous(2), self._previous(3)  # the '(' itself is last
        if previous is not None and previous.text == "<<":
            return "term"  # a triple term
        if frame.clause in ("select", "modifier"):
            return "expr"
        if frame.clause == "values":
            return "term"
        if frame.reading == "top":
            return "expr"
        if previous is None:
            return "term"
        if previous.kind == "word":
            name = previous.text.upper()
            return "term" if previous.text == "a" or name.startswith("VALUES") else "expr"
        if previous.kind in ("iri", "pname"):  # a function call after FILTER, or a list
            if before is not None and before.kind == "word" and before.text != "a":
                return "expr"
            if previous.kind == "pname" and _keyword_run(previous.text).startswith("FILTER"):
                return "expr"
        return "term"


def _enter_clause(frame: _Frame, word: str) -> None:
    if frame.reading not in ("top", "pattern"):
        return
    if word.startswith("SELECT"):
        frame.clause = "select"
    elif word.startswith(("GROUP", "ORDER", "HAVING")):
        frame.clause = "modifier"
    elif word.startswith("VALUES") and frame.clause in ("top", "modifier"):
        frame.clause = "values"


def _ends_operand(token: Token | None) -> bool:
    if token is None:
        return False
    if token.kind in _OPERAND_ENDS:
        return True
    if token.kind == "word":
        return token.text.upper() in ("TRUE", "FALSE")
    return token.text in (")", "]")


def _keyword_run(pname: str) -> str:
    """A prefix name as Oxigraph may read it when it runs keywords together: upper case,
    without a leading ``true``/``false`` (a literal that can end a triple)."""
    prefix = pname.split(":", 1)[0].upper()
    for literal in ("TRUE", "FALSE"):
        if prefix.startswith(literal):
            return prefix[len(literal) :]
    return prefix


def _shown(char: str) -> str:
    return repr(char) if char.isprintable() else f"U+{ord(char):04X}"


def tokenize(text: str, limits: Limits | None = LIMITS) -> list[Token]:
    """Return the tokens of a query, as the engine reads them.

    Raises ``QueryError`` naming the line and column of text that is no token, of a
    bracket that closes nothing or is never closed, and of the first thing past
    ``limits`` (none are checked when it is None).

    >>> [token.text for token in tokenize("PREFIX ex: <http://x/> ASK { ex:a\\\\# ?p 1 }")]
    ['PREFIX', 'ex:', '<http://x/>', 'ASK', '{', 'ex:a\\\\#', '?p', '1', '}']
    """
    if limits is not None and len(text) > limits.chars:
        raise QueryError(
            f"the query is longer than {limits.chars:,} characters (the limit); "
            "split it or use VALUES with fewer rows"
        )
    return _Reader(text, limits).read()


def unescape_codepoints(text: str) -> str:
    r"""Replace every ``\uXXXX`` and ``\UXXXXXXXX`` by its character (SPARQL 1.1, 19.2).

    >>> unescape_codepoints(r"\u0053ERVICE \U0001F600 \uZZZZ")
    'SERVICE 😀 \\uZZZZ'
    """

    def character(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return match.group()
        return chr(code)

    return _CODEPOINT.sub(character, text)


def check_query(text: str, limits: Limits | None = LIMITS) -> str:
    """Return the query's form (SELECT, ASK, CONSTRUCT, DESCRIBE); refuse what must not run.

    Raises ``RefusedQuery`` for ``SERVICE`` or an update keyword (INSERT, DELETE, LOAD,
    CLEAR, ...) anywhere it is a keyword, in the text as the engine reads it or with its
    codepoint escapes applied; ``QueryError`` for text that is no SPARQL token, past a
    limit, or with no query form.

    >>> check_query("PREFIX s: <http://x/> SELECT ?load WHERE { ?load s:p 'SERVICE' }")
    'SELECT'
    """
    if _CODEPOINT.search(text):
        _refuse(_Reader(unescape_codepoints(text), None).read(lenient=True))
    tokens = tokenize(text, limits)
    _refuse(tokens)
    for token in tokens:
        if token.kind == "word":
            name = token.text.upper()
            for form in QUERY_FORMS:
                if name.startswith(form):
                    return form
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")


def leading_form(text: str) -> str:
    """Return the query's form from its first keywords, reading no further than them.

    A quick look for a server to choose the answer's format before the whole check
    (``check_query``) is made where the query runs: past the prologue (BASE, PREFIX), a
    keyword that is not a query form refuses or fails the query as ``check_query`` would.

    >>> leading_form("PREFIX ex: <http://x/> ASK { ex:a ?p ?o }")
    'ASK'
    """
    for token in _Reader(text, None).each():
        if token.kind != "word":
            continue
        name = token.text.upper()
        for form in QUERY_FORMS:
            if name.startswith(form):
                return form
        if name not in ("BASE", "PREFIX"):
            _refuse([token])
            break
    raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE found")


def _refuse(tokens: list[Token]) -> None:
    for token in tokens:
        where = f"(line {token.line}, column {token.column})"
        if token.kind == "word":
            name = token.text.upper()
            if "SERVICE" in name:
                raise RefusedQuery(f"SERVICE is refused: queries run on this graph only {where}")
            for keyword in UPDATE_KEYWORDS:
                if name.startswith(keyword):
                    raise RefusedQuery(
                        f"{keyword} is refused: the graph is read-only (updates are refused)"
                    )
        elif token.kind == "pname" and _keyword_run(token.text).startswith("SERVICE"):
            raise RefusedQuery(
                f"SERVICE is refused: queries run on this graph only; {token.text!r} "
                f"{where} reads as SERVICE to the engine (name the prefix otherwise)"
            )
