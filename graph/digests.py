"""The SHA-256 of each source's graph, made once and shared by the processes of a build.

A build keys three caches by the digest of each named graph's triples: the shapes'
violations (``graph.validate.ValidationCache``), the texts of Turtle, TriG and JSON-LD
(``graph.fragments``) and the store before (``graph.sparql.previous``). The digest
writes every triple as N-Triples and sorts the lines, about 1.6 s for a corpus of
30,000 statements; the pieces that need it run in different worker processes. A
``SharedDigests`` made before the workers are forked is a board they all see: each
digest a piece makes is put on it, and a piece that needs one takes it from there when
another piece has made it already, and makes it (and puts it) when not.
"""

from __future__ import annotations

import hashlib
import mmap
from collections.abc import Callable, Iterable

from rdflib import Graph

from .rdf import each_triple, whole_graph
from .shacl import ntriples_line

__all__ = ["SharedDigests", "digest_function", "graph_digest", "lines_digest", "sorted_lines"]


def graph_digest(graph: Graph) -> str:
    """The SHA-256 of ``graph``'s triples, one line of N-Triples each, sorted (hexadecimal)."""
    return lines_digest(sorted_lines(graph))


def sorted_lines(graph: Graph) -> list[str]:
    """``graph``'s triples as lines of N-Triples, sorted; ``BuiltInPart`` for a graph
    built in part (see ``graph.rdf.build_dataset``)."""
    return sorted(map(ntriples_line, each_triple(whole_graph(graph))))


def lines_digest(lines: Iterable[str]) -> str:
    """The SHA-256 of the lines ``sorted_lines`` gives (hexadecimal)."""
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return digest.hexdigest()


_DIGEST = 32
_CHECK = 8
_SLOT = _DIGEST + _CHECK


class SharedDigests:
    """The digests of the graphs ``names``, shared with the processes forked after it.

    The board is memory shared by this process and those it forks (an anonymous
    shared mapping), a slot for each graph. A slot holds the digest and a check of it:
    a slot still empty, or read while another process writes it, fails the check and is
    read as no digest, so no process ever takes a wrong one, whatever the order in
    which the processor makes the writes of another process seen.
    """

    def __init__(self, names: Iterable[str]) -> None:
        self._slots = {name: number for number, name in enumerate(sorted(set(names)))}
        self._board = mmap.mmap(-1, max(1, len(self._slots)) * _SLOT)

    def get(self, name: str) -> str | None:
        """The digest of the graph ``name`` put on the board, or None."""
        slot = self._slots.get(name)
        if slot is None:
            return None
        start = slot * _SLOT
        held = self._board[start : start + _SLOT]
        digest, check = held[:_DIGEST], held[_DIGEST:]
        if check != _check(digest):
            return None
        return digest.hex()

    def put(self, name: str, digest: str) -> None:
        """Put the digest (hexadecimal) of the graph ``name`` on the board; a graph the
        board has no slot for is left out."""
        slot = self._slots.get(name)
        if slot is None:
            return
        raw = bytes.fromhex(digest)
        if len(raw) != _DIGEST:
            raise ValueError(f"not a SHA-256: {digest!r}")
        start = slot * _SLOT
        self._board[start : start + _SLOT] = raw + _check(raw)

    def of(self, graph: Graph) -> str:
        """The digest of ``graph``: from the board, or made (and put on it)."""
        name = str(graph.identifier)
        found = self.get(name)
        if found is None:
            found = graph_digest(graph)
            self.put(name, found)
        return found


def digest_function(digests: SharedDigests | None) -> Callable[[Graph], str]:
    """How a piece finds a graph's digest: on the board ``digests`` where there is one
    (``SharedDigests.of``), else made (``graph_digest``)."""
    return graph_digest if digests is None else digests.of


def _check(digest: bytes) -> bytes:
    return hashlib.sha256(b"apg digest slot " + digest).digest()[:_CHECK]
