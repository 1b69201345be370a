"""The guard that keeps tests off the project's data/ and output/ folders refuses them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from graph import load_source
from tests.factories import REPO, SEED_DIR, SEED_ID
from tests.project_folders import ProjectFolderTouched, _refuse_apg_on_project_folders


def test_loading_the_project_data_folder_is_refused(monkeypatch):
    from graph import load_corpus

    with pytest.raises(ProjectFolderTouched, match="use the seed_data fixture"):
        load_corpus(REPO / "data")
    monkeypatch.chdir(REPO)
    with pytest.raises(ProjectFolderTouched, match="project's data folder"):
        load_corpus("data")


def test_copying_the_project_data_folder_is_refused(tmp_path):
    with pytest.raises(ProjectFolderTouched):
        shutil.copytree(REPO / "data", tmp_path / "data")
    assert not (tmp_path / "data").exists()


def test_the_copy_of_the_seed_is_read_and_the_seed_in_data_is_not():
    assert not SEED_DIR.is_relative_to(REPO)
    assert len(load_source(SEED_DIR / "annotation.yaml").statements) == 113
    with pytest.raises(ProjectFolderTouched, match="in the project's data folder"):
        (REPO / "data" / SEED_ID / "article.txt").read_text(encoding="utf-8")


def test_the_project_output_folder_is_refused():
    with pytest.raises(ProjectFolderTouched, match="in the project's output folder"):
        os.listdir(REPO / "output")
    with pytest.raises(ProjectFolderTouched, match="build into tmp_path"):
        (REPO / "output" / "graph.ttl").open(encoding="utf-8")


def test_apg_in_a_process_of_its_own_must_be_given_tmp_folders(tmp_path):
    # analyze only reads: were the guard to let it through, nothing would be written
    with pytest.raises(ProjectFolderTouched, match=r"`apg analyze` in .* without --data"):
        subprocess.run([sys.executable, "-m", "graph", "analyze"], cwd=REPO, check=False)
    store = tmp_path / "store"
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "query", "--store", str(store), "ASK { ?s ?p ?o }"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1  # started, and found no store where it was told
    assert completed.stderr.startswith(f"apg: error: {store}: ")
    assert "run `apg build` first" in completed.stderr


def test_apg_extract_in_the_project_folder_must_be_given_a_log_outside_output(tmp_path):
    # a batch writes its failures to output/extract.log unless told otherwise; the guard's
    # own check is asked, so that no apg process is ever started in the project folder
    command = [sys.executable, "-m", "graph", "extract", str(tmp_path), "--data", str(tmp_path)]
    with pytest.raises(ProjectFolderTouched, match=r"`apg extract` in .* without --log"):
        _refuse_apg_on_project_folders(command, REPO)
    _refuse_apg_on_project_folders([*command, "--log", str(tmp_path / "log")], REPO)
