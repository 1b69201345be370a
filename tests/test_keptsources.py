"""Each source as a build read it, kept for the next build (graph.keptsources)."""

import json
import shutil
from pathlib import Path

import pytest

import graph
from graph.annotations import load_corpus
from graph.buildcache import cache_folder
from graph.errors import AnnotationError
from graph.keptsources import KeptSources
from tests.factories import edit_annotation, three_tiny_sources, tiny_variant

REPO = Path(__file__).resolve().parent.parent


def _kept_load(data: Path, folder: Path):
    kept = KeptSources(folder)
    corpus = load_corpus(data, kept=kept)
    kept.save()
    kept.keep_only_used()
    return corpus


@pytest.mark.parametrize("corpus_folder", ["fixture", "dev"])
def test_a_corpus_taken_from_kept_sources_is_the_one_read(
    corpus_folder, fixture_data, tmp_path, parsed
):
    if corpus_folder == "fixture":
        data = fixture_data
    else:  # drafts, reviewed statements, coders, dates of several forms
        data = tmp_path / "data"
        shutil.copytree(REPO / "tests" / "fixtures" / "corpus" / "dev", data)
    read = load_corpus(data)
    first = _kept_load(data, tmp_path / "kept")
    assert len(parsed) == 2 * len(read.sources)
    parsed.clear()
    taken = _kept_load(data, tmp_path / "kept")
    assert parsed == []  # nothing parsed again
    assert taken == read == first
    assert [s.digest for s in taken.sources] == [s.digest for s in read.sources]
    assert [s.text_path for s in taken.sources] == [s.text_path for s in read.sources]


def test_only_a_changed_source_is_parsed_again(make_source, tmp_path, parsed):
    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    edit_annotation(
        data, "second", lambda document: document["source"].update(title="Second, revised")
    )
    parsed.clear()
    corpus = _kept_load(data, tmp_path / "kept")
    assert parsed == ["second"]
    assert corpus == load_corpus(data)
    assert corpus.source("second").title == "Second, revised"


def test_a_changed_text_is_read_again(make_source, tmp_path, parsed):
    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    text = data / "third" / "article.txt"
    text.write_text("Preface. " + text.read_text(encoding="utf-8"), encoding="utf-8")
    parsed.clear()
    corpus = _kept_load(data, tmp_path / "kept")
    assert parsed == ["third"]
    assert corpus == load_corpus(data)
    third = [s for s in corpus.statements if s.source == "third"]
    assert third[0].evidence.start == len("Preface. ")


def test_a_damaged_entry_is_read_again(make_source, tmp_path, parsed):
    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    entry = sorted((tmp_path / "kept").glob("*.json"))[0]
    document = json.loads(entry.read_text(encoding="utf-8"))
    document["content"]["source"]["title"] = "Edited in the cache"
    entry.write_text(json.dumps(document), encoding="utf-8")
    parsed.clear()
    corpus = _kept_load(data, tmp_path / "kept")
    assert len(parsed) == 1
    assert corpus == load_corpus(data)
    assert "Edited in the cache" not in {s.title for s in corpus.sources}


def test_a_kept_source_given_a_character_xml_cannot_carry_raises_the_error_of_a_fresh_read(
    make_source, tmp_path, parsed
):
    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    annotation = data / "second" / "annotation.yaml"
    annotation.write_text(
        "# a comment with \x01 in it\n" + annotation.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with pytest.raises(AnnotationError, match=r"XML 1\.0 cannot carry") as kept:
        _kept_load(data, tmp_path / "kept")
    with pytest.raises(AnnotationError) as fresh:
        load_corpus(data)
    assert str(kept.value) == str(fresh.value)


def _evidence_moved(statements: list) -> None:
    statements[0][6][1] += 1  # the evidence's start


def _field_left_out(statements: list) -> None:
    statements[0].pop()


def _field_more(statements: list) -> None:
    statements[0].append(None)


def _not_a_list(statements: list) -> None:
    statements[0] = {"id": statements[0][0]}


def _evidence_field_left_out(statements: list) -> None:
    statements[0][6].pop()


def _evidence_not_a_list(statements: list) -> None:
    statements[0][6] = "a quote"


@pytest.mark.parametrize(
    "edit",
    [
        _evidence_moved,
        _field_left_out,
        _field_more,
        _not_a_list,
        _evidence_field_left_out,
        _evidence_not_a_list,
    ],
)
def test_an_entry_whose_statement_is_amiss_is_read_again(make_source, tmp_path, parsed, edit):
    # an entry rewritten with its digest made anew is still checked: the quote against
    # the text, each statement's fields
    _rewrite_entry(make_source, tmp_path, parsed, lambda content: edit(content["statements"]))


def _entity_field_more(entities: list) -> None:
    entities[0]["colour"] = "blue"


def _entity_not_a_mapping(entities: list) -> None:
    entities[0] = [entities[0]["id"]]


@pytest.mark.parametrize("edit", [_entity_field_more, _entity_not_a_mapping])
def test_an_entry_whose_entity_is_amiss_is_read_again(make_source, tmp_path, parsed, edit):
    # an entity of a field it does not have, or not a mapping, is not made
    _rewrite_entry(make_source, tmp_path, parsed, lambda content: edit(content["entities"]))


def _rewrite_entry(make_source, tmp_path, parsed, edit) -> None:
    """Keep three sources, edit the content of one entry (its digest made anew), and
    check that the source is read again, as it is."""
    from graph.buildcache import EntryFolder

    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    entries = EntryFolder(tmp_path / "kept")
    key = sorted((tmp_path / "kept").glob("*.json"))[0].stem
    content = entries.read(key)
    edit(content)
    entries.write(key, content)
    parsed.clear()
    corpus = _kept_load(data, tmp_path / "kept")
    assert len(parsed) == 1
    assert corpus == load_corpus(data)


def test_kept_statements_take_the_canonical_ids_of_today_s_corpus(make_source, tmp_path, parsed):
    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    # the third source now declares Ruritania the same as "rur", which it declares too:
    # the others' statements, taken as kept, must name the entity the corpus merges into
    third = tiny_variant("third", entities={"ruritania": {"same_as": ["rur"]}})
    third["entities"].append({"id": "rur", "type": "state", "label": "Ruritania"})
    make_source(third, folder="third")
    parsed.clear()
    corpus = _kept_load(data, tmp_path / "kept")
    assert parsed == ["third"]
    assert corpus == load_corpus(data)
    tiny = [s for s in corpus.statements if s.source == "tiny"]
    assert tiny[0].subject == "rur" and tiny[1].object == "rur"


def test_a_kept_source_naming_an_entity_no_longer_declared_raises_the_error_of_a_fresh_read(
    make_source, tmp_path
):
    data = make_source()
    second = tiny_variant("second")
    second["entities"] = [e for e in second["entities"] if e["id"] != "freedonia"]
    make_source(second, folder="second")  # names freedonia, which "tiny" declares
    _kept_load(data, tmp_path / "kept")
    shutil.rmtree(data / "tiny")
    with pytest.raises(AnnotationError) as fresh:
        load_corpus(data)
    with pytest.raises(AnnotationError) as taken:
        _kept_load(data, tmp_path / "kept")
    assert str(taken.value) == str(fresh.value)
    assert "unknown entity 'freedonia'" in str(taken.value)


def test_the_entries_of_sources_no_longer_read_are_removed(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    _kept_load(data, tmp_path / "kept")
    assert len(list((tmp_path / "kept").glob("*.json"))) == 3
    shutil.rmtree(data / "third")
    _kept_load(data, tmp_path / "kept")
    assert len(list((tmp_path / "kept").glob("*.json"))) == 2


def test_a_rebuild_parses_only_the_changed_source(make_source, tmp_path, parsed):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    assert len(list(cache_folder(tmp_path / "out", "sources").glob("*.json"))) == 3
    edit_annotation(data, "tiny", lambda document: document["source"].update(title="Tiny, revised"))
    parsed.clear()
    graph.build(data, tmp_path / "out", jobs=1)
    assert parsed == ["tiny"]


def test_a_first_build_that_fails_keeps_no_source(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    edit_annotation(
        data, "third", lambda document: document["statements"][0].update(object="self-defence")
    )
    with pytest.raises(graph.errors.ValidationError):
        graph.build(data, tmp_path / "out", jobs=1)
    assert not (tmp_path / "out").exists()
