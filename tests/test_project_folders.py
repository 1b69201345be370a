"""The guard that keeps tests off the project's data/ and output/ folders refuses them.

The guard is tried on a stand-in project folder in ``tmp_path`` (``guarding``), laid out
as the project is, with a copy of the seed in its ``data/`` and a build file in its
``output/``: the same hook refuses it as it refuses the project's own folders, which no
test asks for, even to be refused.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from graph import load_source
from tests.factories import REPO, SEED_DIR, SEED_ID
from tests.project_folders import (
    ProjectFolderTouched,
    _refuse_apg_on_project_folders,
    guarded,
    guarding,
)


@pytest.fixture
def project(tmp_path):
    """A stand-in project folder, guarded as the project is for the test."""
    root = tmp_path / "project"
    shutil.copytree(SEED_DIR, root / "data" / SEED_ID)
    (root / "output").mkdir()
    (root / "output" / "graph.ttl").write_text("# a user's build\n", encoding="utf-8")
    with guarding(root):
        yield root


def test_the_session_guards_the_project_folder():
    assert guarded() == [REPO]
    assert not SEED_DIR.is_relative_to(REPO)  # the tests' seed is a copy outside it


def test_loading_the_project_data_folder_is_refused(project, monkeypatch):
    from graph import load_corpus

    with pytest.raises(ProjectFolderTouched, match="use the seed_data fixture"):
        load_corpus(project / "data")
    monkeypatch.chdir(project)
    with pytest.raises(ProjectFolderTouched, match="project's data folder"):
        load_corpus("data")


def test_copying_the_project_data_folder_is_refused(project, tmp_path):
    with pytest.raises(ProjectFolderTouched):
        shutil.copytree(project / "data", tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_the_copy_of_the_seed_is_read_and_the_seed_in_data_is_not(project):
    assert len(load_source(SEED_DIR / "annotation.yaml").statements) == 113
    with pytest.raises(ProjectFolderTouched, match="in the project's data folder"):
        (project / "data" / SEED_ID / "article.txt").read_text(encoding="utf-8")


def test_the_project_output_folder_is_refused(project):
    with pytest.raises(ProjectFolderTouched, match="in the project's output folder"):
        os.listdir(project / "output")
    with pytest.raises(ProjectFolderTouched, match="build into tmp_path"):
        (project / "output" / "graph.ttl").open(encoding="utf-8")


def test_the_guard_ends_with_its_block(tmp_path):
    root = tmp_path / "project"
    (root / "data").mkdir(parents=True)
    with guarding(root), pytest.raises(ProjectFolderTouched):
        os.listdir(root / "data")
    assert os.listdir(root / "data") == []
    assert guarded() == [REPO]


def test_apg_in_a_process_of_its_own_must_be_given_tmp_folders(project, tmp_path):
    # analyze only reads: were the guard to let it through, nothing would be written
    with pytest.raises(ProjectFolderTouched, match=r"`apg analyze` in .* without --data"):
        subprocess.run([sys.executable, "-m", "graph", "analyze"], cwd=project, check=False)
    store = tmp_path / "store"
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "query", "--store", str(store), "ASK { ?s ?p ?o }"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1  # started, and found no store where it was told
    assert completed.stderr.startswith(f"apg: error: {store}: ")
    assert "run `apg build` first" in completed.stderr


def test_apg_extract_in_the_project_folder_must_be_given_a_log_outside_output(project, tmp_path):
    # a batch writes its failures to output/extract.log unless told otherwise; the guard's
    # own check is asked, so that no apg process is ever started in the project folder
    command = [sys.executable, "-m", "graph", "extract", str(tmp_path), "--data", str(tmp_path)]
    with pytest.raises(ProjectFolderTouched, match=r"`apg extract` in .* without --log"):
        _refuse_apg_on_project_folders(command, project)
    _refuse_apg_on_project_folders([*command, "--log", str(tmp_path / "log")], project)
    _refuse_apg_on_project_folders(command, Path(tmp_path))  # elsewhere, nothing at stake
