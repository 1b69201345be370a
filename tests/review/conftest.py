"""Shared fixtures of the review tests: a draft written by ``apg extract``, to copy."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.extraction.draft import extract_file, read_meta, write_draft
from tests.factories import REPO, SEED_DIR, SEED_ID

SEED_PAGE = REPO / "tests" / "fixtures" / "pages" / f"{SEED_ID}.txt"


@pytest.fixture(scope="session")
def seed_draft_dir(tmp_path_factory) -> Path:
    """The folder of the seed's web page drafted by ``apg extract``; tests must not change
    it (``copy_source`` copies it)."""
    folder = tmp_path_factory.mktemp("seed-draft") / "draft"
    draft = extract_file(SEED_PAGE, read_meta(SEED_DIR / "annotation.yaml"))
    write_draft(draft, folder / "annotation.yaml")
    return folder


@pytest.fixture
def copy_source(tmp_path) -> Callable[[Path], Path]:
    """Copy a source folder into ``tmp_path/data`` and return its annotation file."""

    def copy(folder: Path) -> Path:
        target = tmp_path / "data" / folder.name
        shutil.copytree(folder, target)
        return target / "annotation.yaml"

    return copy
