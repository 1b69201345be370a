import copy
import json
from pathlib import Path

import pytest
import yaml

from graph.errors import AnnotationError
from graph.extraction.evaluation import (
    Score,
    agreed_modalities,
    evaluate,
    format_evaluation,
    share,
)
from graph.extraction.scoring import (
    KEY_RELATIONS,
    Hedges,
    corpus_evaluation_document,
    evaluate_corpus,
    format_corpus_evaluation,
    holds_sources,
)
from tests.factories import TINY_TEXT, statement, tiny_annotation

SANCTIONS_TEXT = (
    "Freedonia imposed sanctions on Ruritania over the attack. "
    "Ruritania denied any involvement in the attack.\n"
)


def write_source(folder: Path, annotation: dict, text: str = TINY_TEXT) -> Path:
    folder.mkdir(parents=True)
    (folder / "article.txt").write_text(text, encoding="utf-8")
    dumped = yaml.safe_dump(annotation, allow_unicode=True, sort_keys=False)
    (folder / "annotation.yaml").write_text(dumped, encoding="utf-8")
    return folder


def with_id(annotation: dict, source_id: str) -> dict:
    annotation["source"]["id"] = source_id
    return annotation


def alpha() -> tuple[dict, dict]:
    """Gold: the tiny annotation. Draft: the same, but the blame marked alleged."""
    gold = with_id(tiny_annotation(), "alpha")
    draft = copy.deepcopy(gold)
    draft["statements"][0]["modality"] = "alleged"  # a false hedge
    return draft, gold


def bravo() -> tuple[dict, dict]:
    """Gold: the tiny annotation with the blame alleged and the stance speculative.

    Draft: a false entity and a false statement (hedged), the blame alleged (a hedge
    found), the stance reported (a hedge missed).
    """
    gold = with_id(tiny_annotation(), "bravo")
    gold["statements"][0]["modality"] = "alleged"
    gold["statements"][2]["modality"] = "speculative"
    draft = with_id(copy.deepcopy(gold), "bravo-draft")  # paired by folder name
    draft["statements"][2]["modality"] = "reported"
    draft["entities"].append({"id": "atlantis", "type": "state", "label": "Atlantis"})
    draft["statements"].append(
        statement(
            "atlantis-blames", "atlantis", "blames", "freedonia", "failed talks", "speculative"
        )
    )
    return draft, gold


def charlie() -> tuple[dict, dict]:
    """Gold: a sanction and a denial. Draft: the sanction only, without the incident."""
    source = {**tiny_annotation()["source"], "id": "charlie"}
    entities = [
        {"id": "freedonia", "type": "state", "label": "Freedonia"},
        {"id": "ruritania", "type": "state", "label": "Ruritania"},
        {"id": "attack", "type": "incident", "label": "The attack"},
    ]
    sanction = statement(
        "sanction", "freedonia", "sanctions", "ruritania", "Freedonia imposed sanctions"
    )
    denial = statement(
        "denial", "ruritania", "denies", "attack", "Ruritania denied any involvement"
    )
    gold = {"source": source, "entities": entities, "statements": [sanction, denial]}
    draft = {"source": source, "entities": entities[:2], "statements": [sanction]}
    return copy.deepcopy(draft), gold


@pytest.fixture
def folders(tmp_path):
    """A hand-made corpus of three sources: ``drafts`` and ``gold`` folders of sources.

    alpha: draft in a folder of another name, paired by id; bravo: draft with another id,
    paired by folder name; charlie: another text.
    """
    drafts, gold = tmp_path / "drafts", tmp_path / "gold"
    for name, (draft, gold_annotation), text in [
        ("alpha", alpha(), TINY_TEXT),
        ("bravo", bravo(), TINY_TEXT),
        ("charlie", charlie(), SANCTIONS_TEXT),
    ]:
        write_source(gold / name, gold_annotation, text)
        write_source(drafts / ("first" if name == "alpha" else name), draft, text)
    return drafts, gold


# --- totals ---------------------------------------------------------------------------


def test_each_source_is_scored_as_evaluate_scores_it(folders):
    drafts, gold = folders
    result = evaluate_corpus(drafts, gold)
    assert [s.source for s in result.sources] == ["alpha", "bravo", "charlie"]
    assert [s.draft_path for s in result.sources] == [
        drafts / "first" / "annotation.yaml",
        drafts / "bravo" / "annotation.yaml",
        drafts / "charlie" / "annotation.yaml",
    ]
    by_id = {s.source: s.evaluation for s in result.sources}
    assert by_id["alpha"].statements == Score(3, 3, 3, 3)
    assert by_id["bravo"].entities == Score(5, 4, 4, 4)
    assert by_id["bravo"].statements == Score(4, 3, 3, 3)
    assert by_id["charlie"].entities == Score(2, 3, 2, 2)
    assert by_id["charlie"].statements == Score(1, 2, 1, 1)
    single = evaluate(drafts / "bravo", gold / "bravo")
    assert format_evaluation(single) == format_evaluation(by_id["bravo"])


def test_the_totals_sum_the_counts(folders):
    result = evaluate_corpus(*folders)
    assert result.entities == Score(11, 11, 10, 10)
    assert result.statements == Score(8, 8, 7, 7)
    assert result.statements_with_quotes == Score(8, 8, 7, 7)
    assert result.entity_types["incident"] == Score(0, 1, 0, 0)
    assert result.entity_types["state"] == Score(7, 6, 6, 6)


def test_the_totals_are_micro_averaged_not_means_of_ratios(folders):
    result = evaluate_corpus(*folders)
    assert result.statements.precision == 7 / 8
    assert result.statements.recall == 7 / 8
    per_source = [s.evaluation.statements for s in result.sources]
    assert sum(s.precision for s in per_source) / 3 == pytest.approx((1 + 0.75 + 1) / 3)
    assert sum(s.recall for s in per_source) / 3 == pytest.approx((1 + 1 + 0.5) / 3)
    assert result.entities.f1 == pytest.approx(10 / 11)


def test_relations_are_summed_and_the_key_relations_always_shown(folders):
    result = evaluate_corpus(*folders)
    assert set(KEY_RELATIONS) <= set(result.relations)
    assert result.relations == {
        "attributed_to": Score(0, 0, 0, 0),  # in neither side: still a row
        "blames": Score(3, 2, 2, 2),
        "denies": Score(0, 1, 0, 0),
        "represents": Score(2, 2, 2, 2),
        "sanctions": Score(1, 1, 1, 1),
        "supports_position": Score(2, 2, 2, 2),
    }
    assert list(result.relations) == sorted(result.relations)


def test_modality_agreement_over_the_corpus(folders):
    result = evaluate_corpus(*folders)
    assert result.modality_confusion == {
        ("asserted", "asserted"): 2,
        ("reported", "reported"): 2,
        ("reported", "alleged"): 1,
        ("alleged", "alleged"): 1,
        ("speculative", "reported"): 1,
    }
    assert agreed_modalities(result.modality_confusion) == 5
    assert share(5, result.statements.matched_gold) == 5 / 7


def test_the_hedge_figures(folders):
    result = evaluate_corpus(*folders)
    by_id = {s.source: s.hedges for s in result.sources}
    assert by_id["alpha"] == Hedges(0, 0, 0, matched_plain=3, false_hedges=1)
    assert by_id["bravo"] == Hedges(
        gold_hedged=2,
        matched_hedged=2,
        marked_hedged=1,
        matched_plain=1,
        false_hedges=0,
        unmatched_draft_hedged=1,
    )
    assert result.hedges == Hedges(2, 2, 1, 5, 1, 1)
    assert result.hedges.marked_share == 0.5
    assert Hedges().marked_share == 0


def test_a_hedge_of_another_kind_still_counts_as_marked(tmp_path):
    gold = tiny_annotation()
    gold["statements"][0]["modality"] = "alleged"
    draft = copy.deepcopy(gold)
    draft["statements"][0]["modality"] = "speculative"
    write_source(tmp_path / "gold" / "tiny", gold)
    write_source(tmp_path / "drafts" / "tiny", draft)
    result = evaluate_corpus(tmp_path / "drafts", tmp_path / "gold")
    assert result.hedges == Hedges(1, 1, 1, 2, 0, 0)
    assert agreed_modalities(result.modality_confusion) == 2  # the modality itself differs


# --- pairing --------------------------------------------------------------------------


def test_a_gold_source_without_a_draft_is_refused_by_name(folders):
    drafts, gold = folders
    write_source(gold / "delta", with_id(tiny_annotation(), "delta"))
    write_source(gold / "echo", with_id(tiny_annotation(), "echo"))
    with pytest.raises(AnnotationError) as raised:
        evaluate_corpus(drafts, gold)
    message = str(raised.value)
    assert message == (
        f"{drafts}: no draft for the gold sources 'delta' (delta/), 'echo' (echo/) "
        "(by id or folder name; --missing zero scores a missing draft as drafting nothing)"
    )


def test_a_draft_without_a_gold_source_is_refused_even_with_missing_zero(folders):
    drafts, gold = folders
    write_source(drafts / "zulu", with_id(tiny_annotation(), "zulu"))
    for missing in ("refuse", "zero"):
        with pytest.raises(AnnotationError, match="for the draft 'zulu' \\(zulu/\\)") as raised:
            evaluate_corpus(drafts, gold, missing=missing)
        assert "\n" not in str(raised.value)
        assert f"no gold source in {gold}" in str(raised.value)


def test_both_pairing_problems_in_one_line(folders):
    drafts, gold = folders
    (gold / "alpha").rename(gold / "alpha-2")
    (drafts / "first" / "annotation.yaml").write_text(
        yaml.safe_dump(with_id(alpha()[0], "alpha-draft")), encoding="utf-8"
    )
    with pytest.raises(AnnotationError) as raised:
        evaluate_corpus(drafts, gold)
    assert str(raised.value) == (
        f"{drafts}: no draft for the gold source 'alpha' (alpha-2/) (by id or folder name; "
        "--missing zero scores a missing draft as drafting nothing); no gold source in "
        f"{gold} for the draft 'alpha-draft' (first/) (by id or folder name)"
    )


def test_missing_zero_scores_a_missing_draft_as_drafting_nothing(folders):
    drafts, gold = folders
    write_source(gold / "delta", with_id(tiny_annotation(), "delta"))
    result = evaluate_corpus(drafts, gold, missing="zero")
    delta = result.sources[-1]
    assert (delta.source, delta.draft_path) == ("delta", None)
    assert delta.evaluation.entities == Score(0, 4, 0, 0)
    assert delta.evaluation.statements == Score(0, 3, 0, 0)
    assert result.missing_drafts == ("delta",)
    assert result.statements == Score(8, 11, 7, 7)  # recall falls, precision holds
    assert result.entities == Score(11, 15, 10, 10)
    assert "delta    " in format_corpus_evaluation(result)
    assert format_corpus_evaluation(result).splitlines()[5].endswith(" (no draft)")


def test_two_sources_with_one_id_are_refused(folders):
    drafts, gold = folders
    write_source(drafts / "second", with_id(tiny_annotation(), "alpha"))
    with pytest.raises(AnnotationError, match="the sources first/ and second/ have one id"):
        evaluate_corpus(drafts, gold)


def test_a_source_and_a_folder_of_sources_are_refused(folders):
    drafts, gold = folders
    with pytest.raises(AnnotationError, match=r"is one source .* while .* is a folder of"):
        evaluate_corpus(drafts / "bravo", gold)
    with pytest.raises(AnnotationError, match="folder not found"):
        evaluate_corpus(drafts / "nowhere", gold)
    with pytest.raises(AnnotationError, match="is a file while"):
        evaluate_corpus(drafts, gold / "bravo" / "annotation.yaml")


def test_a_gold_folder_without_sources_is_refused(folders, tmp_path):
    drafts, _ = folders
    (tmp_path / "empty").mkdir()
    with pytest.raises(AnnotationError, match="no source folder in it"):
        evaluate_corpus(drafts, tmp_path / "empty")


def test_an_invalid_draft_names_its_file(folders):
    drafts, gold = folders
    draft = bravo()[0]
    draft["statements"][0]["quote"] = "not in the text"
    (drafts / "bravo" / "annotation.yaml").write_text(yaml.safe_dump(draft), encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"bravo/annotation\.yaml: statement "):
        evaluate_corpus(drafts, gold)


def test_what_holds_sources(folders, tmp_path):
    drafts, gold = folders
    assert holds_sources(drafts) and holds_sources(str(gold))
    assert not holds_sources(gold / "alpha")  # a source folder
    assert not holds_sources(gold / "alpha" / "annotation.yaml")
    assert not holds_sources(tmp_path / "nowhere")


# --- output ---------------------------------------------------------------------------


def test_the_table(folders):
    lines = format_corpus_evaluation(evaluate_corpus(*folders)).splitlines()
    assert lines[:7] == [
        "         entities          statements        with quotes",
        "source   P     R     F1    P     R     F1    P     R     F1",
        "alpha    1.00  1.00  1.00  1.00  1.00  1.00  1.00  1.00  1.00",
        "bravo    0.80  1.00  0.89  0.75  1.00  0.86  0.75  1.00  0.86",
        "charlie  1.00  0.67  0.80  1.00  0.50  0.67  1.00  0.50  0.67",
        "TOTALS   0.91  0.91  0.91  0.88  0.88  0.88  0.88  0.88  0.88",
        "",
    ]
    assert lines[7:15] == [
        "totals over 3 sources, micro-averaged (counts summed over the sources, then the ratios)",
        "entities      precision 0.91  recall 0.91  f1 0.91   (draft 11, gold 11, matched 10)",
        "statements    precision 0.88  recall 0.88  f1 0.88   (draft 8, gold 8, matched 7)",
        "  with quotes precision 0.88  recall 0.88  f1 0.88   (draft 8, gold 8, matched 7)",
        "modality agrees on 5 of 7 matched statements (0.71)",
        "hedges: 1 of 2 matched statements hedged in the gold are hedged in the draft (0.50); "
        "2 hedged in the gold",
        "false hedges: 1 of 5 matched statements not hedged in the gold are hedged in the "
        "draft; 1 hedged draft statements match none",
        "",
    ]
    assert "attributed_to           0     0        0       0.00    0.00  0.00" in lines
    assert "denies                  0     1        0       0.00    0.00  0.00" in lines
    assert "blames                  3     2        2       0.67    1.00  0.80" in lines
    assert "incident                0     1        0       0.00    0.00  0.00" in lines


def test_the_json_document(folders):
    drafts, gold = folders
    write_source(gold / "delta", with_id(tiny_annotation(), "delta"))
    result = evaluate_corpus(drafts, gold, missing="zero")
    document = json.loads(json.dumps(corpus_evaluation_document(result)))
    assert document["missing_drafts"] == ["delta"]
    totals = document["totals"]
    assert totals["sources"] == 4
    assert totals["statements"] == {
        "draft": 8,
        "gold": 11,
        "matched_draft": 7,
        "matched_gold": 7,
        "precision": 7 / 8,
        "recall": 7 / 11,
        "f1": pytest.approx(14 / 19),
    }
    assert totals["relations"]["sanctions"]["matched_gold"] == 1
    assert totals["relations"]["attributed_to"]["gold"] == 0
    assert totals["modality"]["agreed"] == 5
    assert totals["modality"]["confusion"]["speculative"] == {"reported": 1}
    assert totals["hedges"] == {
        "gold_hedged": 2,
        "matched_hedged": 2,
        "marked_hedged": 1,
        "matched_plain": 5,
        "false_hedges": 1,
        "unmatched_draft_hedged": 1,
        "marked_share": 0.5,
    }
    sources = {source["source"]: source for source in document["sources"]}
    assert list(sources) == ["alpha", "bravo", "charlie", "delta"]
    assert sources["delta"]["draft"] is None
    assert sources["delta"]["unmatched"]["gold_statements"] == [
        "ruritania-blames-freedonia",
        "vogel-represents-ruritania",
        "vogel-supports-self-defence",
    ]
    assert sources["bravo"]["draft"] == str(drafts / "bravo" / "annotation.yaml")
    assert sources["bravo"]["unmatched"]["draft_statements"] == ["atlantis-blames"]
    assert sources["bravo"]["hedges"]["marked_hedged"] == 1


# --- reliability ----------------------------------------------------------------------


def test_reliability_counts_the_draft_statements_by_band_of_confidence(tmp_path):
    gold = tiny_annotation()
    draft = copy.deepcopy(gold)
    draft["statements"].append(
        statement("vogel-blames", "anna-vogel", "blames", "freedonia", "failed talks")
    )
    # the three right statements at 0.95, 0.9 and 0.62, the wrong one at 0.65
    for item, confidence in zip(draft["statements"], (0.95, 0.9, 0.62, 0.65), strict=True):
        item.update(reviewed=False, confidence=confidence)
    write_source(tmp_path / "gold" / "tiny", gold)
    write_source(tmp_path / "drafts" / "tiny", draft)
    result = evaluate_corpus(tmp_path / "drafts", tmp_path / "gold")
    bands = {(band.low, band.high): band for band in result.reliability}
    assert list(bands) == [(0.9, 1.0), (0.8, 0.9), (0.6, 0.8), (0.4, 0.6), (0.0, 0.4)]
    assert (bands[0.9, 1.0].drafted, bands[0.9, 1.0].right) == (2, 2)
    assert bands[0.9, 1.0].mean_confidence == pytest.approx(0.925)
    assert (bands[0.6, 0.8].drafted, bands[0.6, 0.8].right) == (2, 1)
    assert bands[0.6, 0.8].share == 0.5
    assert bands[0.8, 0.9].drafted == bands[0.4, 0.6].drafted == 0
    assert bands[0.8, 0.9].share == bands[0.8, 0.9].mean_confidence == 0
    lines = format_corpus_evaluation(result).splitlines()
    start = lines.index(
        "reliability of the draft statements, by the confidence the draft gives them"
    )
    assert lines[start + 2 : start + 5] == [
        "0.9-1.0           2      2   1.00             0.93",
        "0.8-0.9           0      0   0.00             0.00",
        "0.6-0.8           2      1   0.50             0.64",
    ]
    document = corpus_evaluation_document(result)
    assert document["totals"]["reliability"][2] == {
        "low": 0.6,
        "high": 0.8,
        "drafted": 2,
        "right": 1,
        "share": 0.5,
        "mean_confidence": pytest.approx(0.635),
    }


def test_no_reliability_table_for_drafts_without_confidence(folders):
    result = evaluate_corpus(*folders)
    assert all(band.drafted == 0 for band in result.reliability)
    assert "reliability" not in format_corpus_evaluation(result)
