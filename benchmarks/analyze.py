"""Time `apg analyze` on synthetic corpora, loading apart from the analysis.

Run: python3 benchmarks/analyze.py [--sizes 1000,10000] [--levels actor,state] [--validate]
     [--out FOLDER] [--commands SOURCES]

The corpora are those of ``benchmarks/build.py`` (``synthetic_source``), past
``--per-source`` statements cut into sources of that many. Stages:

- load: read the annotations, build the RDF dataset and its union graph;
- validate: the SHACL shapes (only with ``--validate``; ``apg analyze`` runs them, but
  their cost is the build's, measured by ``benchmarks/build.py``);
- project: the statement multigraph (``to_networkx``);
- camps: what the page computes, the camps of the signed network;
- analyse: ``analyse`` at each level asked for, as ``apg analyze --level`` runs it.

Each stage shows its wall-clock seconds and, in brackets, the CPU seconds of this process,
which other work on a shared machine inflates less.

With ``--commands SOURCES``, the commands instead, each in a process of its own, on the
corpus of ``benchmarks/build.py`` (``synthetic_corpus``, of SOURCES sources): ``apg
build``, then ``apg analyze`` after it (which takes the network the build kept), then
``apg analyze --no-cache`` (which reads, builds, checks and projects it all), each with
its wall time, the CPU time of its processes and its largest process, and whether the two
analyses printed the same bytes.

``analysis`` is project plus analyse at the first level: what ``apg analyze`` spends after
loading. ``--out`` writes each analysis as ``apg analyze --format json`` prints it, to
compare the outputs of two versions of the code.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar, cast

import yaml
from build import run_apg, run_build, synthetic_corpus, synthetic_source

from graph.annotations import load_corpus
from graph.networks.analysis import analyse, camps, format_analysis, signed_network
from graph.networks.discourse import Level
from graph.networks.projection import to_networkx
from graph.rdf import build_dataset, union_graph
from graph.validate import validate_graph

Value = TypeVar("Value")


def timed(timings: dict[str, list[float]], stage: str, run: Callable[[], Value]) -> Value:
    """Run ``run``, adding its wall-clock and CPU seconds to ``timings[stage]``."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = run()
    spent = timings.setdefault(stage, [0.0, 0.0])
    spent[0] += time.perf_counter() - wall
    spent[1] += time.process_time() - cpu
    return value


def measure(
    data_dir: Path, label: str, levels: list[Level], validate: bool, out: Path | None
) -> None:
    """Print one line of stage timings for the corpus under ``data_dir``."""
    timings: dict[str, list[float]] = {}
    corpus = timed(timings, "load", lambda: load_corpus(data_dir))
    graph = timed(timings, "load", lambda: union_graph(build_dataset(corpus)))
    if validate:
        report = timed(timings, "validate", lambda: validate_graph(graph))
        assert report.conforms, report.text
    network = timed(timings, "project", lambda: to_networkx(graph))
    found = timed(timings, "camps", lambda: camps(signed_network(network)))
    for level in levels:
        analysis = timed(timings, f"analyse {level}", partial(analyse, network, level))
        if out is not None:
            out.mkdir(parents=True, exist_ok=True)
            text = format_analysis(analysis, "json")
            (out / f"{label}-{level}.json").write_text(text, encoding="utf-8")
    wall, cpu = (timings["project"][n] + timings[f"analyse {levels[0]}"][n] for n in (0, 1))
    stages = "  ".join(f"{stage} {w:.2f} ({c:.2f})" for stage, (w, c) in timings.items())
    print(
        f"{label}: {len(corpus.statements)} statements, {network.number_of_nodes()} entities, "
        f"{len(found)} camps\n  {stages}\n  analysis {wall:.2f} s ({cpu:.2f} s CPU)",
        flush=True,
    )


def split_corpus(folder: Path, statements: int, per_source: int) -> Path:
    """Write the synthetic corpus of ``statements`` statements as sources of ``per_source``.

    The corpus of ``synthetic_source``, whose one annotation file the loader refuses past
    about 20,000 statements, cut into sources that each declare the entities they name:
    the same statements, so the same networks.
    """
    if statements <= per_source:
        return synthetic_source(folder, statements)
    whole = synthetic_source(folder / "whole", statements) / "synthetic"
    annotation = yaml.load((whole / "annotation.yaml").read_text(), Loader=yaml.CSafeLoader)
    entities = {entity["id"]: entity for entity in annotation["entities"]}
    coded = annotation["statements"]
    corpus = folder / "corpus"
    for number, first in enumerate(range(0, len(coded), per_source)):
        part = coded[first : first + per_source]
        named = sorted({s["subject"] for s in part} | {s["object"] for s in part})
        source = corpus / f"synthetic-{number}"
        source.mkdir(parents=True)
        text = "\n".join(s["quote"] for s in part) + "\n"
        (source / "article.txt").write_text(text, encoding="utf-8")
        document = {
            "source": {**annotation["source"], "id": f"synthetic-{number}"},
            "entities": [entities[entity] for entity in named],
            "statements": part,
        }
        dumped = yaml.dump(document, Dumper=yaml.CSafeDumper, sort_keys=False)
        (source / "annotation.yaml").write_text(dumped, encoding="utf-8")
    shutil.rmtree(folder / "whole")
    return corpus


def command_runs(statements: int, sources: int) -> None:
    """Print the figures of ``apg build`` and of ``apg analyze`` after it and without it."""
    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_corpus(Path(folder) / "data", sources, statements)
        out = Path(folder) / "out"
        label = f"{sources} sources, {statements} statements"
        _report(f"{label}: apg build", *run_build(data, out))
        printed = []
        for what, options in (("after the build", []), ("--no-cache", ["--no-cache"])):
            path = Path(folder) / f"analysis-{len(printed)}.txt"
            with path.open("wb") as stream:
                figures = run_apg(
                    ["analyze", "--data", str(data), "--build-cache", str(out), *options],
                    stdout=stream,
                )
            _report(f"{label}: apg analyze, {what}", *figures)
            printed.append(path.read_bytes())
        print(f"{label}: the two analyses printed the same bytes: {printed[0] == printed[1]}")


def _report(what: str, seconds: float, peak: float, cpu: float) -> None:
    print(f"{what} {seconds:7.2f} s  cpu {cpu:7.2f} s  peak {peak:7.0f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--levels", default="actor,state")
    parser.add_argument("--validate", action="store_true", help="time the SHACL shapes too")
    parser.add_argument("--out", type=Path, help="write each analysis as JSON here")
    parser.add_argument(
        "--per-source", type=int, default=10000, help="statements per source of a large corpus"
    )
    parser.add_argument(
        "--commands",
        type=int,
        metavar="SOURCES",
        help="time apg build and apg analyze on a corpus of SOURCES sources instead",
    )
    arguments = parser.parse_args()
    levels = [cast(Level, level) for level in arguments.levels.split(",")]
    if arguments.commands:
        for size in (int(size) for size in arguments.sizes.split(",")):
            command_runs(size, arguments.commands)
        return
    for size in (int(size) for size in arguments.sizes.split(",")):
        with tempfile.TemporaryDirectory() as folder:
            source = split_corpus(Path(folder), size, arguments.per_source)
            measure(source, f"synthetic-{size}", levels, arguments.validate, arguments.out)


if __name__ == "__main__":
    main()
