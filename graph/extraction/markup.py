"""Take the text of an HTML page, so that a saved web page is drafted like a copied one.

``looks_like_html`` tells a page from plain text; ``html_text`` renders a page as the
text a reader sees: the title on the first line, then the page's blocks one to a line
and its paragraphs separated by blank lines, entities unescaped, and nothing of scripts,
styles, forms or the site's navigation. ``article.find_body`` then finds the article in
that text as it does in a page copied by hand.

``main_text`` is trafilatura's reading of the page's main text, which ``article`` takes
for the body where it finds one: on trafilatura's own evaluation pages (990 saved pages,
mostly German, 171 English), ``html_text`` and ``find_body`` keep 52% of the sentences
that belong to the article (and leave out 88% of those that do not), trafilatura 94%
(and 90%); see docs/batch-drafting.md.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["html_text", "looks_like_html", "main_text"]

# Elements whose content is no text for a reader, or the site's furniture, not the article.
SKIPPED = frozenset({
    "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe", "object",
    "nav", "header", "footer", "aside", "form", "button", "select", "textarea", "head",
})  # fmt: skip
# Elements that stand as paragraphs (a blank line around them) ...
PARAGRAPHS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "figcaption", "address",
})  # fmt: skip
# ... and elements that only break a line.
BREAKS = frozenset({
    "br", "hr", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "figure", "details",
    "summary", "body", "html",
})  # fmt: skip
# Elements with no closing tag: their start tag never opens a skipped region.
VOID = frozenset({
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
})  # fmt: skip
_ELEMENTS = SKIPPED | PARAGRAPHS | BREAKS | VOID | {
    "a", "abbr", "b", "cite", "code", "em", "i", "q", "small", "span", "strong", "sub", "sup",
    "time", "u", "mark", "img", "picture", "video", "audio", "label", "input", "link", "meta",
}  # fmt: skip

_PAGE_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b[^<>]*>")
_SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML's white space; a no-break space is kept
_SPACES = re.compile(r" {2,}")
# A "<" that opens no whole tag (no ">" before the next "<", quoted values aside) ...
_STRAY = re.compile(r"""<(?![a-zA-Z/!?](?:[^<>"']|"[^"]*"|'[^']*')*>)""")
# ... and the ends html.parser looks for after "<!--" and after "<![" and a section's name
# (it knows these names, and raises on any other).
_COMMENT_END = re.compile(r"--\s*>")
_SECTION = re.compile(r"<!\[([a-zA-Z][-_.a-zA-Z0-9]*)?")
_SECTION_END = re.compile(r"]\s*]\s*>")
_SECTIONS = frozenset({"temp", "cdata", "ignore", "include", "rcdata"})
_CONDITION_END = re.compile(r"]\s*>")
_CONDITIONS = frozenset({"if", "else", "endif"})
_PARAGRAPH = "\n\x00\n"  # a line of its own that marks a paragraph's edge


def looks_like_html(text: str) -> bool:
    """Whether ``text`` is an HTML page (or a part of one) rather than plain text.

    It is when it opens with a doctype, ``<html>``, ``<head>`` or ``<body>``, or when
    more than half of its non-blank lines open with the tag of an HTML element. A plain
    article that quotes a tag in a sentence ("injected a <script> tag") is not.

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi.</p></body></html>")
    True
    >>> looks_like_html("<p>Talks failed.</p>\\n<p>Nobody was surprised.</p>")
    True
    >>> looks_like_html("Attackers injected a <script> tag into the page.")
    False
    """
    if _PAGE_START.match(text):
        return True
    lines = [line.lstrip() for line in text.splitlines() if line.strip()]
    tagged = 0
    for line in lines:
        match = _TAG.match(line)
        if match and match[1].lower() in _ELEMENTS:
            tagged += 1
    return tagged * 2 > len(lines)


def html_text(page: str) -> str:
    """The text of an HTML page as a reader sees it (see the module's docstring).

    >>> html_text("<title>Talks fail</title><nav>Home</nav><p>Talks &amp; more.<br>End"
    ...           "</p><script>var x = 'Russia blamed';</script>")
    'Talks fail\\n\\nTalks & more.\\nEnd\\n'
    """
    reader = _PageReader()
    try:
        reader.feed(_defused(page))
        reader.close()
    except AssertionError as error:  # _markupbase asserts on some malformed declarations
        raise ValueError(f"malformed HTML: {error}") from None
    return reader.text()


def _defused(page: str) -> str:
    """``page`` with what would make html.parser quadratic written as text.

    html.parser searches the rest of the page for the end of a tag, a comment or a marked
    section; when there is none it moves on by one character and searches again from the
    next one, so a page of unclosed ``<a``, ``<!--`` or ``<![`` took minutes. A "<" that
    opens no whole tag, a ``<!--`` or ``<![`` after the last end of its kind, and a
    ``<![`` of a kind html.parser does not know (it raises on those) cannot be markup:
    escaped, they read as the text they are.
    """
    page = _STRAY.sub("&lt;", page)
    last_end = _last_end(_COMMENT_END, page)
    page = page[:last_end] + page[last_end:].replace("<!--", "&lt;!--")
    section_end = _last_end(_SECTION_END, page)
    condition_end = _last_end(_CONDITION_END, page)

    def section(match: re.Match[str]) -> str:
        name = (match[1] or "").lower()
        if (name in _SECTIONS and match.start() < section_end) or (
            name in _CONDITIONS and match.start() < condition_end
        ):
            return match[0]
        return "&lt;" + match[0][1:]

    return _SECTION.sub(section, page)


def _last_end(ending: re.Pattern[str], page: str) -> int:
    """Where the last match of ``ending`` in ``page`` ends (0 when there is none)."""
    return max((match.end() for match in ending.finditer(page)), default=0)


class _PageReader(HTMLParser):
    """Collects the text of a page block by block; see ``html_text``."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._pieces: list[str] = []
        self._skipping: list[str] = []  # the open elements whose content is left out
        self._title: list[str] = []
        self._in_title = False
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self._skipping_below_head():
            self._in_title = True
            return
        if self._skipping:
            if tag in SKIPPED:
                self._skipping.append(tag)
            return
        if tag in SKIPPED:
            self._skipping.append(tag)
        elif tag in PARAGRAPHS:
            self._pieces.append(_PARAGRAPH)
            self._pre += tag == "pre"
        elif tag in BREAKS:
            self._pieces.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._skipping and (tag in BREAKS or tag in PARAGRAPHS):
            self._pieces.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
            return
        if self._skipping:
            if tag in self._skipping:
                # close the element and any left open inside it
                del self._skipping[len(self._skipping) - 1 - self._skipping[::-1].index(tag) :]
            return
        if tag in PARAGRAPHS:
            self._pieces.append(_PARAGRAPH)
            self._pre -= tag == "pre" and self._pre > 0
        elif tag in BREAKS:
            self._pieces.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title.append(data)
        elif not self._skipping:
            data = data.replace("\x00", "")
            self._pieces.append(data if self._pre else _SPACE.sub(" ", data))

    def _skipping_below_head(self) -> bool:
        """A ``<title>`` inside an ``<svg>`` or the like names a drawing, not the page."""
        return any(tag != "head" for tag in self._skipping)

    def text(self) -> str:
        """The title, a blank line, then the lines of the body: a line per block, and a
        blank line between paragraphs."""
        lines: list[str] = []
        paragraph_edge = False
        for line in "".join(self._pieces).split("\n"):
            if line == "\x00":
                paragraph_edge = True
                continue
            line = _SPACES.sub(" ", line.strip(" \t"))
            if not line:
                continue
            if paragraph_edge and lines:
                lines.append("")
            lines.append(line)
            paragraph_edge = False
        title = " ".join("".join(self._title).split())
        if title:
            lines[:0] = [title, ""] if lines else [title]
        return "\n".join(lines) + "\n"


def main_text(page: str) -> str | None:
    """The main text of an HTML page as trafilatura finds it, its paragraphs separated by
    blank lines; None when trafilatura finds none (or is not installed).

    Readers' comments are left out. Its errors on a malformed page count as finding none:
    ``html_text`` reads the page all the same.
    """
    try:
        import trafilatura  # deferred: lxml and its models load in a second
    except ImportError:
        return None
    try:
        found = trafilatura.extract(page, include_comments=False, deduplicate=False)
    except Exception:  # a page trafilatura cannot read is read by html_text instead
        return None
    if not found:
        return None
    paragraphs = [line.strip() for line in found.splitlines() if line.strip()]
    return "\n\n".join(paragraphs) + "\n" if paragraphs else None
