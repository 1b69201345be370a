"""The HTML graph in real headless Chromium, opened from file:// as a user would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graph import build_graph, load_corpus, render_html, to_networkx
from graph.networks.analysis import analyse
from tests.factories import tiny_annotation

HOSTILE = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


class Visit:
    """A page opened from file://, recording console errors, requests and dialogs."""

    def __init__(self, chromium, path: Path, *, bypass_csp: bool = False) -> None:
        self.context = chromium.new_context(bypass_csp=bypass_csp)
        self.page = self.context.new_page()
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("body[data-ready=true]", state="attached", timeout=60_000)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def seed_page(chromium, seed_graph, tmp_path_factory) -> Iterator[Visit]:
    path = tmp_path_factory.mktemp("html") / "graph.html"
    network = to_networkx(seed_graph)
    camps = [camp.members for camp in analyse(network).camps]
    path.write_text(render_html(network, "Seed", {}, camps=camps), encoding="utf-8")
    visit = Visit(chromium, path, bypass_csp=True)
    yield visit
    visit.close()


def test_page_loads_offline_without_errors(chromium, seed_graph, tmp_path):
    path = tmp_path / "graph.html"
    path.write_text(render_html(to_networkx(seed_graph), "Seed", {}), encoding="utf-8")
    visit = Visit(chromium, path)  # with the page's own Content-Security-Policy
    try:
        assert visit.errors == []
        assert [url for url in visit.requests if not url.startswith("file://")] == []
    finally:
        visit.close()


def test_every_node_and_edge_is_drawn(seed_page, seed_corpus):
    counts = seed_page.page.evaluate(
        "[apgNetwork.body.nodeIndices.length, apgNetwork.body.edgeIndices.length]"
    )
    entities, statements = len(seed_corpus.entities), len(seed_corpus.statements)
    assert counts == [entities, statements]
    assert seed_page.page.locator("#counts").text_content() == (
        f"{entities} of {entities} entities, {statements} of {statements} statements"
    )


def test_clicking_khramov_lists_his_blame_with_its_quote(seed_page):
    page = seed_page.page
    x, y = page.evaluate(
        "(() => { const p = apgNetwork.getPosition('oleg-khramov');"
        " const d = apgNetwork.canvasToDOM(p);"
        " const r = document.querySelector('#graph canvas').getBoundingClientRect();"
        " return [d.x + r.left, d.y + r.top]; })()"
    )
    page.mouse.click(x, y)
    panel = page.locator("#panel")
    assert panel.locator("h2").text_content() == "Oleg Khramov"
    assert "blamed western countries for the impasse" in panel.text_content()


def test_hostile_label_is_shown_as_text_and_runs_nothing(chromium, make_source, tmp_path):
    annotation = tiny_annotation()
    annotation["entities"][1]["label"] = HOSTILE
    graph = to_networkx(build_graph(load_corpus(make_source(annotation=annotation))))
    path = tmp_path / "hostile.html"
    path.write_text(render_html(graph, HOSTILE, {}), encoding="utf-8")
    visit = Visit(chromium, path, bypass_csp=True)
    try:
        page = visit.page
        x, y = page.evaluate(
            "(() => { const d = apgNetwork.canvasToDOM(apgNetwork.getPosition('freedonia'));"
            " const r = document.querySelector('#graph canvas').getBoundingClientRect();"
            " return [d.x + r.left, d.y + r.top]; })()"
        )
        page.mouse.move(x, y)
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        assert page.locator("div.vis-tooltip").text_content().startswith(HOSTILE)
        page.mouse.click(x, y)
        page.wait_for_timeout(300)
        assert page.locator("#panel h2").text_content() == HOSTILE
        assert page.locator("header h1").text_content() == HOSTILE
        assert page.locator("img").count() == 0
        assert visit.dialogs == []
    finally:
        visit.close()


def _drawn(page) -> tuple[set[str], int]:
    nodes, edges = page.evaluate(
        "[apgNetwork.body.nodeIndices.slice(), apgNetwork.body.edgeIndices.length]"
    )
    return set(nodes), edges


def test_filtering_out_a_type_hides_its_nodes_and_their_edges(seed_page, seed_corpus):
    page = seed_page.page
    positions = {e for e, entity in seed_corpus.entities.items() if entity.type == "position"}
    box = page.locator('#legend-types input[data-key="position"]')
    box.uncheck()
    try:
        nodes, edges = _drawn(page)
        assert nodes == set(seed_corpus.entities) - positions
        touching = sum(
            1 for s in seed_corpus.statements if s.subject in positions or s.object in positions
        )
        assert edges == len(seed_corpus.statements) - touching
    finally:
        box.check()
    assert _drawn(page)[0] == set(seed_corpus.entities)


def test_filtering_out_a_relation_hides_its_edges(seed_page, seed_corpus):
    page = seed_page.page
    box = page.locator('#legend-relations input[data-key="blames"]')
    box.uncheck()
    try:
        blames = sum(1 for s in seed_corpus.statements if s.relation == "blames")
        assert _drawn(page)[1] == len(seed_corpus.statements) - blames
    finally:
        box.check()


def test_search_by_alias_focuses_the_entity(seed_page):
    page = seed_page.page
    page.fill("#search", "Moscow")
    page.click("#search-form button")
    assert page.locator("#panel h2").text_content() == "Russia"
    assert page.evaluate("apgNetwork.getSelectedNodes()") == ["russia"]
    page.fill("#search", "Atlantis")
    page.click("#search-form button")
    assert page.locator("#search-message").text_content() == "no entity of that name"


def test_positions_table_lists_both_sides_with_quotes(seed_page):
    row = seed_page.page.locator('tr[data-position="self-defence-applies-in-cyberspace"]')
    opposes = row.locator("td.opposes span.actor")
    assert {"Russia", "China", "Cuba", "Miguel Rodríguez"} <= set(opposes.all_text_contents())
    rodriguez = row.locator('td.opposes span[data-actor="miguel-rodriguez"]')
    assert "recognising self-defence rights in cyber-space" in rodriguez.get_attribute("title")
    assert "United States" in row.locator("td.supports span.actor").all_text_contents()


def test_camps_ring_their_actors_and_are_listed_in_the_legend(seed_page):
    page = seed_page.page
    items = page.locator("#legend-camps li")
    assert items.count() == 3
    east = next(text for text in items.all_text_contents() if "Russia" in text)
    assert "Miguel Rodríguez" in east and "China" in east and "United States" not in east
    # the ring drawn around Rodríguez is his camp's colour, the fill his type's
    colours = page.evaluate(
        "(() => { const n = apgNetwork.body.nodes['miguel-rodriguez'].options;"
        " return [n.color.border, n.color.background, n.borderWidth]; })()"
    )
    russia = page.evaluate("apgNetwork.body.nodes['russia'].options.color.border")
    assert colours[0] == russia and colours[1] == "#E69F00" and colours[2] == 4
    page.evaluate("apgNetwork.selectNodes([])")
    page.locator("#search").fill("Rodríguez")
    page.locator("#search-form button, #search-form input[type=submit]").first.click()
    assert "camp" in page.locator("#panel .meta").first.text_content()


def test_unreviewed_drafts_are_counted_and_tagged(chromium, make_source, tmp_path):
    annotation = tiny_annotation()
    annotation["statements"][0].update(reviewed=False, confidence=0.8)
    graph = to_networkx(build_graph(load_corpus(make_source(annotation=annotation))))
    path = tmp_path / "drafts.html"
    path.write_text(render_html(graph, "Drafts", {}), encoding="utf-8")
    visit = Visit(chromium, path, bypass_csp=True)
    try:
        page = visit.page
        assert page.locator("#legend-drafts").is_visible()
        assert page.locator("#draft-count").text_content() == "1 statement"
        page.fill("#search", "Freedonia")
        page.click("#search-form button")
        tags = page.locator("#panel .tag.draft")
        assert tags.count() == 1
        assert tags.first.text_content() == "draft, not reviewed (confidence 0.80)"
        assert visit.errors == []
    finally:
        visit.close()


@pytest.fixture(scope="module")
def sanctions_page(chromium, sanctions_statements, tmp_path_factory) -> Iterator[Visit]:
    path = tmp_path_factory.mktemp("html") / "sanctions.html"
    path.write_text(render_html(sanctions_statements, "Sanctions", {}), encoding="utf-8")
    visit = Visit(chromium, path)  # with the page's own Content-Security-Policy
    yield visit
    visit.close()


def test_sanctions_and_denials_are_in_the_legend_and_can_be_hidden(sanctions_page):
    page = sanctions_page.page
    assert sanctions_page.errors == []
    for relation, colour, count in (("sanctions", "#882255", 3), ("denies", "#999933", 2)):
        item = page.locator(f'#legend-relations li:has(input[data-key="{relation}"])')
        assert item.text_content() == f"{relation}({count})"
        strokes = item.locator("line").evaluate_all(
            "lines => lines.map(l => l.getAttribute('stroke'))"
        )
        # a denial's legend line ends in a bar, as its edges do
        assert strokes == [colour] * (2 if relation == "denies" else 1)
        statements = _drawn(page)[1]
        box = item.locator("input")
        box.uncheck()
        try:
            assert _drawn(page)[1] == statements - count
        finally:
            box.check()
        assert _drawn(page)[1] == statements
    heads = page.evaluate(
        "apgNetwork.body.data.edges.getIds({filter: e => e.relation === 'denies'})"
        ".map(id => apgNetwork.body.edges[id].options.arrows.to.type)"
    )
    assert heads == ["bar", "bar"]


def test_a_sanction_in_the_panel_says_which_incident_it_answers(sanctions_page):
    page = sanctions_page.page
    page.fill("#search", "Ivo Marek")
    page.click("#search-form button")
    item = page.locator('#panel li[data-statement$="/statement/union-sanctions-marek"]')
    assert item.locator("div").first.text_content() == "Northern Union — sanctions → Ivo Marek"
    assert "about Blackout attack" in item.locator(".meta").text_content()
