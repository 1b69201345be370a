"""Keeps the tests off the project's own ``data/`` and ``output/`` folders.

A user adds sources to ``data/`` and builds into ``output/``: a test that loaded ``data/``
as a whole would see their sources, and one that wrote into ``output/`` would replace their
build. ``guard`` installs an audit hook (``sys.addaudithook``) that refuses, in the test
process, whoever asks:

- listing ``data/`` (what ``load_corpus``, ``glob`` and ``copytree`` do with a data
  folder), or opening or listing anything in it: tests read the copy of the seed that
  ``tests.factories`` makes once, before this hook is installed (``SEED_DIR``, and the
  ``seed_data`` fixture), or build sources in ``tmp_path``;
- opening, listing, making, renaming or removing anything under ``output/``;
- starting ``python -m graph COMMAND`` in the project folder without every path option
  whose default lies in ``data/`` or ``output/``: such a process is out of the hook's
  reach, and would use the user's folders.

The folders guarded are those of ``REPO``, and of any stand-in project folder a test of
the guard adds for a while (``guarding``): the guard is tested on a stand-in, so that no
test ever asks for the project's own folders, even to be refused.

An audit hook sees the file system call whatever module makes it, however it imported
``load_corpus``. Files that Oxigraph opens from Rust raise no audit event, and a
file that ``graph.inputs`` opens folder by folder (``os.open`` relative to a folder's
descriptor) is seen by name only: a single file of ``data/`` read that way passes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.factories import REPO

__all__ = ["ProjectFolderTouched", "guard", "guarded", "guarding"]

_roots: list[str] = [str(REPO)]
"""The project folders whose ``data/`` and ``output/`` are refused."""
_LISTINGS = {"os.listdir", "os.scandir"}
_CHANGES = {"os.mkdir", "os.remove", "os.rmdir", "shutil.rmtree"}
_NO_DIR_FD = (None, -1)
"""How an event says that its path is not relative to a folder's descriptor."""


class ProjectFolderTouched(RuntimeError):
    """A test reached the project's ``data/`` or ``output/`` folder.

    Not an ``OSError``, so that no error handler turns it into a message a test expects.
    """


_state = {"installed": False}
_path_options: dict[str, list[str]] = {}


def guard() -> None:
    """Install the audit hook once for this process (it cannot be removed)."""
    if _state["installed"]:
        return
    _path_options.update(_default_folder_options())
    sys.addaudithook(_refuse)
    _state["installed"] = True


def guarded() -> list[Path]:
    """The project folders whose ``data/`` and ``output/`` the hook refuses now."""
    return [Path(root) for root in _roots]


@contextmanager
def guarding(root: Path) -> Iterator[Path]:
    """Refuse the ``data/`` and ``output/`` of the stand-in project folder ``root`` too,
    for the block: what the guard does for the project, tried where nothing is at stake."""
    _roots.append(os.path.abspath(root))
    try:
        yield root
    finally:
        _roots.remove(os.path.abspath(root))


def _default_folder_options() -> dict[str, list[str]]:
    """For each ``apg`` command, its options whose default lies in ``data/`` or ``output/``."""
    from graph.cli import _parser

    commands = _parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    return {
        name: [
            action.option_strings[-1]
            for action in command._actions
            if isinstance(action.default, str)
            and action.default.split("/")[0] in ("data", "output")
        ]
        for name, command in commands.items()
    }


def _refuse(event: str, arguments: tuple[Any, ...]) -> None:
    if event == "open":
        path, mode = arguments[0], arguments[1]
        # os.open gives no mode, and its relative path may be relative to a dir_fd
        if mode is not None or _is_absolute(path):
            _refuse_data(path, "opens")
            _refuse_output(path, "opens")
    elif event in _LISTINGS:
        path = arguments[0]
        _refuse_data(path, "lists")
        _refuse_output(path, "lists")
    elif event in _CHANGES:
        if arguments[-1] in _NO_DIR_FD:
            _refuse_output(arguments[0], "changes")
    elif event == "os.rename":
        if arguments[2] in _NO_DIR_FD and arguments[3] in _NO_DIR_FD:
            _refuse_output(arguments[0], "renames")
            _refuse_output(arguments[1], "renames")
    elif event == "subprocess.Popen":
        _refuse_apg_on_project_folders(arguments[1], arguments[2])


def _is_absolute(path: Any) -> bool:
    return isinstance(path, str | bytes | os.PathLike) and os.path.isabs(path)


def _absolute(path: Any) -> str | None:
    """``path`` made absolute against the working folder, or None for a file descriptor."""
    if not isinstance(path, str | bytes | os.PathLike):
        return None
    return os.path.abspath(os.fsdecode(path))


def _within(absolute: str | None, folder: str) -> bool:
    """Whether ``absolute`` is the folder ``folder`` of a guarded project, or lies in it."""
    if absolute is None:
        return False
    return any(
        (absolute + os.sep).startswith(os.path.join(root, folder) + os.sep) for root in _roots
    )


def _refuse_data(path: Any, what: str) -> None:
    absolute = _absolute(path)
    if _within(absolute, "data"):
        raise ProjectFolderTouched(
            f"a test {what} {absolute}, in the project's data folder, which holds the user's "
            "sources: use the seed_data fixture or SEED_DIR (copies of the seed), or make_source"
        )


def _refuse_output(path: Any, what: str) -> None:
    absolute = _absolute(path)
    if _within(absolute, "output"):
        raise ProjectFolderTouched(
            f"a test {what} {absolute}, in the project's output folder, which holds the "
            "user's build: build into tmp_path"
        )


def _refuse_apg_on_project_folders(arguments: Any, cwd: Any) -> None:
    if isinstance(arguments, str | bytes | os.PathLike):
        return  # a shell command line: not how the tests start apg
    words = [os.fsdecode(word) if isinstance(word, bytes) else str(word) for word in arguments]
    where = _absolute(cwd if cwd is not None else os.getcwd())
    if where not in _roots:
        return
    for index in range(len(words) - 2):
        if words[index : index + 2] == ["-m", "graph"]:
            command = words[index + 2]
            missing = [
                option
                for option in _path_options.get(command, [])
                if not any(word == option or word.startswith(option + "=") for word in words)
            ]
            if missing:
                raise ProjectFolderTouched(
                    f"a test runs `apg {command}` in {where} without {', '.join(missing)}: "
                    "it would use the user's data/ or output/; give tmp paths"
                )
            return
