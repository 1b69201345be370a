"""Read a raw article for extraction: check the bytes, find the title and the body.

A text copied from a web page carries more than the article: a title line above it and,
below it, link lists, directories and advertisements. ``read_article`` keeps the body
and says where it starts and ends in the file, so quotes can be traced either way. A page
saved as HTML is read as the text it shows (``markup``), and its body found in that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExtractionError
from .markup import html_text, looks_like_html, main_text

__all__ = [
    "MAX_ARTICLE_CHARS",
    "MAX_PAGE_CHARS",
    "Article",
    "article_of_bytes",
    "find_body",
    "read_article",
]

MAX_ARTICLE_CHARS = 1_000_000
"""The longest text ``apg extract`` takes (spaCy's own limit); an article is far shorter."""

MAX_PAGE_CHARS = 10 * MAX_ARTICLE_CHARS
"""The longest HTML page ``apg extract`` reads; its text must then be within the limit."""

# A block of page furniture opens with one of these (a heading or a link-list label).
_FURNITURE = re.compile(
    r"^\s*(?:you might also (?:read|like)|related(?: (?:stories|articles|content|reading))?"
    r"|read more|more on this|more from|recommended|see also|share this|share on"
    r"|sign up|subscribe|newsletter|advertisement|sponsored|cookie|we use cookies"
    r"|directory of|tags?:|topics?:|copyright|©|all rights reserved|follow us"
    r"|most (?:read|popular)|latest news|comments?\b|leave a (?:reply|comment)"
    r"|previous (?:post|article)|next (?:post|article)|«|»)",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile("[.!?\u2026][\"'\u201d\u2019)\\]]*\\s*$")
# A byline that gives the author's affiliation: "Jane Doe, senior fellow at ..."
_AFFILIATED_BYLINE = re.compile(
    r"^(?:By\s+)?[A-Z][\w'\u2019.-]+(?:\s+[A-Z][\w'\u2019.-]+){1,3},\s+(?:an?\s+|the\s+)?[a-z]"
)
# what marks a line of page furniture that is no standfirst: dates, times, separators
_DATELINE_MARKS = re.compile(
    r"^(?:by|published|updated|posted)\b|[|\u00b7\u2022]|\d{1,2}[.:]\d\d", re.I
)


@dataclass(frozen=True)
class Article:
    """The text of a file and the part of it that is the article body.

    ``text[body_start:body_end]`` is the body, verbatim. ``title`` is the first line when
    it reads as a headline (short, no closing full stop), else ``None``. ``html`` is true
    when the file is an HTML page: ``text`` is then the text it shows, not the file.
    """

    path: Path
    text: str
    body_start: int
    body_end: int
    title: str | None
    html: bool = False

    @property
    def body(self) -> str:
        return self.text[self.body_start : self.body_end]

    @property
    def trimmed(self) -> bool:
        """True when something before or after the body was left out."""
        return (
            self.text[: self.body_start].strip() != "" or self.text[self.body_end :].strip() != ""
        )


# what XML 1.0 cannot carry, and so no annotation may hold (graph.inputs): a page break
# becomes a line break and any other such character a space, so every offset stays put
_UNCARRIED = {
    **dict.fromkeys([*range(0x00, 0x09), *range(0x0E, 0x20), 0xFFFE, 0xFFFF], " "),
    0x0B: "\n",
    0x0C: "\n",
}


def read_article(path: Path | str) -> Article:
    """Read ``path`` as a UTF-8 article and find its body.

    An HTML page (``markup.looks_like_html``) is read as the text it shows, without its
    scripts, styles and navigation (``markup.html_text``). Characters that XML 1.0 cannot
    carry are replaced, one for one: a form feed by a line break, others by a space.

    Raises ``ExtractionError`` naming the file when it is missing, empty, binary, not
    UTF-8 (with the line and byte), longer than ``MAX_ARTICLE_CHARS`` characters (an HTML
    page: ``MAX_PAGE_CHARS``, and its text ``MAX_ARTICLE_CHARS``), or has no prose at all.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ExtractionError(path, "file not found") from None
    except IsADirectoryError:
        raise ExtractionError(path, "is a folder, not a text file") from None
    except OSError as error:
        raise ExtractionError(path, f"cannot read file: {error.strerror}") from None
    return article_of_bytes(path, raw)


def article_of_bytes(path: Path, raw: bytes) -> Article:
    """The article in ``raw``, the bytes of the file ``path`` (see ``read_article``).

    For a machine that has the bytes but not the file: ``path`` only names the article.
    """
    if not raw.strip():
        raise ExtractionError(path, "file is empty")
    if b"\x00" in raw[:65536]:
        raise ExtractionError(path, "binary data (NUL bytes), not a text file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise ExtractionError(
            path,
            f"not UTF-8: byte 0x{raw[error.start]:02x} at offset {error.start} (line {line});"
            " save the file as UTF-8",
        ) from None
    text = text.removeprefix("\ufeff")
    html = looks_like_html(text)
    if len(text) > (MAX_PAGE_CHARS if html else MAX_ARTICLE_CHARS):
        kind = "an HTML page of " if html else ""
        limit = MAX_PAGE_CHARS if html else MAX_ARTICLE_CHARS
        raise ExtractionError(
            path,
            f"{kind}{len(text):,} characters, more than the {limit:,} that extraction "
            "takes; split it into its articles",
        )
    controls = sum(1 for char in text if ord(char) < 32 and char not in "\n\r\t\f")
    if controls > len(text) / 100:
        raise ExtractionError(path, f"binary data ({controls} control characters), not text")
    text = text.translate(_UNCARRIED)
    main = None
    if html:
        try:
            shown = html_text(text)
        except ValueError as error:
            raise ExtractionError(path, f"an HTML page that cannot be read: {error}") from None
        main = main_text(text)
        text = shown if main is None else _with_main_text(shown, main)
        if len(text) > MAX_ARTICLE_CHARS:
            raise ExtractionError(
                path,
                f"an HTML page whose text has {len(text):,} characters, more than the "
                f"{MAX_ARTICLE_CHARS:,} that extraction takes; split it into its articles",
            )
    title, start, end = find_body(text)
    if main is not None and start < end:
        end = len(text.rstrip())  # the main text's end is the article's, lists and all
    if start == end:
        where = " in the text of this HTML page" if html else ""
        raise ExtractionError(path, f"no prose found{where}: no paragraph with a full sentence")
    return Article(path=path, text=text, body_start=start, body_end=end, title=title, html=html)


def _with_main_text(shown: str, main: str) -> str:
    """The text of a page whose main text trafilatura found: what the page shows above
    its article (the title, the dateline, as ``html_text`` reads them: a date is found
    there), then the main text."""
    _, start, end = find_body(shown)
    above = shown[:start] if start < end else shown.split("\n", 1)[0]
    return f"{above.rstrip()}\n\n{main}" if above.strip() else main


def find_body(text: str) -> tuple[str | None, int, int]:
    """Return ``(title, start, end)``: the headline, if any, and the body's character span.

    The body runs from the first paragraph of prose (or a line above it that carries
    content: a standfirst, a caption, a byline with the author's affiliation) to the last
    paragraph of prose before the page furniture: a block that opens with a known heading
    ("You Might Also Read", "Related stories", "Advertisement", ...) or a run of three
    short blocks that are not sentences. Prose is a block that ends like a sentence and
    has at least eight words.

    >>> page = "Talks fail\\n\\nThe talks failed today, as everyone had expected.\\n\\nRead more:"
    >>> find_body(page)
    ('Talks fail', 12, 61)
    """
    blocks = [(m.start(), m.end()) for m in re.finditer(r"\S(?:.*\S)?", text)]
    if not blocks:
        return None, 0, 0
    lines = [text[start:end] for start, end in blocks]
    prose = [_is_prose(line) for line in lines]
    title = None
    first_line = lines[0]
    if (
        not prose[0]
        and len(first_line.split()) <= 20
        and not _FURNITURE.match(first_line)
        and not _AFFILIATED_BYLINE.match(first_line)
    ):
        title = first_line
    try:
        first = next(index for index, flag in enumerate(prose) if flag)
    except StopIteration:
        return title, 0, 0
    first = _first_content(lines, first, after=0 if title is None else 1)
    last = first
    short_run = 0
    for index in range(first + 1, len(lines)):
        if _FURNITURE.match(lines[index]) and not prose[index]:
            break  # a heading of page furniture, not a sentence that starts like one
        if prose[index] or _continues_quote(lines[index]):
            last = index
            short_run = 0
            continue
        short_run += 1
        if short_run >= 3:
            break
    return title, blocks[first][0], blocks[last][1]


def _first_content(lines: list[str], first_prose: int, after: int) -> int:
    """The first line of the body: the first prose paragraph, or a line above it (below
    the title) that carries content, a standfirst or caption (ten words or more, a third
    of them in lower case, no time or separator of page furniture) or a byline with the
    author's affiliation."""
    for index in range(after, first_prose):
        line = lines[index]
        if _FURNITURE.match(line):
            continue
        words = line.split()
        # a menu or a list of tags is capitalised throughout; a sentence is not
        lower = sum(1 for word in words if word[0].islower())
        standfirst = len(words) >= 10 and lower * 3 >= len(words)
        standfirst = standfirst and not _DATELINE_MARKS.search(line)
        if standfirst or _AFFILIATED_BYLINE.match(line):
            return index
    return first_prose


def _is_prose(line: str) -> bool:
    return len(line.split()) >= 8 and bool(_SENTENCE_END.search(line))


def _continues_quote(line: str) -> bool:
    """A line inside running prose that ends without a full stop (a quote's opening line)."""
    return len(line.split()) >= 12
