"""How a digest is made of several byte strings: each after its length, so that no two
sequences of them give the same stream to hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from typing import cast

__all__ = ["joined_digest", "parts_digest"]


def parts_digest(parts: Iterable[bytes]) -> str:
    """The SHA-256 (hexadecimal) of ``parts``, each after its length in eight bytes
    (big-endian).

    >>> parts_digest([b"ab", b"c"]) == parts_digest([b"a", b"bc"])
    False
    """
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def joined_digest(head: bytes, *parts: tuple[bytes, Sequence[str | None]]) -> str | None:
    """The SHA-256 (hexadecimal) of ``head`` and of the digests (hexadecimal) of each
    part, joined after the part's mark; None where one of them is None (a value no digest
    is made of).

    >>> joined_digest(b"", (b"E", ["ab", None])) is None
    True
    """
    digest = hashlib.sha256(head)
    for mark, digests in parts:
        if None in digests:
            return None
        digest.update(mark + "".join(cast(Sequence[str], digests)).encode())
    return digest.hexdigest()
