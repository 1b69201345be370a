"""Draft every article of a split with `apg extract` and score the drafts against its gold.

For each source folder of SPLIT_DIR (such as tests/fixtures/corpus/test/), the text its
annotation names (article.txt) is drafted as a new user would: `apg extract ARTICLE
--meta GOLD/annotation.yaml --data EMPTY`. Of the gold annotation only the `source`
fields are read (id, title, url, date, ...); `--data` is an empty folder, so no entity
that any annotation declares is known beyond the bundled gazetteer (states and
international bodies). The draft names the whole article as its text, a copy of the
gold's, so the two are compared offset for offset even where `apg extract` leaves lines
out of the body. Then `apg evaluate OUT SPLIT_DIR` scores the drafts and prints the
per-source rows and the totals.

Nothing is written into SPLIT_DIR: the drafts go to --out (a new or empty folder outside
it), by default a temporary folder removed at the end.

    python3 scripts/evaluate_split.py tests/fixtures/corpus/test/
    python3 scripts/evaluate_split.py tests/fixtures/sources/ --out /tmp/drafts --format json
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from graph.annotations import ANNOTATION_FILE, load_source
from graph.cli import main as apg
from graph.errors import BuildError


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", metavar="SPLIT_DIR", type=Path, help="folder of gold sources")
    parser.add_argument("--out", type=Path, help="a new or empty folder for the drafts")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--model", metavar="NAME", help="an installed spaCy pipeline")
    arguments = parser.parse_args(argv)
    try:
        with _drafts_folder(arguments.split, arguments.out) as out:
            for gold in sorted(arguments.split.glob(f"*/{ANNOTATION_FILE}")):
                _draft(gold, out / gold.parent.name, arguments.model)
            print(f"drafts in {out}", file=sys.stderr)
            return apg(["evaluate", str(out), str(arguments.split), "--format", arguments.format])
    except BuildError as error:
        print(f"evaluate_split: error: {error}", file=sys.stderr)
        return 1


@contextlib.contextmanager
def _drafts_folder(split: Path, out: Path | None) -> Iterator[Path]:
    """The folder to write the drafts to: ``out``, checked, or a temporary one."""
    if not split.is_dir():
        raise BuildError(f"{split}: not a folder")
    if out is None:
        with tempfile.TemporaryDirectory(prefix="apg-drafts-") as temporary:
            yield Path(temporary)
        return
    inside = Path(os.path.realpath(out))
    if inside.is_relative_to(os.path.realpath(split)):
        raise BuildError(f"{out}: inside {split}; the drafts must go elsewhere")
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BuildError(f"{out}: not a new or empty folder")
    out.mkdir(parents=True, exist_ok=True)
    yield out


def _draft(gold: Path, folder: Path, model: str | None) -> None:
    """Draft the text of the gold annotation ``gold`` into ``folder`` with `apg extract`."""
    text = load_source(gold).sources[0].text_path
    folder.mkdir(parents=True)
    shutil.copyfile(text, folder / text.name)
    with tempfile.TemporaryDirectory(prefix="apg-no-data-") as empty:
        argv = ["extract", str(folder / text.name), "--meta", str(gold), "--data", empty]
        if model:
            argv += ["--model", model]
        printed, said = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(said):
            status = apg(argv)
    for line in said.getvalue().splitlines():
        print(f"{folder.name}: {line}", file=sys.stderr)
    if status:
        raise BuildError(f"{gold}: apg extract failed (exit status {status})")
    (folder / ANNOTATION_FILE).write_text(printed.getvalue(), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
