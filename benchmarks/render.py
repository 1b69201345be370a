"""Time laying out, writing and drawing the HTML page of large synthetic graphs.

Run: python3 benchmarks/render.py --sizes 1000,5000,20000 [--timeout 120] [--no-browser]

Each synthetic graph has about two edges per node, with the entity types and relations of
the real annotations and the edge attributes ``to_networkx`` gives. Per size it prints, in
wall-clock seconds on this machine: ``layout_positions`` alone; ``render_html`` as a whole
with the write to a file (this includes the layout, which ``render_html`` computes for
every page); the page's size; and the time from opening the page in headless
Chromium (from file://) until it sets ``body[data-ready=true]`` after its first drawing.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from graph.explorer.layout import layout_positions
from graph.explorer.render import render_html
from graph.rdf import source_iri, statement_iri

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TARGET_SIZE = 5000
TARGET_WRITE = 10.0  # seconds to lay out and write the page of TARGET_SIZE nodes
TARGET_DRAW = 3.0  # seconds for Chromium to draw it

# share of nodes per entity type
TYPE_SHARES = {
    "state": 0.10,
    "official": 0.20,
    "person": 0.08,
    "institution": 0.10,
    "group": 0.10,
    "incident": 0.10,
    "event": 0.07,
    "document": 0.07,
    "position": 0.18,
}
ACTORS = ("state", "official", "person", "institution", "group")
# relation, subject types, object types, relative frequency
RELATIONS: list[tuple[str, tuple[str, ...], tuple[str, ...], int]] = [
    ("supports_position", ACTORS, ("position",), 6),
    ("opposes_position", ACTORS, ("position",), 4),
    ("blames", ("state", "official", "institution"), ("state", "group"), 4),
    ("represents", ("official", "person"), ("state", "institution", "group"), 3),
    ("attributed_to", ("incident",), ("state", "group"), 2),
    ("targets", ("group", "state"), ("state", "institution"), 1),
    ("endorses", ("state", "institution"), ("document", "event"), 1),
    ("leads", ("official", "person"), ("institution", "group"), 1),
]
MODALITIES = ("asserted", "reported", "alleged", "implicit", "speculative")


def synthetic_graph(nodes: int, seed: int = 7) -> tuple[nx.MultiDiGraph, dict[str, str]]:
    """Return a graph of ``nodes`` entities and about ``2 * nodes`` statements, and its sources.

    The sources map source IRIs to titles, as ``render_html`` takes them.
    """
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    by_type: dict[str, list[str]] = {}
    types = list(TYPE_SHARES)
    for number in range(nodes):
        entity_type = rng.choices(types, weights=list(TYPE_SHARES.values()))[0]
        node = f"{entity_type}-{number}"
        by_type.setdefault(entity_type, []).append(node)
        graph.add_node(
            node,
            iri=f"https://example.org/apg/entity/{node}",
            label=f"{entity_type.title()} {number}",
            type=entity_type,
            description=f"A synthetic {entity_type}.",
        )
    sources = {str(source_iri(f"source-{s}")): f"Synthetic source {s}" for s in range(50)}
    source_ids = sorted(sources)
    weights = [weight for *_, weight in RELATIONS]
    for number in range(2 * nodes):
        relation, subject_types, object_types, _ = rng.choices(RELATIONS, weights=weights)[0]
        subject = _pick(rng, by_type, subject_types)
        obj = _pick(rng, by_type, object_types)
        if subject is None or obj is None:
            continue
        modality = rng.choice(MODALITIES)
        source = rng.choice(source_ids)
        statement = str(statement_iri(source.rsplit("/", 1)[-1], f"s{number}"))
        quote = f"{graph.nodes[subject]['label']} {relation.replace('_', ' ')} "
        quote += f"{graph.nodes[obj]['label']}, officials said on the record."
        graph.add_edge(
            subject,
            obj,
            key=statement,
            relation=relation,
            statement=statement,
            source=source,
            quote=quote,
            start=number * 80,
            end=number * 80 + len(quote),
            modality=modality,
            hedged=modality in ("alleged", "implicit", "speculative"),
            date=f"2020-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
        )
    return graph, sources


def _pick(rng: random.Random, by_type: dict[str, list[str]], types: tuple[str, ...]) -> str | None:
    candidates = [t for t in types if by_type.get(t)]
    if not candidates:
        return None
    return rng.choice(by_type[rng.choice(candidates)])


def timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """Return the value of ``function(*args)`` and the seconds it took."""
    start = time.perf_counter()
    value = function(*args)
    return value, time.perf_counter() - start


def write_page(graph: nx.MultiDiGraph, sources: dict[str, str], path: Path) -> None:
    """Render ``graph`` with ``render_html`` and write the page to ``path``."""
    path.write_text(render_html(graph, "Render benchmark", sources), encoding="utf-8")


def draw_seconds(browser: Any, path: Path, timeout: float) -> tuple[float | str, str]:
    """Open ``path`` in a fresh page; return the seconds until it is ready, and its physics.

    The seconds are a word instead when the page timed out or failed; physics is ``on``,
    ``off`` or ``?``.
    """
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        start = time.perf_counter()
        page.goto(path.as_uri(), timeout=timeout * 1000, wait_until="commit")
        remaining = max(1.0, timeout - (time.perf_counter() - start))
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=remaining * 1000)
        seconds = time.perf_counter() - start
        enabled = page.evaluate(
            "() => { const n = window.apgNetwork;"
            " return n && n.physics ? String(n.physics.options.enabled) : '?'; }"
        )
        return seconds, {"true": "on", "false": "off"}.get(enabled, "?")
    except Exception as error:  # a timeout or a crashed page is a figure, not a failure
        if "Timeout" in type(error).__name__:
            note = f"timeout >{timeout:.0f} s"
        else:
            note = type(error).__name__
        return note + (f" ({errors[0][:60]})" if errors else ""), "?"
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000,20000", help="node counts, comma-separated")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds to wait for drawing")
    parser.add_argument("--no-browser", action="store_true", help="skip drawing in Chromium")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]

    print(
        f"machine: {os.cpu_count()} CPUs, {platform.machine()}, {platform.system()}; "
        f"Python {platform.python_version()}; positions computed beforehand at every size"
    )
    print(
        f"targets at {TARGET_SIZE} nodes: layout + write under {TARGET_WRITE:.0f} s, "
        f"drawn under {TARGET_DRAW:.0f} s"
    )
    with tempfile.TemporaryDirectory() as folder, chromium(arguments.no_browser) as browser:
        print(
            f"{'nodes':>7} {'edges':>7}  {'layout_positions':>16}  {'render_html+write':>17}  "
            f"{'HTML MB':>7}  {'draw (ready)':>12}  {'physics':>7}  target"
        )
        for size in sizes:
            graph, sources = synthetic_graph(size)
            _, layout = timed(layout_positions, graph)
            path = Path(folder) / f"graph-{size}.html"
            _, write = timed(write_page, graph, sources, path)
            megabytes = path.stat().st_size / 1e6
            draw: float | str = "skipped"
            physics = "?"
            if browser is not None:
                draw, physics = draw_seconds(browser, path, arguments.timeout)
            drawn = f"{draw:.2f} s" if isinstance(draw, float) else draw
            verdict = ""
            if size == TARGET_SIZE:
                met = write < TARGET_WRITE and isinstance(draw, float) and draw < TARGET_DRAW
                verdict = "met" if met else "missed"
            print(
                f"{size:>7} {graph.number_of_edges():>7}  {layout:>14.2f} s  {write:>15.2f} s  "
                f"{megabytes:>7.1f}  {drawn:>12}  {physics:>7}  {verdict}",
                flush=True,
            )


@contextmanager
def chromium(skip: bool) -> Iterator[Any]:
    """Yield headless Debian Chromium driven by Playwright, or None when skipped or missing."""
    if skip or not CHROMIUM.exists():
        if not skip:
            print(f"Chromium missing at {CHROMIUM}: drawing not measured", file=sys.stderr)
        yield None
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        print(f"browser: Chromium {browser.version}, headless")
        try:
            yield browser
        finally:
            browser.close()


if __name__ == "__main__":
    main()
