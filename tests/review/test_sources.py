"""Which source folder a name given to `apg review` stands for."""

from __future__ import annotations

import pytest

from graph.errors import BuildError
from graph.review import source_folder


def test_a_folder_name_a_folder_path_and_its_annotation_name_the_source(make_source):
    data = make_source()
    folder = data / "tiny"
    assert source_folder(data, "tiny") == folder
    assert source_folder(data, str(folder)) == folder
    assert source_folder(data, str(folder / "annotation.yaml")) == folder


def test_another_file_is_an_article_to_draft(make_source, tmp_path):
    data = make_source()
    article = tmp_path / "news.txt"
    article.write_text("Ruritania blamed Freedonia.\n", encoding="utf-8")
    assert source_folder(data, str(article)) is None


def test_a_source_outside_the_data_folder_is_refused(make_source, tmp_path):
    data = make_source()
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "tiny").mkdir(parents=True)
    for name in ("annotation.yaml", "article.txt"):
        (elsewhere / "tiny" / name).write_bytes((data / "tiny" / name).read_bytes())
    with pytest.raises(BuildError, match=r"not a folder of .*review edits only"):
        source_folder(data, str(elsewhere / "tiny"))


@pytest.mark.parametrize("given", ["nothing", "..", "."])
def test_a_name_that_is_no_source_and_no_file_is_refused(make_source, given):
    data = make_source()
    with pytest.raises(BuildError, match="no source of that name"):
        source_folder(data, given)
