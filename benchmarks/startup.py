"""Time how long the command line takes to start: ``apg --help``, ``import graph``, ``apg query``.

Run: python3 benchmarks/startup.py [--repeat 10]

Each command runs ``--repeat`` times in a new process, after one run that is not counted
(it writes the compiled modules, as the first run after an install does), and the table
gives the median and the slowest run in seconds, wall clock. ``apg query`` runs a bundled
query on the seed: the seed's folder is copied into a temporary data folder and built there
first, so nothing under the project's ``data/`` or ``output/`` is read or written. The
``apg`` run is the console script installed beside this Python, or ``python -m graph``
where there is none.

It also prints which heavy libraries ``import graph`` loaded (none is expected), and the
targets: ``apg --help`` under 0.3 s, ``apg query NAME`` on the seed under 0.8 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "data" / "un-gge-talks-collapse-2017"
HEAVY = ("spacy", "pyshacl", "igraph", "pyvis", "rdflib", "pyoxigraph", "networkx")
TARGETS = {"apg --help": 0.3, "apg query who-blames-whom": 0.8}


def apg_command() -> list[str]:
    """The installed ``apg`` script, else the module run by this Python."""
    script = Path(sysconfig.get_path("scripts")) / "apg"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "graph"]


def timed(command: list[str], repeat: int, cwd: Path, env: dict[str, str]) -> list[float]:
    """Wall-clock seconds of ``repeat`` runs of ``command``, after one uncounted run."""
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return times


def loaded_by_import(env: dict[str, str]) -> list[str]:
    """The heavy libraries in ``sys.modules`` after ``import graph``."""
    probe = f"import sys, graph; print(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    answer = subprocess.run(
        [sys.executable, "-c", probe], env=env, check=True, capture_output=True, text=True
    )
    return answer.stdout.split()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="counted runs of each command")
    arguments = parser.parse_args()

    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: compiled modules are kept
    apg = apg_command()
    with tempfile.TemporaryDirectory(prefix="apg-startup-") as folder:
        work = Path(folder)
        shutil.copytree(SEED, work / "data" / SEED.name)
        subprocess.run([*apg, "build"], cwd=work, env=env, check=True, capture_output=True)
        commands = {
            "apg --help": [*apg, "--help"],
            "import graph": [sys.executable, "-c", "import graph"],
            "apg query who-blames-whom": [*apg, "query", "who-blames-whom"],
            "python (nothing imported)": [sys.executable, "-c", "pass"],
        }
        print(f"{'command':<28} {'median':>8} {'slowest':>8}  target")
        for name, command in commands.items():
            times = timed(command, arguments.repeat, work, env)
            target = TARGETS.get(name)
            median = statistics.median(times)
            verdict = ""
            if target is not None:
                verdict = f"< {target} s " + ("met" if median < target else "MISSED")
            print(f"{name:<28} {median:>8.3f} {max(times):>8.3f}  {verdict}")
    heavy = loaded_by_import(env)
    print(f"import graph loads: {', '.join(heavy) if heavy else 'none of ' + ', '.join(HEAVY)}")


if __name__ == "__main__":
    main()
