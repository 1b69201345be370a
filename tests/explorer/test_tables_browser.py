"""The explorer's tables and actor view in headless Chromium, clicked as a reader would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from graph import build_graph, load_corpus, render_html, to_networkx
from graph.networks import speakers
from tests.factories import tiny_annotation

HOSTILE = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


class Page:
    """A page opened from file:// at 1400 by 900, with its errors and dialogs recorded."""

    def __init__(self, chromium, path: Path) -> None:
        self.context = chromium.new_context(viewport={"width": 1400, "height": 900})
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on(
            "dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss())
        )
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)


def _open(chromium, graph, path: Path) -> Page:
    path.write_text(render_html(graph, "Tables", {}, speakers=speakers(graph)), encoding="utf-8")
    return Page(chromium, path)


@pytest.fixture(scope="module")
def seed_page(chromium, seed_network, tmp_path_factory) -> Iterator[Page]:
    opened = _open(chromium, seed_network, tmp_path_factory.mktemp("html") / "graph.html")
    yield opened
    opened.context.close()


@pytest.fixture(scope="module")
def sanctions_page(chromium, sanctions_statements, tmp_path_factory) -> Iterator[Page]:
    opened = _open(chromium, sanctions_statements, tmp_path_factory.mktemp("html") / "s.html")
    yield opened
    opened.context.close()


def test_the_blame_table_lists_the_seeds_blame_statements_with_quotes(seed_page, seed_corpus):
    page = seed_page.page
    page.click("#tab-blames")
    rows = page.locator("#blames tbody tr")
    blames = [s for s in seed_corpus.statements if s.relation == "blames"]
    assert rows.count() == len(blames) == 8
    quotes = page.locator("#blames td.quotes blockquote").all_text_contents()
    assert sorted(quotes) == sorted(f"“{s.quote}”" for s in blames)
    assert page.locator("#tab-blames").text_content() == "Who blames whom (8)"
    assert seed_page.errors == []


def test_clicking_a_blame_row_shows_its_quote_and_selects_both_actors(seed_page):
    page = seed_page.page
    page.click("#tab-blames")
    page.click('#blames tr[data-subject="oleg-khramov"]')
    panel = page.locator("#panel")
    assert panel.locator("h2").text_content() == "Oleg Khramov blames Western countries"
    assert panel.locator("blockquote").all_text_contents() == [
        "“blamed western countries for the impasse”"
    ]
    assert "reported" in panel.locator(".meta").first.text_content()
    selected = page.evaluate("apgNetwork.getSelectedNodes()")
    assert sorted(selected) == ["oleg-khramov", "western-countries"]


def test_the_attribution_table_lists_the_seeds_attributions_and_who_claims_them(
    seed_page, seed_corpus
):
    page = seed_page.page
    page.click("#tab-attributions")
    rows = page.locator("#attributions tbody tr")
    assert rows.count() == sum(1 for s in seed_corpus.statements if s.relation == "attributed_to")
    row = page.locator('#attributions tr[data-incident="dnc-hack-2016"][data-actor="russia"]')
    cells = row.locator("td").all_text_contents()
    assert cells[:3] == [
        "2016 hack of the Democratic National Committee",
        "Russia",
        "US intelligence",
    ]
    alleged = page.locator('#attributions tr[data-actor="russian-intelligence"] td')
    assert alleged.nth(2).text_content() == "the source"
    assert alleged.locator(".hedged blockquote").count() == 1  # "allegedly": hedged
    row.click()
    assert page.locator("#panel blockquote").all_text_contents() == [
        "“the Russians [were responsible for hacking into the DNC]”"
    ]
    assert sorted(page.evaluate("apgNetwork.getSelectedNodes()")) == [
        "dnc-hack-2016",
        "russia",
        "us-intelligence",
    ]


def test_a_denial_is_shown_beside_the_attribution_it_denies(sanctions_page):
    page = sanctions_page.page
    page.click("#tab-attributions")
    row = page.locator('#attributions tr[data-incident="blackout-attack"][data-actor="freedonia"]')
    denial = row.locator("td.denials")
    assert "Boris Kral (reported)" in denial.text_content()
    assert "“Boris Kral, denied any involvement”" in denial.text_content()
    harbour = page.locator('#attributions tr[data-incident="harbour-hack"]')
    assert "no attribution in the graph" in harbour.text_content()
    row.click()
    assert page.locator("#panel .meta", has_text="denied").count() == 1
    page.click("#tab-sanctions")
    assert page.locator("#sanctions tbody tr").count() == 3
    assert sanctions_page.errors == []


def test_empty_positions_are_listed_apart_and_the_dashed_chip_explained(seed_page, seed_corpus):
    page = seed_page.page
    page.click("#tab-positions")
    empty = page.locator("#positions-empty")
    assert empty.get_attribute("data-count") == "2"
    unheld = ("attribution-of-cyber-attacks-difficult", "right-of-self-defence")
    labels = sorted(seed_corpus.entities[position].label for position in unheld)
    assert sorted(empty.locator("a").all_text_contents()) == labels
    for position in unheld:
        assert page.locator(f'tr[data-position="{position}"]').count() == 0
    positions = sum(1 for e in seed_corpus.entities.values() if e.type == "position")
    assert page.locator("#positions tbody tr").count() == positions - 2
    assert "dashed border" in page.locator("#positions .caption").first.text_content()
    # an endorsement counts as support
    endorsed = page.locator('tr[data-position="russia-responsible-for-dnc-hack"] td.supports')
    assert "Mike Schmitt" in endorsed.text_content()


def _actor_ids(page) -> list[str]:
    return page.evaluate("Object.keys(apgActorNetwork.body.nodes).sort()")


def test_the_actor_view_holds_only_actors_and_opens_the_same_way(seed_page, seed_corpus):
    page = seed_page.page
    page.click('#view-switch label:has(input[value="actor"])')
    assert page.locator("#actor-view").is_visible()
    actors = _actor_ids(page)
    types = {seed_corpus.entities[a].type for a in actors}
    assert types <= {"state", "official", "person", "institution", "group"}
    assert {"oleg-khramov", "russia", "western-countries"} <= set(actors)
    first = page.evaluate("apgActorNetwork.getPositions()")
    page.click('#view-switch label:has(input[value="state"])')
    assert "oleg-khramov" not in _actor_ids(page) and "russia" in _actor_ids(page)
    page.click('#view-switch label:has(input[value="actor"])')
    assert page.evaluate("apgActorNetwork.getPositions()") == first
    # a blame line lists its quotes
    page.evaluate(
        "apgActorNetwork.body.emitter.emit('click', {nodes: [],"
        " edges: ['blames oleg-khramov western-countries']})"
    )
    assert page.locator("#panel h2").text_content() == (
        "Oleg Khramov blames Western countries (1 statement)"
    )
    page.click('#view-switch label:has(input[value="full"])')
    assert page.locator("#actor-view").is_hidden()
    assert seed_page.errors == []


def test_a_hostile_label_in_a_table_is_text(chromium, make_source, tmp_path):
    annotation = tiny_annotation()
    annotation["entities"][1]["label"] = HOSTILE
    graph = to_networkx(build_graph(load_corpus(make_source(annotation=annotation))))
    opened = _open(chromium, graph, tmp_path / "hostile.html")
    try:
        page = opened.page
        page.click("#tab-blames")
        row = page.locator("#blames tbody tr").first
        assert HOSTILE in row.locator("td").all_text_contents()
        row.click()
        assert HOSTILE in page.locator("#panel h2").text_content()
        page.click('#view-switch label:has(input[value="actor"])')
        assert page.locator("img").count() == 0
        assert opened.dialogs == [] and opened.errors == []
    finally:
        opened.context.close()


def _blame_network(pairs: int):
    """A network of ``pairs`` blame statements between distinct pairs of states."""
    import networkx as nx

    network = nx.MultiDiGraph()
    for number in range(pairs):
        subject, obj = f"state-{number:03d}-a", f"state-{number:03d}-b"
        for node in (subject, obj):
            network.add_node(node, iri=f"https://example.org/{node}", label=node, type="state")
        key = f"https://example.org/source/s/statement/{number}"
        network.add_edge(
            subject,
            obj,
            key=key,
            relation="blames",
            statement=key,
            source="https://example.org/source/s",
            quote=f"quote {number}",
            start=0,
            end=7,
            modality="asserted",
            hedged=False,
            date="2020-01-01",
        )
    return network


def test_a_long_table_shows_a_hundred_rows_and_the_next_hundred_on_scrolling(chromium, tmp_path):
    opened = _open(chromium, _blame_network(250), tmp_path / "long.html")
    try:
        page = opened.page
        page.click("#tab-blames")
        answers = page.locator("#blames tbody tr.answer")
        assert answers.count() == 100
        assert page.locator("#blames tr.more").text_content() == (
            "150 more rows below, shown as you scroll"
        )
        page.locator("#blames tr.more").scroll_into_view_if_needed()
        expect(answers).to_have_count(200)
        page.locator("#blames tr.more").scroll_into_view_if_needed()
        expect(answers).to_have_count(250)
        assert page.locator("#blames tr.more").count() == 0
        quotes = page.locator("#blames td.quotes blockquote").all_text_contents()
        assert quotes == [f"“quote {number}”" for number in range(250)]
        assert opened.errors == []
    finally:
        opened.context.close()
