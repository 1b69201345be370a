"""Time `apg extract`: loading the spaCy pipeline, then drafting a 1,000-word article.

Run: python3 benchmarks/extract.py [--runs 5] [--words 1000]

The long article is made of the paragraphs of the seed article body and of the two fixture
article bodies (tests/fixtures/sources), taken in turn until it has ``--words`` words (the
last paragraph cut to fit); the seed page (tests/fixtures/pages) is then drafted as given,
page boilerplate and all. Each extraction runs ``--runs`` times with the pipeline already
loaded; the figures are wall-clock seconds on this machine, best and median, and words per
second of the best run. "parse" is spaCy alone (``nlp(body)``), the rest of an extraction
is finding mentions and applying the statement rules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import Any

from graph.annotations import load_corpus
from graph.article import Article, read_article
from graph.extract import extract, extract_file, read_meta
from graph.gazetteer import base_gazetteer
from graph.language import load_pipeline, model_name

REPO = Path(__file__).resolve().parent.parent
SEED_ID = "un-gge-talks-collapse-2017"
SEED_DIR = REPO / "data" / SEED_ID
SEED_PAGE = REPO / "tests" / "fixtures" / "pages" / f"{SEED_ID}.txt"
FIXTURE_SOURCES = REPO / "tests" / "fixtures" / "sources"


def long_article(words: int) -> Article:
    """An article of exactly ``words`` words from the seed and fixture bodies, in turn."""
    bodies = [SEED_DIR / "article.txt", *sorted(FIXTURE_SOURCES.glob("*/article.txt"))]
    paragraphs = [
        [p.strip() for p in body.read_text(encoding="utf-8").split("\n") if p.strip()]
        for body in bodies
    ]
    taken: list[str] = []
    count = 0
    for row in zip_longest(*paragraphs):
        for paragraph in (p for p in row if p):
            wanted = words - count
            if wanted <= 0:
                break
            tokens = paragraph.split()
            if len(tokens) > wanted:
                paragraph = " ".join(tokens[:wanted]).rstrip(",;:") + "."
                tokens = tokens[:wanted]
            taken.append(paragraph)
            count += len(tokens)
    if count < words:
        raise SystemExit(f"the bodies hold only {count} words; ask for fewer")
    text = "\n\n".join(taken) + "\n"
    return Article(Path("benchmark-article.txt"), text, 0, len(text.rstrip()), None)


def timed(function: Callable[[], Any], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        seconds.append(time.perf_counter() - start)
    return seconds


def report(label: str, words: int, seconds: list[float]) -> None:
    best, median = min(seconds), statistics.median(seconds)
    print(
        f"{label:<34} {words:>6} words  best {best:6.3f} s  median {median:6.3f} s  "
        f"{words / best:8,.0f} words/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per extraction (default 5)")
    parser.add_argument("--words", type=int, default=1000, help="words in the long article")
    arguments = parser.parse_args()
    runs = max(1, arguments.runs)

    start = time.perf_counter()
    nlp = load_pipeline()
    print(f"pipeline load ({model_name()}, once): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    base_gazetteer()
    corpus = load_corpus(REPO / "data")
    print(f"gazetteer and annotated sources (once): {time.perf_counter() - start:.2f} s")

    article = long_article(arguments.words)
    words = len(article.body.split())
    meta = {"id": "benchmark-article", "date": dt.date(2023, 3, 10)}
    start = time.perf_counter()
    draft = extract(article, meta, corpus)
    print(
        f"first extraction (warm-up, not counted): {time.perf_counter() - start:.2f} s; "
        f"{len(draft.entities)} entities, {len(draft.statements)} statements"
    )
    print(f"{runs} runs each:")
    report("  parse only (spaCy)", words, timed(lambda: nlp(article.body), runs))
    report(
        f"  extraction, {arguments.words:,}-word article",
        words,
        timed(lambda: extract(article, meta, corpus), runs),
    )

    seed_meta = read_meta(SEED_DIR / "annotation.yaml")
    seed = read_article(SEED_PAGE)
    seed_words = len(seed.body.split())
    report("  parse only (spaCy), seed body", seed_words, timed(lambda: nlp(seed.body), runs))
    report(
        "  extraction, seed page as given",
        seed_words,
        timed(lambda: extract_file(SEED_PAGE, seed_meta, corpus), runs),
    )


if __name__ == "__main__":
    main()
