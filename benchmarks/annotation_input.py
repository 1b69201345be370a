"""Time and memory of loading hostile annotations: the alias bomb, a large file, the seed.

Run: python3 benchmarks/annotation_input.py

The alias bomb of issue 12 (9 levels of 9 aliases in a statement's ``when``) is refused at
its first alias; a 15 MB annotation (under the 16 MB limit) is parsed and refused at its
first unknown field, once as one long value and once as 2 MB of short list items (the
slowest shape for YAML: each item is a node); the seed is loaded for comparison. Figures
are wall-clock seconds and the peak of memory that Python allocated (tracemalloc, which
slows Python down) on this machine, one run each.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

from graph.annotations import load_corpus
from graph.errors import AnnotationError

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "un-gge-talks-collapse-2017"


def _source(folder: Path, annotation: str, text: str) -> Path:
    (folder / "data" / "one").mkdir(parents=True)
    (folder / "data" / "one" / "annotation.yaml").write_text(annotation, encoding="utf-8")
    (folder / "data" / "one" / "article.txt").write_text(text, encoding="utf-8")
    return folder / "data"


def alias_bomb(levels: int = 9, width: int = 9) -> str:
    """The seed's annotation with a statement's ``when`` expanding to width**levels items."""
    lines = ["  - &l0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [
        f"  - &l{level} [" + ", ".join([f"*l{level - 1}"] * width) + "]"
        for level in range(1, levels)
    ]
    document = yaml.safe_load((SEED / "annotation.yaml").read_text(encoding="utf-8"))
    document["statements"][0]["when"] = "WHEN"
    return yaml.safe_dump(document, sort_keys=False).replace(
        "  when: WHEN\n", "  when:\n" + "\n".join(lines) + "\n", 1
    )


def large_annotation(megabytes: int = 15, item: str = "") -> str:
    """The seed's annotation padded with one unknown field of ``megabytes`` MB: one long
    value, or a flow list of ``item`` repeated."""
    annotation = (SEED / "annotation.yaml").read_text(encoding="utf-8")
    size = megabytes * 1024 * 1024
    if item:
        return annotation + "padding: [" + f"{item}, " * (size // (len(item) + 2)) + "]\n"
    return annotation + "padding: " + "x" * size + "\n"


def measure(name: str, load: Callable[[], object]) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        load()
        outcome = "loaded"
    except AnnotationError as error:
        outcome = f"refused ({len(str(error))} characters: {str(error)[-60:]!r})"
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"{name:<28} {seconds:8.3f} s  {peak / 1e6:8.1f} MB  {outcome}")


def main() -> None:
    text = (SEED / "article.txt").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        bomb = _source(Path(folder) / "bomb", alias_bomb(), text)
        large = _source(Path(folder) / "large", large_annotation(), text)
        dense = _source(Path(folder) / "dense", large_annotation(2, item="x"), text)
        measure("alias bomb (9 x 9 levels)", lambda: load_corpus(bomb))
        measure("15 MB annotation, one value", lambda: load_corpus(large))
        measure("2 MB of short list items", lambda: load_corpus(dense))
        measure("seed", lambda: load_corpus(SEED.parent))


if __name__ == "__main__":
    main()
