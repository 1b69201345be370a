"""Time each stage of `apg build` on the seed and on synthetic corpora.

Run: python3 benchmarks/build.py [--sizes 100,1000,5000]

Each synthetic corpus is one source whose text holds one sentence per statement, with
entities of every type; figures are wall-clock seconds on this machine.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

import yaml

from graph.annotations import load_corpus
from graph.explorer.render import render_html
from graph.export import serialise
from graph.networks.projection import to_networkx
from graph.rdf import build_dataset, source_iri, union_graph
from graph.validate import validate_graph

REPO = Path(__file__).resolve().parent.parent
ACTOR_TYPES = ("state", "official", "institution", "group")
RELATIONS = ("blames", "supports_position", "opposes_position", "represents")


def synthetic_source(folder: Path, statements: int, seed: int = 7) -> Path:
    """Write a synthetic annotated source with ``statements`` statements under ``folder``."""
    rng = random.Random(seed)
    actors = max(4, statements // 5)
    positions = max(2, statements // 20)
    entities = [
        {"id": f"actor-{i}", "type": ACTOR_TYPES[i % 4], "label": f"Actor {i}"}
        for i in range(actors)
    ] + [
        {"id": f"position-{i}", "type": "position", "label": f"Position {i}"}
        for i in range(positions)
    ]
    sentences, coded = [], []
    for n in range(statements):
        relation = RELATIONS[n % len(RELATIONS)]
        subject = f"actor-{rng.randrange(actors)}"
        if relation in ("supports_position", "opposes_position"):
            obj = f"position-{rng.randrange(positions)}"
        elif relation == "represents":
            subject = f"actor-{rng.randrange(0, actors, 4) + 1}"  # an official
            subject = subject if int(subject.split("-")[1]) < actors else "actor-1"
            obj = f"actor-{rng.randrange(0, actors, 4)}"  # a state
        else:
            obj = f"actor-{rng.randrange(actors)}"
        sentence = f"Statement {n}: {subject} {relation} {obj}."
        sentences.append(sentence)
        coded.append(
            {
                "id": f"s{n}",
                "subject": subject,
                "relation": relation,
                "object": obj,
                "modality": "reported",
                "quote": sentence,
            }
        )
    source = folder / "synthetic"
    source.mkdir(parents=True)
    (source / "article.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    annotation = {
        "source": {
            "id": "synthetic",
            "text": "article.txt",
            "title": "Synthetic",
            "url": "https://example.org/synthetic",
            "date": "2020-01-01",
        },
        "entities": entities,
        "statements": coded,
    }
    (source / "annotation.yaml").write_text(yaml.safe_dump(annotation, sort_keys=False))
    return folder


def measure(data_dir: Path, label: str) -> None:
    timings: dict[str, float] = {}

    def timed(stage: str, function, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = function(*args)
        timings[stage] = time.perf_counter() - start
        return value

    corpus = timed("load", load_corpus, data_dir)
    dataset = timed("build", build_dataset, corpus)
    graph = timed("union", union_graph, dataset)
    report = timed("validate", validate_graph, graph)
    files = timed("serialise", serialise, dataset, graph)
    titles = {str(source_iri(s.id)): s.title for s in corpus.sources}
    network = timed("project", to_networkx, graph)
    html = timed("render", render_html, network, "benchmark", titles)
    total = sum(timings.values())
    stages = "  ".join(f"{stage} {seconds:6.2f}" for stage, seconds in timings.items())
    size = sum(len(content) for content in files.values()) + len(html)
    print(
        f"{label:>14}  {len(corpus.statements):>6} statements {len(graph):>7} triples  "
        f"{stages}  total {total:6.2f} s  output {size / 1e6:5.1f} MB  "
        f"conforms={report.conforms}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    measure(REPO / "data", "seed")
    for size in sizes:
        with tempfile.TemporaryDirectory() as folder:
            measure(synthetic_source(Path(folder), size), f"synthetic-{size}")


if __name__ == "__main__":
    main()
