import copy
import json
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from graph.cli import main
from graph.errors import AnnotationError
from graph.extraction.agreement import format_agreement, measure_agreement, sentence_spans
from tests.factories import TINY_TEXT, entity, statement, tiny_annotation

# four sentences: the units of the worked example
WORKED_TEXT = (
    "Ruritania blamed Freedonia for the talks. "
    "Anna Vogel backed the plan. "
    "Later Ruritania blamed Freedonia again. "
    "The talks ended.\n"
)


def worked_annotation(*extra):
    """The first coder of the worked example: a blame in sentence 1, a support in 2."""
    return tiny_annotation(
        entities=[
            entity("ruritania", "Ruritania"),
            entity("freedonia", "Freedonia"),
            entity("anna-vogel", "Anna Vogel", "official"),
            entity("plan", "The plan", "position"),
        ],
        statements=[
            statement(
                "blame-talks", "ruritania", "blames", "freedonia",
                "Ruritania blamed Freedonia for the talks",
            ),
            statement(
                "vogel-backs-plan", "anna-vogel", "supports_position", "plan",
                "Anna Vogel backed the plan",
            ),
            *extra,
        ],
    )  # fmt: skip


# the second coder also codes the blame of sentence 3: the one disagreement
SECOND_BLAME = statement(
    "blame-again", "ruritania", "blames", "freedonia", "Ruritania blamed Freedonia again"
)


def write_coder(data: Path, folder: str, coder: str, annotation) -> Path:
    """Write ``annotation.<coder>.yaml`` into a source folder made by ``make_source``."""
    path = data / folder / f"annotation.{coder}.yaml"
    path.write_text(yaml.safe_dump(annotation, allow_unicode=True, sort_keys=False), "utf-8")
    return path


@pytest.fixture
def two_coders(make_source):
    """Write the first coder's ``annotation.yaml`` and bob's file; return both paths."""

    def factory(first, second, text=WORKED_TEXT):
        data = make_source(annotation=first, text=text, folder="worked")
        return data / "worked" / "annotation.yaml", write_coder(data, "worked", "bob", second)

    return factory


# --- alpha ----------------------------------------------------------------------------


def test_identical_annotations_agree_fully_on_every_relation(make_source):
    data = make_source()
    second = write_coder(data, "tiny", "alice", tiny_annotation())
    result = measure_agreement(data / "tiny", second)
    assert result.sentences == 2
    assert {r: s.alpha for r, s in result.relations.items()} == {
        "blames": 1.0,
        "represents": 1.0,
        "supports_position": 1.0,
    }
    assert result.overall.alpha == 1.0
    assert result.overall.matched == 3 and result.overall.matched_share == 1.0


def test_the_worked_example_gives_the_alpha_computed_by_hand(two_coders):
    # blames, per sentence: first coder 1 0 0 0, second 1 0 1 0. Each unit holds two
    # values, so it adds 1/(2-1) = 1 to the coincidence of each ordered pair of them:
    # o11 = 2 (s1), o00 = 4 (s2, s4), o01 = o10 = 1 (s3); n1 = 3, n0 = 5, n = 8.
    # alpha = 1 - (n-1) (o01+o10) / (n0 n1 + n1 n0) = 1 - 7*2/30 = 8/15.
    # supports_position: 0 1 0 0 for both, alpha = 1.
    # all relations, 8 units: o01+o10 = 2, n1 = 3+2 = 5, n0 = 11, n = 16:
    # alpha = 1 - 15*2/(2*5*11) = 1 - 30/110 = 8/11.
    first, second = two_coders(worked_annotation(), worked_annotation(SECOND_BLAME))
    result = measure_agreement(first, second)
    blames = result.relations["blames"]
    assert blames.alpha == pytest.approx(float(Fraction(8, 15)), abs=1e-12)
    assert result.relations["supports_position"].alpha == 1.0
    assert result.overall.alpha == pytest.approx(float(Fraction(8, 11)), abs=1e-12)
    assert (blames.units, blames.first_coded, blames.second_coded) == (4, 1, 2)
    assert (blames.first, blames.second, blames.matched) == (1, 2, 1)
    assert blames.matched_share == pytest.approx(2 / 3)
    assert (result.overall.units, result.overall.first, result.overall.second) == (8, 2, 3)
    assert (result.first_coder, result.second_coder) == (None, "bob")


def test_the_coders_in_the_other_order_give_the_same_figures(two_coders):
    first, second = two_coders(worked_annotation(), worked_annotation(SECOND_BLAME))
    forward, backward = measure_agreement(first, second), measure_agreement(second, first)
    assert backward.relations["blames"].alpha == forward.relations["blames"].alpha
    assert backward.overall.alpha == forward.overall.alpha
    assert (backward.overall.first, backward.overall.second) == (3, 2)
    assert backward.overall.matched == forward.overall.matched == 2


def test_a_relation_only_one_coder_used_has_a_row_of_its_own(two_coders):
    represents = statement("vogel-rep", "anna-vogel", "represents", "ruritania", "Anna Vogel")
    first, second = two_coders(worked_annotation(), worked_annotation(represents))
    result = measure_agreement(first, second)
    row = result.relations["represents"]
    # 0 0 0 0 against 0 1 0 0: o01 = o10 = 1, n1 = 1, n0 = 7: 1 - 7*2/(2*7*1) = 0
    assert row.alpha == pytest.approx(0.0, abs=1e-12)
    assert (row.first, row.second, row.matched, row.matched_share) == (0, 1, 0, 0.0)
    assert (row.first_coded, row.second_coded) == (0, 1)
    assert list(result.relations) == ["blames", "represents", "supports_position"]


def test_alpha_is_undefined_where_every_unit_has_one_value(two_coders):
    text = "Ruritania blamed Freedonia. Freedonia blamed Ruritania.\n"
    both = tiny_annotation(
        statements=[
            statement("r-blames-f", "ruritania", "blames", "freedonia", "Ruritania blamed"),
            statement("f-blames-r", "freedonia", "blames", "ruritania", "Freedonia blamed"),
        ]
    )
    first, second = two_coders(both, copy.deepcopy(both), text=text)
    result = measure_agreement(first, second)
    assert result.relations["blames"].alpha is None
    assert result.overall.alpha is None
    table = format_agreement(result)
    assert "blames                n/a      2       2        2   1.00      2     2/2" in table
    assert "n/a: alpha is undefined, every unit has the same value for both coders" in table
    assert "nan" not in table


def test_no_statements_at_all_is_undefined_not_an_error(two_coders):
    empty = tiny_annotation(statements=[])
    result = measure_agreement(*two_coders(empty, copy.deepcopy(empty), text=TINY_TEXT))
    assert result.relations == {}
    assert result.overall.alpha is None and result.overall.units == 0
    assert "all relations         n/a      0       0        0   0.00      0     0/0" in (
        format_agreement(result)
    )


def test_two_texts_are_refused_naming_both_files(make_source):
    data = make_source(folder="a")
    make_source(folder="b", text=TINY_TEXT + "Talks resumed.\n")
    with pytest.raises(AnnotationError) as raised:
        measure_agreement(data / "a", data / "b" / "annotation.yaml")
    message = str(raised.value)
    assert str(data / "a" / "annotation.yaml") in message
    assert str(data / "b" / "annotation.yaml") in message
    assert "\n" not in message


# --- units ----------------------------------------------------------------------------


def test_the_worked_text_has_four_sentences():
    spans = sentence_spans(WORKED_TEXT)
    assert [WORKED_TEXT[start:end] for start, end in spans] == [
        "Ruritania blamed Freedonia for the talks.",
        "Anna Vogel backed the plan.",
        "Later Ruritania blamed Freedonia again.",
        "The talks ended.",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Dr. Vogel met Gen. Kral. They left.", ["Dr. Vogel met Gen. Kral.", "They left."]),
        ("The U.S. envoy spoke. J. Smith left.", ["The U.S. envoy spoke.", "J. Smith left."]),
        ("It said so, e.g. the talks. Then more.", ["It said so, e.g. the talks.", "Then more."]),
        ('"We act." Vogel said. Why? No!', ['"We act."', "Vogel said.", "Why?", "No!"]),
        ("A title\n\nThe body starts.", ["A title", "The body starts."]),
        ("A line\nwrapped here. Next one", ["A line\nwrapped here.", "Next one"]),
        ("Talks ended on Jan. 5 in Geneva.", ["Talks ended on Jan. 5 in Geneva."]),
        ("  \n\n  ", []),
    ],
)
def test_sentences_end_at_punctuation_before_a_capital_or_at_a_blank_line(text, sentences):
    assert [text[start:end] for start, end in sentence_spans(text)] == sentences


@given(st.text(alphabet=st.sampled_from("ab AB.!?\n\"'()…"), max_size=80))
def test_sentences_cover_every_character_but_white_space_once(text):
    spans = sentence_spans(text)
    covered = [index for start, end in spans for index in range(start, end)]
    assert covered == sorted(set(covered))
    assert set(covered) >= {index for index, char in enumerate(text) if not char.isspace()}
    for start, end in spans:
        assert text[start:end] == text[start:end].strip() != ""


def test_a_quote_across_two_sentences_codes_both(two_coders):
    across = statement("across", "ruritania", "blames", "freedonia", "talks. Anna Vogel backed")
    first, second = two_coders(worked_annotation(), worked_annotation(across))
    result = measure_agreement(first, second)
    assert result.relations["blames"].second_coded == 2  # sentences 1 and 2


# --- coders' files --------------------------------------------------------------------


# --- the command ----------------------------------------------------------------------


def test_apg_evaluate_agreement_prints_the_table(two_coders, capsys):
    first, second = two_coders(worked_annotation(), worked_annotation(SECOND_BLAME))
    assert main(["evaluate", str(first.parent), str(second), "--agreement"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ("agreement of two coders over 4 sentences (Krippendorff's alpha, nominal)")
    assert lines[1:3] == [f"first   {first}", f"second  {second} (bob)"]
    assert lines[4:] == [
        "relation            alpha  first  second  matched  share  units   coded",
        "blames               0.53      1       2        1   0.67      4     1/2",
        "supports_position    1.00      1       1        1   1.00      4     1/1",
        "all relations        0.73      2       3        2   0.80      8     2/3",
    ]


def test_apg_evaluate_agreement_as_json(two_coders, capsys):
    first, second = two_coders(worked_annotation(), worked_annotation(SECOND_BLAME))
    assert main(["evaluate", str(first), str(second), "--agreement", "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert set(document) == {
        "first", "second", "first_coder", "second_coder", "sentences", "relations", "overall",
    }  # fmt: skip
    assert document["second_coder"] == "bob" and document["sentences"] == 4
    assert set(document["overall"]) == {
        "alpha", "units", "first_coded", "second_coded", "first", "second", "matched",
        "matched_share",
    }  # fmt: skip
    assert document["relations"]["blames"]["alpha"] == pytest.approx(8 / 15)
    assert document["relations"]["supports_position"]["first_coded"] == 1


def test_apg_evaluate_agreement_gives_null_for_an_undefined_alpha(two_coders, capsys):
    empty = tiny_annotation(statements=[])
    first, second = two_coders(empty, copy.deepcopy(empty), text=TINY_TEXT)
    assert main(["evaluate", str(first), str(second), "--agreement", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["alpha"] is None


def test_apg_evaluate_agreement_of_two_texts_fails_in_one_line(make_source, capsys):
    data = make_source(folder="a")
    make_source(folder="b", text=TINY_TEXT + "Talks resumed.\n")
    assert main(["evaluate", str(data / "a"), str(data / "b"), "--agreement"]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"apg: error: {data / 'a' / 'annotation.yaml'}: source: ")
    assert str(data / "b" / "annotation.yaml") in error and error.count("\n") == 1


def test_apg_evaluate_agreement_refuses_a_folder_of_sources(make_source, capsys):
    data = make_source()
    assert main(["evaluate", str(data), str(data / "tiny"), "--agreement"]) == 1
    error = capsys.readouterr().err
    assert error == (
        f"apg: error: {data}: --agreement compares two annotations of one text: name an "
        "annotation file, or the folder holding its annotation.yaml\n"
    )


def test_apg_evaluate_agreement_refuses_missing(make_source, capsys):
    data = make_source()
    second = write_coder(data, "tiny", "alice", tiny_annotation())
    argv = ["evaluate", str(data / "tiny"), str(second), "--agreement", "--missing", "zero"]
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        "apg: error: --missing is for two folders of source folders, not --agreement\n"
    )
