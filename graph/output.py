"""The output folder: each build written whole beside the last, then switched in one step.

``apg build --out OUT`` writes a new build into ``OUT/builds/ID/`` and, once every file
of it is written and flushed to disk, points the link ``OUT/current`` at it with one
rename. The names users open (``OUT/graph.ttl``, ``OUT/networks``, ``OUT/store``, ...)
are links through ``OUT/current``, so they all change at the same instant, and a build
that is killed at any point leaves the previous one whole. A lock refuses a second build
into the same folder while one runs; what a killed build left behind is removed by the
next one.

Readers (``apg query``, ``apg serve``) resolve the links once and read the build folder
itself, which never changes after it is written; ``reading`` holds a shared lock on it so
that a later build does not delete it while it is read.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime
import errno
import fcntl
import functools
import hashlib
import io
import json
import mmap
import os
import secrets
import shutil
import stat
import threading
from collections.abc import Callable, Collection, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, cast

from .errors import BuildError

__all__ = [
    "BUILDS_DIR",
    "CURRENT_LINK",
    "IDENTITIES",
    "MANIFEST",
    "READERS_LOCK",
    "Content",
    "FolderWriter",
    "OutputBuild",
    "OutputBusy",
    "StagedFile",
    "build_folder",
    "building",
    "clean_stale",
    "current_build",
    "mapped_before",
    "new_file_mode",
    "publish",
    "reading",
    "stage_file",
    "stage_linked",
    "stage_stream",
]

BUILDS_DIR = "builds"
CURRENT_LINK = "current"
MANIFEST = "MANIFEST.json"
"""Written last into a build folder: a build without it is unfinished."""
READERS_LOCK = ".readers.lock"
"""An empty file in each build folder; readers hold a shared lock on it."""
IDENTITIES = ".identities.json"
"""Written into a build folder after its files, before its manifest: for each file,
what the file system says of it once written (its device, inode, size and modification
time in nanoseconds) and its SHA-256. A later build that finds a file of that folder as
recorded, and modified before the record was written, takes its SHA-256 from the record
instead of reading the file (``mapped_before``, ``stage_linked``): a file written over
since has a later modification time (or another inode, where it was replaced), and one
modified in the same tick of the file system's clock as the record is read whole."""
_RETRIES = 20
# what the layout before build folders left behind when a build was killed
_STALE_PREFIXES = (".store-new-", ".store-old-")
_STAGING = ".staging.tmp"
_OWN_TEMPORARY = (".link.tmp", ".old.tmp", _STAGING)
_TEMPORARY_AGE = 600  # seconds: another command's temporary file may still be in use


class OutputBusy(BuildError):
    """Another build is writing into the same output folder."""


# --- readers ----------------------------------------------------------------------------


def new_file_mode() -> int:
    """The permissions of a new file under the process's umask (usually 0644)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@dataclass(frozen=True)
class StagedFile:
    """A file of a build written ahead, into the build's staging folder (see
    ``OutputBuild.staging``) by ``stage_file``: ``OutputBuild.publish`` moves it into the
    build with a rename, where it would write a file of bytes."""

    path: Path
    size: int
    sha256: str


def stage_file(folder: Path, content: bytes) -> StagedFile:
    """Write ``content`` as a new file, flushed to disk, in the staging folder ``folder``.

    A worker process that made a file writes it so, and sends back only where it is: the
    build process neither receives its bytes nor writes them again. Raises
    ``BuildError``, as ``publish`` does, when the file cannot be written.
    """
    path = folder / f"{secrets.token_hex(8)}.file"
    try:
        _write_file(path, content, new_file_mode())
    except OSError as error:  # named by its output folder, which holds it, as publish does
        raise _unwritten(folder.parent, error) from None
    return StagedFile(path, len(content), hashlib.sha256(content).hexdigest())


def stage_linked(folder: Path, path: Path, size: int, sha256: str) -> StagedFile | None:
    """The file ``path`` (of a build before), staged in ``folder`` as ``stage_file``
    stages a new one, when it is a plain file of ``size`` bytes whose SHA-256 is
    ``sha256``; else None, and nothing is left in ``folder``.

    The staged file is a second name of ``path`` (a hard link: the bytes are not
    written again), or a copy where the file system makes no links. Its bytes are
    checked after it is staged, so that what is checked is what the build holds.
    """
    staged = folder / f"{secrets.token_hex(8)}.file"
    try:
        if path.is_symlink() or not path.is_file() or path.stat().st_size != size:
            return None
        try:
            os.link(path, staged)
        except OSError:
            shutil.copyfile(path, staged)
        if _recorded(path, os.stat(staged), sha256):  # the very file, linked
            return StagedFile(staged, size, sha256)
        digest = hashlib.sha256()
        with open(staged, "rb") as file:
            while block := file.read(_STREAM_BUFFER):
                digest.update(block)
            os.fsync(file.fileno())  # a copy is flushed as stage_file flushes
    except OSError:
        staged.unlink(missing_ok=True)
        return None
    if digest.hexdigest() != sha256 or staged.stat().st_size != size:
        staged.unlink(missing_ok=True)
        return None
    return StagedFile(staged, size, sha256)


def mapped_before(path: Path, size: object, sha256: object) -> mmap.mmap | None:
    """The file ``path`` of a build before, mapped in memory to be read, when it is a
    plain file (a symbolic link is not followed) of ``size`` bytes, one or more, whose
    SHA-256 is ``sha256``; else None."""
    if not (isinstance(size, int) and size > 0 and isinstance(sha256, str)):
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode) or found.st_size != size:
            return None
        mapped = mmap.mmap(descriptor, 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    finally:
        os.close(descriptor)
    if not _recorded(path, found, sha256) and hashlib.sha256(mapped).hexdigest() != sha256:
        mapped.close()
        return None
    return mapped


def _recorded(path: Path, found: os.stat_result, sha256: str) -> bool:
    """Whether ``path``, a file of a build folder whose status is ``found``, is the file
    the build wrote there, of SHA-256 ``sha256``, as its ``IDENTITIES`` record says."""
    for depth, folder in enumerate(path.parents):
        if depth > _DEPTH:
            return False
        try:
            written = os.stat(folder / IDENTITIES)
        except OSError:
            continue
        files = _identities(str(folder / IDENTITIES), written.st_ino, written.st_mtime_ns)
        entry = files.get(path.relative_to(folder).as_posix())
        return (
            entry == [*_identity(found), sha256]
            and stat.S_ISREG(found.st_mode)
            and found.st_mtime_ns < written.st_mtime_ns
        )
    return False


_DEPTH = 3  # the deepest a file of a build lies (networks/actor/blame.csv) and one more


@functools.lru_cache(maxsize=8)
def _identities(path: str, inode: int, modified: int) -> dict[str, object]:
    """The files an ``IDENTITIES`` record names, by name (read once a process for each
    version of it: ``inode`` and ``modified`` name it); none where it is damaged."""
    try:
        with open(path, "rb") as file:
            found = json.loads(file.read())
    except (OSError, ValueError):
        return {}
    files = found.get("files") if isinstance(found, dict) else None
    return files if isinstance(files, dict) else {}


def _identity(found: os.stat_result) -> list[int]:
    return [found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns]


def stage_stream(folder: Path, write: Callable[[BinaryIO], object]) -> StagedFile:
    """``stage_file`` of what ``write`` writes into the binary stream it is given.

    The bytes go to the file as they are written, counted and hashed on the way, and
    are never held whole: a writer of a large document (Turtle, TriG) hands over its
    text piece by piece. The pieces are gathered into writes of 64 KiB before they are
    counted and hashed (``_GATHERED``): a writer hands over a few small pieces for every
    subject, and each count and hash is a call in Python. Raises ``BuildError`` as
    ``stage_file`` does; a file left half written is removed.
    """
    path = folder / f"{secrets.token_hex(8)}.file"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, new_file_mode())
        with os.fdopen(descriptor, "wb", buffering=_STREAM_BUFFER) as file:
            counted = _CountingStream(file)
            raw = cast(io.RawIOBase, counted)
            with io.BufferedWriter(raw, buffer_size=_GATHERED) as gathered:
                write(cast(BinaryIO, gathered))
            file.flush()
            os.fsync(file.fileno())
    except OSError as error:
        path.unlink(missing_ok=True)
        raise _unwritten(folder.parent, error) from None
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return StagedFile(path, counted.size, counted.digest.hexdigest())


_STREAM_BUFFER = 1 << 20
_GATHERED = 1 << 16


class _CountingStream(io.RawIOBase):
    """A binary stream that writes into ``file`` and counts and hashes what it writes."""

    def __init__(self, file: BinaryIO) -> None:
        super().__init__()
        self._file = file
        self.size = 0
        self._handed = 0  # the size when the system was last asked to write to disk
        self.digest = hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        written = self._file.write(data)
        self.digest.update(data)
        self.size += written
        if self.size - self._handed >= _WRITEBACK:  # the disk at work while more is made
            self._file.flush()
            start_writeback(self._file.fileno())
            self._handed = self.size
        return written


_WRITEBACK = 8 << 20


def start_writeback(descriptor: int) -> None:
    """Have the system begin writing to disk what was written into the file open as
    ``descriptor`` so far, without waiting for it (Linux's ``sync_file_range``; nothing
    where the system has none): the ``fsync`` that ends the file then waits only for
    what came after, where it would wait for all of it (hundreds of megabytes)."""
    writeback = _writeback()
    if writeback is not None:
        writeback(descriptor, 0, 0, _SYNC_FILE_RANGE_WRITE)  # an error only loses the head start


@functools.cache
def _writeback() -> Callable[[int, int, int, int], int] | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).sync_file_range
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    function.restype = ctypes.c_int
    return cast(Callable[[int, int, int, int], int], function)


_SYNC_FILE_RANGE_WRITE = 2


Content = bytes | StagedFile
"""What a file of a build is made of: its bytes, or the file they were staged in."""


def build_folder(path: Path | str) -> Path | None:
    """The finished build folder that holds ``path`` once links are resolved, else None."""
    real = Path(os.path.realpath(path))
    for folder in (real, *real.parents):
        if folder.parent.name == BUILDS_DIR and (folder / MANIFEST).is_file():
            return folder
    return None


def current_build(out_dir: Path | str) -> Path | None:
    """The build folder that ``OUT/current`` points at, or None before the first build."""
    link = Path(out_dir) / CURRENT_LINK
    if not link.is_symlink():
        return None
    return build_folder(link)


@contextmanager
def reading(path: Path | str) -> Iterator[Path]:
    """Resolve ``path`` and keep the build folder it lies in from being deleted meanwhile.

    Yields the resolved path, which stays valid for the whole ``with`` block even when a
    new build is switched in. A path outside any build folder is yielded resolved, with
    no lock. A build folder deleted between resolving and locking is resolved again.
    """
    for _ in range(_RETRIES):
        real = Path(os.path.realpath(path))
        folder = build_folder(real)
        if folder is None:
            yield real
            return
        try:
            descriptor = os.open(folder / READERS_LOCK, os.O_RDONLY)
        except FileNotFoundError:
            continue  # deleted by a build after it was resolved: resolve again
        try:
            fcntl.flock(descriptor, fcntl.LOCK_SH)
            if not (folder / MANIFEST).is_file():
                continue  # a build is deleting it
            yield real
            return
        finally:
            os.close(descriptor)
    yield Path(os.path.realpath(path))


# --- the writer -------------------------------------------------------------------------

FolderWriter = Callable[[Path], None]
"""Writes a folder of a build (the store) at the path it is given, which does not exist."""


def publish(
    out_dir: Path | str,
    files: Mapping[str, Content],
    folders: Mapping[str, FolderWriter] | None = None,
) -> dict[str, Path]:
    """Write a new build of ``files`` (and ``folders``) into ``out_dir`` and switch to it.

    The same as ``building(out_dir)`` followed by ``OutputBuild.publish``.
    """
    with building(out_dir) as build:
        return build.publish(files, folders)


@contextmanager
def building(out_dir: Path | str) -> Iterator[OutputBuild]:
    """Hold ``out_dir`` for one build from start to end; refuse when another build holds it.

    On entry, what a killed build left behind is removed. The lock is the kernel's
    (``flock`` on the folder): it ends with the process that holds it, so a killed build
    never leaves it behind. A folder that does not exist yet is made, and locked, when
    the build is published. Raises ``OutputBusy``.
    """
    build = OutputBuild(Path(out_dir))
    try:
        if build.out_dir.is_dir():
            build.lock()
            clean_stale(build.out_dir)
        yield build
    finally:
        try:
            build.cleaned()
        finally:
            if not build.published:
                build.remove_made_folders()
            build.unlock()


class OutputBuild:
    """One build into an output folder, which it holds locked (see ``building``)."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.published = False
        self._descriptor: int | None = None
        self._made: list[Path] = []  # the folders ``prepare`` made, the deepest first
        self._cleaning: _Background | None = None
        self._staging: list[Path] = []  # the staging folders of this build

    def lock(self) -> None:
        """Take the folder's build lock, or raise ``OutputBusy``."""
        try:
            descriptor = os.open(self.out_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as error:
            problem = f"cannot open the output folder: {_reason(error)}"
            raise BuildError(f"{self.out_dir}: {problem}") from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise OutputBusy(
                f"{self.out_dir}: another `apg build` is writing here; "
                "wait for it to finish, or build into another --out"
            ) from None
        self._descriptor = descriptor

    def unlock(self) -> None:
        """Release the lock (the end of the process releases it too)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def prepare(self) -> None:
        """Make the output folder if need be and take its lock (``publish`` does it too).

        Raises ``BuildError`` when the folder cannot be made or is not a folder, and
        ``OutputBusy``.
        """
        if self._descriptor is not None:
            return
        out_dir = self.out_dir
        missing, folder = [], out_dir
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            problem = f"cannot create the output folder: {_reason(error)}"
            raise BuildError(f"{out_dir}: {problem}") from None
        self._made = missing
        if not out_dir.is_dir():
            raise BuildError(f"{out_dir}: the output folder is not a folder")
        self.lock()
        clean_stale(out_dir)

    def cleaned(self) -> None:
        """Wait until what ``publish`` left to remove (the build before, what is stale)
        is removed; raise what stopped that."""
        if self._cleaning is not None:
            cleaning, self._cleaning = self._cleaning, None
            cleaning.wait()

    def remove_made_folders(self) -> None:
        """Remove the folders ``prepare`` made, those left empty: a build that failed
        before it published leaves no folder behind that was not there before it."""
        for folder in self._made:
            try:
                folder.rmdir()
            except OSError:
                break
        self._made = []

    @contextmanager
    def staging(self) -> Iterator[Path]:
        """A new empty folder in the output folder, for what is made before ``publish``
        and moved into the build by a ``FolderWriter`` (a rename: the same file system).

        It is removed at the end of the block, whatever is left in it; one that a killed
        build left behind is removed by the next build. Prepares the output folder (see
        ``prepare``).
        """
        self.prepare()
        folder = self.out_dir / f".{secrets.token_hex(4)}{_STAGING}"
        try:
            folder.mkdir()
        except OSError as error:
            problem = f"cannot create a folder for the build: {_reason(error)}"
            raise BuildError(f"{self.out_dir}: {problem}") from None
        self._staging.append(folder)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
            self._staging.remove(folder)

    def publish(
        self, files: Mapping[str, Content], folders: Mapping[str, FolderWriter] | None = None
    ) -> dict[str, Path]:
        """Write the build of ``files`` (and ``folders``), then switch the folder to it.

        ``files`` maps names, which may hold folders (``networks/blame.csv``), to
        contents (bytes, or a ``StagedFile`` moved in); ``folders`` maps a name to a
        function that writes that folder. Returns every name's path through the output
        folder's links (``OUT/graph.ttl``, ``OUT/store``, ...). Raises ``BuildError`` (one
        line, naming the folder and the reason) when anything cannot be written; the
        previous build stays whole.
        """
        out_dir = self.out_dir
        folders = dict(folders or {})
        self.prepare()
        _check_current(out_dir)
        build = _new_build_folder(out_dir)
        try:
            _write_build(build, files, folders)
        except BaseException as error:
            shutil.rmtree(build, ignore_errors=True)
            if isinstance(error, OSError):
                raise _unwritten(out_dir, error) from None
            raise
        names = sorted({name.split("/", 1)[0] for name in files} | set(folders))
        try:
            _switch(out_dir, build, names)
        except OSError as error:
            problem = f"cannot switch to the new build: {_reason(error)}"
            raise BuildError(f"{out_dir}: {problem}") from None
        self.published = True
        # the build before removed on a thread of its own (its files' pages given back
        # take a quarter of a second at 100,000 statements) while the caller goes on,
        # its staging folders still in use (``cleaned``, at the end of ``building``,
        # waits for it, the lock still held)
        self._cleaning = _Background(
            functools.partial(clean_stale, out_dir, keep=tuple(self._staging))
        )
        paths = {name: out_dir / name for name in files}
        paths.update({name: out_dir / name for name in folders})
        return paths


class _Background:
    """``work`` run on a thread of its own; ``wait`` raises what it raised."""

    def __init__(self, work: Callable[[], object]) -> None:
        self._error: BaseException | None = None

        def run() -> None:
            try:
                work()
            except BaseException as error:  # raised where it is waited for
                self._error = error

        self._thread = threading.Thread(target=run, name="apg-clean", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


def _check_current(out_dir: Path) -> None:
    link = out_dir / CURRENT_LINK
    if os.path.lexists(link) and not link.is_symlink():
        raise BuildError(
            f"{link}: in the way of the link to the current build (apg build makes it); "
            "move it elsewhere"
        )


def _new_build_folder(out_dir: Path) -> Path:
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
    build = out_dir / BUILDS_DIR / f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    try:
        build.mkdir(parents=True)
    except OSError as error:
        raise BuildError(f"{out_dir}: cannot create a build folder: {_reason(error)}") from None
    return build


def _write_build(
    build: Path, files: Mapping[str, Content], folders: Mapping[str, FolderWriter]
) -> None:
    """Write every file and folder of a build, flush them to disk, then its manifest."""
    mode = new_file_mode()
    made: set[Path] = {build}
    manifest: dict[str, dict[str, object]] = {}
    for name, content in files.items():
        path = build / name
        for parent in reversed(path.relative_to(build).parents[:-1]):
            folder = build / parent
            if folder not in made:
                folder.mkdir(exist_ok=True)
                made.add(folder)
        if isinstance(content, StagedFile):
            os.rename(content.path, path)  # written and flushed; the same file system
            manifest[name] = {"bytes": content.size, "sha256": content.sha256}
        else:
            _write_file(path, content, mode)
            digest = hashlib.sha256(content).hexdigest()
            manifest[name] = {"bytes": len(content), "sha256": digest}
    for name, write in folders.items():
        write(build / name)
        manifest[name] = {"folder": True}
    _write_file(build / READERS_LOCK, b"", mode)
    for folder in sorted(made, key=lambda path: len(path.parts), reverse=True):
        _sync_folder(folder)
    identities = {
        name: [*_identity(os.stat(build / name)), entry["sha256"]]
        for name, entry in sorted(manifest.items())
        if "sha256" in entry
    }
    _write_file(build / IDENTITIES, json.dumps({"files": identities}).encode(), mode)
    document = {"files": dict(sorted(manifest.items()))}
    _write_file(build / MANIFEST, (json.dumps(document, indent=1) + "\n").encode(), mode)
    _sync_folder(build)


def _write_file(path: Path, content: bytes, mode: int) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        view = memoryview(content)
        while view:
            view = view[os.write(descriptor, view[:_WRITEBACK]) :]
            start_writeback(descriptor)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _switch(out_dir: Path, build: Path, names: list[str]) -> None:
    """Point ``current`` at ``build`` in one rename, and make sure every name links there.

    The links ``OUT/NAME -> current/NAME`` never change once made, so the rename of
    ``current`` switches all of them at once. Before the first switch (an empty folder,
    or one written before build folders existed), ``current`` is switched first, so that
    new links never point at nothing.
    """
    first = not (out_dir / CURRENT_LINK).is_symlink()
    if not first:
        _make_links(out_dir, names)
    _replace_with_link(out_dir / CURRENT_LINK, f"{BUILDS_DIR}/{build.name}")
    if first:
        _make_links(out_dir, names)
    _sync_folder(out_dir)


def _make_links(out_dir: Path, names: list[str]) -> None:
    for name in names:
        target = f"{CURRENT_LINK}/{name}"
        path = out_dir / name
        if path.is_symlink() and os.readlink(path) == target:
            continue
        _replace_with_link(path, target)


def _replace_with_link(path: Path, target: str) -> None:
    """Make ``path`` a link to ``target`` in one rename (a folder in the way is removed)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.link.tmp")
    os.symlink(target, temporary)
    try:
        if path.is_dir() and not path.is_symlink():
            # a folder of the layout before build folders (networks/, store/)
            trash = path.with_name(f".{path.name}.{secrets.token_hex(4)}.old.tmp")
            path.rename(trash)
            os.replace(temporary, path)
            shutil.rmtree(trash, ignore_errors=True)
        else:
            os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()


def clean_stale(out_dir: Path, *, keep: Collection[Path] = ()) -> None:
    """Remove what earlier builds left: unfinished or unused build folders, temporary files.

    A build folder that a reader holds (``reading``) is kept, and so is the current one,
    and the folders of ``keep`` (the staging folders of the build that holds the lock).
    Call only with the build lock held.
    """
    current = current_build(out_dir)
    builds = out_dir / BUILDS_DIR
    if builds.is_dir():
        for folder in sorted(builds.iterdir()):
            if current is not None and folder.resolve() == current.resolve():
                continue
            if folder.is_dir() and not folder.is_symlink():
                _remove_build(folder)
    for leftover in out_dir.iterdir():
        if leftover in keep or not _stale(leftover):
            continue
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                leftover.unlink()


def _stale(path: Path) -> bool:
    """Whether ``path``, in the output folder, is a killed build's leftover."""
    name = path.name
    if name.startswith(_STALE_PREFIXES) or name.endswith(_OWN_TEMPORARY):
        return True
    if not (name.startswith(".") and name.endswith(".tmp")):
        return False
    try:
        age = datetime.datetime.now().timestamp() - path.lstat().st_mtime
    except OSError:
        return False
    return age > _TEMPORARY_AGE  # e.g. from `apg render`, which writes one file in place


def _remove_build(folder: Path) -> None:
    """Delete a build folder unless a reader holds it (its manifest goes first)."""
    try:
        descriptor = os.open(folder / READERS_LOCK, os.O_RDONLY)
    except FileNotFoundError:
        shutil.rmtree(folder, ignore_errors=True)  # unfinished: no reader can hold it
        return
    except OSError:
        return
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # read at this moment: removed by a later build
        with contextlib.suppress(FileNotFoundError):
            (folder / MANIFEST).unlink()
        shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(descriptor)


def _unwritten(out_dir: Path, error: OSError) -> BuildError:
    return BuildError(
        f"{out_dir}: cannot write the build: {_reason(error)}; the previous build is left as it was"
    )


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "no space left on the device"
    return error.strerror or str(error)
