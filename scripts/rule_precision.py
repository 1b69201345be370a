"""Print how often each extraction rule, and each way of finding an entity, is right.

Drafts the seed article and the two fixture articles from their web pages, and the
articles of each SPLIT_DIR given (a folder of annotated sources, such as
tests/fixtures/corpus/dev/, drafted from their article.txt as `scripts/evaluate_split.py`
drafts them: knowing no annotated entity), scores each draft against its curated
annotation, and prints, per statement rule and per way of finding an entity, the items
drafted, the share that matched, and the confidence that ``graph/extraction/confidence.py``
should give it: (matched + 1) / (drafted + 2), which keeps what was seen a few times away
from 0 and 1.

    python3 scripts/rule_precision.py
    python3 scripts/rule_precision.py tests/fixtures/corpus/dev/ --write

With ``--write`` the confidences measured replace those of ``confidence.yaml`` (a rule or
way of finding an entity that the texts never exercise keeps its value).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from graph.annotations import load_corpus, load_source
from graph.extraction.confidence import CONFIDENCE_FILE, read_confidence
from graph.extraction.draft import draft_yaml, extract_file, read_meta, write_draft
from graph.extraction.evaluation import evaluate

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
    parser.add_argument(
        "splits", metavar="SPLIT_DIR", type=Path, nargs="*", help="folders of gold sources"
    )
    parser.add_argument(
        "--write", action="store_true", help="write the confidences into confidence.yaml"
    )
    arguments = parser.parse_args()
    texts = [(page, gold, load_corpus(REPO / "data")) for page, gold in TEXTS]
    for split in arguments.splits:
        for gold in sorted(path.parent for path in split.glob("*/annotation.yaml")):
            texts.append((load_source(gold / "annotation.yaml").sources[0].text_path, gold, None))
    drafted: Counter[str] = Counter()
    matched: Counter[str] = Counter()
    found: Counter[str] = Counter()
    right: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as scratch:
        for page, gold, known in texts:
            meta = read_meta(gold / "annotation.yaml")
            draft = extract_file(page, meta, known)
            path = Path(scratch) / gold.name / "annotation.yaml"
            if known is None:
                # the gold's own text, whole, so that the offsets compare
                path.parent.mkdir()
                shutil.copyfile(page, path.parent / page.name)
                path.write_text(draft_yaml(draft, page.name, whole_file=True), encoding="utf-8")
            else:
                write_draft(draft, path)
            evaluation = evaluate(path, gold)
            corpus = load_source(path)
            for statement in corpus.statements:
                rule = (statement.note or "rule: ?").removeprefix("rule: ")
                drafted[rule] += 1
                matched[rule] += statement.id in evaluation.statement_alignment
            for entity in draft.entities:
                found[entity.found_by] += 1
                right[entity.found_by] += entity.id in evaluation.entity_alignment
    _table("statement rule", drafted, matched)
    print()
    _table("entity found by", found, right)
    if arguments.write:
        _write(_smoothed(drafted, matched), _smoothed(found, right))
        print(f"\nwritten: {CONFIDENCE_FILE}")


def _smoothed(drafted: Counter[str], matched: Counter[str]) -> dict[str, float]:
    return {key: round((matched[key] + 1) / (drafted[key] + 2), 2) for key in drafted}


def _write(rules: dict[str, float], entities: dict[str, float]) -> None:
    """Rewrite confidence.yaml: its header comment kept, each table updated and sorted."""
    old_rules, old_entities = read_confidence(CONFIDENCE_FILE)
    text = CONFIDENCE_FILE.read_text(encoding="utf-8")
    header = text[: text.index("statement_rules:")]
    lines = [header.rstrip("\n"), "statement_rules:"]
    lines += [f"  {k}: {v}" for k, v in sorted({**old_rules, **rules}.items())]
    lines.append("entities_found_by:")
    lines += [f"  {k}: {v}" for k, v in sorted({**old_entities, **entities}.items())]
    temporary = CONFIDENCE_FILE.with_suffix(".yaml.tmp")
    temporary.write_text("\n".join(lines) + "\n", encoding="utf-8")
    temporary.replace(CONFIDENCE_FILE)


def _table(what: str, drafted: Counter[str], matched: Counter[str]) -> None:
    print(f"{what:18} {'drafted':>7} {'matched':>7} {'share':>6} {'confidence':>10}")
    for key in sorted(drafted, key=lambda k: (-matched[k] / drafted[k], k)):
        share = matched[key] / drafted[key]
        confidence = (matched[key] + 1) / (drafted[key] + 2)
        print(f"{key:18} {drafted[key]:7} {matched[key]:7} {share:6.2f} {confidence:10.2f}")
    total, hits = sum(drafted.values()), sum(matched.values())
    print(f"{'all':18} {total:7} {hits:7} {hits / total:6.2f}")


if __name__ == "__main__":
    main()
