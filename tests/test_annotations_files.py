"""Which files an annotation may read: a text inside the data folder, regular files only.

A file outside the data folder (named by an absolute path, by '..', or reached through a
symlink) must never reach the graph: each case is refused with one line, and no file
that a build writes holds the secret.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from graph import AnnotationError, build, load_corpus
from graph.annotations import load_source
from graph.errors import shown
from tests.factories import TINY_TEXT, WORKDIR, tiny_annotation

SECRET = "apg-secret-4b1d7e"
"""A marker in a file outside the data folder; it must appear in no output."""


def _annotation(text: str = "article.txt", title: str = "Tiny") -> dict:
    """The tiny annotation naming ``text``, without statements (none is needed to publish
    a text: the source's text is in the graph)."""
    annotation = tiny_annotation(statements=[])
    annotation["source"].update(text=text, title=title)
    return annotation


def _source_line(folder: Path) -> int:
    """The line on which ``source:`` starts in the annotation file of ``folder``."""
    lines = (folder / "annotation.yaml").read_text(encoding="utf-8").splitlines()
    return lines.index("source:") + 2  # the mapping starts on the line after the key


def _write(folder: Path, annotation: dict, text: str | None = TINY_TEXT) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "annotation.yaml").write_text(yaml.safe_dump(annotation), encoding="utf-8")
    if text is not None:
        (folder / "article.txt").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def secret(tmp_path) -> Path:
    """A text outside the data folder (``tmp_path/outside/secret.txt``) holding ``SECRET``."""
    path = tmp_path / "outside" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"{TINY_TEXT}password={SECRET}\n", encoding="utf-8")
    return path


def _files_holding(folder: Path, marker: str) -> list[Path]:
    if not folder.exists():
        return []
    return [
        p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and marker in p.read_bytes().decode("utf-8", "replace")
    ]


def _refused_build(tmp_path: Path) -> str:
    """Build ``tmp_path/data``; check that it is refused and that no output holds SECRET."""
    out = tmp_path / "out"
    with pytest.raises(AnnotationError) as caught:
        build(tmp_path / "data", out)
    assert _files_holding(out, SECRET) == []
    message = str(caught.value)
    assert "\n" not in message and SECRET not in message
    return message


def test_an_absolute_text_path_is_refused(tmp_path, secret):
    source = _write(tmp_path / "data" / "one", _annotation(text=str(secret)))
    assert _refused_build(tmp_path) == (
        f"{source / 'annotation.yaml'}: source (line {_source_line(source)}): field 'text' "
        "must be a relative "
        f"path to a file in the annotation's folder, such as article.txt: {shown(str(secret))} "
        "is an absolute path"
    )


def test_a_text_path_that_goes_up_is_refused(tmp_path, secret):
    _write(tmp_path / "data" / "one", _annotation(text="../../outside/secret.txt"))
    assert _refused_build(tmp_path).endswith("'../../outside/secret.txt' goes up a folder ('..')")


def test_a_text_that_is_a_symlink_out_of_the_data_folder_is_refused(tmp_path, secret):
    source = _write(tmp_path / "data" / "one", _annotation(), text=None)
    (source / "article.txt").symlink_to(secret)
    data = os.path.realpath(tmp_path / "data")
    assert _refused_build(tmp_path) == (
        f"{source / 'annotation.yaml'}: source (line {_source_line(source)}): source text "
        "'article.txt' "
        f"resolves to {os.path.realpath(secret)}, outside {data} (no symlink may lead out of it)"
    )


def test_a_folder_on_the_way_that_leads_out_is_refused(tmp_path, secret):
    source = _write(tmp_path / "data" / "one", _annotation(text="texts/secret.txt"), text=None)
    (source / "texts").symlink_to(secret.parent, target_is_directory=True)
    assert "resolves to" in _refused_build(tmp_path)


def test_an_annotation_that_is_a_symlink_out_of_the_data_folder_is_refused(tmp_path):
    outside = _write(tmp_path / "outside", _annotation(title=SECRET))
    source = tmp_path / "data" / "one"
    source.mkdir(parents=True)
    (source / "annotation.yaml").symlink_to(outside / "annotation.yaml")
    (source / "article.txt").write_text(TINY_TEXT, encoding="utf-8")
    assert _refused_build(tmp_path).startswith(
        f"{source / 'annotation.yaml'}: resolves to {os.path.realpath(outside)}"
    )


def test_a_source_folder_that_is_a_symlink_out_of_the_data_folder_is_refused(tmp_path):
    outside = _write(tmp_path / "outside", _annotation(title=SECRET))
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "one").symlink_to(outside, target_is_directory=True)
    assert "resolves to" in _refused_build(tmp_path)


@pytest.mark.parametrize("link", ["missing.yaml", "annotation.yaml"])
def test_a_dangling_or_looping_annotation_symlink_is_an_error_not_a_skip(tmp_path, link):
    _write(tmp_path / "data" / "a", tiny_annotation())
    broken = tmp_path / "data" / "b"
    broken.mkdir()
    (broken / "annotation.yaml").symlink_to(link)
    with pytest.raises(AnnotationError) as caught:
        load_corpus(tmp_path / "data")
    problem = (
        "is a symlink loop"
        if link == "annotation.yaml"
        else "is a symlink to missing.yaml, which does not exist"
    )
    assert str(caught.value) == f"{broken / 'annotation.yaml'}: {problem}"


def test_a_text_that_is_a_fifo_or_a_folder_is_refused(tmp_path):
    source = _write(tmp_path / "data" / "one", _annotation(text="pipe"))
    os.mkfifo(source / "pipe")
    assert _refused_build(tmp_path).endswith("source text 'pipe' is a FIFO, not a regular file")
    _write(source, _annotation(text="folder"))
    (source / "folder").mkdir()
    assert _refused_build(tmp_path).endswith("'folder' is a folder, not a regular file")


def test_a_symlink_inside_the_data_folder_is_followed(tmp_path):
    data = tmp_path / "data"
    (data / "shared").mkdir(parents=True)
    (data / "shared" / "article.txt").write_text(TINY_TEXT, encoding="utf-8")
    source = _write(data / "one", tiny_annotation(), text=None)
    (source / "article.txt").symlink_to("../shared/article.txt")
    (source / "annotation.yaml").rename(data / "shared" / "tiny.yaml")
    (source / "annotation.yaml").symlink_to("../shared/tiny.yaml")
    corpus = load_corpus(data)
    assert corpus.sources[0].text == TINY_TEXT
    assert len(corpus.statements) == 3


def test_load_source_reads_a_text_only_inside_the_annotations_own_folder(tmp_path):
    data = tmp_path / "data"
    (data / "shared").mkdir(parents=True)
    (data / "shared" / "article.txt").write_text(TINY_TEXT, encoding="utf-8")
    source = _write(data / "one", tiny_annotation(), text=None)
    (source / "article.txt").symlink_to("../shared/article.txt")
    assert len(load_corpus(data).statements) == 3  # inside the data folder
    with pytest.raises(AnnotationError) as caught:
        load_source(source / "annotation.yaml")
    assert f"outside {os.path.realpath(source)} " in str(caught.value)


@pytest.mark.parametrize("how", ["absolute", "symlink"])
def test_the_process_environment_reaches_no_output(tmp_path, how):
    reference = "/proc/self/environ" if how == "absolute" else "article.txt"
    source = _write(tmp_path / "data" / "one", _annotation(text=reference), text=None)
    if how == "symlink":
        (source / "article.txt").symlink_to("/proc/self/environ")
    out = tmp_path / "out"
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "build", "--data", str(tmp_path / "data"),
         "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=WORKDIR,
        env={**os.environ, "APG_TEST_SECRET": SECRET},
    )  # fmt: skip
    assert completed.returncode == 1
    (line,) = completed.stderr.splitlines()
    assert line.startswith(
        f"apg: error: {source / 'annotation.yaml'}: source (line {_source_line(source)}): "
    )
    assert SECRET not in completed.stdout + completed.stderr
    assert _files_holding(tmp_path, SECRET) == []
