"""How a digest is made of several byte strings (graph.hashing)."""

import hashlib

from graph.annotations import source_digest
from graph.hashing import parts_digest


def test_each_part_is_hashed_after_its_length():
    stream = b"".join(len(part).to_bytes(8, "big") + part for part in (b"ab", b"", b"c"))
    assert parts_digest([b"ab", b"", b"c"]) == hashlib.sha256(stream).hexdigest()
    assert parts_digest([b"ab", b"c"]) != parts_digest([b"a", b"bc"])
    assert parts_digest([memoryview(b"ab"), b"c"]) == parts_digest([b"ab", b"c"])


def test_a_source_s_digest_is_still_that_of_its_two_texts_after_their_lengths():
    # the digest builds keep for each source (a change would take no kept source):
    # its annotation without a byte order mark, then its text, each as UTF-8
    annotation, text = b"id: tiny\n", "Caf\u00e9.".encode()
    stream = b"".join(len(part).to_bytes(8, "big") + part for part in (annotation, text))
    assert source_digest("\ufeffid: tiny\n", "Caf\u00e9.") == hashlib.sha256(stream).hexdigest()
