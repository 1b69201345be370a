"""The ``apg`` command: a thin layer over the library."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .errors import BuildError, ValidationError
from .pipeline import build

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="apg", description="Build a knowledge graph of actors and their positions."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    build_cmd = commands.add_parser(
        "build", help="build the graph of every annotated source and write it to the output"
    )
    build_cmd.add_argument("--data", default="data", help="folder of annotated sources")
    build_cmd.add_argument("--out", default="output", help="folder to write the graph to")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    arguments = _parser().parse_args(argv)
    try:
        if arguments.command == "build":
            result = build(arguments.data, arguments.out)
            print(
                f"built {len(result.corpus.sources)} source(s), "
                f"{len(result.corpus.entities)} entities, "
                f"{len(result.corpus.statements)} statements, {len(result.graph)} triples"
            )
            for name in sorted(result.files):
                print(f"wrote {result.files[name]}")
    except ValidationError as error:
        print(f"apg: error: {error}", file=sys.stderr)
        if len(error.violations) > 1:
            for violation in error.violations:
                print(f"  {violation}", file=sys.stderr)
        return 1
    except BuildError as error:
        print(f"apg: error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
