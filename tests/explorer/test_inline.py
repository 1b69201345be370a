"""An explorer page carried inside a notebook cell's output: the iframe and its escaping."""

from __future__ import annotations

from html import unescape
from html.parser import HTMLParser

import pytest
from hypothesis import given, strategies as st

from graph import build_graph, load_corpus, render_html, to_networkx
from graph.explorer.inline import SANDBOX, InlinePage
from tests.factories import tiny_annotation

BREAKOUTS = [
    '"></iframe><script>alert(1)</script>',
    "' onload='alert(2)",
    "&quot; onload=&quot;alert(3)",
    "&#34;><img src=x onerror=alert(4)>",
    "line\r\nbreak",
]


class Elements(HTMLParser):
    """Every element of an HTML fragment, in order, with its attributes as the browser reads
    them (character references resolved)."""

    def __init__(self, fragment: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def only_iframe(page: InlinePage) -> dict[str, str | None]:
    """The attributes of the one element that ``_repr_html_`` is, which must be an iframe."""
    parsed = Elements(page._repr_html_())
    assert [tag for tag, _ in parsed.elements] == ["iframe"]
    assert "".join(parsed.text) == ""
    return parsed.elements[0][1]


def test_the_iframe_carries_the_page_itself_and_no_address():
    page = InlinePage("<!DOCTYPE html><title>Seed</title><script>draw()</script>", height=450)
    iframe = only_iframe(page)
    assert iframe["srcdoc"] == page.html
    assert "src" not in iframe and "/files/" not in page._repr_html_()
    assert iframe["style"] == "width: 100%; height: 450px; border: 0"
    assert iframe["title"] == "Seed"


def test_the_page_runs_in_an_origin_of_its_own():
    iframe = only_iframe(InlinePage("<title>Seed</title>"))
    assert iframe["sandbox"] == SANDBOX
    assert "allow-scripts" in SANDBOX.split() and "allow-same-origin" not in SANDBOX.split()


@pytest.mark.parametrize("hostile", BREAKOUTS)
def test_a_hostile_text_stays_inside_the_srcdoc_attribute(hostile):
    html = f"<title>{hostile}</title><p>{hostile}</p>"
    iframe = only_iframe(InlinePage(html))
    assert iframe["srcdoc"] == html
    assert iframe["title"] == unescape(hostile)  # the title as the page shows it


def test_a_page_with_hostile_labels_and_title_is_carried_whole(make_source):
    annotation = tiny_annotation()
    annotation["entities"][1]["label"] = BREAKOUTS[0]
    annotation["entities"][2]["label"] = BREAKOUTS[2]
    annotation["entities"][3]["description"] = BREAKOUTS[1]
    network = to_networkx(build_graph(load_corpus(make_source(annotation=annotation))))
    page = InlinePage(render_html(network, BREAKOUTS[3], {}))
    iframe = only_iframe(page)
    assert iframe["srcdoc"] == page.html
    assert iframe["title"] == BREAKOUTS[3]  # the page escaped it, so it reads as written


@given(st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00")))
def test_any_page_comes_back_whole_from_the_attribute(text):
    # NUL is left out: a browser reads it as U+FFFD anywhere in HTML, escaped or not
    assert only_iframe(InlinePage(text))["srcdoc"] == text


def test_its_text_form_is_short():
    page = InlinePage("<title>Around &amp; about</title>" + "x" * 100_000, height=300)
    assert repr(page) == "InlinePage('Around & about', height=300, 100033 characters)"


@pytest.mark.parametrize("height", [0, -5, 2.5, "600"])
def test_a_height_that_is_no_pixel_count_is_refused(height):
    with pytest.raises(ValueError, match="height must be a whole number of pixels"):
        InlinePage("<title>Seed</title>", height=height)
