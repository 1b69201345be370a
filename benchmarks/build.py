"""Time each stage of `apg build` on the seed and on synthetic corpora; time whole builds.

Run: python3 benchmarks/build.py [--sizes 100,1000,5000]
     python3 benchmarks/build.py --sources 100 --statements 2000
     python3 benchmarks/build.py --validation 2000 --sources 20
     python3 benchmarks/build.py --memory 10000,30000 --sources 100

Each synthetic corpus of ``--sizes`` is one source whose text holds one sentence per
statement, with entities of every type; figures are wall-clock seconds on this machine.

With ``--sources N --statements S``, the corpus is N sources sharing S statements, each
naming entities that other sources declare; the script runs `apg build` in a new process
five times: a first build (nothing cached), a rebuild after one source was retitled
(``change_one_source``: what the others' files made comes from ``OUT/.cache/``) and a
build of the changed corpus into a new folder, then a rebuild after one statement of it
was hedged (``change_one_statement``: the statement network changes too) and another
build into a new folder; it prints each one's wall time and the largest resident set of
the build process or of any one worker, and whether each rebuild wrote the same bytes as
the new build after it. A last build, into another new folder, samples the memory of the
build process and its workers together every 250 ms and prints the peak; it is timed
too, but reading the memory of processes that large costs the kernel time, which slows
that build down.

``--validation S`` times the validation of the same corpus by the engine per source
(``validate_dataset``), by the engine over the union (``validate_graph``) and by pyshacl
over the union (``reference_report``), and says whether all three found the same.
``--memory S,...`` prints the peak memory of holding the graph as the build held it
before (the per-source dataset, a union copy, a copy with the ontology for pyshacl) and
as it does now (the dataset and a view of its union), without running pyshacl.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO

import yaml

from graph.annotations import load_corpus
from graph.explorer.render import render_html
from graph.export import serialise
from graph.networks.projection import to_networkx
from graph.ontology import load_ontology
from graph.output import CURRENT_LINK, MANIFEST
from graph.rdf import build_dataset, source_iri, union_graph, union_view
from graph.validate import reference_report, validate_dataset, validate_graph

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
        subject, obj = _ends(rng, relation, actors, positions, _official_in_range)
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


def _ends(
    rng: random.Random,
    relation: str,
    actors: int,
    positions: int,
    official: Callable[[random.Random, int], str],
) -> tuple[str, str]:
    """The subject and object of a statement of ``relation``: actors, a position for the
    position relations, an official (drawn by ``official``) representing a state."""
    subject = f"actor-{rng.randrange(actors)}"
    if relation in ("supports_position", "opposes_position"):
        return subject, f"position-{rng.randrange(positions)}"
    if relation == "represents":
        subject = official(rng, actors)
        return subject, f"actor-{rng.randrange(0, actors, 4)}"  # a state
    return subject, f"actor-{rng.randrange(actors)}"


def _official_in_range(rng: random.Random, actors: int) -> str:
    """An official (actor 4k+1), actor-1 when the draw falls past the last actor."""
    number = rng.randrange(0, actors, 4) + 1
    return f"actor-{number}" if number < actors else "actor-1"


def _official_below_last(rng: random.Random, actors: int) -> str:
    """An official (actor 4k+1) drawn among the actors before the last."""
    return f"actor-{rng.randrange(0, actors - 1, 4) + 1}"


def measure(data_dir: Path, label: str) -> None:
    timings: dict[str, float] = {}

    def timed(stage: str, function, *args):  # type: ignore[no-untyped-def]
        start = time.perf_counter()
        value = function(*args)
        timings[stage] = time.perf_counter() - start
        return value

    corpus = timed("load", load_corpus, data_dir)
    dataset = timed("build", build_dataset, corpus)
    graph = timed("union", union_view, dataset)
    report = timed("validate", validate_dataset, dataset)
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


def synthetic_corpus(folder: Path, sources: int, statements: int, seed: int = 7) -> Path:
    """Write ``sources`` synthetic sources sharing ``statements`` statements under ``folder``.

    Entity ``N`` (actor or position) is declared by source ``N`` modulo ``sources`` alone,
    and statements name any entity, so most name entities another source declares.
    """
    rng = random.Random(seed)
    actors = max(4, statements // 5)
    positions = max(2, statements // 20)
    per_source = max(1, statements // sources)
    texts: list[tuple[list[str], list[dict[str, str]]]] = []
    named: set[str] = set()
    for index in range(sources):
        sentences, coded = [], []
        for n in range(per_source):
            relation = RELATIONS[n % len(RELATIONS)]
            subject, obj = _ends(rng, relation, actors, positions, _official_below_last)
            sentence = f"Statement {index}.{n}: {subject} {relation} {obj}."
            sentences.append(sentence)
            named.update((subject, obj))
            coded.append({"id": f"s{n}", "subject": subject, "relation": relation,
                          "object": obj, "modality": "reported", "quote": sentence})  # fmt: skip
        texts.append((sentences, coded))
    for index, (sentences, coded) in enumerate(texts):
        _write_source(folder, index, sentences, coded, _declared(index, sources, named))
    return folder


def _declared(index: int, sources: int, named: set[str]) -> list[dict[str, str]]:
    """The entities source ``index`` declares: those named whose number is its own."""
    entities = []
    for entity_id in sorted(named):
        number = int(entity_id.rsplit("-", 1)[1])
        if number % sources != index:
            continue
        if entity_id.startswith("position-"):
            entities.append({"id": entity_id, "type": "position", "label": f"Position {number}"})
        else:
            kind = ACTOR_TYPES[number % 4]
            entities.append({"id": entity_id, "type": kind, "label": f"Actor {number}"})
    return entities


def _write_source(
    folder: Path, index: int, sentences: list[str], coded: list[dict[str, str]],
    entities: list[dict[str, str]],
) -> None:  # fmt: skip
    source = folder / f"source-{index:04d}"
    source.mkdir(parents=True, exist_ok=True)
    (source / "article.txt").write_text("\n".join(sentences) + "\n", encoding="utf-8")
    annotation = {
        "source": {
            "id": f"source-{index:04d}",
            "text": "article.txt",
            "title": f"Synthetic {index}",
            "url": f"https://example.org/synthetic/{index}",
            "date": "2020-01-01",
        },
        "entities": entities,
        "statements": coded,
    }
    (source / "annotation.yaml").write_text(yaml.safe_dump(annotation, sort_keys=False))


def run_build(data_dir: Path, out_dir: Path, *, sample: bool = False) -> tuple[float, float, float]:
    """Run `apg build` in a new process: its wall time (s), peak memory (MiB) and the CPU
    time (s, user and system) of the build process, its workers and the store's loader.

    This machine's speed changes within the hour; the CPU time changes less, and says
    whether a change of the code did less work.

    The peak is the largest resident set of the build process or of any one of its
    workers; with ``sample``, the largest sum, sampled every 250 ms, of the proportional
    set sizes of the build process and of the workers it forks (a page they share
    counts once in all), if that is larger.
    """
    return run_apg(["build", "--data", str(data_dir), "--out", str(out_dir)], sample=sample)


def run_apg(
    arguments: list[str], *, sample: bool = False, stdout: IO[bytes] | int = subprocess.DEVNULL
) -> tuple[float, float, float]:
    """Run `apg` with ``arguments`` in a new process, its output to ``stdout``: its wall
    time, peak memory and CPU time, as ``run_build`` gives them."""
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "graph", *arguments], stdout=stdout)
    sampled = [0]
    ended = threading.Event()

    def sampling() -> None:
        while not ended.wait(0.25):
            sampled[0] = max(sampled[0], _tree_rss(process.pid))

    sampler = threading.Thread(target=sampling, daemon=True)
    if sample:
        sampler.start()
    # waited for, not polled: the time is the process's to the millisecond
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    ended.set()
    if sample:
        sampler.join()
    if status:
        raise SystemExit(f"apg {arguments[0]} failed (status {status})")
    # a process's usage as wait4 gives it includes that of the processes it waited for
    cpu = usage.ru_utime + usage.ru_stime
    return seconds, max(sampled[0] / 2**20, usage.ru_maxrss / 1024), cpu


def _tree_rss(pid: int) -> int:
    """The memory of process ``pid`` and of all its descendants now, in bytes, each shared
    page divided among the processes that share it (Linux's proportional set size)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/smaps_rollup").read_text()
            children = Path(f"/proc/{current}/task/{current}/children").read_text().split()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1]) * 1024
        pending += [int(child) for child in children]
    return total


def change_one_source(data_dir: Path) -> None:
    """Retitle the first source: its graph changes, the others' do not."""
    annotation = sorted(data_dir.glob("*/annotation.yaml"))[0]
    document = yaml.safe_load(annotation.read_text())
    document["source"]["title"] += " (revised)"
    annotation.write_text(yaml.safe_dump(document, sort_keys=False))


def change_one_statement(data_dir: Path) -> None:
    """Hedge the first statement of the first source (a blame): its graph, the statement
    network and the blame networks change."""
    annotation = sorted(data_dir.glob("*/annotation.yaml"))[0]
    document = yaml.safe_load(annotation.read_text())
    document["statements"][0]["modality"] = "alleged"
    annotation.write_text(yaml.safe_dump(document, sort_keys=False))


def build_runs(sources: int, statements: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_corpus(Path(folder) / "data", sources, statements)
        out, fresh = Path(folder) / "out", Path(folder) / "fresh"
        label = f"{sources} sources, {statements} statements"
        _report(f"{label}: first build", *run_build(data, out))
        change_one_source(data)
        _report(f"{label}: rebuild, 1 changed", *run_build(data, out))
        _report(f"{label}: new folder build", *run_build(data, fresh))
        same = _manifest(out) == _manifest(fresh)
        print(f"{label}: rebuild and new build wrote the same bytes: {same}")
        change_one_statement(data)
        _report(f"{label}: rebuild, 1 statement changed", *run_build(data, out))
        _report(f"{label}: new folder build", *run_build(data, Path(folder) / "fresh2"))
        same = _manifest(out) == _manifest(Path(folder) / "fresh2")
        print(f"{label}: rebuild and new build wrote the same bytes: {same}")
        seconds, peak, _ = run_build(data, Path(folder) / "sampled", sample=True)
        print(f"{label}: new folder build, memory sampled {seconds:7.2f} s  peak {peak:7.0f} MiB")


def _report(what: str, seconds: float, peak: float, cpu: float) -> None:
    print(f"{what} {seconds:7.2f} s  cpu {cpu:7.2f} s  peak {peak:7.0f} MiB", flush=True)


def _manifest(out_dir: Path) -> object:
    """Every file of the current build by name, with its size and SHA-256."""
    return json.loads((out_dir / CURRENT_LINK / MANIFEST).read_text())


def validation_runs(sources: int, statements: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        corpus = load_corpus(synthetic_corpus(Path(folder), sources, statements))
        dataset = build_dataset(corpus)
        timings = {}
        reports = {}
        for name, run in (
            ("engine per source", lambda: validate_dataset(dataset)),
            ("engine over the union", lambda: validate_graph(union_view(dataset))),
            ("pyshacl over the union", lambda: reference_report(union_view(dataset))),
        ):
            start = time.perf_counter()
            reports[name] = run()
            timings[name] = time.perf_counter() - start
        same = len({report.violations for report in reports.values()}) == 1
        figures = "  ".join(f"{name} {seconds:7.2f} s" for name, seconds in timings.items())
        print(
            f"{sources} sources, {len(corpus.statements)} statements: {figures}  "
            f"same violations: {same}"
        )


def memory_run(sources: int, statements: int, held: str) -> None:
    """Hold the graph of a synthetic corpus as ``held`` says and print the peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        corpus = load_corpus(synthetic_corpus(Path(folder), sources, statements))
        dataset = build_dataset(corpus)
        copies: list[object] = []
        if held == "before":
            union = union_graph(dataset)
            data = union_graph(dataset)  # validate_graph's copy, with the ontology
            data += load_ontology()
            copies += [union, data]
        else:
            copies.append(union_view(dataset))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{statements} statements, {held}: peak {peak:7.0f} MiB", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--sources", type=int, help="sources of the synthetic corpus")
    parser.add_argument("--statements", type=int, help="whole builds of this many statements")
    parser.add_argument("--validation", type=int, help="time validation of this many")
    parser.add_argument("--memory", help="peak memory at these numbers of statements")
    parser.add_argument("--held", choices=("before", "now"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    sources = arguments.sources or 100
    if arguments.held:
        memory_run(sources, int(arguments.memory), arguments.held)
    elif arguments.memory:
        for size in arguments.memory.split(","):
            for held in ("before", "now"):
                subprocess.run(
                    [sys.executable, __file__, "--memory", size, "--sources", str(sources),
                     "--held", held],
                    check=True,
                )  # fmt: skip
    elif arguments.validation:
        validation_runs(sources, arguments.validation)
    elif arguments.statements:
        build_runs(sources, arguments.statements)
    else:
        measure(REPO / "data", "seed")
        for size in [int(size) for size in arguments.sizes.split(",")]:
            with tempfile.TemporaryDirectory() as folder:
                measure(synthetic_source(Path(folder), size), f"synthetic-{size}")


if __name__ == "__main__":
    main()
