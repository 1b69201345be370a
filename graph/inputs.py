"""Read what comes in through ``data/``: files that stay in their folder, YAML without aliases.

A source text or an annotation file is read only when it is a regular file whose real
path (symlinks followed) lies inside the folder it must stay in, and when it is no larger
than a limit. YAML is read without aliases, so a small file cannot expand into a huge
document, and with line numbers on its mappings. ``illegal_character`` finds what XML 1.0
cannot carry, which no label or text may hold since the graph is written as XML too.
"""

from __future__ import annotations

import errno
import importlib
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import AnnotationError, shown

__all__ = [
    "MAX_YAML_BYTES",
    "MAX_YAML_NODES",
    "RefusedFile",
    "YamlMapping",
    "character_name",
    "illegal_character",
    "line_and_column",
    "parse_yaml",
    "read_inside",
    "read_yaml",
    "read_yaml_text",
    "reference_problem",
]

MAX_YAML_BYTES = 16 * 1024 * 1024
"""The largest YAML file read (the seed's annotation is 63 kB)."""
MAX_YAML_NODES = 250_000
"""The most values (scalars, lists and mappings) a YAML file may hold: the seed's
annotation holds 2,641 for 113 statements. Each costs Python about 400 bytes and 13 µs,
so this bounds a file of many short values to about 100 MB and a few seconds, where 16 MB
of them would take two gigabytes."""

# XML 1.0's Char production leaves out these code points; lone surrogates come from
# YAML escapes such as "\ud800" (UTF-8 decoding refuses them in a file)
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CHARACTER_NAMES = {
    0x00: "NUL",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x1B: "escape",
    0xFFFE: "a noncharacter",
    0xFFFF: "a noncharacter",
}
_DRIVE = re.compile(r"[A-Za-z]:")

_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
# a FIFO opens at once (to be refused) instead of waiting for a writer
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
# O_PATH opens a folder on the way without needing permission to list it
_FOLDER = getattr(os, "O_PATH", _READ) | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW


class RefusedFile(Exception):
    """A file that is not read: it leads out of its folder, is no regular file, or is too large.

    The message is a predicate on the file (``resolves to /etc/passwd, outside /data``).
    """


def illegal_character(text: str) -> int | None:
    """The index of the first character in ``text`` that XML 1.0 cannot carry, or None.

    >>> illegal_character("Free\\x01donia")
    4
    >>> illegal_character("Caf\\u00e9 \\u200f\\U0001f600") is None
    True
    """
    found = _XML_ILLEGAL.search(text)
    return found.start() if found else None


def character_name(character: str) -> str:
    """``U+XXXX``, with a name for the characters that are often met.

    >>> character_name("\\x0c")
    'U+000C (form feed)'
    """
    code = ord(character)
    name = _CHARACTER_NAMES.get(code, "a lone surrogate" if 0xD800 <= code <= 0xDFFF else "")
    return f"U+{code:04X} ({name})" if name else f"U+{code:04X}"


def line_and_column(text: str, index: int) -> tuple[int, int]:
    """The line and column (both from 1) of ``text[index]``.

    >>> line_and_column("ab\\ncd", 4)
    (2, 2)
    """
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def reference_problem(reference: str) -> str | None:
    """Why ``reference`` is not a relative path to a file inside its folder, or None.

    Parts are separated by '/'. A reference may not be absolute, go up a folder ('..'),
    have an empty part or end in '.', hold a backslash or a NUL, or start with a drive
    letter.

    >>> reference_problem("texts/article.txt") is None
    True
    >>> reference_problem("../../etc/passwd")
    "goes up a folder ('..')"
    """
    parts = reference.split("/")
    problems = (
        ("\0" in reference, "holds a NUL character"),
        ("\\" in reference, "holds a backslash (write '/' between folders)"),
        (reference.startswith("/"), "is an absolute path"),
        (bool(_DRIVE.match(reference)), "starts with a drive letter"),
        (".." in parts, "goes up a folder ('..')"),
        ("" in parts, "has an empty part ('//', or '/' at the end)"),
        (parts[-1] == ".", "names a folder, not a file"),
    )
    return next((problem for found, problem in problems if found), None)


def read_inside(path: Path | str, root: Path | None, max_bytes: int) -> bytes:
    """Read the regular file ``path``, whose real path must lie inside the folder ``root``.

    ``root`` is a resolved path; with ``None`` the file may be anywhere (a file that the
    user named). The file is opened once: its real path is opened one folder at a time,
    each without following a symlink, so a link swapped in after the check is refused
    rather than followed; the opened descriptor must be a regular file of at most
    ``max_bytes`` that holds as many bytes as it reports (files under ``/proc`` report 0).
    Raises ``FileNotFoundError`` when nothing is at ``path``, else ``RefusedFile``.
    """
    real = _real_path(Path(path))
    if root is not None and not real.is_relative_to(root):
        raise RefusedFile(f"resolves to {real}, outside {root} (no symlink may lead out of it)")
    descriptor = _open_resolved(real)
    try:
        return _read_regular(descriptor, max_bytes)
    finally:
        os.close(descriptor)


def _real_path(path: Path) -> Path:
    try:
        return Path(os.path.realpath(path, strict=True))
    except FileNotFoundError:
        if os.path.lexists(path):
            raise RefusedFile(
                f"is a symlink to {os.readlink(path)}, which does not exist"
            ) from None
        raise
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise RefusedFile("is a symlink loop") from None
        raise RefusedFile(f"cannot be read: {error.strerror}") from None


def _open_resolved(real: Path) -> int:
    """Open ``real`` (a path without symlinks) one part at a time, following no symlink."""
    try:
        if os.open not in os.supports_dir_fd or not _NOFOLLOW:
            return os.open(real, _READ | _NOFOLLOW | _NONBLOCK)
        folder = os.open(real.anchor, _FOLDER)
        try:
            for part in real.parts[1:-1]:
                inner = os.open(part, _FOLDER, dir_fd=folder)
                os.close(folder)
                folder = inner
            return os.open(real.name or ".", _READ | _NOFOLLOW | _NONBLOCK, dir_fd=folder)
        finally:
            os.close(folder)
    except OSError as error:
        if error.errno in (errno.ELOOP, errno.ENOTDIR, errno.ENOENT):
            raise RefusedFile(
                "changed while it was opened (moved, or a symlink appeared on the way)"
            ) from None
        raise RefusedFile(f"cannot be read: {error.strerror}") from None


def _read_regular(descriptor: int, max_bytes: int) -> bytes:
    status = os.fstat(descriptor)
    if not stat.S_ISREG(status.st_mode):
        raise RefusedFile(f"is {_file_kind(status.st_mode)}, not a regular file")
    if status.st_size > max_bytes:
        raise RefusedFile(f"is larger than {max_bytes} bytes ({status.st_size} bytes)")
    chunks = []
    wanted = status.st_size + 1  # one byte more shows a file that holds more than it says
    while wanted > 0:
        chunk = os.read(descriptor, min(wanted, 1 << 20))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
    content = b"".join(chunks)
    if len(content) != status.st_size:
        raise RefusedFile(
            f"is not an ordinary file: it reports {status.st_size} bytes but holds "
            f"{'more' if len(content) > status.st_size else 'fewer'} (as files under /proc "
            "and /sys do), or it changed while it was read"
        )
    return content


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


# --- YAML -----------------------------------------------------------------------------


class YamlMapping(dict[Any, Any]):
    """A YAML mapping that remembers the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class _Refused(yaml.composer.ComposerError):
    """YAML that is well-formed but refused: an alias, or too many values."""


class _PythonEvents(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's own parser, for when it was built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _event_source() -> Any:
    """libyaml's parser when PyYAML has it (it reads a large file several times faster),
    else PyYAML's own; nodes are composed in Python either way, so that an alias is
    refused before it is expanded and the values are counted as they come.

    PyYAML's ``CSafeLoader`` composes in C and would save a third of the time, but it
    recurses on the C stack: 100,000 nested ``[`` crash the process, where this loader
    reports "nesting too deep".
    """
    try:
        return importlib.import_module("yaml._yaml").CParser
    except ImportError:
        return _PythonEvents


_Events: Any = _event_source()


class _Loader(
    yaml.composer.Composer,
    _Events,
    yaml.constructor.SafeConstructor,
    yaml.resolver.Resolver,
):
    """Safe YAML loader: no aliases, line numbers on mappings, no duplicate keys.

    A value that the safe constructor cannot build (a date 2020-13-45, an integer of
    5,000 digits) is a YAML error at its line rather than a ``ValueError``.
    """

    def __init__(self, stream: str) -> None:
        _Events.__init__(self, stream)
        yaml.constructor.SafeConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        yaml.composer.Composer.__init__(self)
        self.nodes = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self.nodes += 1
        if self.nodes > MAX_YAML_NODES:
            raise _Refused(
                None,
                None,
                f"more than {MAX_YAML_NODES} values (the seed's annotation holds about "
                "2,600): split the source",
                self.peek_event().start_mark,
            )
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Refused(
                None,
                None,
                f"YAML alias *{shown(event.anchor)[1:-1]} refused: aliases are not allowed "
                "(write the value out)",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as error:
            value = f" {shown(node.value)}" if isinstance(node, yaml.ScalarNode) else ""
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read the value{value}: {error}", node.start_mark
            ) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> Any:
    mapping = YamlMapping()
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = {}
    yield mapping
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            duplicate = key in mapping.key_lines
            mapping.key_lines.setdefault(key, key_node.start_mark.line + 1)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a mapping key must be a plain value", key_node.start_mark
            ) from None
        if duplicate:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {shown(key)}", key_node.start_mark
            )
    mapping.update(loader.construct_mapping(node))


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_yaml(
    path: Path | str, *, root: Path | None = None, max_bytes: int = MAX_YAML_BYTES
) -> Any:
    """Read a YAML file safely: bounded in size, no aliases, no tags beyond the safe ones.

    The file is read with ``read_inside(path, root, max_bytes)`` (``root`` None: the
    file may be anywhere, but must be a regular file). A leading byte order mark is
    dropped. Mappings are ``YamlMapping`` (a dict with ``line`` and ``key_lines``); a
    repeated key is an error. Raises ``AnnotationError`` naming the file (and the line,
    when the problem has one) for a missing, refused or oversized file, bytes that are
    not UTF-8, a character XML 1.0 cannot carry, malformed YAML and any alias.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "meta.yaml").write_text("id: tiny\\ndate: 2020-01-02\\n", "utf-8")
    >>> read_yaml(folder / "meta.yaml")["id"]
    'tiny'
    """
    path = Path(path)
    return parse_yaml(path, read_yaml_text(path, root=root, max_bytes=max_bytes))


def read_yaml_text(
    path: Path | str,
    *,
    root: Path | None = None,
    max_bytes: int = MAX_YAML_BYTES,
    characters: bool = True,
) -> str:
    """The text of the YAML file ``path``, read and checked as ``read_yaml`` does before
    parsing it (a leading byte order mark is kept: the caller drops it); its characters
    left unchecked without ``characters`` (for a digest to compare with that of a file
    read and checked before: a text that fails the check has another)."""
    path = Path(path)
    try:
        raw = read_inside(path, root, max_bytes)
    except FileNotFoundError:
        raise AnnotationError(path, "file not found") from None
    except RefusedFile as refusal:
        raise AnnotationError(path, str(refusal)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise AnnotationError(path, f"not UTF-8 (byte {error.start})") from None
    content = text.removeprefix("\ufeff")
    if characters and (index := illegal_character(content)) is not None:
        line, column = line_and_column(content, index)
        raise AnnotationError(
            path,
            f"character {character_name(content[index])}, which XML 1.0 cannot carry; remove it",
            f"line {line}, column {column}",
        )
    return text


def parse_yaml(path: Path, content: str) -> Any:
    """Parse ``content``, read from ``path``, as ``read_yaml`` does (aliases refused, line
    numbers on mappings, no duplicate keys); a leading byte order mark is dropped."""
    content = content.removeprefix("\ufeff")
    try:
        return yaml.load(content, Loader=_Loader)
    except yaml.YAMLError as error:
        raise _yaml_error(path, content, error) from None
    except RecursionError:
        raise AnnotationError(path, "malformed YAML: nesting too deep") from None


def _yaml_error(path: Path, content: str, error: yaml.YAMLError) -> AnnotationError:
    """The one-line error for a YAML error, at its line."""
    mark = getattr(error, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    if isinstance(error, yaml.reader.ReaderError) and isinstance(error.character, int):
        line, _ = line_and_column(content, error.position)
        problem = f"character {character_name(chr(error.character))} is not allowed in YAML"
    else:
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    if not isinstance(error, _Refused):
        problem = f"malformed YAML: {problem}"
    return AnnotationError(path, problem, f"line {line}" if line is not None else None)
