import copy

import pytest

from graph import AnnotationError, load_corpus
from tests.factories import TINY_TEXT, tiny_annotation


def _error(make_source, **kwargs) -> str:
    data = make_source(**kwargs)
    with pytest.raises(AnnotationError) as caught:
        load_corpus(data)
    message = str(caught.value)
    assert "\n" not in message
    return message


def _with(change) -> dict:
    annotation = copy.deepcopy(tiny_annotation())
    change(annotation)
    return annotation


def test_tiny_source_loads_with_computed_offsets(make_source):
    corpus = load_corpus(make_source())
    statement = next(s for s in corpus.statements if s.id == "vogel-represents-ruritania")
    assert TINY_TEXT[statement.evidence.start : statement.evidence.end] == statement.quote
    assert statement.evidence.start == TINY_TEXT.index("The Ruritanian envoy")
    assert statement.role == "envoy"
    assert corpus.entities["anna-vogel"].type == "official"
    assert corpus.sources[0].date.isoformat() == "2020-01-02"


def test_malformed_yaml_names_file_and_line(make_source):
    message = _error(make_source, raw="source:\n  id: tiny\n  title: [unclosed\n")
    assert "annotation.yaml" in message
    assert "line 4" in message or "line 3" in message
    assert "malformed YAML" in message


def test_unknown_entity_names_the_statement(make_source):
    def change(a):
        a["statements"][0]["object"] = "atlantis"

    message = _error(make_source, annotation=_with(change))
    assert "statement 'ruritania-blames-freedonia'" in message
    assert "unknown entity 'atlantis' in field 'object'" in message


def test_unknown_relation(make_source):
    def change(a):
        a["statements"][0]["relation"] = "praises"

    assert "unknown relation 'praises'" in _error(make_source, annotation=_with(change))


def test_unknown_type(make_source):
    def change(a):
        a["entities"][1]["type"] = "planet"

    message = _error(make_source, annotation=_with(change))
    assert "entity 'freedonia'" in message and "unknown type 'planet'" in message


def test_unknown_modality(make_source):
    def change(a):
        a["statements"][0]["modality"] = "rumoured"

    assert "unknown modality 'rumoured'" in _error(make_source, annotation=_with(change))


def test_duplicate_entity_id(make_source):
    def change(a):
        a["entities"].append({"id": "freedonia", "type": "state", "label": "Freedonia bis"})

    message = _error(make_source, annotation=_with(change))
    assert "entity 'freedonia'" in message and "duplicate entity id" in message


def test_duplicate_statement_id(make_source):
    def change(a):
        a["statements"][1]["id"] = a["statements"][0]["id"]

    assert "duplicate statement id" in _error(make_source, annotation=_with(change))


def test_duplicate_yaml_key(make_source):
    raw = "source:\n  id: tiny\n  id: other\n"
    assert "duplicate key 'id'" in _error(make_source, raw=raw)


def test_quote_not_in_text(make_source):
    def change(a):
        a["statements"][0]["quote"] = "Ruritania praised Freedonia"

    message = _error(make_source, annotation=_with(change))
    assert "statement 'ruritania-blames-freedonia'" in message
    assert "quote not found" in message and "article.txt" in message


def test_ambiguous_quote(make_source):
    def change(a):
        a["statements"][0]["quote"] = "Ruritania"

    assert "occurs 2 times" in _error(make_source, annotation=_with(change))


def test_missing_source_text(make_source):
    def change(a):
        a["source"]["text"] = "missing.txt"

    message = _error(make_source, annotation=_with(change))
    assert "source text not found" in message and "missing.txt" in message


def test_non_utf8_text(make_source):
    message = _error(make_source, text=b"caf\xe9 blamed")
    assert "article.txt" in message and "not UTF-8" in message


def test_empty_text(make_source):
    assert "source text is empty" in _error(make_source, text="  \n")


def test_missing_data_folder(tmp_path):
    with pytest.raises(AnnotationError, match="data folder not found"):
        load_corpus(tmp_path / "nowhere")


def test_empty_data_folder(tmp_path):
    with pytest.raises(AnnotationError, match=r"no \*/annotation\.yaml"):
        load_corpus(tmp_path)


def test_unknown_field_catches_typos(make_source):
    def change(a):
        a["statements"][0]["qoute"] = a["statements"][0].pop("quote")

    assert "unknown field 'qoute'" in _error(make_source, annotation=_with(change))


def test_iso_code_only_for_states(make_source):
    def change(a):
        a["entities"][2]["iso3166"] = "RU"

    assert "only for states" in _error(make_source, annotation=_with(change))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("wikidata", "159", "Wikidata id"),
        ("iso3166", "rus", "ISO 3166-1"),
        ("id", "Free Donia", "lower-case words"),
        ("label", "", "is empty"),
        ("aliases", {"a": 1}, "list of text"),
    ],
)
def test_bad_entity_fields(make_source, key, value, expected):
    def change(a):
        a["entities"][1][key] = value

    assert expected in _error(make_source, annotation=_with(change))


@pytest.mark.parametrize(
    ("key", "value", "expected"),
    [
        ("when", "June 2017", "YYYY, YYYY-MM or YYYY-MM-DD"),
        ("when", "2017-02-30", "not a real date"),
        ("former", "yes", "true or false"),
        ("about", "atlantis", "unknown entity 'atlantis' in field 'about'"),
    ],
)
def test_bad_statement_qualifiers(make_source, key, value, expected):
    def change(a):
        a["statements"][0][key] = value

    assert expected in _error(make_source, annotation=_with(change))


def test_bad_source_date_and_url(make_source):
    def bad_date(a):
        a["source"]["date"] = "23 August 2017"

    def bad_url(a):
        a["source"]["url"] = "www.example.org"

    assert "date YYYY-MM-DD" in _error(make_source, annotation=_with(bad_date))
    assert "http(s) URL" in _error(make_source, annotation=_with(bad_url))


def test_entity_shared_by_two_sources_is_merged(make_source):
    data = make_source()
    second = tiny_annotation()
    second["source"] = dict(second["source"], id="tiny-two")
    second["entities"][0] = dict(second["entities"][0], aliases=["the Ruritanians"])
    make_source(annotation=second, folder="tiny-two")
    corpus = load_corpus(data)
    ruritania = corpus.entities["ruritania"]
    assert ruritania.sources == ("tiny", "tiny-two")
    assert ruritania.aliases == ("the Ruritanians",)
    assert {s.source for s in corpus.statements} == {"tiny", "tiny-two"}


def test_contradictory_entity_across_sources_is_refused(make_source):
    data = make_source()
    second = tiny_annotation()
    second["source"] = dict(second["source"], id="tiny-two")
    second["entities"][1] = dict(second["entities"][1], type="group")
    make_source(annotation=second, folder="tiny-two")
    with pytest.raises(AnnotationError, match="type 'group' contradicts 'state'"):
        load_corpus(data)


def test_duplicate_source_id_is_refused(make_source):
    data = make_source()
    make_source(folder="copy")
    with pytest.raises(AnnotationError, match="duplicate source id 'tiny'"):
        load_corpus(data)
