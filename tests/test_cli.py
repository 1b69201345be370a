import subprocess
import sys

import pytest

from graph.cli import main
from tests.factories import DATA, REPO, tiny_annotation, tiny_variant


def test_build_reports_what_it_wrote(tmp_path, capsys):
    assert main(["build", "--data", str(DATA), "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "built 1 source(s)" in captured.out
    assert f"wrote {tmp_path / 'graph.ttl'}" in captured.out
    assert captured.err == ""  # the seed has no ambiguous name and no draft


def test_build_warns_of_ambiguous_names_and_drafts_and_succeeds(tmp_path, make_source, capsys):
    make_source(annotation=tiny_variant("src-a"), folder="a")
    second = tiny_variant(
        "src-b",
        rename={"anna-vogel": "karl-vogel", "ruritania": "rur"},
        entities={"karl-vogel": {"label": "Karl Vogel"}, "rur": {"same_as": "ruritania"}},
    )
    second["statements"][0].update(reviewed=False, confidence=0.5)
    second["statements"][2].update(reviewed=False)
    data = make_source(annotation=second, folder="b")
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "built 2 source(s), 5 entities, 6 statements" in captured.out
    assert captured.err.splitlines() == [
        "warning: the name 'Vogel' could be anna-vogel (src-a) or karl-vogel (src-b); "
        "they are kept apart; add same_as if they are one",
        "warning: src-b: 2 of 3 statements are unreviewed drafts",
    ]
    turtle = (tmp_path / "out" / "graph.ttl").read_text(encoding="utf-8")
    assert "ent:rur " not in turtle and "apg:reviewed false" in turtle


def test_bad_input_exits_non_zero_with_one_line_and_leaves_output(tmp_path, make_source, capsys):
    data = make_source(raw="source: [\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text("previous build")
    assert main(["build", "--data", str(data), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("apg: error: ") and "annotation.yaml" in err
    assert [p.name for p in out.iterdir()] == ["graph.ttl"]  # no store, no temporary files
    assert (out / "graph.ttl").read_text() == "previous build"


def test_python_dash_m_runs_the_same_command(tmp_path):
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "graph",
            "build",
            "--data",
            str(tmp_path / "none"),
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 1
    assert "data folder not found" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "out").exists()


def test_a_relation_with_the_wrong_kind_of_object_names_the_statement(
    tmp_path, make_source, capsys
):
    annotation = tiny_annotation()
    annotation["statements"][0]["object"] = "self-defence"  # blames a position
    data = make_source(annotation=annotation)
    assert main(["build", "--data", str(data), "--out", str(tmp_path / "out")]) == 1
    first, *_ = capsys.readouterr().err.splitlines()
    assert first.startswith("apg: error: graph does not conform to the shapes: ")
    assert "annotation.yaml: statement 'ruritania-blames-freedonia': blames: the object" in first
    assert not (tmp_path / "out").exists()


def test_render_writes_a_focused_page(tmp_path, capsys):
    out = tmp_path / "khramov.html"
    code = main(
        ["render", "--data", str(DATA), "--focus", "Oleg Khramov", "--depth", "1",
         "--relations", "blames,represents,speaks_at", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    html = out.read_text(encoding="utf-8")
    assert '"id": "oleg-khramov"' in html and '"id": "western-countries"' in html
    assert '"id": "cuba"' not in html


def test_render_of_an_unknown_entity_fails_cleanly(tmp_path, capsys):
    out = tmp_path / "none.html"
    assert main(["render", "--data", str(DATA), "--focus", "Atlantis", "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip() == (
        "apg: error: no entity has the id, label or alias 'Atlantis'"
    )
    assert not out.exists()


def test_query_reads_the_store_while_another_process_holds_it(tmp_path, capsys):
    from graph.store import open_store

    assert main(["build", "--data", str(DATA), "--out", str(tmp_path)]) == 0
    holder = open_store(tmp_path / "store")  # as `apg serve` would
    capsys.readouterr()
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "query", "--store", str(tmp_path / "store"),
         "--format", "csv",
         "SELECT ?q WHERE { ?s rdf:subject ent:oleg-khramov ; rdf:predicate apg:blames ;"
         " apg:quote ?q }"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines()[1] == "blamed western countries for the impasse"
    assert bool(holder.query("ASK { ?s ?p ?o }"))


def test_query_refuses_an_update_in_one_line(tmp_path, capsys):
    assert main(["query", "--store", str(tmp_path), "INSERT DATA { <x:a> <x:b> <x:c> }"]) == 1
    assert capsys.readouterr().err.strip() == (
        "apg: error: INSERT is refused: the graph is read-only (updates are refused)"
    )


def test_query_without_a_build_says_so(tmp_path, capsys):
    assert main(["query", "--store", str(tmp_path / "store"), "ASK { ?s ?p ?o }"]) == 1
    assert "run `apg build` first" in capsys.readouterr().err


def test_build_writes_the_networks(tmp_path, capsys):
    assert main(["build", "--data", str(DATA), "--out", str(tmp_path)]) == 0
    assert f"wrote {tmp_path / 'networks'}/ (44 files)" in capsys.readouterr().out
    assert (tmp_path / "networks" / "state" / "blame.gexf").read_bytes().startswith(b"<gexf")
    assert not list(tmp_path.rglob("*.tmp"))


def test_analyze_prints_the_camps_at_state_level(capsys):
    assert main(["analyze", "--data", str(DATA), "--level", "state"]) == 0
    out = capsys.readouterr().out
    camps = [line for line in out.splitlines() if line.startswith("camp ")]
    assert len(camps) == 2
    east = next(line for line in camps if "Russia" in line)
    west = next(line for line in camps if "United States" in line)
    assert "Cuba" in east and "China" in east and "United Kingdom" not in east
    assert "United Kingdom" in west and "Cuba" not in west
    assert "polarisation: 1.00" in out


def test_analyze_as_json_by_window(capsys):
    import json

    assert main(["analyze", "--data", str(DATA), "--format", "json", "--window", "365"]) == 0
    windows = json.loads(capsys.readouterr().out)
    # from the start of the talks (2004) to the article; windows without statements left out
    assert windows[0]["window"] == "2004-01-01..2004-12-30"
    assert windows[-1]["window"] == "2016-12-28..2017-12-27"
    assert len(windows) < 14
    assert windows[-1]["level"] == "actor"
    assert any("miguel-rodriguez" in camp["members"] for camp in windows[-1]["camps"])
    assert windows[0]["camps"] == []


def test_analyze_windows_on_calendar_years(capsys):
    assert main(["analyze", "--data", str(DATA), "--window", "year", "--level", "state"]) == 0
    out = capsys.readouterr().out
    windows = [line for line in out.splitlines() if line.startswith("window")]
    assert windows == [
        "window: 2004-01-01..2004-12-31",
        "window: 2016-01-01..2016-12-31",
        "window: 2017-01-01..2017-12-31",
    ]
    last = out.split("window: 2017-01-01..2017-12-31")[1]
    assert "camp 2: China, Cuba, Russia" in last or "camp 1: China, Cuba, Russia" in last


def test_analyze_windows_of_days_from_a_given_start(capsys):
    argv = ["analyze", "--data", str(DATA), "--window", "100", "--window-start", "2017-01-01"]
    assert main(argv) == 0
    windows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("window")]
    # statements dated only "2017" count from 1 January; then June 2017 (the talks'
    # collapse) and 23 August 2017 (the article); nothing from before 2017
    assert windows == [
        "window: 2017-01-01..2017-04-10",
        "window: 2017-04-11..2017-07-19",
        "window: 2017-07-20..2017-10-27",
    ]


def test_analyze_refuses_a_bad_window(capsys):
    with pytest.raises(SystemExit):
        main(["analyze", "--data", str(DATA), "--window", "0"])
    assert "expected year, month or a number of days" in capsys.readouterr().err
    assert main(["analyze", "--data", str(DATA), "--window-start", "2017-01-01"]) == 1
    assert "--window-start needs --window DAYS" in capsys.readouterr().err


def _draft_and_gold(make_source):
    """A draft that misses one gold statement and adds a wrong one, and the gold."""
    gold = tiny_annotation()
    draft = tiny_annotation()
    draft["statements"][0]["modality"] = "alleged"
    draft["statements"][1] = {
        "id": "freedonia-blames-ruritania",
        "subject": "freedonia",
        "relation": "blames",
        "object": "ruritania",
        "modality": "reported",
        "quote": "the failed talks",
        "reviewed": False,
        "confidence": 0.3,
    }
    data = make_source(annotation=gold, folder="gold")
    make_source(annotation=draft, folder="draft")
    return str(data / "draft" / "annotation.yaml"), str(data / "gold" / "annotation.yaml")


def test_evaluate_prints_the_scores(make_source, capsys):
    draft, gold = _draft_and_gold(make_source)
    assert main(["evaluate", draft, gold]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("entities      precision 1.00  recall 1.00  f1 1.00")
    assert lines[1] == (
        "statements    precision 0.67  recall 0.67  f1 0.67   (draft 3, gold 3, matched 2)"
    )
    assert lines[3] == "modality agrees on 1 of 2 matched statements (0.50)"
    assert "blames                  2     1        1       0.50    1.00  0.67" in lines


def test_evaluate_as_json_lists_what_was_missed(make_source, capsys):
    import json

    draft, gold = _draft_and_gold(make_source)
    assert main(["evaluate", draft, gold, "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["statements"]["matched_gold"] == 2
    assert document["unmatched"]["gold_statements"] == ["vogel-represents-ruritania"]
    assert document["unmatched"]["draft_statements"] == ["freedonia-blames-ruritania"]
    assert document["modality"]["confusion"]["reported"] == {"alleged": 1, "reported": 1}


def test_evaluate_of_a_missing_file_fails_in_one_line(tmp_path):
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "evaluate", str(tmp_path / "draft.yaml"),
         str(DATA / "un-gge-talks-collapse-2017" / "annotation.yaml")],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert completed.returncode == 1
    assert completed.stdout == ""
    assert completed.stderr == f"apg: error: {tmp_path / 'draft.yaml'}: file not found\n"


def test_evaluate_of_an_invalid_gold_names_the_item(make_source, capsys):
    draft, gold = _draft_and_gold(make_source)
    annotation = tiny_annotation()
    annotation["statements"][2]["object"] = "atlantis"
    make_source(annotation=annotation, folder="gold")
    assert main(["evaluate", draft, gold]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "statement 'vogel-supports-self-defence'" in err
    assert "unknown entity 'atlantis'" in err
