"""Time writing the networks as GraphML and GEXF, by NetworkX and by graph.networks.xmlwriters.

Run: python3 benchmarks/networks.py [--statements 10000] [--sources 100]

The corpus is ``--sources`` synthetic sources sharing ``--statements`` statements
(``benchmarks/build.py``'s ``synthetic_corpus``), projected with ``to_networkx``. Every
network ``network_files`` writes (the statement multigraph and the six networks at both
levels) is flattened once; then each format is written by NetworkX, as ``exchange`` wrote
it before, and by ``xmlwriters``, and the script says whether the bytes are the same.
Figures are wall-clock and CPU seconds of one run each, over all the networks; the last
line times ``network_files`` whole (all four formats, projections included).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from build import synthetic_corpus

from graph.annotations import load_corpus
from graph.networks import exchange, xmlwriters
from graph.networks.projection import to_networkx
from graph.rdf import build_dataset, union_view


def timed(write: Callable[[nx.Graph], bytes], networks: list[nx.Graph]) -> tuple[list[bytes], str]:
    wall, cpu = time.perf_counter(), time.process_time()
    written = [write(network) for network in networks]
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return written, f"{wall:7.2f} s wall {cpu:7.2f} s CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=10_000)
    parser.add_argument("--sources", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = synthetic_corpus(Path(folder) / "data", args.sources, args.statements)
        statements = to_networkx(union_view(build_dataset(load_corpus(data))))
    networks = [statements] + [
        project(statements, level)
        for level in ("actor", "state")
        for project in exchange.NETWORKS.values()
    ]
    flattened = [exchange.flat(network) for network in networks]
    print(
        f"{args.statements} statements, {args.sources} sources: {len(flattened)} networks, "
        f"{sum(len(n) for n in flattened)} nodes, "
        f"{sum(n.number_of_edges() for n in flattened)} edges"
    )
    writers = (
        ("graphml", exchange._networkx_graphml, xmlwriters.graphml),
        ("gexf", exchange._networkx_gexf, xmlwriters.gexf),
    )
    for name, before, now in writers:
        old, old_time = timed(before, flattened)
        new, new_time = timed(now, flattened)
        size = sum(map(len, new)) / 1e6
        print(f"{name:>8}  networkx {old_time}  xmlwriters {new_time}  {size:6.1f} MB  "
              f"same bytes: {old == new}")  # fmt: skip
    _, files_time = timed(exchange.network_files, [statements])
    print(f"network_files (four formats) {files_time}")


if __name__ == "__main__":
    main()
