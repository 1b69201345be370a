"""Time the stages of one `apg build` and each piece its workers run.

Run: python3 benchmarks/stages.py --sources 100 --statements 30000 [--rebuild]

Builds the corpus of ``benchmarks/build.py`` (``synthetic_corpus``) once, as
``apg build`` does (``graph.cli.main``, in this process), and prints when reading the
sources, building the dataset, the run of the workers (the shapes' pieces, then the
outputs: Turtle and TriG, the page with the networks, JSON-LD) and the end came, in
seconds from the start, and when each piece began and ended in which worker. With
``--rebuild``, the build timed is the one after a first build and a change of one source:
its title, or with ``--edit statement`` the modality of one of its statements.
"""

from __future__ import annotations

import argparse
import gc
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from build import change_one_source, change_one_statement, synthetic_corpus

import graph.checked as checked
from graph import forked
from graph.cli import main as apg

START = time.perf_counter()


def since() -> float:
    return time.perf_counter() - START


def instrument(
    marks: list[tuple[str, float]], spans: list[tuple[int, int, float, float, float]]
) -> None:
    """Wrap what the build calls so that each stage and piece leaves its times."""
    load, build, run_all = checked.load_corpus, checked.build_dataset, forked.run_all

    def timed_load(*arguments: Any, **options: Any) -> Any:
        marks.append(("read the sources", since()))
        found = load(*arguments, **options)
        marks.append(("sources read", since()))
        return found

    def timed_build(*arguments: Any, **options: Any) -> Any:
        found = build(*arguments, **options)
        marks.append(("dataset built", since()))
        return found

    def timed_run_all(
        work: list[Callable[[], Any]], jobs: Any = None, *, check: Any = None, then: Any = None
    ) -> Any:
        def piece(index: int, run: Callable[[], Any]) -> Callable[[], Any]:
            def timed() -> Any:
                began, cpu = since(), time.process_time()
                result = run()
                return result, (index, os.getpid(), began, since(), time.process_time() - cpu)

            return timed

        def seen(index: int, result: Any) -> None:
            spans.append(result[1])
            if check is not None:
                check(index, result[0])

        def timed_then() -> list[Callable[[], Any]]:
            more = then()
            return [piece(len(work) + n, run) for n, run in enumerate(more)]

        marks.append(("workers start", since()))
        timed = [piece(n, run) for n, run in enumerate(work)]
        results = run_all(timed, jobs, check=seen, then=None if then is None else timed_then)
        marks.append(("workers done", since()))
        return [result for result, _ in results]

    checked.load_corpus, checked.build_dataset, checked.run_all = (
        timed_load,
        timed_build,
        timed_run_all,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--statements", type=int, default=30000)
    parser.add_argument(
        "--rebuild", action="store_true", help="time a rebuild after changing one source"
    )
    parser.add_argument(
        "--edit",
        choices=("title", "statement"),
        default="title",
        help="with --rebuild: retitle the source, or hedge one of its statements",
    )
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_corpus(Path(folder) / "data", arguments.sources, arguments.statements)
        if arguments.rebuild:
            if apg(["build", "--data", str(data), "--out", str(Path(folder) / "out")]):
                raise SystemExit("apg build failed")
            (change_one_source if arguments.edit == "title" else change_one_statement)(data)
        marks: list[tuple[str, float]] = []
        spans: list[tuple[int, int, float, float, float]] = []
        instrument(marks, spans)
        global START
        START, cpu = time.perf_counter(), time.process_time()
        # as `apg` runs it: the collector left off at the end (see graph.cli.main)
        code = apg(["build", "--data", str(data), "--out", str(Path(folder) / "out")], ending=True)
        marks.append(("build ended", since()))
        marks.append(("its CPU, this process", time.process_time() - cpu))
        gc.freeze()  # as `apg` ends: no last collection of the graph
    if code:
        raise SystemExit(f"apg build failed ({code})")
    for index, worker, began, ended, cpu in sorted(spans, key=lambda span: span[2]):
        spent = ended - began
        print(
            f"piece {index:2d}  worker {worker}  {began:7.2f} to {ended:7.2f}"
            f"  ({spent:.2f} s, CPU {cpu:.2f} s)"
        )
    for label, at in marks:
        print(f"{label:18s} {at:7.2f} s")


if __name__ == "__main__":
    main()
