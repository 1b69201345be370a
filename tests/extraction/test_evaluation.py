import copy
import json

import pytest

from graph.annotations import load_source
from graph.errors import AnnotationError
from graph.extraction.evaluation import (
    Score,
    evaluate,
    evaluation_document,
    format_evaluation,
    normalise_name,
)
from tests.factories import SEED_DIR, TINY_TEXT, entity, statement, tiny_annotation

GOLD = tiny_annotation()


@pytest.fixture
def score_draft(make_source):
    """Write a draft (and the gold, by default the tiny annotation) and evaluate it."""

    def factory(draft, gold=GOLD, text=TINY_TEXT):
        data = make_source(annotation=gold, text=text, folder="gold")
        make_source(annotation=draft, text=text, folder="draft")
        return evaluate(data / "draft" / "annotation.yaml", data / "gold" / "annotation.yaml")

    return factory


def draft_of(**changes):
    """A copy of the gold annotation; ``changes`` replace its entities or statements."""
    draft = copy.deepcopy(tiny_annotation())
    draft["source"]["id"] = "tiny-draft"
    draft.update(changes)
    return draft


def gold_statements():
    return copy.deepcopy(GOLD["statements"])


# --- names ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("\u201cFreedonia\u201d", "freedonia"),  # curly quotes stripped as punctuation
        ("Freedonia\u2019s", "freedonia"),  # curly possessive
        ("Freedonia's", "freedonia"),
        ("The  Ruritanian\n envoy", "ruritanian envoy"),
        ("the West", "west"),
        ("An envoy", "envoy"),
        ("A Ruritanian", "ruritanian"),
        ("Theodora", "theodora"),  # "the" only as a word
        ("\uff32\uff55\uff52\uff49\uff54\uff41\uff4e\uff49\uff41", "ruritania"),  # full width
        ("U.S.", "u.s"),
        ("(Anna Vogel),", "anna vogel"),
        ("STRASSE", "strasse"),
        ("Straße", "strasse"),  # casefold, not lower
        ("The", "the"),  # nothing left to drop it from
        ("the Russians\u2019", "russians"),
    ],
)
def test_names_are_normalised(name, normal):
    assert normalise_name(name) == normal


# --- entities -------------------------------------------------------------------------


def test_the_gold_against_itself_scores_one_by_id(score_draft):
    result = score_draft(draft_of())
    assert result.entities == Score(draft=4, gold=4, matched_draft=4, matched_gold=4)
    assert result.entity_alignment == {
        "ruritania": "ruritania",
        "freedonia": "freedonia",
        "anna-vogel": "anna-vogel",
        "self-defence": "self-defence",
    }
    assert set(result.entity_evidence.values()) == {"id"}
    assert (result.entities.precision, result.entities.recall, result.entities.f1) == (1, 1, 1)


def test_entities_match_by_wikidata_or_iso_code(make_source):
    gold = tiny_annotation()
    gold["entities"][0].update(wikidata="Q1", iso3166="RU")
    gold["entities"][1].update(iso3166="FD")
    draft = draft_of(
        entities=[
            entity("rur", "Kingdom of R.", wikidata="Q1"),
            entity("fre", "Republic of F.", iso3166="FD"),
        ],
        statements=[],
    )
    data = make_source(annotation=gold, folder="gold")
    make_source(annotation=draft, folder="draft")
    result = evaluate(data / "draft", data / "gold")  # folders name their annotation.yaml
    assert result.entity_alignment == {"rur": "ruritania", "fre": "freedonia"}
    assert result.entity_evidence == {"rur": "identifier", "fre": "identifier"}


def test_a_label_matches_an_alias_on_either_side(make_source, score_draft):
    gold = tiny_annotation()
    gold["entities"][0]["aliases"] = ["Republic of Ruritania"]
    draft = draft_of(
        entities=[
            entity("rur", "Republic of Ruritania"),  # draft label = gold alias
            entity("fre", "Free State", aliases=["Freedonia"]),  # draft alias = gold label
            entity("envoy", "The envoy", "official", aliases=["Vogel"]),
        ],
        statements=[],
    )
    gold["entities"][2]["aliases"] = ["Envoy Vogel", "Vogel"]  # alias = alias
    result = score_draft(draft, gold=gold)
    assert result.entity_alignment == {
        "rur": "ruritania",
        "fre": "freedonia",
        "envoy": "anna-vogel",
    }
    assert result.entity_evidence == {
        "rur": "label=alias",
        "fre": "label=alias",
        "envoy": "alias=alias",
    }
    assert result.entities == Score(draft=3, gold=4, matched_draft=3, matched_gold=3)
    assert result.unmatched_gold_entities == ("self-defence",)


def test_names_match_once_normalised(score_draft):
    draft = draft_of(
        entities=[
            entity("f", "\u2018Freedonia\u2019s\u2019"),  # curly quotes, possessive
            entity("r", "the  RURITANIA"),  # leading "the", case, white space
            entity("v", "Anna\u00a0Vogel,", "official"),  # NFKC space, trailing comma
        ],
        statements=[],
    )
    result = score_draft(draft)
    assert result.entity_alignment == {"f": "freedonia", "r": "ruritania", "v": "anna-vogel"}
    assert set(result.entity_evidence.values()) == {"label=label"}


def test_alignment_is_one_to_one_and_the_first_declared_wins(score_draft):
    draft = draft_of(
        entities=[
            entity("zz-freedonia", "Freedonia"),  # declared first, though last by id
            entity("aa-freedonia", "The Freedonia"),
        ],
        statements=[],
    )
    result = score_draft(draft)
    assert result.entity_alignment == {"zz-freedonia": "freedonia"}
    assert result.unmatched_draft_entities == ("aa-freedonia",)  # a false positive
    assert result.entities == Score(draft=2, gold=4, matched_draft=1, matched_gold=1)
    assert result.entities.precision == 0.5
    assert result.entities.recall == 0.25


def test_stronger_evidence_is_taken_before_declaration_order(score_draft):
    draft = draft_of(
        entities=[
            entity("f1", "Free State", aliases=["Freedonia"]),  # alias = label, declared first
            entity("f2", "Freedonia"),  # label = label
            entity("freedonia", "Somewhere else"),  # same id as the gold entity
        ],
        statements=[],
    )
    result = score_draft(draft)
    assert result.entity_alignment == {"freedonia": "freedonia"}
    gold = tiny_annotation()
    gold["entities"][1]["id"] = "fd"
    gold["statements"][0]["object"] = "fd"
    result = score_draft(draft, gold=gold)
    assert result.entity_alignment == {"f2": "fd"}
    assert result.entity_evidence == {"f2": "label=label"}


def test_a_position_is_matched_by_the_quotes_of_its_statements(score_draft):
    entities = copy.deepcopy(GOLD["entities"][:3])
    draft = draft_of(
        entities=[*entities, entity("online-defence", "Cyber self-defence is lawful", "position")],
        statements=[
            statement(
                "vogel-backs-defence",
                "anna-vogel",
                "supports_position",
                "online-defence",
                "the right of self-defence applies online",
            )
        ],
    )
    result = score_draft(draft)
    assert result.entity_alignment["online-defence"] == "self-defence"
    assert result.entity_evidence["online-defence"] == "quotes"
    assert result.statement_alignment == {"vogel-backs-defence": "vogel-supports-self-defence"}


def test_among_positions_the_largest_quote_overlap_wins(score_draft):
    draft = draft_of(
        entities=[
            *copy.deepcopy(GOLD["entities"][:3]),
            entity("small", "A short position", "position"),
            entity("large", "A long position", "position"),
        ],
        statements=[
            statement("s1", "anna-vogel", "supports_position", "small", "self-defence"),
            statement(
                "s2", "anna-vogel", "supports_position", "large", "said the right of self-defence"
            ),
        ],
    )
    result = score_draft(draft)
    assert result.entity_alignment["large"] == "self-defence"
    assert "small" in result.unmatched_draft_entities
    # both statements match the gold one by their overlapping quotes; the nearer start wins
    assert result.statement_alignment == {"s2": "vogel-supports-self-defence"}
    assert result.unmatched_draft_statements == ("s1",)


def test_a_name_beats_quotes_for_a_position(score_draft):
    draft = draft_of(
        entities=[
            *copy.deepcopy(GOLD["entities"][:3]),
            entity("by-quote", "Something else", "position"),
            entity("by-name", "Self-defence applies online", "position"),
        ],
        statements=[
            statement(
                "s1",
                "anna-vogel",
                "supports_position",
                "by-quote",
                "said the right of self-defence applies online",
            ),
        ],
    )
    result = score_draft(draft)
    assert result.entity_alignment["by-name"] == "self-defence"
    assert "by-quote" not in result.entity_alignment
    # the statement still matches: its position's quote overlaps the gold statement's
    assert result.statement_alignment == {"s1": "vogel-supports-self-defence"}


def test_types_are_counted_on_their_own_side(score_draft):
    draft = draft_of()
    draft["entities"][2]["type"] = "person"  # gold: official
    result = score_draft(draft)
    assert result.entities.matched_gold == 4
    assert result.entity_types["person"] == Score(1, 0, 1, 0)
    assert result.entity_types["official"] == Score(0, 1, 0, 1)
    assert result.entity_types["state"] == Score(2, 2, 2, 2)
    table = format_evaluation(result)
    person = next(line for line in table.splitlines() if line.startswith("person"))
    assert person.split() == ["person", "1", "0", "1/0", "1.00", "0.00", "0.00"]


# --- statements -----------------------------------------------------------------------


def test_statements_match_by_relation_subject_and_object(score_draft):
    statements = gold_statements()
    statements[0]["relation"] = "targets"  # ruritania targets freedonia: no match
    statements[1]["subject"] = "freedonia"  # wrong subject: no match
    statements[1]["id"] = "freedonia-represents-ruritania"
    result = score_draft(draft_of(statements=statements))
    assert result.statement_alignment == {
        "vogel-supports-self-defence": "vogel-supports-self-defence"
    }
    assert result.statements == Score(3, 3, 1, 1)
    assert result.unmatched_draft_statements == (
        "ruritania-blames-freedonia",
        "freedonia-represents-ruritania",
    )
    assert result.unmatched_gold_statements == (
        "ruritania-blames-freedonia",
        "vogel-represents-ruritania",
    )


def test_statements_follow_the_entity_alignment(score_draft):
    draft = draft_of(
        entities=[
            entity("r", "Ruritania"),
            entity("f", "Freedonia"),
        ],
        statements=[statement("b", "r", "blames", "f", "blamed Freedonia")],
    )
    result = score_draft(draft)
    assert result.statement_alignment == {"b": "ruritania-blames-freedonia"}
    reversed_draft = draft_of(
        entities=draft["entities"],
        statements=[statement("b", "f", "blames", "r", "blamed Freedonia")],
    )
    assert score_draft(reversed_draft).statement_alignment == {}


def test_statements_are_aligned_one_to_one_overlapping_quotes_first(score_draft):
    statements = gold_statements()[:1]
    draft = draft_of(
        statements=[
            # declared first and nearer by start (7 characters against 14), but apart
            statement("apart", "ruritania", "blames", "freedonia", "blamed"),
            statement("overlapping", "ruritania", "blames", "freedonia", "the failed talks"),
        ],
    )
    gold = tiny_annotation(statements=statements)
    gold["statements"][0]["quote"] = "Freedonia for the failed talks"
    result = score_draft(draft, gold=gold)
    assert result.statement_alignment == {"overlapping": "ruritania-blames-freedonia"}
    assert result.unmatched_draft_statements == ("apart",)
    assert result.statements == Score(2, 1, 1, 1)


def test_without_overlap_the_nearest_quote_start_wins(score_draft):
    gold = tiny_annotation(statements=gold_statements()[:1])
    gold["statements"][0]["quote"] = "Freedonia"
    draft = draft_of(
        statements=[
            statement("far", "ruritania", "blames", "freedonia", "failed talks"),
            statement("near", "ruritania", "blames", "freedonia", "Ruritania blamed"),
        ],
    )
    result = score_draft(draft, gold=gold)
    assert result.statement_alignment == {"near": "ruritania-blames-freedonia"}
    assert result.statements_with_quotes.matched_gold == 0


def test_counts_per_relation(score_draft):
    statements = gold_statements()
    del statements[1]  # represents: missed
    statements.append(
        statement("freedonia-blames-ruritania", "freedonia", "blames", "ruritania", "the failed")
    )
    result = score_draft(draft_of(statements=statements))
    assert list(result.relations) == ["blames", "represents", "supports_position"]
    assert result.relations["blames"] == Score(2, 1, 1, 1)
    assert result.relations["represents"] == Score(0, 1, 0, 0)
    assert result.relations["supports_position"] == Score(1, 1, 1, 1)
    assert result.relations["blames"].precision == 0.5
    assert result.relations["represents"].f1 == 0
    rows = {
        line.split()[0]: line.split()
        for line in format_evaluation(result).splitlines()
        if line.split() and line.split()[0] in result.relations
    }
    assert rows["blames"] == ["blames", "2", "1", "1", "0.50", "1.00", "0.67"]
    assert rows["represents"] == ["represents", "0", "1", "0", "0.00", "0.00", "0.00"]


def test_the_strict_score_needs_overlapping_quotes(score_draft):
    statements = gold_statements()
    statements[0]["quote"] = "the failed talks"  # overlaps the gold quote
    statements[1]["quote"] = "said the right"  # apart from "The Ruritanian envoy, Anna Vogel"
    result = score_draft(draft_of(statements=statements))
    assert result.statements == Score(3, 3, 3, 3)
    assert result.statements_with_quotes == Score(3, 3, 2, 2)
    assert round(result.statements_with_quotes.f1, 4) == 0.6667
    assert "  with quotes precision 0.67  recall 0.67  f1 0.67" in format_evaluation(result)


def test_modality_agreement_among_matched_statements(score_draft):
    statements = gold_statements()
    statements[0]["modality"] = "alleged"  # gold: reported
    statements[2]["modality"] = "speculative"  # gold: reported
    statements.append(statement("extra", "freedonia", "blames", "ruritania", "failed talks"))
    result = score_draft(draft_of(statements=statements))
    assert result.modality_agreed == 1
    assert result.modality_agreement == pytest.approx(1 / 3)
    assert result.modality_confusion == {
        ("asserted", "asserted"): 1,
        ("reported", "alleged"): 1,
        ("reported", "speculative"): 1,
    }
    assert "modality agrees on 1 of 3 matched statements (0.33)" in format_evaluation(result)
    modality = evaluation_document(result)["modality"]
    assert modality["confusion"] == {
        "asserted": {"asserted": 1},
        "reported": {"alleged": 1, "speculative": 1},
    }


def test_draft_fields_are_read_and_ignored(score_draft):
    draft = draft_of()
    for item in [*draft["entities"], *draft["statements"]]:
        item.update(reviewed=False, confidence=0.4)
    result = score_draft(draft)
    assert result.statements.f1 == 1
    assert result.entities.f1 == 1


# --- scores ---------------------------------------------------------------------------


def test_precision_recall_and_f1():
    score = Score(draft=4, gold=5, matched_draft=2, matched_gold=2)
    assert (score.precision, score.recall) == (0.5, 0.4)
    assert score.f1 == pytest.approx(2 * 0.5 * 0.4 / 0.9)


@pytest.mark.parametrize(
    ("score", "figures"),
    [
        (Score(0, 0, 0, 0), (0, 0, 0)),
        (Score(0, 3, 0, 0), (0, 0, 0)),  # nothing drafted
        (Score(3, 0, 0, 0), (0, 0, 0)),  # nothing in the gold
        (Score(3, 3, 0, 0), (0, 0, 0)),  # nothing matched
        (Score(2, 4, 2, 2), (1, 0.5, pytest.approx(2 / 3))),
    ],
)
def test_zero_denominators_give_zero(score, figures):
    assert (score.precision, score.recall, score.f1) == figures


def test_an_empty_draft_scores_zero(score_draft):
    result = score_draft(draft_of(entities=[], statements=[]))
    assert result.entities == Score(0, 4, 0, 0)
    assert result.statements == Score(0, 3, 0, 0)
    assert result.modality_agreement == 0
    assert result.unmatched_gold_statements == tuple(s["id"] for s in GOLD["statements"])
    assert "modality agrees on 0 of 0 matched statements (0.00)" in format_evaluation(result)


# --- the seed, the output and errors --------------------------------------------------


def test_the_seed_against_itself_scores_one_everywhere():
    seed = SEED_DIR / "annotation.yaml"
    result = evaluate(seed, seed)
    assert result.entities == Score(58, 58, 58, 58)
    assert result.statements == Score(113, 113, 113, 113)
    scores = [
        result.entities,
        result.statements,
        result.statements_with_quotes,
        *result.relations.values(),
        *result.entity_types.values(),
    ]
    for score in scores:
        assert (score.precision, score.recall, score.f1) == (1, 1, 1)
    assert "supports_position" in result.relations and "position" in result.entity_types
    assert result.modality_agreement == 1
    assert all(result.statement_alignment[s] == s for s in result.statement_alignment)
    assert not result.unmatched_gold_entities and not result.unmatched_draft_statements


def test_loaded_corpora_are_accepted():
    seed = load_source(SEED_DIR / "annotation.yaml")
    result = evaluate(seed, seed)
    assert result.statements.f1 == 1
    assert result.gold_path == SEED_DIR / "annotation.yaml"


def test_the_table(score_draft):
    statements = gold_statements()
    del statements[0]
    text = format_evaluation(score_draft(draft_of(statements=statements)))
    assert text.splitlines()[:5] == [
        "entities      precision 1.00  recall 1.00  f1 1.00   (draft 4, gold 4, matched 4)",
        "statements    precision 1.00  recall 0.67  f1 0.80   (draft 2, gold 3, matched 2)",
        "  with quotes precision 1.00  recall 0.67  f1 0.80   (draft 2, gold 3, matched 2)",
        "modality agrees on 2 of 2 matched statements (1.00)",
        "",
    ]
    assert "relation            draft  gold  matched  precision  recall    f1" in text
    assert "blames                  0     1        0       0.00    0.00  0.00" in text
    assert "entity type         draft  gold  matched  precision  recall    f1" in text
    assert "position                1     1        1       1.00    1.00  1.00" in text


def test_the_json_document_lists_what_was_missed(score_draft):
    draft = draft_of(
        entities=[*copy.deepcopy(GOLD["entities"][:3]), entity("atlantis", "Atlantis")],
        statements=[
            *gold_statements()[:2],
            statement("atlantis-blames-freedonia", "atlantis", "blames", "freedonia", "failed"),
        ],
    )
    document = json.loads(json.dumps(evaluation_document(score_draft(draft))))
    assert document["unmatched"] == {
        "draft_entities": ["atlantis"],
        "gold_entities": ["self-defence"],
        "draft_statements": ["atlantis-blames-freedonia"],
        "gold_statements": ["vogel-supports-self-defence"],
    }
    assert document["entities"] == {
        "draft": 4,
        "gold": 4,
        "matched_draft": 3,
        "matched_gold": 3,
        "precision": 0.75,
        "recall": 0.75,
        "f1": 0.75,
    }
    assert document["relations"]["blames"]["matched_gold"] == 1
    assert {"draft": "ruritania", "gold": "ruritania", "evidence": "id"} in document[
        "aligned_entities"
    ]
    assert document["gold"].endswith("gold/annotation.yaml")


def test_different_texts_cannot_be_compared(make_source):
    data = make_source(annotation=tiny_annotation(), folder="gold")
    make_source(annotation=draft_of(), text=TINY_TEXT + "More.\n", folder="draft")
    with pytest.raises(AnnotationError, match="differs from the gold's"):
        evaluate(data / "draft", data / "gold")


def test_an_invalid_draft_raises_the_annotation_error(make_source):
    draft = draft_of()
    draft["statements"][0]["quote"] = "not in the text"
    data = make_source(annotation=tiny_annotation(), folder="gold")
    make_source(annotation=draft, folder="draft")
    with pytest.raises(AnnotationError, match="statement 'ruritania-blames-freedonia'"):
        evaluate(data / "draft", data / "gold")


def test_a_corpus_of_several_sources_is_refused(seed_corpus):
    from dataclasses import replace

    two = replace(seed_corpus, sources=seed_corpus.sources * 2)
    with pytest.raises(ValueError, match="one source"):
        evaluate(two, seed_corpus)
