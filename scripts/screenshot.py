"""Take the README's screenshot of the seed graph in headless Chromium.

Run: python3 scripts/screenshot.py [--html output/graph.html] [--out docs/seed-graph.png]

Builds the graph first when the page does not exist. Needs Debian's chromium at
/usr/bin/chromium and the Python package playwright (both installed by `.ci/run`).
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
    arguments = parser.parse_args()
    if not arguments.html.exists():
        build("data", arguments.html.parent)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1500, "height": 1000})
        page.goto(arguments.html.resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=120_000)
        page.fill("#search", arguments.focus)
        page.click("#search-form button")
        page.wait_for_timeout(800)  # the focus animation
        arguments.out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(arguments.out))
        browser.close()
    print(f"wrote {arguments.out}")


if __name__ == "__main__":
    main()
