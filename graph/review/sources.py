"""Find the source folder that a user names for review."""

from __future__ import annotations

import os
from pathlib import Path

from ..annotations import ANNOTATION_FILE
from ..errors import BuildError

__all__ = ["source_folder"]


def source_folder(data_dir: Path | str, given: str) -> Path | None:
    """The folder of ``data_dir`` that ``given`` names: a folder name, a folder path or
    its ``annotation.yaml``; None when ``given`` is another file (an article to draft).

    Raises ``BuildError`` for a source folder outside ``data_dir`` (review edits only the
    data folder's sources) and for a name that is neither a source nor a file.
    """
    data_dir = Path(data_dir)
    path = Path(given)
    if path.name == ANNOTATION_FILE and path.is_file():
        path = path.parent
    if path.is_dir() and (path / ANNOTATION_FILE).is_file():
        inside = Path(os.path.realpath(path)).parent == Path(os.path.realpath(data_dir))
        if not inside:
            raise BuildError(
                f"{given}: this source is not a folder of {data_dir}; review edits only the "
                f"sources of the data folder (use --data)"
            )
        return path
    if (
        given not in (".", "..")
        and os.sep not in given
        and (data_dir / given / ANNOTATION_FILE).is_file()
    ):
        return data_dir / given
    if path.is_file():
        return None
    raise BuildError(f"{given}: no source of that name in {data_dir}, and no such file")
