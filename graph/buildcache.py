"""The build cache: what a build computed, kept in ``OUT/.cache/`` for the next build.

Entries are addressed by a key made of the hashes of all that decides them (see
``graph.validate.ValidationCache``), so an entry is either right for what asks for it or
never asked for. Each file holds its key and the SHA-256 of its content: a file that is
cut short, edited or renamed is read as missing, and the work is done again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import mmap
import os
import re
import secrets
from collections.abc import Iterable, Sequence
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, cast

from .ontology import ontology_dir
from .output import new_file_mode
from .resources import PACKAGE

__all__ = [
    "CACHE_DIR",
    "EntryFolder",
    "cache_folder",
    "code_digest",
    "is_sha256",
    "read_headed",
    "read_headed_mapped",
    "read_keyed",
    "read_keyed_mapped",
    "write_keyed",
    "write_whole",
]

CACHE_DIR = ".cache"
"""The cache's folder inside the output folder; builds switch in beside it and keep it."""
_KEY = re.compile(r"\A[0-9a-f]{64}\Z")


def is_sha256(value: object) -> bool:
    """Whether ``value`` is a SHA-256 as the cache writes one: 64 lowercase hexadecimal
    digits (an entry's key, or a digest an entry holds)."""
    return isinstance(value, str) and _KEY.match(value) is not None


def cache_folder(out_dir: Path | str, name: str) -> Path:
    """The folder of the cache ``name`` (``validation``, ...) of the output folder."""
    return Path(out_dir) / CACHE_DIR / name


class EntryFolder:
    """JSON documents kept one a file, by key (64 hexadecimal digits), in ``folder``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def read(self, key: str) -> Any:
        """The document kept under ``key``, or None when there is none or it is damaged.

        The SHA-256 is checked against the bytes of the content as written, before they
        are parsed: the content is never written again to be checked."""
        if not is_sha256(key):
            return None
        try:
            raw = (self.folder / f"{key}.json").read_bytes()
        except OSError:
            return None
        head = _entry_head(key, "")
        start = len(head) + 64 + len(_CONTENT)
        if not (
            raw.startswith(head)
            and raw.startswith(_CONTENT, start - len(_CONTENT))
            and raw.endswith(_END)
        ):
            return None
        payload = raw[start : -len(_END)]
        if hashlib.sha256(payload).hexdigest().encode() != raw[len(head) : len(head) + 64]:
            return None
        try:
            return json.loads(payload)
        except ValueError:
            return None

    def write(self, key: str, content: Any) -> None:
        """Keep ``content`` under ``key``, whole or not at all; a failure is ignored.

        The file is a JSON document: the key, the SHA-256 of the content's bytes as
        written after it, and the content."""
        if not is_sha256(key):
            raise ValueError(f"not a cache key: {key!r}")
        payload = json.dumps(content, ensure_ascii=False, sort_keys=True).encode()
        head = _entry_head(key, hashlib.sha256(payload).hexdigest())
        write_whole(self.folder / f"{key}.json", [head, _CONTENT, payload, _END])

    def keep_only(self, keys: Iterable[str]) -> None:
        """Remove every entry but those of ``keys`` (and what unfinished writes left)."""
        kept = {f"{key}.json" for key in keys}
        try:
            names = [path.name for path in self.folder.iterdir()]
        except OSError:
            return
        for name in names:
            if name not in kept:
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()


def write_whole(path: Path, data: bytes | Sequence[bytes]) -> None:
    """Write ``data`` (or its pieces, one after the other) as the file ``path`` (and its
    folder), whole or not at all: into a new file beside it, then renamed. A failure is
    ignored: a cache that cannot be written costs the next command time, never a wrong
    answer."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, new_file_mode())
        with os.fdopen(descriptor, "wb") as stream:
            for piece in [data] if isinstance(data, bytes) else data:
                stream.write(piece)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()


def write_keyed(path: Path, payload: bytes | Sequence[bytes]) -> None:
    """``write_whole`` of ``payload`` (or its pieces) after a first line that holds the
    file's key (its name but the suffix) and the SHA-256 of the rest, for
    ``read_keyed``."""
    pieces = [payload] if isinstance(payload, bytes) else list(payload)
    digest = hashlib.sha256()
    for piece in pieces:
        digest.update(piece)
    header = {"key": path.stem, "sha256": digest.hexdigest()}
    write_whole(path, [json.dumps(header).encode() + b"\n", *pieces])


def read_keyed(path: Path) -> bytes | None:
    """What ``write_keyed`` wrote as ``path``: None where the file is missing, or its
    first line does not hold its key and the SHA-256 of the rest (a file cut short or
    edited, or another's)."""
    found = read_headed(path, key=path.stem)
    return None if found is None else found[1]


def read_keyed_mapped(path: Path) -> memoryview | None:
    """``read_keyed``, mapped in memory (see ``read_headed_mapped``)."""
    found = read_headed_mapped(path, key=path.stem)
    return None if found is None else found[1]


def read_headed(path: Path, **expected: str) -> tuple[dict[str, Any], bytes] | None:
    """The first line of the file ``path``, a JSON object, and the rest of the file,
    where that object holds the SHA-256 of the rest and each of ``expected`` (name and
    value); else None: the file missing, cut short or edited, or another's."""
    found = _headed(path, expected, mapped=False)
    return None if found is None else (found[0], cast(bytes, found[1]))


def read_headed_mapped(path: Path, **expected: str) -> tuple[dict[str, Any], memoryview] | None:
    """``read_headed``, the rest of the file mapped in memory rather than read (an index
    of tens of megabytes is read in part); the files a build keeps are replaced, never
    written over, so the mapping holds what was checked."""
    found = _headed(path, expected, mapped=True)
    return None if found is None else (found[0], cast(memoryview, found[1]))


def _headed(
    path: Path, expected: dict[str, str], *, mapped: bool
) -> tuple[dict[str, Any], bytes | memoryview] | None:
    payload: bytes | memoryview
    try:
        with path.open("rb") as stream:
            header = json.loads(stream.readline())
            if mapped:
                start = stream.tell()
                payload = memoryview(mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ))
                payload = payload[start:]
            else:
                payload = stream.read()
    except (OSError, ValueError):
        return None
    if not isinstance(header, dict):
        return None
    if any(header.get(name) != value for name, value in expected.items()):
        return None
    if header.get("sha256") != hashlib.sha256(payload).hexdigest():
        return None
    return header, payload


@cache
def code_digest() -> str:
    """The SHA-256 of all that turns the sources into what a build makes besides the
    sources: the package's files, the ontology, and the versions of the libraries it
    uses. An entry made by other code is never taken."""
    digest = hashlib.sha256()
    for folder in (PACKAGE, ontology_dir()):
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(f"{path.relative_to(folder).as_posix()}\n".encode())
                digest.update(path.read_bytes())
    for package in ("rdflib", "networkx", "pyyaml", "pyoxigraph", "actor-position-graph"):
        try:
            digest.update(f"{package} {version(package)}\n".encode())
        except PackageNotFoundError:
            digest.update(f"{package} -\n".encode())
    return digest.hexdigest()


def _entry_head(key: str, sha256: str) -> bytes:
    """The first bytes of an entry: its key, and the SHA-256 of its content (read: empty)."""
    return f'{{"key": "{key}", "sha256": "{sha256}'.encode()


_CONTENT = b'", "content": '
_END = b"}\n"
