"""Print how often each extraction rule's statements match a curated annotation.

Drafts the seed article and the two fixture articles from their web pages, scores each
draft against its curated annotation, and prints, per rule, the statements drafted and
the share that matched, and the confidence that ``graph/extract.py`` gives the rule:
(matched + 1) / (drafted + 2), which keeps a rule seen a few times away from 0 and 1.

    python3 scripts/rule_precision.py
"""

from __future__ import annotations

import argparse
import tempfile
from collections import Counter
from pathlib import Path

from graph.annotations import load_corpus, load_source
from graph.evaluate import evaluate
from graph.extract import extract_file, read_meta, write_draft

REPO = Path(__file__).resolve().parent.parent
PAGES = REPO / "tests" / "fixtures" / "pages"
TEXTS = [
    (PAGES / f"{gold.name}.txt", gold)
    for gold in [
        REPO / "data" / "un-gge-talks-collapse-2017",
        *sorted((REPO / "tests" / "fixtures" / "sources").iterdir()),
    ]
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args()
    drafted: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    known = load_corpus(REPO / "data")
    with tempfile.TemporaryDirectory() as scratch:
        for page, gold in TEXTS:
            meta = read_meta(gold / "annotation.yaml")
            draft = extract_file(page, meta, known)
            path = Path(scratch) / gold.name / "annotation.yaml"
            write_draft(draft, path)
            evaluation = evaluate(path, gold)
            corpus = load_source(path)
            for statement in corpus.statements:
                rule = (statement.note or "rule: ?").removeprefix("rule: ")
                drafted[rule] += 1
                matched[rule] += statement.id in evaluation.statement_alignment
    print(f"{'rule':18} {'drafted':>7} {'matched':>7} {'share':>6} {'confidence':>10}")
    for rule in sorted(drafted, key=lambda r: (-matched[r] / drafted[r], r)):
        share = matched[rule] / drafted[rule]
        confidence = (matched[rule] + 1) / (drafted[rule] + 2)
        print(f"{rule:18} {drafted[rule]:7} {matched[rule]:7} {share:6.2f} {confidence:10.2f}")
    total, hits = sum(drafted.values()), sum(matched.values())
    print(f"{'all':18} {total:7} {hits:7} {hits / total:6.2f}")


if __name__ == "__main__":
    main()
