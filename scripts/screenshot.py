"""Take the README's screenshot of the seed graph in headless Chromium.

Run: python3 scripts/screenshot.py [--html output/graph.html] [--out docs/seed-graph.png]
     [--actors docs/actor-view.png] [--rebuild]

Builds the graph first when the page does not exist (or with --rebuild). Shows the page's
first view in a 1400x900 window, as a reader opens it, with one entity's statements in the
side panel (clicked where it is drawn, so the view does not move); then the actor view,
rolled up to states, into ``--actors``. Needs Debian's chromium
at /usr/bin/chromium and the Python package playwright (both installed by `.ci/run`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

from graph import build

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=Path("output/graph.html"))
    parser.add_argument("--out", type=Path, default=Path("docs/seed-graph.png"))
    parser.add_argument("--focus", default="Oleg Khramov", help="entity whose panel is shown")
    parser.add_argument("--actors", type=Path, default=Path("docs/actor-view.png"))
    parser.add_argument("--rebuild", action="store_true", help="build the graph first")
    arguments = parser.parse_args()
    if arguments.rebuild or not arguments.html.exists():
        build("data", arguments.html.parent)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(arguments.html.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        page.mouse.click(*_drawn_at(page, arguments.focus))
        # to an empty corner of the graph, so that no tooltip hides it
        corner = page.locator("#graph canvas").bounding_box()
        page.mouse.move(corner["x"] + 3, corner["y"] + 3)
        page.wait_for_timeout(500)
        arguments.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(arguments.out))
        page.check('#view-switch input[value="state"]', force=True)
        page.wait_for_function("() => window.apgActorNetwork !== undefined")
        page.mouse.move(corner["x"] + 3, corner["y"] + 3)
        page.wait_for_timeout(800)
        page.screenshot(path=str(arguments.actors))
        browser.close()
    print(f"wrote {arguments.out} and {arguments.actors}")


def _drawn_at(page, name: str) -> tuple[float, float]:
    """Where in the window the entity labelled ``name`` is drawn."""
    return tuple(
        page.evaluate(
            """name => {
              const [node] = apgNetwork.body.data.nodes.get({filter: n => n.fullLabel === name});
              if (!node) throw new Error("no entity labelled " + name);
              const at = apgNetwork.canvasToDOM(apgNetwork.getPosition(node.id));
              const pane = document.querySelector("#graph canvas").getBoundingClientRect();
              return [at.x + pane.left, at.y + pane.top];
            }""",
            name,
        )
    )


if __name__ == "__main__":
    main()
