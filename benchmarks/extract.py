"""Time `apg extract`: loading the spaCy pipeline, then drafting a 1,000-word article.

Run: python3 benchmarks/extract.py [--runs 5] [--words 1000]
     python3 benchmarks/extract.py --long [--chars 900000] [--line-chars 200000] [--cap 900]
     python3 benchmarks/extract.py --batch [--articles 200] [--jobs 1,2]

The long article is made of the paragraphs of the seed article body and of the two fixture
article bodies (tests/fixtures/sources), taken in turn until it has ``--words`` words (the
last paragraph cut to fit); the seed page (tests/fixtures/pages) is then drafted as given,
page boilerplate and all. Each extraction runs ``--runs`` times with the pipeline already
loaded; the figures are wall-clock seconds on this machine, best and median, and words per
second of the best run. "parse" is spaCy alone (``nlp(body)``), the rest of an extraction
is finding mentions and applying the statement rules.

``--long`` drafts, once each and each in a process of its own (so that its peak memory is
its own), two long inputs: an article of ``--chars`` characters of varied prose (the
paragraphs of the three bodies in a shuffled order, copy after copy, each copy with other
people, states, years and figures), and one line of ``--line-chars`` characters that
repeats the seed's first three paragraphs over and over. It prints the seconds of
each stage (spaCy's parse, the rest of ``extract``, writing the draft's YAML with its
quotes made unique), words per second, the statements drafted and written, and the peak
resident memory of the process. A run that takes longer than ``--cap`` seconds is stopped
and reported as such. ``--chars`` takes a comma-separated list to show how time grows.

``--batch`` compares drafting a corpus (``graph.extraction.batch.draft_corpus``, what
``apg extract FOLDER`` runs) with spaCy's bare ``nlp.pipe`` on the same texts:
``--articles`` generated articles (each one of the three bodies, its paragraphs shuffled and
its people, states, years and figures renamed, under a headline and a date), written to a
folder, drafted into a copy of ``data/``. Each run is a process of its own with
``OMP_NUM_THREADS=1``, the pipeline loaded before the clock starts; ``--jobs`` lists the
process counts (``nlp.pipe(n_process=N)`` against ``--jobs N``). It prints seconds,
articles per second and the ratio of the two, whose target is 1.3 at most.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import Any

import yaml

import graph.extraction.draft
from graph.annotations import load_corpus
from graph.extraction.article import Article, read_article
from graph.extraction.draft import draft_yaml, extract, extract_file, read_meta
from graph.extraction.gazetteer import base_gazetteer
from graph.extraction.language import load_pipeline, model_name, parse

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


FIRST_NAMES = (
    "Aino", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas",
    "Kofi", "Lena", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sven", "Tamar",
    "Ulrich", "Vera", "Wanjiru", "Xavier", "Yusuf", "Zofia",
)  # fmt: skip
SURNAMES = (
    "Almeida", "Berger", "Castell", "Dorn", "Eklund", "Ferreira", "Gallo", "Hartmann",
    "Ivanova", "Jansen", "Kowalski", "Lindqvist", "Mensah", "Novak", "Okafor", "Petrov",
    "Quist", "Rossi", "Sato", "Tanaka", "Urbina", "Varga", "Weber", "Yilmaz", "Zeller",
)  # fmt: skip

STATES = (
    "Russia", "China", "Cuba", "Israel", "Estonia", "Finland", "Poland", "Netherlands",
    "Germany", "Switzerland", "Brazil", "France", "Egypt",
)  # fmt: skip
OTHER_STATES = (
    "Argentina", "Australia", "Austria", "Belgium", "Canada", "Chile", "Colombia", "Denmark",
    "Ghana", "Greece", "India", "Indonesia", "Ireland", "Italy", "Japan", "Kenya", "Latvia",
    "Lithuania", "Mexico", "Morocco", "Nigeria", "Norway", "Peru", "Portugal", "Senegal",
    "Singapore", "Spain", "Sweden", "Thailand", "Tunisia", "Uruguay", "Vietnam",
)  # fmt: skip


def _people() -> list[tuple[str, list[str]]]:
    """The people of the three annotated bodies: each label with the names it shortens to."""
    people: dict[str, list[str]] = {}
    annotations = [SEED_DIR / "annotation.yaml", *sorted(FIXTURE_SOURCES.glob("*/annotation.yaml"))]
    for path in annotations:
        for entity in yaml.safe_load(path.read_text(encoding="utf-8"))["entities"]:
            if entity["type"] in ("person", "official") and entity["label"][:1].isupper():
                words = entity["label"].split()
                if len(words) in (2, 3):
                    people.setdefault(entity["label"], [words[-1], words[0]])
    return sorted(people.items())


def varied_text(chars: int) -> str:
    """About ``chars`` characters of prose from the seed and fixture bodies, not one passage
    repeated: each copy of the bodies shuffles their paragraphs and renames their people,
    states, years and figures."""
    bodies = [SEED_DIR / "article.txt", *sorted(FIXTURE_SOURCES.glob("*/article.txt"))]
    paragraphs = [
        [p.strip() for p in body.read_text(encoding="utf-8").split("\n") if p.strip()]
        for body in bodies
    ]
    people = _people()
    taken: list[str] = []
    size = 0
    copy = 0
    while size < chars:
        rng = random.Random(copy)
        renamed = _renaming(copy, people, rng)
        for body in paragraphs:
            order = body[:1] + rng.sample(body[1:], len(body) - 1)
            for paragraph in map(renamed, order):
                taken.append(paragraph)
                size += len(paragraph) + 2
        copy += 1
    text = "\n\n".join(taken)
    return text[: text.rfind("\n\n", 0, chars)] + "\n"


def _renaming(
    copy: int, people: list[tuple[str, list[str]]], rng: random.Random
) -> Callable[[str], str]:
    """What copy number ``copy`` of the bodies calls each person and state, as a function
    that renames them (and changes years and figures) in a paragraph."""
    names: dict[str, str] = {}
    for index, (label, short) in enumerate(people):
        first = FIRST_NAMES[(copy * 7 + index) % len(FIRST_NAMES)]
        last = SURNAMES[(copy * 11 + index * 3) % len(SURNAMES)]
        if copy >= len(SURNAMES):
            last += f"-{SURNAMES[copy % len(SURNAMES)]}"
        names[label] = f"{first} {last}"
        names.setdefault(short[0], last)
        names.setdefault(short[1], first)
    for state, other in zip(STATES, rng.sample(OTHER_STATES, len(STATES)), strict=True):
        names[state] = other
    pattern = re.compile(
        r"\b(" + "|".join(map(re.escape, sorted(names, key=len, reverse=True))) + r")\b"
    )

    def figure(match: re.Match[str]) -> str:
        number = int(match[0])
        return str(number - copy % 9 if len(match[0]) == 4 else number + copy)

    def renamed(paragraph: str) -> str:
        return re.sub(r"\b\d+\b", figure, pattern.sub(lambda m: names[m[1]], paragraph))

    return renamed


def repeated_line(chars: int) -> str:
    """One line of about ``chars`` characters: the seed's first three paragraphs over and
    over."""
    body = (SEED_DIR / "article.txt").read_text(encoding="utf-8")
    paragraphs = [" ".join(p.split()) for p in body.split("\n") if p.strip()]
    unit = " ".join(paragraphs[:3]) + " "
    return (unit * (chars // len(unit) + 1))[:chars].rsplit(". ", 1)[0] + ".\n"


class TimedParse:
    """``graph.extraction.language.parse``, adding up the seconds its parses take."""

    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self, nlp: Any, text: str) -> Any:
        start = time.perf_counter()
        doc = parse(nlp, text)
        self.seconds += time.perf_counter() - start
        return doc


def long_run(kind: str, chars: int) -> None:
    """Draft one long input and print its figures on one line (in a process of its own)."""
    text = varied_text(chars) if kind == "prose" else repeated_line(chars)
    load_pipeline()
    pipeline = TimedParse()
    graph.extraction.draft.parse = pipeline  # type: ignore[attr-defined]  # extract parses with it
    corpus = load_corpus(REPO / "data")
    base_gazetteer()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    meta = {"id": f"long-{kind}", "date": dt.date(2023, 3, 10)}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"long-{kind}.txt"
        path.write_text(text, encoding="utf-8")
        start = time.perf_counter()
        draft = extract_file(path, meta, corpus)
        extracted = time.perf_counter()
        written = draft_yaml(draft, "article.txt")
        end = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    words = len(draft.article.body.split())
    kept = written.count("\n  note: ")
    print(
        f"{len(text):>9,} chars {words:>7,} words  total {end - start:7.1f} s "
        f"({words / (end - start):6,.0f} words/s): parse {pipeline.seconds:6.1f} s, "
        f"rest of extract {extracted - start - pipeline.seconds:6.1f} s, "
        f"draft YAML {end - extracted:6.1f} s; {len(draft.statements):,} statements, "
        f"{kept:,} written; peak memory {peak / 1024:,.0f} MB "
        f"({(peak - before) / 1024:,.0f} MB over the loaded pipeline)",
        flush=True,
    )


def long_inputs(sizes: list[int], line_chars: int, cap: float) -> None:
    """Run ``long_run`` for each input in a child process, stopped after ``cap`` seconds."""
    runs = [("prose", size) for size in sizes] + [("line", line_chars)] * (line_chars > 0)
    for kind, chars in runs:
        label = "varied prose" if kind == "prose" else "one repeated line"
        print(f"{label}: ", end="", flush=True)
        command = [sys.executable, __file__, "--long-run", kind, "--chars", str(chars)]
        try:
            subprocess.run(command, timeout=cap, check=True)
        except subprocess.TimeoutExpired:
            print(f"{chars:>9,} chars: stopped after {cap:.0f} s, not finished", flush=True)
        except subprocess.CalledProcessError as error:
            print(f"{chars:>9,} chars: failed with exit status {error.returncode}", flush=True)


def batch_articles(folder: Path, count: int) -> list[Path]:
    """Write ``count`` generated articles into ``folder``: article ``i`` is body ``i % 3``
    of the seed and fixture bodies, renamed as copy ``i`` (see ``varied_text``)."""
    bodies = [SEED_DIR / "article.txt", *sorted(FIXTURE_SOURCES.glob("*/article.txt"))]
    paragraphs = [
        [p.strip() for p in body.read_text(encoding="utf-8").split("\n") if p.strip()]
        for body in bodies
    ]
    people = _people()
    paths = []
    for index in range(count):
        rng = random.Random(index)
        renamed = _renaming(index, people, rng)
        body = paragraphs[index % len(paragraphs)]
        order = body[:1] + rng.sample(body[1:], len(body) - 1)
        date = dt.date(2020, 1, 1) + dt.timedelta(days=index)
        text = f"Generated article {index}\n\n{date:%d %B %Y}\n\n"
        text += "\n\n".join(map(renamed, order)) + "\n"
        path = folder / f"article-{index:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def batch_run(kind: str, folder: Path, jobs: int) -> None:
    """Time one way of going through the articles of ``folder`` and print it on one line
    (in a process of its own): ``pipe`` parses their bodies with ``nlp.pipe``, ``batch``
    drafts them into a copy of ``data/``."""
    import shutil

    from graph.extraction.batch import draft_corpus

    nlp = load_pipeline()
    paths = sorted(folder.glob("*.txt"))
    if kind == "pipe":
        bodies = [read_article(path).body for path in paths]
        start = time.perf_counter()
        docs = list(nlp.pipe(bodies, n_process=jobs))
        seconds = time.perf_counter() - start
        words = sum(len(doc) for doc in docs)
        label = f"nlp.pipe, n_process={jobs}"
        detail = f"{words:,} tokens"
    else:
        with tempfile.TemporaryDirectory() as scratch:
            data = Path(scratch) / "data"
            shutil.copytree(REPO / "data", data)
            start = time.perf_counter()
            batch = draft_corpus([folder], data, jobs=jobs)
            seconds = time.perf_counter() - start
        label = f"draft_corpus, jobs={jobs}"
        detail = f"{len(batch.drafted)} drafted, {len(batch.failures)} failed"
    print(
        f"  {label:<26} {len(paths)} articles {seconds:7.2f} s "
        f"{len(paths) / seconds:6.2f} articles/s ({detail})",
        flush=True,
    )
    print(f"RESULT {seconds}", flush=True)


def batch_comparison(count: int, jobs_list: list[int]) -> None:
    """Run ``batch_run`` for bare ``nlp.pipe`` and for ``draft_corpus`` at each process
    count, each in a child process, and print the ratio."""
    import os

    environment = {**os.environ, "OMP_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        paths = batch_articles(folder, count)
        words = sum(len(read_article(path).body.split()) for path in paths)
        print(f"{count} generated articles, {words:,} words of body in all (OMP_NUM_THREADS=1):")
        for jobs in jobs_list:
            seconds = {}
            for kind in ("pipe", "batch"):
                command = [sys.executable, __file__, "--batch-run", kind, "--folder", str(folder),
                           "--jobs", str(jobs)]  # fmt: skip
                completed = subprocess.run(
                    command, env=environment, capture_output=True, text=True, check=True
                )
                for line in completed.stdout.splitlines():
                    if line.startswith("RESULT "):
                        seconds[kind] = float(line.split()[1])
                    else:
                        print(line, flush=True)
            ratio = seconds["batch"] / seconds["pipe"]
            print(f"  {jobs} process{'es' * (jobs > 1)}: drafting takes {ratio:.2f} times "
                  "nlp.pipe's time (target: 1.3 at most)", flush=True)  # fmt: skip


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
    parser.add_argument("--long", action="store_true", help="draft the two long inputs")
    parser.add_argument(
        "--chars", default="900000", help="characters of varied prose (a comma-separated list)"
    )
    parser.add_argument(
        "--line-chars", type=int, default=200_000, help="characters of the repeated line (0: none)"
    )
    parser.add_argument("--cap", type=float, default=900, help="seconds before a run is stopped")
    parser.add_argument("--long-run", choices=["prose", "line"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--batch", action="store_true", help="compare batch drafting with bare nlp.pipe"
    )
    parser.add_argument("--articles", type=int, default=200, help="articles of --batch")
    parser.add_argument("--jobs", default="1,2", help="process counts of --batch (a list)")
    parser.add_argument("--batch-run", choices=["pipe", "batch"], help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.batch_run:
        batch_run(arguments.batch_run, Path(arguments.folder), int(arguments.jobs))
        return
    if arguments.batch:
        batch_comparison(arguments.articles, [int(jobs) for jobs in arguments.jobs.split(",")])
        return
    sizes = [int(size) for size in arguments.chars.split(",")]
    if arguments.long_run:
        long_run(arguments.long_run, sizes[0])
        return
    if arguments.long:
        long_inputs(sizes, arguments.line_chars, arguments.cap)
        return
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
