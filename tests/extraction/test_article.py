"""Reading a raw article: bad input gives one clear error; the body is found past the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from graph.errors import BuildError, ExtractionError
from graph.extraction.article import (
    MAX_ARTICLE_CHARS,
    MAX_PAGE_CHARS,
    Article,
    find_body,
    read_article,
)
from graph.inputs import illegal_character
from tests.factories import REPO, SEED_DIR, html_page

FIXTURES = REPO / "tests" / "fixtures"
SEED_PAGE = FIXTURES / "pages" / "un-gge-talks-collapse-2017.txt"  # the seed's web page
FIXTURE_PAGES = [
    FIXTURES / "pages" / f"{name}.txt"
    for name in ("tallinn-port-attack-2021", "un-oewg-geneva-session-2023")
]

OEWG_BODY = FIXTURES / "sources" / "un-oewg-geneva-session-2023" / "article.txt"

PROSE = "The talks in Geneva failed today, as nearly every delegate had expected."


def _one_line_error(path: Path) -> str:
    """The message of the ExtractionError that reading ``path`` raises; it is one line."""
    with pytest.raises(ExtractionError) as caught:
        read_article(path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    assert caught.value.path == path
    assert isinstance(caught.value, BuildError)  # so the CLI prints it as "apg: error: ..."
    return message


# --- bad input ------------------------------------------------------------------------


def test_a_missing_file(tmp_path):
    assert _one_line_error(tmp_path / "none.txt") == f"{tmp_path / 'none.txt'}: file not found"


def test_a_folder(tmp_path):
    assert _one_line_error(tmp_path).endswith(": is a folder, not a text file")


def test_an_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    assert _one_line_error(path).endswith(": file is empty")


def test_a_file_of_white_space_only(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b" \n\t\r\n   \n")
    assert _one_line_error(path).endswith(": file is empty")


def test_binary_data_with_nul_bytes(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(PROSE.encode() + b"\x00\x01\x02" + PROSE.encode())
    assert _one_line_error(path).endswith(": binary data (NUL bytes), not a text file")


def test_a_png_image(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)))
    assert "binary data" in _one_line_error(path)


def test_latin_1_text_names_the_byte_offset_and_line(tmp_path):
    path = tmp_path / "latin.txt"
    text = f"{PROSE}\nThe delegates met at a caf\u00e9 near the Palais des Nations.\n"
    path.write_bytes(text.encode("latin-1"))
    offset = text.index("\u00e9")  # all ASCII before it: characters are bytes
    message = _one_line_error(path)
    assert f"not UTF-8: byte 0xe9 at offset {offset} (line 2)" in message
    assert "save the file as UTF-8" in message


def test_a_five_megabyte_text_is_refused_as_too_long(tmp_path):
    path = tmp_path / "huge.txt"
    paragraph = PROSE + "\n\n"
    path.write_text(paragraph * (5_000_000 // len(paragraph) + 1), encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    message = _one_line_error(path)
    assert f"more than the {MAX_ARTICLE_CHARS:,} that extraction takes" in message


def test_a_text_at_the_limit_is_read(tmp_path):
    path = tmp_path / "long.txt"
    text = (PROSE + "\n\n") * (MAX_ARTICLE_CHARS // (len(PROSE) + 2))
    assert len(text) <= MAX_ARTICLE_CHARS
    path.write_text(text, encoding="utf-8")
    assert read_article(path).body.startswith(PROSE)


def test_a_file_without_prose(tmp_path):
    path = tmp_path / "menu.txt"
    path.write_text("Home\nNews\nSport\nContact us\nAbout\n", encoding="utf-8")
    assert _one_line_error(path).endswith(": no prose found: no paragraph with a full sentence")


def test_control_characters_are_binary(tmp_path):
    path = tmp_path / "controls.txt"
    path.write_bytes(PROSE.encode() + bytes(range(1, 9)) * 10)
    assert "control characters" in _one_line_error(path)


# --- HTML pages -----------------------------------------------------------------------


def test_an_html_page_is_read_as_the_text_it_shows(tmp_path):
    body = OEWG_BODY.read_text(encoding="utf-8")
    path = tmp_path / "page.html"
    path.write_text(html_page(body, title="Geneva talks split"), encoding="utf-8")
    article = read_article(path)
    assert article.html
    assert article.title == "Geneva talks split"
    assert article.body == body.strip()
    assert "Russia blamed" not in article.text and "<" not in article.text
    assert "&" not in article.text.replace(" & ", "")  # no entity left escaped


SANCTIONS_PAGE = """<!DOCTYPE html><html><head><title>Sanctions on three groups</title></head>
<body><nav><a href="/">Home</a></nav>
<main><article><h1>Sanctions on three groups</h1>
<p class="date">Published 12 May 2023</p>
<p>The Council of the European Union imposed sanctions on three groups on Friday, citing a
string of attacks on hospitals and water utilities.</p>
<p>The measures freeze the assets of the groups and bar their members from entering the
Union, the Council said in a statement.</p>
<h2>The groups</h2>
<ul><li>Grey Lynx</li><li>NightHarbor</li><li>Sandcat</li></ul>
<p>Estonia and Finland welcomed the decision, which they said had been too long in coming
after the attacks of last winter.</p>
<p>Russia rejected the accusations as unfounded and said it would respond in kind.</p>
</article></main>
<footer>&copy; 2023 Example News</footer></body></html>
"""


def test_an_html_page_keeps_its_main_text_past_a_list(tmp_path):
    """trafilatura's main text: a subheading and a list inside the article do not end it
    (three short blocks end the body of a text copied by hand)."""
    path = tmp_path / "sanctions.html"
    path.write_text(SANCTIONS_PAGE, encoding="utf-8")
    article = read_article(path)
    assert article.title == "Sanctions on three groups"
    assert article.body.startswith("The Council of the European Union imposed sanctions")
    assert "- Sandcat\n\nEstonia and Finland welcomed" in article.body
    assert article.body.endswith("said it would respond in kind.")
    assert "Published 12 May 2023" in article.text[: article.body_start]  # the date is found
    assert "Home" not in article.text and "Example News" not in article.text


def test_a_plain_text_article_is_not_html(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(f"<script> tags were found.\n\n{PROSE}\n", encoding="utf-8")
    article = read_article(path)
    assert not article.html
    assert article.text.startswith("<script> tags")


def test_an_html_page_longer_than_the_text_limit_is_read_for_its_text(tmp_path):
    path = tmp_path / "heavy.html"
    padding = "<script>" + "x" * MAX_ARTICLE_CHARS + "</script>"
    path.write_text(f"<!DOCTYPE html><html><body>{padding}<p>{PROSE}</p></body></html>")
    assert read_article(path).body == PROSE


def test_an_html_page_without_prose_names_its_text(tmp_path):
    path = tmp_path / "menu.html"
    path.write_text(
        "<html><body><p>Home</p><p>News</p><script>var a = 'Long sentence "
        "that is code, not prose, with enough words.';</script></body></html>"
    )
    assert _one_line_error(path).endswith(
        ": no prose found in the text of this HTML page: no paragraph with a full sentence"
    )


def test_an_html_page_the_parser_cannot_read_is_one_line(tmp_path, monkeypatch):
    def refuse(page):
        raise ValueError("malformed HTML: unknown status keyword")

    monkeypatch.setattr("graph.extraction.article.html_text", refuse)
    path = tmp_path / "odd.html"
    path.write_text(f"<html><body><p>{PROSE}</p></body></html>")
    assert _one_line_error(path).endswith(
        ": an HTML page that cannot be read: malformed HTML: unknown status keyword"
    )


def test_an_html_page_beyond_the_page_limit_is_refused(tmp_path):
    path = tmp_path / "huge.html"
    page = f"<html><body><p>{PROSE}</p>\n" + "x" * MAX_PAGE_CHARS
    path.write_text(page)
    message = _one_line_error(path)
    assert f"an HTML page of {len(page):,} characters" in message
    assert f"more than the {MAX_PAGE_CHARS:,} that extraction takes" in message


# --- the body -------------------------------------------------------------------------


def test_the_seed_page_body_is_the_curated_article():
    article = read_article(SEED_PAGE)
    assert article.title == "UN Cyber Warfare Talks Collapse"
    assert article.body == (SEED_DIR / "article.txt").read_text(encoding="utf-8").strip()
    assert article.trimmed
    after = article.text[article.body_end :]
    assert "You Might Also Read:" in after and "Guardian" not in article.body
    assert "Directory of Suppliers" not in article.body


@pytest.mark.parametrize("page", FIXTURE_PAGES, ids=lambda path: path.stem)
def test_a_fixture_page_body_is_its_article_byte_for_byte(page):
    expected = (FIXTURES / "sources" / page.stem / "article.txt").read_bytes()
    article = read_article(page)
    assert (article.body + "\n").encode("utf-8") == expected
    assert article.text[article.body_start : article.body_end] == article.body
    assert article.title == page.read_text(encoding="utf-8").splitlines()[0]
    assert article.trimmed


def test_the_fixture_titles():
    titles = {page.stem: read_article(page).title for page in FIXTURE_PAGES}
    assert titles == {
        "tallinn-port-attack-2021": (
            "Estonia calls for joint response to cyber-attack on Muuga port"
        ),
        "un-oewg-geneva-session-2023": "Geneva talks on UN cyber rules end in split over treaty",
    }


def test_a_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + f"Talks fail\n\n{PROSE}\n".encode())
    article = read_article(path)
    assert not article.text.startswith("\ufeff")
    assert article.title == "Talks fail"
    assert article.body == PROSE


def test_trimmed_is_false_for_a_bare_body(tmp_path):
    path = tmp_path / "bare.txt"
    path.write_text(f"\n{PROSE}\n\n{PROSE}\n", encoding="utf-8")
    article = read_article(path)
    assert article.body == f"{PROSE}\n\n{PROSE}"
    assert article.title is None
    assert not article.trimmed


def test_trimmed_is_true_when_a_title_is_left_out():
    text = f"Talks fail\n\n{PROSE}\n"
    title, start, end = find_body(text)
    article = Article(Path("page.txt"), text, start, end, title)
    assert article.body == PROSE
    assert article.trimmed


def test_a_title_with_a_full_stop_is_no_headline():
    assert find_body(f"{PROSE}\n\nRead more:") == (None, 0, len(PROSE))


def test_furniture_headings_end_the_body():
    text = f"Talks fail\n\n{PROSE}\n\nRelated stories\n\n{PROSE}\n"
    title, start, end = find_body(text)
    assert (title, text[start:end]) == ("Talks fail", PROSE)


@pytest.mark.parametrize(
    "line",
    [
        # a standfirst
        "Britain and its allies blame Russian military intelligence for the attack on the port",
        # a caption
        "Delegates leave the conference hall in Geneva after the final session on Friday",
    ],
)
def test_a_standfirst_or_caption_above_the_first_paragraph_is_body(line):
    text = f"Talks fail\n\n{line}\n\n{PROSE}\n"
    title, start, end = find_body(text)
    assert (title, text[start:end]) == ("Talks fail", f"{line}\n\n{PROSE}")


def test_a_byline_with_the_authors_affiliation_is_body_not_title():
    byline = "Jana Hollis, senior fellow for cyber policy at the Danube Institute, Vienna"
    text = f"{byline}\n\n{PROSE}\n"
    assert find_body(text) == (None, 0, len(text) - 1)
    text = f"Talks fail\nBy Jana Hollis, a lecturer in law at Leeds\n\n{PROSE}\n"
    title, start, end = find_body(text)
    assert (title, text[start:end].splitlines()[0]) == (
        "Talks fail",
        "By Jana Hollis, a lecturer in law at Leeds",
    )


@pytest.mark.parametrize(
    "line",
    [
        "By Marta Kelder · Wednesday 17 November 2021, 18.42 EET and more words here",
        "Published: 10 March 2023 | Jonas Albrecht, Geneva, for the weekly newsletter",
        "Home News World Europe Asia Americas Africa Opinion Sport Culture Lifestyle",
    ],
)
def test_bylines_datelines_and_menus_above_the_first_paragraph_stay_out(line):
    text = f"Talks fail\n{line}\n\n{PROSE}\n"
    title, start, end = find_body(text)
    assert (title, text[start:end]) == ("Talks fail", PROSE)


def test_a_long_line_without_a_full_stop_inside_prose_is_kept():
    opening = "“Talks about the need to adopt rules of behaviour in the information space"
    text = f"{PROSE}\n{opening}\n{PROSE}\n"
    _, start, end = find_body(text)
    assert text[start:end] == text.strip()


@pytest.mark.parametrize(
    "paragraph",
    [
        "Comments by the Russian delegate angered the other delegations in the room.",
        "Copyright law was also raised by several delegations during the session.",
    ],
)
def test_a_prose_paragraph_opening_with_a_furniture_word_stays_in_the_body(paragraph):
    text = f"Talks fail\n\n{PROSE}\n\n{paragraph}\n\n{PROSE}\n\nRelated stories\n"
    _, start, end = find_body(text)
    assert text[start:end] == f"{PROSE}\n\n{paragraph}\n\n{PROSE}"


# --- properties -----------------------------------------------------------------------

# ordinary words only: none opens a furniture heading ("Comments", "Related", ...)
WORDS = [
    "the", "talks", "delegates", "state", "states", "treaty", "cyber", "attack", "attacks",
    "rules", "law", "envoy", "said", "Russia", "China", "Geneva", "minister", "agreed",
    "rejected", "proposal", "week", "meeting", "again", "group", "would", "not", "also", "of",
    "in", "on", "for", "and", "that", "which", "new", "international", "security", "session",
]  # fmt: skip
FURNITURE_HEADINGS = [
    "Related stories",
    "Share this article",
    "You Might Also Read:",
    "Most read",
    "Advertisement",
    "Sign up to our newsletter",
    "Tags: cyber, diplomacy",
    "© 2023 Example Media",
]


@st.composite
def prose_paragraph(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=8, max_size=40))
    words[0] = words[0].capitalize()
    return " ".join(words) + draw(st.sampled_from([".", "?", "!", ".\u201d", "\u2026"]))


link_title = st.lists(st.sampled_from(WORDS), min_size=2, max_size=7).map(
    lambda words: " ".join(words).capitalize()
)


@st.composite
def furniture(draw: st.DrawFn) -> list[str]:
    """A block of page furniture: a heading and short link titles, or just titles."""
    titles = draw(st.lists(link_title, min_size=1, max_size=6))
    heading = draw(st.none() | st.sampled_from(FURNITURE_HEADINGS))
    return [heading, *titles] if heading else titles


@given(
    paragraphs=st.lists(prose_paragraph(), min_size=1, max_size=6),
    blocks=st.lists(furniture(), min_size=1, max_size=3),
    separator=st.sampled_from(["\n", "\n\n", "\n \n", "\r\n"]),
)
def test_the_body_holds_every_paragraph_and_no_furniture(paragraphs, blocks, separator):
    lines = [line for block in blocks for line in block]
    text = separator.join(["A headline", *paragraphs, *lines]) + separator
    _, start, end = find_body(text)
    body = text[start:end]
    for paragraph in paragraphs:
        assert paragraph in body
    assert body.endswith(paragraphs[-1])
    assert text[end:].strip().startswith(lines[0])


@given(st.text(max_size=2000))
def test_find_body_never_raises_and_returns_a_span_of_the_text(text):
    title, start, end = find_body(text)
    assert 0 <= start <= end <= len(text)
    assert title is None or title in text
    if start < end:
        body = text[start:end]
        assert body == body.strip()


def test_characters_xml_cannot_carry_are_replaced_one_for_one(tmp_path):
    page = tmp_path / "page.txt"
    text = (
        "Talks fail\n\nThe talks in Geneva failed today, as every delegation had expected."
        "\x0cA second page of the same report follows here, with a \x01 stray code in it.\n"
    )
    page.write_text(text, encoding="utf-8")
    article = read_article(page)
    assert len(article.text) == len(text)
    assert article.text[text.index("\x0c")] == "\n"
    assert article.text[text.index("\x01")] == " "
    assert illegal_character(article.text) is None
