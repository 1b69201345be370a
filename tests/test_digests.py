"""The digests of each source's graph, shared by the processes of a build (graph.digests)."""

import hashlib
import multiprocessing

import pytest
from rdflib import Dataset, Literal
from rdflib.namespace import RDFS

import graph
from graph import digests as digests_module
from graph.digests import (
    SharedDigests,
    digest_function,
    graph_digest,
    lines_digest,
    sorted_lines,
)
from graph.namespaces import ENT, SRC
from tests.factories import three_tiny_sources


def _graph(label: str):
    dataset = Dataset()
    named = dataset.graph(SRC["one"])
    named.add((ENT.ruritania, RDFS.label, Literal(label)))
    named.add((ENT.freedonia, RDFS.label, Literal("Freedonia")))
    return named


def test_a_graph_s_digest_is_that_of_its_sorted_n_triples_lines():
    named = _graph("Ruritania")
    lines = [
        f'<{ENT.freedonia}> <{RDFS.label}> "Freedonia" .\n',
        f'<{ENT.ruritania}> <{RDFS.label}> "Ruritania" .\n',
    ]
    assert sorted_lines(named) == lines
    assert graph_digest(named) == hashlib.sha256("".join(lines).encode()).hexdigest()
    assert lines_digest(lines) == graph_digest(named)


def test_a_digest_put_on_the_board_is_the_one_taken():
    board = SharedDigests(["urn:a", "urn:b"])
    assert board.get("urn:a") is None
    digest = hashlib.sha256(b"a").hexdigest()
    board.put("urn:a", digest)
    assert board.get("urn:a") == digest
    assert board.get("urn:b") is None
    board.put("urn:unknown", digest)  # no slot: left out
    assert board.get("urn:unknown") is None


def test_a_slot_written_only_in_part_is_read_as_no_digest():
    board = SharedDigests(["urn:a"])
    digest = hashlib.sha256(b"a").hexdigest()
    board.put("urn:a", digest)
    board._board[3:4] = bytes([board._board[3] ^ 1])  # as if read in the middle of a write
    assert board.get("urn:a") is None


def test_a_digest_that_is_no_sha256_is_refused():
    with pytest.raises(ValueError, match="not a SHA-256"):
        SharedDigests(["urn:a"]).put("urn:a", "abcd")


def _put_in_child(board: SharedDigests, name: str, digest: str) -> None:
    board.put(name, digest)


def test_a_digest_put_by_a_forked_process_is_seen_by_its_parent():
    board = SharedDigests([str(SRC["one"])])
    digest = graph_digest(_graph("Ruritania"))
    child = multiprocessing.get_context("fork").Process(
        target=_put_in_child, args=(board, str(SRC["one"]), digest)
    )
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert board.get(str(SRC["one"])) == digest


def test_of_makes_a_missing_digest_once_and_puts_it(monkeypatch):
    named = _graph("Ruritania")
    board = SharedDigests([str(named.identifier)])
    made = []
    monkeypatch.setattr(digests_module, "graph_digest", lambda g: made.append(g) or graph_digest(g))
    assert board.of(named) == graph_digest(named)
    assert board.of(named) == graph_digest(named)
    assert len(made) == 1


def test_a_piece_takes_a_digest_from_the_board_where_there_is_one():
    named = _graph("Ruritania")
    board = SharedDigests([str(named.identifier)])
    board.put(str(named.identifier), "ab" * 32)  # what another process put
    assert digest_function(board)(named) == "ab" * 32
    assert digest_function(None)(named) == graph_digest(named)


def test_a_build_makes_each_graph_s_digest_once(make_source, tmp_path, monkeypatch):
    # the checks make the digests; the writers of the kept texts take them from the board
    data = three_tiny_sources(make_source)
    made = []
    # the writers find a digest through digests_module (digest_function)
    monkeypatch.setattr(digests_module, "graph_digest", lambda g: made.append(g) or graph_digest(g))
    for out in ("out", "out"):  # a first build, then a rebuild that takes the texts
        graph.build(data, tmp_path / out, jobs=1)
    assert made == []
