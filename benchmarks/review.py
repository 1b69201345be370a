"""Time opening a large annotation file for review and writing an accept to disk.

Run: python3 benchmarks/review.py [--statements 3000] [--repeat 9] [--browser]

The source is ``benchmarks/build.py``'s synthetic one, its statements marked as drafts
(``reviewed: false``, a confidence), as ``apg extract`` writes them. Figures are the
median wall-clock time of ``--repeat`` runs on this machine: ``open`` is
``AnnotationFile.open``, ``accept`` one ``accept`` from the call to the file renamed on
disk (each run accepts another statement).

With ``--browser`` (Debian's Chromium at /usr/bin/chromium, driven by Playwright), the
app is served on loopback and the page is timed as a coder meets it: ``page`` from
asking for the source's page until every statement is listed and highlighted, the file
read from scratch (first open) and from the app's copy (reload); ``key a`` from the key
press until the file on disk holds the accept.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import synthetic_source

from graph.annotations import load_source
from graph.review import AnnotationFile


def drafted(path: Path) -> None:
    """Mark every statement of the annotation ``path`` as an unreviewed draft."""
    lines = []
    for line in path.read_text(encoding="utf-8").splitlines(keepends=True):
        lines.append(line)
        if line.startswith("  quote: "):
            lines += ["  reviewed: false\n", "  confidence: 0.6\n"]
    path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--browser", action="store_true", help="also time the page in Chromium")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_source(Path(folder), arguments.statements)
        path = data / "synthetic" / "annotation.yaml"
        drafted(path)
        size = path.stat().st_size
        opened, accepted = [], []
        annotation = AnnotationFile.open(path, data_dir=data)
        ids = [statement["id"] for statement in annotation.statements()]
        for run in range(arguments.repeat):
            start = time.perf_counter()
            annotation = AnnotationFile.open(path, data_dir=data)
            opened.append(time.perf_counter() - start)
            start = time.perf_counter()
            annotation.accept(ids[(run * 337) % len(ids)], coder="benchmark")
            accepted.append(time.perf_counter() - start)
        start = time.perf_counter()
        corpus = load_source(path)
        loaded = time.perf_counter() - start
        print(
            f"{len(corpus.statements)} statements, {size / 1e6:.2f} MB: "
            f"open {statistics.median(opened) * 1000:.0f} ms, "
            f"accept on disk {statistics.median(accepted) * 1000:.1f} ms "
            f"(median of {arguments.repeat}); load_source {loaded * 1000:.0f} ms"
        )
        if arguments.browser:
            in_browser(data, path, arguments.repeat)


def in_browser(data: Path, path: Path, repeat: int) -> None:
    """Time the page's first open, its reload, and the key ``a`` until the file is saved."""
    import threading

    import waitress
    from playwright.sync_api import sync_playwright

    from graph.review import create_app

    token = "benchmark" * 4
    server = waitress.create_server(
        create_app(data, coder="benchmark", token=token), host="127.0.0.1", port=0
    )
    threading.Thread(target=server.run, daemon=True).start()
    address = f"http://127.0.0.1:{server.effective_port}/source/synthetic?token={token}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            listed = "() => document.querySelectorAll('#statements li').length > 0"
            opened, reloaded, pressed = [], [], []
            for run in range(repeat):
                path.touch()  # the app reads the file again, as on a first open
                start = time.perf_counter()
                page.goto(address) if run == 0 else page.reload()
                page.wait_for_function(listed)
                opened.append(time.perf_counter() - start)
                start = time.perf_counter()
                page.reload()
                page.wait_for_function(listed)
                reloaded.append(time.perf_counter() - start)
                page.select_option("#filter-reviewed", "unreviewed")
                page.keyboard.press("j")  # the first draft
                before = path.stat().st_mtime_ns
                start = time.perf_counter()
                page.keyboard.press("a")
                while path.stat().st_mtime_ns == before:
                    if time.perf_counter() - start > 30:
                        message = page.text_content("#message")
                        raise SystemExit(f"the accept did not reach the file in 30 s ({message})")
                    time.sleep(0.001)
                pressed.append(time.perf_counter() - start)
            browser.close()
    finally:
        server.close()
    print(
        f"in Chromium: page {statistics.median(opened) * 1000:.0f} ms (file read afresh), "
        f"{statistics.median(reloaded) * 1000:.0f} ms (reload); key a to the file on disk "
        f"{statistics.median(pressed) * 1000:.1f} ms (median of {repeat})"
    )


if __name__ == "__main__":
    main()
