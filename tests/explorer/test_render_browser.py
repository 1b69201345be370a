"""The HTML graph in real headless Chromium, opened from file:// as a user would."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import pytest

from graph import build_graph, load_corpus, render_html, to_networkx
from graph.networks.analysis import analyse
from tests.factories import tiny_annotation

HOSTILE = "<img src=x onerror=alert(1)>"

pytestmark = pytest.mark.browser


class Visit:
    """A page opened from file://, recording console errors, requests and dialogs."""

    def __init__(
        self,
        chromium,
        path: Path,
        *,
        bypass_csp: bool = False,
        viewport: tuple[int, int] = (1280, 720),
    ) -> None:
        width, height = viewport
        self.context = chromium.new_context(
            bypass_csp=bypass_csp, viewport={"width": width, "height": height}
        )
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


ACTOR_TYPES = ("state", "official", "person", "institution", "group")
# label boxes in DOM pixels, from vis-network's own label sizes (canvas units), moved by the
# label's vadjust, which vis-network applies when it draws the label
LABELS = """ids => ids.map(id => {
  const node = apgNetwork.body.nodes[id], box = node.labelModule.size;
  const top = box.top + (node.options.font.vadjust || 0);
  const topLeft = apgNetwork.canvasToDOM({x: box.left, y: top});
  const bottomRight = apgNetwork.canvasToDOM({x: box.left + box.width, y: top + box.height});
  return {id, text: node.labelModule.lines.length ? node.options.label : '',
          pixels: node.options.font.size * apgNetwork.getScale(),
          box: [topLeft.x, topLeft.y, bottomRight.x, bottomRight.y]};
})"""


@pytest.fixture(scope="module")
def built_page_path(built_store) -> Path:
    """The page ``apg build`` wrote for the seed."""
    return built_store.parent / "graph.html"


@pytest.fixture(scope="module")
def first_view(chromium, built_page_path) -> Iterator[Visit]:
    """The seed's page as built, at first view in a 1400x900 window; tests must not change it."""
    visit = Visit(chromium, built_page_path, bypass_csp=True, viewport=(1400, 900))
    yield visit
    visit.close()


def _most_connected_actors(corpus, count: int = 5) -> list[str]:
    statements = Counter()
    for statement in corpus.statements:
        statements[statement.subject] += 1
        statements[statement.object] += 1
    actors = [e for e, entity in corpus.entities.items() if entity.type in ACTOR_TYPES]
    return sorted(actors, key=lambda actor: (-statements[actor], actor))[:count]


def test_first_view_shows_the_most_connected_actors_at_11_pixels_or_more(first_view, seed_corpus):
    actors = _most_connected_actors(seed_corpus)
    assert actors[:2] == ["russia", "china"]
    labels = first_view.page.evaluate(LABELS, actors)
    assert all(label["pixels"] >= 11 for label in labels), labels
    # and vis drew them: their boxes have a size
    assert all(label["box"][2] - label["box"][0] > 20 for label in labels), labels


def test_labels_of_the_most_connected_actors_do_not_overlap(first_view, seed_corpus):
    labels = first_view.page.evaluate(LABELS, _most_connected_actors(seed_corpus))
    pane = first_view.page.evaluate(
        "(() => { const r = document.querySelector('#graph canvas').getBoundingClientRect();"
        " return [r.width, r.height]; })()"
    )
    for first, second in combinations(labels, 2):
        a, b = first["box"], second["box"]
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (first, second)
    # all inside the pane: the first view fits the graph
    for label in labels:
        left, top, right, bottom = label["box"]
        assert left >= 0 and right <= pane[0] and top >= 0 and bottom <= pane[1], label


def test_no_two_labels_of_the_first_view_overlap_and_some_sit_above_their_node(first_view):
    ids = first_view.page.evaluate("apgNetwork.body.nodeIndices")
    labels = first_view.page.evaluate(LABELS, ids)
    threshold = first_view.page.evaluate(
        "Object.values(apgNetwork.body.nodes)[0].options.scaling.label.drawThreshold"
    )
    shown = [label for label in labels if label["pixels"] >= threshold]
    assert len(shown) >= 20, len(shown)
    for first, second in combinations(shown, 2):
        a, b = first["box"], second["box"]
        apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
        assert apart, (first, second)
    raised = first_view.page.evaluate(
        "apgNetwork.body.nodeIndices"
        ".filter(id => apgNetwork.body.nodes[id].options.font.vadjust < 0)"
    )
    assert raised, "no label was moved above its node"
    # a raised label sits wholly above its node's shape
    for label in first_view.page.evaluate(LABELS, raised):
        node_top = first_view.page.evaluate(
            "id => { const n = apgNetwork.body.nodes[id];"
            " return apgNetwork.canvasToDOM({x: n.x, y: n.y - n.options.size}).y; }",
            label["id"],
        )
        assert label["box"][3] <= node_top, label


def test_statement_labels_wait_for_zoom_or_hover(first_view):
    hidden = first_view.page.evaluate(
        "(() => { const e = Object.values(apgNetwork.body.edges)[0];"
        " return e.options.font.size * apgNetwork.getScale()"
        " < e.options.scaling.label.drawThreshold - 1; })()"
    )
    assert hidden


def _positions(page) -> dict[str, dict[str, float]]:
    return page.evaluate("apgNetwork.getPositions()")


def test_the_page_opens_the_same_way_on_every_load(chromium, first_view, built_page_path):
    again = Visit(chromium, built_page_path, bypass_csp=True, viewport=(1400, 900))
    try:
        assert _positions(again.page) == _positions(first_view.page)
        assert again.page.evaluate("apgNetwork.getScale()") == first_view.page.evaluate(
            "apgNetwork.getScale()"
        )
        assert again.page.evaluate("apgNetwork.physics.options.enabled") is False
    finally:
        again.close()


def test_toggling_a_relation_moves_no_node_and_hides_those_left_without_one(
    chromium, built_page_path, seed_corpus
):
    visit = Visit(chromium, built_page_path, bypass_csp=True, viewport=(1400, 900))
    try:
        page = visit.page
        before = _positions(page)
        page.locator(
            '#legend-relations button[data-none="relations"], #legend button[data-none="relations"]'
        ).first.click()
        page.locator('#legend-relations input[data-key="blames"]').check()
        nodes, edges = _drawn(page)
        blames = [s for s in seed_corpus.statements if s.relation == "blames"]
        assert edges == len(blames) == 8
        assert nodes == {s.subject for s in blames} | {s.object for s in blames}
        shown = _positions(page)
        assert shown == {node: before[node] for node in nodes}
        page.locator('#legend button[data-all="relations"]').click()
        assert _positions(page) == before
    finally:
        visit.close()


def test_legend_lists_the_core_relations_first(first_view):
    keys = first_view.page.locator("#legend-relations input").evaluate_all(
        "boxes => boxes.map(b => b.dataset.key)"
    )
    core = ["blames", "supports_position", "opposes_position", "represents", "attributed_to"]
    assert keys[: len(core)] == core
    assert keys[len(core) :] == sorted(keys[len(core) :])


def test_blame_and_opposition_differ_in_colour_width_and_arrow_head(first_view):
    styles = first_view.page.evaluate(
        "['blames', 'opposes_position'].map(r => { const e = Object.values(apgNetwork.body.edges)"
        ".find(e => apgNetwork.body.data.edges.get(e.id).relation === r).options;"
        " return [e.color.color, e.width, e.arrows.to.type]; })"
    )
    blame, opposition = styles
    assert all(a != b for a, b in zip(blame, opposition, strict=True)), styles


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
    # the ring drawn around Rodríguez is his camp's colour (Russia's), the fill his type's
    fill = page.evaluate("apgNetwork.body.nodes['miguel-rodriguez'].options.color.background")
    camp = page.evaluate("apgNetwork.body.data.nodes.get('russia').campColor")
    assert fill == "#E69F00"
    assert camp == page.evaluate("apgNetwork.body.data.nodes.get('miguel-rodriguez').campColor")
    for node in ("miguel-rodriguez", "russia"):
        assert camp in _ring_colours(page, node)


def _ring_colours(page, node: str) -> set[str]:
    """Colours of the pixels 7 canvas units outside the node's shape, all around it."""
    return set(
        page.evaluate(
            """id => {
              const n = apgNetwork.body.nodes[id], scale = apgNetwork.getScale();
              const centre = apgNetwork.canvasToDOM({x: n.x, y: n.y});
              const radius = (Math.max(n.shape.width || 0, 2 * n.options.size) / 2 + 7) * scale;
              const context = document.querySelector('#graph canvas').getContext('2d');
              const colours = [];
              for (let step = 0; step < 24; step++) {
                const angle = step * Math.PI / 12;
                const pixel = context.getImageData(
                  Math.round((centre.x + radius * Math.cos(angle)) * devicePixelRatio),
                  Math.round((centre.y + radius * Math.sin(angle)) * devicePixelRatio), 1, 1).data;
                colours.push('#' + [...pixel.slice(0, 3)].map(
                  v => v.toString(16).padStart(2, '0')).join('').toUpperCase());
              }
              return colours;
            }""",
            node,
        )
    )


def test_camp_rings_show_on_nodes_of_the_same_colour(seed_page):
    # camp 2's blue ring around a blue state: set off from the fill by a white gap
    page = seed_page.page
    state = page.evaluate(
        "apgNetwork.body.data.nodes.get({filter: n => n.entityType === 'state' && n.campColor})"
        ".map(n => [n.id, n.campColor])"
    )
    assert state
    for node, camp in state:
        assert camp in _ring_colours(page, node)
        inner = page.evaluate(
            """id => { const n = apgNetwork.body.nodes[id], scale = apgNetwork.getScale();
              const c = apgNetwork.canvasToDOM({x: n.x, y: n.y});
              const r = (n.options.size + 2.5) * scale;
              const context = document.querySelector('#graph canvas').getContext('2d');
              return [0, 1, 2, 3].map(q => [...context.getImageData(
                Math.round((c.x + r * Math.cos(q * Math.PI / 2 + 0.4)) * devicePixelRatio),
                Math.round((c.y + r * Math.sin(q * Math.PI / 2 + 0.4)) * devicePixelRatio),
                1, 1).data.slice(0, 3)]); }""",
            node,
        )
        assert [255, 255, 255] in inner


def test_search_names_the_camp_of_a_camped_actor(seed_page):
    page = seed_page.page
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
    for relation, colour, count in (("sanctions", "#882255", 3), ("denies", "#000000", 2)):
        item = page.locator(f'#legend-relations li:has(input[data-key="{relation}"])')
        assert item.text_content() == f"{relation}({count})"
        symbol = item.locator("svg")
        assert symbol.locator("line").get_attribute("stroke") == colour
        # a denial's legend line ends in a dot, as its edges do
        assert symbol.get_attribute("data-head") == ("circle" if relation == "denies" else "arrow")
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
    assert heads == ["circle", "circle"]


def test_a_sanction_in_the_panel_says_which_incident_it_answers(sanctions_page):
    page = sanctions_page.page
    page.fill("#search", "Ivo Marek")
    page.click("#search-form button")
    item = page.locator('#panel li[data-statement$="/statement/union-sanctions-marek"]')
    assert item.locator("div").first.text_content() == "Northern Union — sanctions → Ivo Marek"
    assert "about Blackout attack" in item.locator(".meta").text_content()


def test_a_page_of_many_statements_labels_its_lines_once_zoomed_in(chromium, seed_graph, tmp_path):
    path = tmp_path / "many.html"
    network = to_networkx(seed_graph)
    path.write_text(render_html(network, "Seed", {}, edge_label_limit=10), encoding="utf-8")
    visit = Visit(chromium, path, bypass_csp=True, viewport=(1400, 900))
    labelled = "Object.values(apgNetwork.body.edges).filter(e => e.options.label).length"
    try:
        page = visit.page
        assert page.evaluate(labelled) == 0
        # the side panel still names each statement's relation
        page.evaluate("showEntity('oleg-khramov')")
        assert "Oleg Khramov — blames → Western countries" in page.locator("#panel").inner_text()
        page.evaluate("apgNetwork.moveTo({scale: 4})")
        page.wait_for_function(f"() => {labelled} === {network.number_of_edges()}", polling=100)
        label = page.evaluate(
            "(() => { const e = Object.values(apgNetwork.body.edges)"
            ".find(e => apgNetwork.body.data.edges.get(e.id).relation === 'blames');"
            " return e.options.label; })()"
        )
        assert label == "blames"
        assert visit.errors == []
    finally:
        visit.close()
