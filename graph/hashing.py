"""How a digest is made of several byte strings: each after its length, so that no two
sequences of them give the same stream to hash."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

__all__ = ["parts_digest"]


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
