"""Measure how fast `apg serve` answers a cheap query while heavy ones keep it busy.

Run: python3 benchmarks/serve_load.py [--heavy 0,2,8] [--seconds 20] [--timeout 10]

It builds the seed (``data/``, copied) into a temporary folder with ``apg build``, starts
``apg serve`` on its store, and for each number H of heavy clients runs H threads that
each send a heavy query in a loop (a count over a join of the whole graph with itself,
three times over: about 5 s alone on 2 CPUs) and one client that sends a cheap ASK in a
loop for ``--seconds`` seconds, pausing ``--pause`` seconds between two. It prints, for
the cheap query, the count of answers and of errors and the p50, p99 and maximum
latency in seconds, and for the heavy clients how many answers, timeouts (503) and other
errors they got. The target: p99 under 1 s with
two heavy clients.

With ``--bytes`` it also asks for an answer far larger than ``--max-bytes`` (12,000 rows of
50,000 characters, 600 MB) and prints the size and time of the answer it got, whether it was cut
at the byte limit, and the memory (resident set) of the worker processes before and
after, which shows a worker that grew with a large answer being replaced.

With ``--sockets N`` it also opens N idle connections and N slow ones (a header byte
every 2 s) and prints the cheap query's latency meanwhile.

Figures are wall-clock on this machine and noisy on a shared one: run it twice.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "un-gge-talks-collapse-2017"
CHEAP = "ASK { ent:russia ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { VALUES ?k { 1 2 3 } ?a ?b ?c . ?d ?e ?f }"
PADDING = "x" * 50_000
LARGE = (  # 12,000 rows of 50 kB: 600 MB unless cut
    f"SELECT ?n ?text WHERE {{ VALUES ?k {{ 1 2 3 4 }} ?n ?p ?o "
    f'BIND(CONCAT(STR(?k), "{PADDING}") AS ?text) }}'
)


@dataclass
class Tally:
    """What one kind of client got."""

    latencies: list[float] = field(default_factory=list)
    timeouts: int = 0
    errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int) -> None:
        with self.lock:
            if status == 200:
                self.latencies.append(seconds)
            elif status == 503:
                self.timeouts += 1
            else:
                self.errors += 1


def ask(base: str, sparql: str, timeout: float = 120) -> tuple[float, int, bytes, Message]:
    """POST a query; return its latency, status, body and headers."""
    request = urllib.request.Request(
        base + "/sparql",
        data=urllib.parse.urlencode({"query": sparql}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/csv"},
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
            return time.perf_counter() - started, response.status, body, response.headers
    except urllib.error.HTTPError as error:
        return time.perf_counter() - started, error.code, error.read(), error.headers
    except OSError:
        return time.perf_counter() - started, 0, b"", Message()


def start_server(store: Path, port: int, options: list[str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [sys.executable, "-m", "graph", "serve", "--store", str(store), "--port", str(port),
         *options],
        cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if ask(f"http://127.0.0.1:{port}", "ASK {}", timeout=2)[1] == 200:
            return server
        time.sleep(0.2)
    server.kill()
    raise SystemExit("apg serve did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run_load(base: str, heavy_clients: int, seconds: float, pause: float) -> tuple[Tally, Tally]:
    cheap, heavy = Tally(), Tally()
    stop = threading.Event()

    def loop(sparql: str, tally: Tally, wait: float) -> None:
        while not stop.is_set():
            latency, status, _, _ = ask(base, sparql)
            if not stop.is_set():
                tally.add(latency, status)
            stop.wait(wait)

    threads = [
        threading.Thread(target=loop, args=(HEAVY, heavy, 0), daemon=True)
        for _ in range(heavy_clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(2 if heavy_clients else 0)  # let the heavy queries take their workers
    cheap_thread = threading.Thread(target=loop, args=(CHEAP, cheap, pause), daemon=True)
    cheap_thread.start()
    time.sleep(seconds)
    stop.set()
    cheap_thread.join()
    for thread in threads:
        thread.join()
    return cheap, heavy


def measure_sockets(base: str, count: int, seconds: float, pause: float) -> None:
    """The cheap query's latency while ``count`` idle connections and ``count`` slow ones
    (a header byte every 2 s) are open."""
    port = int(base.rsplit(":", 1)[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    slow = [socket.create_connection(("127.0.0.1", port)) for _ in range(count)]
    for connection in slow:
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    stop = threading.Event()

    def drip() -> None:
        while not stop.wait(2):
            for connection in slow:
                with contextlib.suppress(OSError):
                    connection.sendall(b"X")

    dripping = threading.Thread(target=drip, daemon=True)
    dripping.start()
    try:
        cheap, _ = run_load(base, 0, seconds, pause)
    finally:
        stop.set()
        dripping.join()
        for connection in idle + slow:
            connection.close()
    times = cheap.latencies or [float("nan")]
    print(
        f"with {count} idle and {count} slow connections open: cheap query "
        f"{len(cheap.latencies)} answers, {cheap.timeouts + cheap.errors} errors, "
        f"p50 {statistics.median(times):.3f} s, p99 {percentile(times, 0.99):.3f} s"
    )


def resident_bytes(pid: int) -> int:
    """The resident memory of every process below ``pid`` (Linux /proc), in bytes."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, todo = 0, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            todo.append(child)
            try:
                pages = int(Path(f"/proc/{child}/statm").read_text().split()[1])
            except (OSError, ValueError, IndexError):
                continue
            total += pages * 4096
    return total


def measure_bytes(base: str, server: subprocess.Popen[bytes]) -> None:
    before = resident_bytes(server.pid)
    latency, status, body, headers = ask(base, LARGE)
    time.sleep(1)  # the worker that grew is replaced once it has answered
    after = resident_bytes(server.pid)
    print(
        f"large answer: HTTP {status}, {len(body):,} bytes in {latency:.2f} s, "
        f"cut at the {headers.get('APG-Truncated-By', 'no')} limit; "
        f"workers' memory {before / 2**20:.0f} MB before, {after / 2**20:.0f} MB after"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heavy", default="0,2,8", help="heavy clients, comma-separated")
    parser.add_argument("--seconds", type=float, default=20, help="how long each load runs")
    parser.add_argument(
        "--pause", type=float, default=0.05, help="seconds the cheap client waits between queries"
    )
    parser.add_argument("--timeout", type=float, default=10, help="the server's --timeout")
    parser.add_argument("--max-bytes", type=int, default=20_000_000, help="its --max-bytes")
    parser.add_argument("--bytes", action="store_true", help="also measure a large answer")
    parser.add_argument(
        "--sockets", type=int, default=0, help="also measure with this many idle and slow ones"
    )
    parser.add_argument("--port", type=int, default=7979)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="apg-serve-load-") as folder:
        data, out = Path(folder) / "data", Path(folder) / "out"
        shutil.copytree(SEED, data / SEED.name)
        subprocess.run(
            [sys.executable, "-m", "graph", "build", "--data", str(data), "--out", str(out)],
            cwd=REPO, check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        options = ["--timeout", str(arguments.timeout), "--max-bytes", str(arguments.max_bytes)]
        server = start_server(out / "store", arguments.port, options)
        base = f"http://127.0.0.1:{arguments.port}"
        try:
            alone = ask(base, HEAVY)[0]
            print(f"heavy query alone: {alone:.2f} s; cheap query: {CHEAP}")
            print("heavy  cheap: count errors    p50     p99     max   heavy: answers 503 errors")
            for clients in (int(n) for n in arguments.heavy.split(",")):
                cheap, heavy = run_load(base, clients, arguments.seconds, arguments.pause)
                times = cheap.latencies or [float("nan")]
                print(
                    f"{clients:5}  {len(cheap.latencies):12} {cheap.timeouts + cheap.errors:6} "
                    f"{statistics.median(times):6.3f}  {percentile(times, 0.99):6.3f}  "
                    f"{max(times):6.3f}   {len(heavy.latencies):14} {heavy.timeouts:3} "
                    f"{heavy.errors:6}"
                )
            if arguments.sockets:
                measure_sockets(base, arguments.sockets, arguments.seconds, arguments.pause)
            if arguments.bytes:
                measure_bytes(base, server)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
