"""An HTML page is told from plain text and read as the text a reader sees."""

from __future__ import annotations

from html import escape

import pytest
from hypothesis import given, strategies as st

from graph.extraction.markup import html_text, looks_like_html
from tests.factories import HOSTILE_SCRIPT, REPO, html_page

OEWG_BODY = REPO / "tests" / "fixtures" / "sources" / "un-oewg-geneva-session-2023" / "article.txt"


# --- telling a page from plain text ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<!DOCTYPE html>\n<html><body><p>The talks failed.</p></body></html>",
        "<!doctype HTML><title>x</title>",
        "\ufeff  <html>\n<body>The talks failed.</body></html>",
        "<?xml version='1.0'?>\n<!-- saved page -->\n<html xmlns='http://www.w3.org/1999/xhtml'>",
        "<body><div>The talks failed.</div></body>",
        "<p>The talks failed.</p>\n<p>Russia blamed the west.</p>\nA line without tags.",
        '<div class="story">\n<p>The talks failed.</p>\n</div>',
    ],
)
def test_a_page_or_a_part_of_one_is_html(text):
    assert looks_like_html(text.removeprefix("\ufeff"))


@pytest.mark.parametrize(
    "text",
    [
        "The talks failed.\n\nRussia blamed the west.\n",
        "Attackers injected a <script> tag into the ministry's page.\n",
        "<script> tags were found in the page.\nThe talks failed.\nRussia blamed the west.\n",
        "<Name of the delegate>, <date>: a template, not a page.\n",
        "x < y and y > z, the delegate said.\n",
    ],
)
def test_plain_text_that_mentions_tags_is_not_html(text):
    assert not looks_like_html(text)


# --- the text of a page ---------------------------------------------------------------


def test_a_page_reads_as_its_title_then_its_paragraphs():
    page = (
        "<html><head><title>Talks  fail &ndash; News</title></head><body>"
        "<h1>Talks fail</h1><p>Russia&rsquo;s delegate <em>rejected</em>\n  the plan.<br>"
        "He left.</p><ul><li>One</li><li>Two</li></ul><div>Three &amp; four</div></body></html>"
    )
    assert html_text(page) == (
        "Talks fail \u2013 News\n\nTalks fail\n\n"
        "Russia\u2019s delegate rejected the plan.\nHe left.\n\nOne\nTwo\nThree & four\n"
    )


@pytest.mark.parametrize(
    "element", ["script", "style", "noscript", "template", "svg", "nav", "header", "footer",
                "aside", "form", "iframe", "button", "select", "textarea"],
)  # fmt: skip
def test_what_a_reader_does_not_read_is_left_out(element):
    page = f"<p>The talks failed.</p><{element}>Russia blamed <b>Cuba</b></{element}><p>End.</p>"
    assert html_text(page) == "The talks failed.\n\nEnd.\n"


def test_nested_and_unclosed_furniture_is_left_out():
    page = "<p>Kept.</p><nav><ul><li><form>Search</form> Home</li></ul></nav><p>Also kept.</p>"
    assert html_text(page) == "Kept.\n\nAlso kept.\n"
    assert html_text("<p>Kept.</p><script>var x = '</p>Russia blamed';") == "Kept.\n"


def test_entities_are_unescaped_and_a_no_break_space_is_kept():
    page = "<p>&quot;Groundless&quot;, said&nbsp;Belov &#8212; &lt;not a tag&gt; &amp; more</p>"
    assert html_text(page) == '"Groundless", said\u00a0Belov \u2014 <not a tag> & more\n'


def test_the_title_of_a_drawing_is_not_the_page_title():
    page = "<title>Page</title><p>Text here.</p><svg><title>icon</title></svg>"
    assert html_text(page) == "Page\n\nText here.\n"


def test_comments_and_declarations_are_left_out():
    page = "<!DOCTYPE html><!-- Russia blamed --><p>Text<![CDATA[ Russia blamed ]]> here.</p>"
    assert html_text(page) == "Text here.\n"


def test_a_tag_with_a_quoted_angle_bracket_is_a_tag():
    page = '<p><a title="x<y" href="/a>b">Talks</a> failed.</p>'
    assert html_text(page) == "Talks failed.\n"


@pytest.mark.parametrize(
    ("page", "text"),
    [
        ("<p>Talks.</p><a<a<a<a</p>", "Talks.\n\n<a<a<a<a\n"),
        ("<p>x < y and 3 <4</p>", "x < y and 3 <4\n"),
        ("<p>Talks.</p><!-- never closed <p>More.</p>", "Talks.\n\n<!-- never closed\n\nMore.\n"),
        ("<p>Talks.</p><![CDATA[ never closed <p>More.</p>", "Talks.\n\n<![CDATA[ never closed"
         "\n\nMore.\n"),
        ("<p>Talks.</p><![ ]]><p>More.</p>", "Talks.\n\n<![ ]]>\n\nMore.\n"),
        ("<p>Talks.</p><![foo[ x ]]><p>More.</p>", "Talks.\n\n<![foo[ x ]]>\n\nMore.\n"),
        ("<p>Talks.</p><![if !IE]><p>More.</p><![endif]>", "Talks.\n\nMore.\n"),
    ],
)  # fmt: skip
def test_markup_that_never_closes_reads_as_text(page, text):
    """A "<" that opens no whole tag, and a comment or section that never ends, are text
    (html.parser searched the rest of the page again for each: minutes on a long page)."""
    assert html_text(page) == text


def test_a_page_of_unclosed_tags_is_read_whole():
    page = "<html><body><p>Talks failed.</p>" + "<a" * 50_000 + "<!--" * 10_000 + "<![x" * 10_000
    text = html_text(page)
    assert text.startswith("Talks failed.\n\n<a<a")
    assert text.count("<a") == 50_000 and text.count("<!--") == 10_000


def test_the_factory_page_reads_as_the_fixture_article():
    body = OEWG_BODY.read_text(encoding="utf-8")
    text = html_text(html_page(body, title="Talks in Geneva"))
    assert text.startswith("Talks in Geneva\n\nTalks in Geneva\n\n")
    assert text.removeprefix("Talks in Geneva\n\nTalks in Geneva\n\n") == body.strip() + "\n"
    assert "Russia blamed" not in text and "Home" not in text and "Search" not in text
    assert HOSTILE_SCRIPT not in text


words = st.text(alphabet=st.characters(categories=["L", "N", "P", "S"]), min_size=1, max_size=12)
paragraphs = st.lists(st.lists(words, min_size=1, max_size=8).map(" ".join), min_size=1,
                      max_size=6)  # fmt: skip
inline = st.sampled_from(["", "em", "strong", "a", "span"])


@given(paragraphs=paragraphs, wrappers=st.lists(inline, min_size=6, max_size=6))
def test_escaped_paragraphs_come_back_as_written(paragraphs, wrappers):
    """Whatever the words (tags and entities included), a page of escaped paragraphs
    reads as those paragraphs, separated by blank lines."""
    marked = []
    for paragraph, tag in zip(paragraphs, wrappers, strict=False):
        text = escape(paragraph)
        marked.append(f"<p><{tag}>{text}</{tag}></p>" if tag else f"<p>{text}</p>")
    assert html_text("<html><body>" + "\n".join(marked) + "</body></html>") == (
        "\n\n".join(paragraphs) + "\n"
    )
