import importlib.util
import shutil
from pathlib import Path

import pytest
import yaml

from graph.extraction.evaluation import evaluate, format_evaluation
from tests.factories import REPO

SOURCE = REPO / "tests" / "fixtures" / "sources" / "tallinn-port-attack-2021"


@pytest.fixture(scope="module")
def evaluate_split():
    """The script's ``main``, loaded from scripts/evaluate_split.py."""
    spec = importlib.util.spec_from_file_location(
        "evaluate_split", REPO / "scripts" / "evaluate_split.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main


@pytest.fixture
def split(tmp_path) -> Path:
    """A split of one gold source, a copy of a fixture."""
    folder = tmp_path / "split"
    shutil.copytree(SOURCE, folder / SOURCE.name)
    return folder


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_split_is_drafted_into_out_and_scored(evaluate_split, split, tmp_path, capsys):
    before = contents(split)
    out = tmp_path / "drafts"
    assert evaluate_split([str(split), "--out", str(out)]) == 0
    assert contents(split) == before  # nothing written into the split
    draft = out / SOURCE.name
    assert sorted(contents(draft)) == ["annotation.yaml", "article.txt"]
    assert (draft / "article.txt").read_bytes() == (SOURCE / "article.txt").read_bytes()
    document = yaml.safe_load((draft / "annotation.yaml").read_text(encoding="utf-8"))
    gold = yaml.safe_load((SOURCE / "annotation.yaml").read_text(encoding="utf-8"))
    assert document["source"]["id"] == gold["source"]["id"]  # the gold's source fields
    assert document["source"]["title"] == gold["source"]["title"]
    assert all(item["reviewed"] is False for item in document["statements"])
    printed = capsys.readouterr()
    assert f"drafts in {out}" in printed.err
    single = format_evaluation(evaluate(draft, split / SOURCE.name)).splitlines()
    lines = printed.out.splitlines()
    assert lines[2].startswith(f"{SOURCE.name}  ") and lines[3].startswith("TOTALS  ")
    assert lines[6:9] == single[:3]  # one source: the totals are its own scores


def test_drafts_go_to_a_temporary_folder_by_default(evaluate_split, split, capsys):
    assert evaluate_split([str(split), "--format", "json"]) == 0
    printed = capsys.readouterr()
    out = Path(printed.err.split("drafts in ", 1)[1].split("\n", 1)[0])
    assert not out.exists()  # removed at the end
    assert '"missing_drafts": []' in printed.out


def test_out_inside_the_split_is_refused(evaluate_split, split, capsys):
    before = contents(split)
    assert evaluate_split([str(split), "--out", str(split / "drafts")]) == 1
    assert capsys.readouterr().err == (
        f"evaluate_split: error: {split / 'drafts'}: inside {split}; the drafts must go elsewhere\n"
    )
    assert contents(split) == before and not (split / "drafts").exists()


def test_out_that_holds_files_is_refused(evaluate_split, split, tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.yaml").write_text("x", encoding="utf-8")
    assert evaluate_split([str(split), "--out", str(tmp_path / "full")]) == 1
    assert "not a new or empty folder" in capsys.readouterr().err
