"""Serialise the graph to files, atomically: a file is either the old one or the new one."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from rdflib import Dataset, Graph

from .namespaces import PREFIX_IRIS
from .output import new_file_mode
from .turtle import trig, turtle

__all__ = ["serialise", "stage_file", "write_files"]


def serialise(dataset: Dataset, graph: Graph) -> dict[str, bytes]:
    """Return the Turtle, TriG and JSON-LD serialisations, keyed by file name.

    ``graph`` is the union of the dataset's named graphs. Every serialisation is
    byte-stable: the same graph gives the same bytes in any run. Turtle and TriG are
    rdflib's bytes, written in time linear in the graph (see ``graph.turtle``).
    """
    return {
        "graph.ttl": turtle(graph),
        "graph.trig": trig(dataset),
        "graph.jsonld": _jsonld(graph),
    }


def _jsonld(graph: Graph) -> bytes:
    """Serialise as compacted JSON-LD with nodes and values in a stable order.

    rdflib's writer emits nodes in hash order, so the document is re-sorted here.
    """
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
