"""Time loading a source and writing Turtle, TriG and JSON-LD, beside rdflib's own writers.

Run: python3 benchmarks/serialise.py [--sizes 1000,10000] [--sources 1] [--rdflib [WRITERS]]

Each corpus is ``--sources`` synthetic sources (``benchmarks/build.py``) sharing ``size``
statements. ``load`` is ``load_corpus`` (YAML and quotes), ``yaml`` the annotation files
parsed by ``graph.inputs.read_yaml`` and ``c-yaml`` the same by PyYAML's C loader alone;
``turtle`` and ``trig`` are ``graph.turtle``'s writers, ``jsonld`` is ``graph.jsonld``'s.
With ``--rdflib`` the Turtle and TriG of rdflib's plain writers are timed too (quadratic:
minutes from 5,000 statements), and the JSON-LD of rdflib's writer as ``graph.export`` sorted
it before ``graph.jsonld``, each compared byte for byte; ``--rdflib jsonld`` times the
JSON-LD one alone. Figures are wall-clock and CPU seconds of one run each; on a shared
machine CPU time is the steadier of the two.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from rdflib.plugins.serializers.trig import TrigSerializer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import synthetic_source

from graph.annotations import load_corpus
from graph.export import serialise
from graph.inputs import read_yaml
from graph.jsonld import jsonld
from graph.namespaces import PREFIX_IRIS
from graph.rdf import build_dataset, union_graph
from graph.turtle import trig, turtle


def synthetic_corpus(folder: Path, statements: int, sources: int) -> Path:
    """A data folder of ``sources`` synthetic sources of ``statements // sources`` each."""
    data = folder / "data"
    data.mkdir()
    for number in range(sources):
        scratch = folder / f"scratch-{number}"
        synthetic_source(scratch, statements // sources, seed=number)
        source_id = f"synthetic-{number}"
        annotation = scratch / "synthetic" / "annotation.yaml"
        text = annotation.read_text(encoding="utf-8")
        annotation.write_text(text.replace("id: synthetic\n", f"id: {source_id}\n", 1), "utf-8")
        shutil.move(scratch / "synthetic", data / source_id)
    return data


def _plain_trig(dataset: Any) -> bytes:
    """rdflib's TriG writer, its named graphs sorted as graph.turtle sorts them."""
    writer = TrigSerializer(dataset)
    writer.contexts.sort(key=lambda context: str(context.identifier))
    stream = io.BytesIO()
    writer.serialize(stream, encoding="utf-8")
    return stream.getvalue()


def _plain_jsonld(graph: Any) -> bytes:
    """The JSON-LD graph.export wrote before graph.jsonld: rdflib's writer, then sorted."""
    context = dict(sorted(PREFIX_IRIS.items()))
    document = json.loads(graph.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document])
    for node in nodes:
        for key, value in node.items():
            if isinstance(value, list):
                node[key] = sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    nodes.sort(key=lambda node: str(node.get("@id", "")))
    ordered = {"@context": context, "@graph": nodes}
    return (json.dumps(ordered, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _timed(
    figures: dict[str, str], stage: str, function: Callable[..., Any], *args: Any, **options: Any
) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    value = function(*args, **options)
    figures[stage] = f"{time.perf_counter() - wall:7.2f} ({time.process_time() - cpu:6.2f})"
    return value


def measure(data: Path, label: str, rdflib_writers: set[str]) -> None:
    figures: dict[str, str] = {}
    annotations = sorted(data.glob("*/annotation.yaml"))
    _timed(
        figures,
        "c-yaml",
        lambda: [yaml.load(p.read_bytes(), yaml.CSafeLoader) for p in annotations],
    )
    _timed(figures, "yaml", lambda: [read_yaml(path) for path in annotations])
    corpus = _timed(figures, "load", load_corpus, data)
    dataset = build_dataset(corpus)
    graph = union_graph(dataset)
    written_turtle = _timed(figures, "turtle", turtle, graph)
    written_trig = _timed(figures, "trig", trig, dataset)
    written_jsonld = _timed(figures, "jsonld", jsonld, graph, PREFIX_IRIS)
    _timed(figures, "serialise", serialise, dataset, graph)
    same = ""
    if "turtle" in rdflib_writers:
        plain_turtle = _timed(
            figures, "rdflib-turtle", graph.serialize, format="turtle", encoding="utf-8"
        )
        plain_trig = _timed(figures, "rdflib-trig", _plain_trig, dataset)
        same += f"  identical={plain_turtle == written_turtle and plain_trig == written_trig}"
    if "jsonld" in rdflib_writers:
        plain_jsonld = _timed(figures, "rdflib-jsonld", _plain_jsonld, graph)
        same += f"  jsonld-identical={plain_jsonld == written_jsonld}"
    stages = "  ".join(f"{stage} {figure}" for stage, figure in figures.items())
    size = f"{len(corpus.statements):>6} statements {len(graph):>7} triples"
    print(f"{label:>16} {size}  {stages}{same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000,10000")
    parser.add_argument("--sources", type=int, default=1)
    parser.add_argument(
        "--rdflib",
        nargs="?",
        const="turtle,jsonld",
        default="",
        help="time rdflib's writers too: turtle (Turtle and TriG), jsonld, or both (default)",
    )
    options = parser.parse_args()
    print("seconds: wall (cpu)")
    for size in (int(size) for size in options.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            data = synthetic_corpus(Path(folder), size, options.sources)
            measure(data, f"synthetic-{size}", set(options.rdflib.split(",")))


if __name__ == "__main__":
    main()
