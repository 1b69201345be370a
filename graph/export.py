"""Serialise the graph to files, atomically: a file is either the old one or the new one."""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Callable, Mapping
from functools import partial
from pathlib import Path
from typing import BinaryIO

from rdflib import Dataset, Graph

from .jsonld import write_jsonld
from .namespaces import PREFIX_IRIS
from .output import new_file_mode
from .turtle import write_trig, write_turtle

__all__ = ["serialise", "serialisers", "stage_file", "stream_writers", "write_files"]


def serialise(dataset: Dataset, graph: Graph) -> dict[str, bytes]:
    """Return the Turtle, TriG and JSON-LD serialisations, keyed by file name.

    ``graph`` is the union of the dataset's named graphs. Every serialisation is
    byte-stable: the same graph gives the same bytes in any run. Turtle and TriG are
    rdflib's bytes, written in time linear in the graph (see ``graph.turtle``); JSON-LD
    is the document of rdflib's JSON-LD writer, sorted (see ``graph.jsonld``).
    """
    files: dict[str, bytes] = {}
    for write in serialisers(dataset, graph):
        files.update(write())
    return files


def serialisers(dataset: Dataset, graph: Graph) -> list[Callable[[], dict[str, bytes]]]:
    """The writers of ``serialise``, one a file, to run one after the other or at once."""
    return [
        partial(_written, name, write) for name, write in stream_writers(dataset, graph).items()
    ]


def stream_writers(dataset: Dataset, graph: Graph) -> dict[str, Callable[[BinaryIO], None]]:
    """The files of ``serialise`` by name, each as the function that writes it into a
    binary stream as it is made (``graph.output.stage_stream`` takes them)."""
    return {
        "graph.ttl": partial(write_turtle, graph),
        "graph.trig": partial(write_trig, dataset),
        "graph.jsonld": partial(write_jsonld, graph, PREFIX_IRIS),
    }


def _written(name: str, write: Callable[[BinaryIO], None]) -> dict[str, bytes]:
    stream = io.BytesIO()
    write(stream)
    return {name: stream.getvalue()}


def stage_file(path: Path, content: bytes) -> Path:
    """Write ``content`` to a temporary file beside ``path`` and return it, for a rename.

    The file gets the permissions of a new file (``mkstemp``'s 0600 is for secrets); on
    failure it is removed.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, new_file_mode())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_files(out_dir: Path | str, files: Mapping[str, bytes]) -> dict[str, Path]:
    """Write each file to a temporary name in ``out_dir``, then rename them into place.

    Names may hold folders (``networks/blame.csv``). Nothing is renamed until every file
    has been written, so a failure leaves ``out_dir`` as it was (temporary files are
    removed). Returns the written paths keyed by name.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: dict[Path, tuple[str, Path]] = {}
    try:
        for name, content in files.items():
            final = out_dir / name
            final.parent.mkdir(parents=True, exist_ok=True)
            staged[stage_file(final, content)] = (name, final)
        for temporary, (_, final) in staged.items():
            os.replace(temporary, final)
    finally:
        for leftover in staged:
            leftover.unlink(missing_ok=True)
    return {name: final for name, final in staged.values()}
