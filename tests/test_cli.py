import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from graph import AnnotationError
from graph.annotations import load_source
from graph.cli import main
from tests.factories import (
    REPO,
    SEED_DIR,
    SEED_ID,
    TINY_TEXT,
    WORKDIR,
    html_page,
    tiny_annotation,
    tiny_variant,
)


def test_build_reports_what_it_wrote(tmp_path, capsys, seed_data):
    assert main(["build", "--data", str(seed_data), "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "built 1 source(s)" in captured.out
    assert f"wrote {tmp_path / 'graph.ttl'}" in captured.out
    assert captured.err == ""  # the seed has no ambiguous name and no draft


def test_build_with_one_job_and_no_cache_writes_the_outputs_and_no_cache(tmp_path, seed_data):
    out = tmp_path / "out"
    assert (
        main(["build", "--data", str(seed_data), "--out", str(out), "-j", "1", "--no-cache"]) == 0
    )
    assert (out / "graph.ttl").is_file() and (out / "graph.html").is_file()
    assert not (out / ".cache").exists()


def test_build_with_no_jobs_fails_in_one_line(tmp_path, seed_data, capsys):
    assert main(["build", "--data", str(seed_data), "--out", str(tmp_path), "--jobs", "0"]) == 1
    assert capsys.readouterr().err.strip() == "apg: error: --jobs must be 1 or more, got 0"


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
        cwd=WORKDIR,
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


def _analyze(data: Path, *options: str) -> int:
    """``apg analyze`` of ``data``, checking every source (no build's checks)."""
    return main(["analyze", "--data", str(data), "--no-cache", *options])


def test_render_writes_a_focused_page(tmp_path, capsys, seed_data):
    out = tmp_path / "khramov.html"
    code = main(
        ["render", "--data", str(seed_data), "--focus", "Oleg Khramov", "--depth", "1",
         "--relations", "blames,represents,speaks_at", "--out", str(out),
         "--build-cache", str(tmp_path / "never-built")]
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.strip() == f"wrote {out}"
    html = out.read_text(encoding="utf-8")
    assert '"id": "oleg-khramov"' in html and '"id": "western-countries"' in html
    assert '"id": "cuba"' not in html
    title = "Around Oleg Khramov, 1 step; blames, represents and speaks at only"
    assert f"<title>{title}</title>" in html and f"<h1>{title}</h1>" in html


def test_render_of_a_misspelt_entity_suggests_the_closest_names(tmp_path, capsys, seed_data):
    out = tmp_path / "none.html"
    argv = ["render", "--data", str(seed_data), "--no-cache", "--out", str(out)]
    assert main([*argv, "--focus", "Khramov"]) == 1
    assert capsys.readouterr().err.strip() == (
        "apg: error: no entity has the id, label or alias 'Khramov'; did you mean 'Oleg Khramov'?"
    )
    assert not out.exists()


def test_render_of_an_unknown_entity_fails_cleanly(tmp_path, capsys, seed_data):
    out = tmp_path / "none.html"
    argv = ["render", "--data", str(seed_data), "--no-cache", "--out", str(out)]
    assert main([*argv, "--focus", "Atlantis"]) == 1
    assert capsys.readouterr().err.strip() == (
        "apg: error: no entity has the id, label or alias 'Atlantis'"
    )
    assert not out.exists()


def test_query_reads_the_store_while_another_process_holds_it(tmp_path, capsys, seed_data):
    from graph.sparql.store import open_store

    assert main(["build", "--data", str(seed_data), "--out", str(tmp_path)]) == 0
    holder = open_store(tmp_path / "store")  # as `apg serve` would
    capsys.readouterr()
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "query", "--store", str(tmp_path / "store"),
         "--format", "csv",
         "SELECT ?q WHERE { ?s rdf:subject ent:oleg-khramov ; rdf:predicate apg:blames ;"
         " apg:quote ?q }"],
        cwd=WORKDIR, capture_output=True, text=True, check=False,
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


def test_build_writes_the_networks(tmp_path, capsys, seed_data):
    assert main(["build", "--data", str(seed_data), "--out", str(tmp_path)]) == 0
    assert f"wrote {tmp_path / 'networks'}/ (52 files)" in capsys.readouterr().out
    assert (tmp_path / "networks" / "state" / "blame.gexf").read_bytes().startswith(b"<gexf")
    assert not list(tmp_path.rglob("*.tmp"))


def test_analyze_prints_the_camps_at_state_level(capsys, seed_data):
    assert _analyze(seed_data, "--level", "state") == 0
    out = capsys.readouterr().out
    camps = [line for line in out.splitlines() if line.startswith("camp ")]
    assert len(camps) == 2
    east = next(line for line in camps if "Russia" in line)
    west = next(line for line in camps if "United States" in line)
    assert "Cuba" in east and "China" in east and "United Kingdom" not in east
    assert "United Kingdom" in west and "Cuba" not in west
    assert "polarisation: 1.00" in out


def test_analyze_as_json_by_window(capsys, seed_data):
    import json

    assert _analyze(seed_data, "--format", "json", "--window", "365") == 0
    windows = json.loads(capsys.readouterr().out)
    # from the start of the talks (2004) to the article; windows without statements left out
    assert windows[0]["window"] == "2004-01-01..2004-12-30"
    assert windows[-1]["window"] == "2016-12-28..2017-12-27"
    assert len(windows) < 14
    assert windows[-1]["level"] == "actor"
    assert any("miguel-rodriguez" in camp["members"] for camp in windows[-1]["camps"])
    assert windows[0]["camps"] == []


def test_analyze_windows_on_calendar_years(capsys, seed_data):
    assert _analyze(seed_data, "--window", "year", "--level", "state") == 0
    out = capsys.readouterr().out
    windows = [line for line in out.splitlines() if line.startswith("window")]
    assert windows == [
        "window: 2004-01-01..2004-12-31",
        "window: 2016-01-01..2016-12-31",
        "window: 2017-01-01..2017-12-31",
    ]
    last = out.split("window: 2017-01-01..2017-12-31")[1]
    assert "camp 2: China, Cuba, Russia" in last or "camp 1: China, Cuba, Russia" in last


def test_analyze_windows_of_days_from_a_given_start(capsys, seed_data):
    assert _analyze(seed_data, "--window", "100", "--window-start", "2017-01-01") == 0
    windows = [line for line in capsys.readouterr().out.splitlines() if line.startswith("window")]
    # statements dated only "2017" count from 1 January; then June 2017 (the talks'
    # collapse) and 23 August 2017 (the article); nothing from before 2017
    assert windows == [
        "window: 2017-01-01..2017-04-10",
        "window: 2017-04-11..2017-07-19",
        "window: 2017-07-20..2017-10-27",
    ]


def test_analyze_refuses_a_bad_window(capsys, seed_data):
    with pytest.raises(SystemExit):
        _analyze(seed_data, "--window", "0")
    assert "expected year, month or a number of days" in capsys.readouterr().err
    assert _analyze(seed_data, "--window-start", "2017-01-01") == 1
    assert "--window-start needs --window DAYS" in capsys.readouterr().err


def test_analyze_takes_the_checks_of_a_build_unless_told_not_to(
    tmp_path, capsys, seed_data, counted_validations
):
    from graph.cli import _parser

    for command in ("analyze", "render"):  # by default, the build folder apg build writes
        assert _parser().parse_args([command]).build_cache == "output"
    assert _parser().parse_args(["push", "http://127.0.0.1:9/"]).build_cache == "output"
    out = tmp_path / "out"
    assert main(["build", "--data", str(seed_data), "--out", str(out)]) == 0
    counted_validations.clear()
    capsys.readouterr()
    assert main(["analyze", "--data", str(seed_data), "--build-cache", str(out)]) == 0
    assert counted_validations == []
    cached = capsys.readouterr().out
    assert _analyze(seed_data) == 0
    assert len(counted_validations) == 1 and capsys.readouterr().out == cached
    counted_validations.clear()
    elsewhere = tmp_path / "elsewhere"
    assert main(["analyze", "--data", str(seed_data), "--build-cache", str(elsewhere)]) == 0
    assert len(counted_validations) == 1 and not elsewhere.exists()


def test_analyze_refuses_no_processes_and_runs_in_one(capsys, seed_data):
    assert _analyze(seed_data, "--jobs", "0") == 1
    assert "--jobs must be 1 or more, got 0" in capsys.readouterr().err
    assert _analyze(seed_data, "-j", "1", "--level", "state") == 0
    one = capsys.readouterr().out
    assert _analyze(seed_data, "--level", "state") == 0
    assert capsys.readouterr().out == one and "camp 1:" in one


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


def test_evaluate_of_a_missing_file_fails_in_one_line(tmp_path, seed_data):
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "evaluate", str(tmp_path / "draft.yaml"),
         str(seed_data / "un-gge-talks-collapse-2017" / "annotation.yaml")],
        cwd=WORKDIR, capture_output=True, text=True, check=False,
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


def _corpus_folders(tmp_path):
    """Folders of drafts and gold sources: src-a drafted as in the gold, src-b without its
    representation statement."""
    drafts, gold = tmp_path / "drafts", tmp_path / "gold"
    missed = tiny_variant("src-b")
    del missed["statements"][1]
    for folder, annotation in [
        (gold / "a", tiny_variant("src-a")),
        (gold / "b", tiny_variant("src-b")),
        (drafts / "a", tiny_variant("src-a")),
        (drafts / "b", missed),
    ]:
        folder.mkdir(parents=True)
        (folder / "article.txt").write_text(TINY_TEXT, encoding="utf-8")
        (folder / "annotation.yaml").write_text(yaml.safe_dump(annotation), encoding="utf-8")
    return drafts, gold


def test_evaluate_two_folders_prints_a_row_per_source_and_the_totals(tmp_path, capsys):
    drafts, gold = _corpus_folders(tmp_path)
    assert main(["evaluate", str(drafts), str(gold)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1:5] == [
        "source  P     R     F1    P     R     F1    P     R     F1",
        "src-a   1.00  1.00  1.00  1.00  1.00  1.00  1.00  1.00  1.00",
        "src-b   1.00  1.00  1.00  1.00  0.67  0.80  1.00  0.67  0.80",
        "TOTALS  1.00  1.00  1.00  1.00  0.83  0.91  1.00  0.83  0.91",
    ]
    assert lines[8] == (
        "statements    precision 1.00  recall 0.83  f1 0.91   (draft 5, gold 6, matched 5)"
    )
    assert "represents              1     2        1       1.00    0.50  0.67" in lines
    assert "sanctions               0     0        0       0.00    0.00  0.00" in lines


def test_evaluate_two_folders_as_json(tmp_path, capsys):
    import json

    drafts, gold = _corpus_folders(tmp_path)
    assert main(["evaluate", str(drafts), str(gold), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["totals"]["statements"]["matched_gold"] == 5
    assert document["totals"]["relations"]["represents"]["gold"] == 2
    assert document["totals"]["hedges"]["matched_plain"] == 5
    assert [source["source"] for source in document["sources"]] == ["src-a", "src-b"]
    assert document["sources"][1]["unmatched"]["gold_statements"] == ["vogel-represents-ruritania"]


def test_evaluate_refuses_a_gold_source_without_a_draft_unless_missing_zero(tmp_path, capsys):
    drafts, gold = _corpus_folders(tmp_path)
    for name in ("annotation.yaml", "article.txt"):
        (drafts / "b" / name).unlink()
    assert main(["evaluate", str(drafts), str(gold)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"apg: error: {drafts}: no draft for the gold source 'src-b' (b/)")
    assert main(["evaluate", str(drafts), str(gold), "--missing", "zero"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[3] == "src-b   0.00  0.00  0.00  0.00  0.00  0.00  0.00  0.00  0.00 (no draft)"


def test_evaluate_refuses_a_source_against_a_folder_of_sources(tmp_path, capsys):
    drafts, gold = _corpus_folders(tmp_path)
    assert main(["evaluate", str(drafts / "a"), str(gold)]) == 1
    assert capsys.readouterr().err == (
        f"apg: error: {drafts / 'a'}: is one source (it holds annotation.yaml) while {gold} "
        "is a folder of sources: give two annotations, or two folders of source folders\n"
    )
    assert main(["evaluate", str(drafts / "a"), str(gold / "a"), "--missing", "zero"]) == 1
    assert capsys.readouterr().err == "apg: error: --missing is for two folders of source folders\n"


def test_evaluate_of_two_source_folders_is_the_single_score(tmp_path, capsys):
    from graph.extraction.evaluation import evaluate, format_evaluation

    drafts, gold = _corpus_folders(tmp_path)
    assert main(["evaluate", str(drafts / "b"), str(gold / "b" / "annotation.yaml")]) == 0
    printed = capsys.readouterr().out
    assert printed == format_evaluation(evaluate(drafts / "b", gold / "b"))
    assert printed.startswith("entities      precision 1.00")


# --- apg extract ----------------------------------------------------------------------

PAGES = REPO / "tests" / "fixtures" / "pages"
OEWG_PAGE = PAGES / "un-oewg-geneva-session-2023.txt"
OEWG_META = REPO / "tests" / "fixtures" / "sources" / OEWG_PAGE.stem / "annotation.yaml"


def _apg(*arguments, cwd=WORKDIR):
    """Run ``python -m graph`` in a subprocess, as a user would."""
    return subprocess.run(
        [sys.executable, "-m", "graph", *map(str, arguments)],
        cwd=cwd, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_extract_writes_the_draft_and_the_body(tmp_path, capsys, seed_data):
    out = tmp_path / "draft" / "annotation.yaml"
    argv = ["extract", str(OEWG_PAGE), "--meta", str(OEWG_META), "-o", str(out)]
    assert main([*argv, "--data", str(seed_data)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"wrote {out}: ")
    assert "already known)" in lines[0] and lines[0].endswith(" statements, all unreviewed")
    assert lines[1].startswith(f"wrote {out.parent / 'article.txt'}: the article body; ")
    assert lines[1].endswith(" characters around the body left out")
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert document["source"]["id"] == "un-oewg-geneva-session-2023"
    assert document["source"]["text"] == "article.txt"
    assert document["source"]["url"] == (
        "https://example.org/world/2023/03/10/geneva-oewg-cyber-talks-split"
    )
    assert (out.parent / "article.txt").read_bytes() == (
        OEWG_META.parent / "article.txt"
    ).read_bytes()
    counts = lines[0].removeprefix(f"wrote {out}: ")
    assert counts.startswith(f"{len(document['entities'])} entities (")
    assert f"{len(document['statements'])} statements" in counts


def test_extract_refuses_to_overwrite_a_draft(tmp_path, capsys, seed_data):
    out = tmp_path / "annotation.yaml"
    out.write_text("curated\n", encoding="utf-8")
    argv = ["extract", str(OEWG_PAGE), "--meta", str(OEWG_META), "-o", str(out)]
    assert main([*argv, "--data", str(seed_data)]) == 1
    assert capsys.readouterr().err == (
        f"apg: error: {out}: exists already; choose another path or use --force\n"
    )
    assert out.read_text(encoding="utf-8") == "curated\n"


def test_extract_without_out_prints_yaml_that_names_the_page(
    tmp_path, capsys, monkeypatch, seed_data
):
    monkeypatch.chdir(tmp_path)  # the page is given by a relative path
    page = Path("page.txt")
    page.write_bytes(OEWG_PAGE.read_bytes())
    assert main(["extract", "page.txt", "--data", str(seed_data)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Save it beside page.txt: the draft names its text so.\n")
    assert "# Draft annotation written by `apg extract`" in printed
    document = yaml.safe_load(printed)
    assert document["source"]["text"] == "page.txt"
    assert document["source"]["date"] == "2023-03-10"  # found in the page
    assert document["source"]["url"] == page.resolve().as_uri()
    saved = tmp_path / "elsewhere" / "annotation.yaml"
    saved.parent.mkdir()
    saved.write_text(printed, encoding="utf-8")
    with pytest.raises(AnnotationError, match="source text not found"):
        load_source(saved)  # a text is read only inside the annotation's folder
    beside = tmp_path / "annotation.yaml"
    beside.write_text(printed, encoding="utf-8")
    corpus = load_source(beside)  # the quotes are found in the whole page
    assert len(corpus.statements) == len(document["statements"]) > 0


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("missing.txt", None, "file not found"),
        ("empty.txt", b"", "file is empty"),
        ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary data"),
        ("latin-1.txt", "Les d\u00e9l\u00e9gu\u00e9s ont quitt\u00e9 Gen\u00e8ve.\n"
         .encode("latin-1"), "not UTF-8: byte 0xe9 at offset 5 (line 1)"),
    ],
)  # fmt: skip
def test_extract_of_bad_input_fails_in_one_line(tmp_path, name, content, problem, seed_data):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    out = tmp_path / "draft" / "annotation.yaml"
    completed = _apg("extract", path, "-o", out, "--data", seed_data, cwd=tmp_path)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
    (line,) = completed.stderr.splitlines()
    assert line.startswith(f"apg: error: {path}: ")
    assert problem in line
    assert not (tmp_path / "draft").exists()


def test_extract_of_a_five_megabyte_file_says_it_is_too_long(tmp_path, capsys, seed_data):
    path = tmp_path / "huge.txt"
    text = "The talks failed again today, as every delegate expected.\n" * 90_000
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 5_000_000
    assert main(["extract", str(path), "--data", str(seed_data)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"apg: error: {path}: {len(text):,} characters, more than the 1,000,000 that extraction "
        "takes; split it into its articles\n"
    )


def test_extract_with_a_bad_meta_file_names_it(tmp_path, capsys):
    meta = tmp_path / "meta.yaml"
    meta.write_text("id: x\nheadline: Talks\n", encoding="utf-8")
    assert main(["extract", str(OEWG_PAGE), "--meta", str(meta)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"apg: error: {meta}: unknown field 'headline'")
    assert err.count("\n") == 1


def test_extract_of_an_html_page_warns_in_one_line_and_writes_its_text(tmp_path, capsys, seed_data):
    page = tmp_path / "page.html"
    page.write_text(html_page((OEWG_META.parent / "article.txt").read_text(encoding="utf-8")))
    out = tmp_path / "draft" / "annotation.yaml"
    argv = [
        "extract",
        str(page),
        "--meta",
        str(OEWG_META),
        "-o",
        str(out),
        "--data",
        str(seed_data),
    ]
    assert main(argv) == 0
    assert capsys.readouterr().err == (
        f"apg: warning: {page}: read as an HTML page; the draft quotes the text it shows "
        "(scripts, styles and navigation left out), written beside the draft as article.txt\n"
    )
    assert (out.parent / "article.txt").read_bytes() == (
        OEWG_META.parent / "article.txt"
    ).read_bytes()
    assert len(load_source(out).statements) > 20


def test_extract_of_an_html_page_without_out_quotes_its_text(tmp_path, capsys, seed_data):
    page = tmp_path / "page.html"
    page.write_text(html_page((OEWG_META.parent / "article.txt").read_text(encoding="utf-8")))
    assert main(["extract", str(page), "--meta", str(OEWG_META), "--data", str(seed_data)]) == 0
    captured = capsys.readouterr()
    (warning,) = captured.err.splitlines()
    assert warning.startswith(f"apg: warning: {page}: read as an HTML page; ")
    assert warning.endswith("which -o writes as article.txt")
    document = yaml.safe_load(captured.out)
    assert document["source"]["text"] == "article.txt"  # not the page: its markup is no quote
    assert not any("<" in s["quote"] or "&" in s["quote"] for s in document["statements"])


def test_extract_says_how_many_statements_it_left_out(tmp_path, capsys, seed_data):
    seed = (SEED_DIR / "article.txt").read_text(encoding="utf-8")
    opening = " ".join([" ".join(p.split()) for p in seed.split("\n") if p.strip()][:3])
    page = tmp_path / "repeated.txt"
    page.write_text((opening + " ") * 12, encoding="utf-8")
    meta = tmp_path / "meta.yaml"
    meta.write_text("id: repeated\ndate: 2017-08-23\n", encoding="utf-8")
    out = tmp_path / "draft" / "annotation.yaml"
    argv = ["extract", str(page), "--meta", str(meta), "-o", str(out), "--data", str(seed_data)]
    assert main(argv) == 0
    captured = capsys.readouterr()
    (warning,) = captured.err.splitlines()
    left_out = re.fullmatch(
        rf"apg: warning: {re.escape(str(page))}: (\d+) statements left out: their quotes "
        "occur more than once in the text, even widened by up to 300 characters on each side",
        warning,
    )
    assert left_out is not None and int(left_out[1]) > 20
    assert " 0 statements, all unreviewed" in captured.out.splitlines()[0]
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["statements"] == []


def test_extract_without_a_rule_drafts_none_of_its_statements(tmp_path, capsys):
    page = tmp_path / "envoy.txt"
    page.write_text(
        "The Cuban envoy, Anna Vogel, said the right of self-defence applies online.\n",
        encoding="utf-8",
    )
    argv = ["extract", str(page), "--meta", str(OEWG_META), "--data", str(tmp_path / "none")]

    def notes(*options: str) -> list[str]:
        assert main([*argv, *options]) == 0
        return [s["note"] for s in yaml.safe_load(capsys.readouterr().out)["statements"]]

    assert notes() == ["rule: apposition", "rule: reported-speech", "rule: speaker-state"]
    assert notes("--without-rule", "speaker-state", "--without-rule", "apposition") == [
        "rule: reported-speech"
    ]


def test_extract_without_an_unknown_rule_fails_in_one_line(tmp_path, capsys):
    argv = ["extract", str(OEWG_PAGE), "--data", str(tmp_path), "--without-rule", "blame"]
    assert main(argv) == 1
    assert capsys.readouterr().err.startswith(
        "apg: error: no statement rule is named 'blame'; the rules are: apposition, "
    )


def test_extract_to_a_folder_below_a_file_fails_in_one_line(tmp_path, seed_data):
    (tmp_path / "file").write_text("x")
    out = tmp_path / "file" / "annotation.yaml"
    completed = _apg("extract", OEWG_PAGE, "-o", out, "--data", seed_data, cwd=tmp_path)
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stderr.startswith("apg: error: ")


def test_extract_then_evaluate_the_seed_page(tmp_path, capsys, seed_data):
    draft = tmp_path / "draft" / "annotation.yaml"
    page = PAGES / f"{SEED_ID}.txt"
    argv = ["extract", str(page), "--meta", str(SEED_DIR / "annotation.yaml"), "-o", str(draft)]
    assert main([*argv, "--data", str(seed_data)]) == 0  # the seed's own annotation is left out
    capsys.readouterr()
    assert main(["evaluate", str(draft), str(SEED_DIR)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("entities      precision ")
    assert lines[1].startswith("statements    precision ") and "gold 113" in lines[1]
    assert lines[2].startswith("  with quotes precision ")
    assert lines[3].startswith("modality agrees on ")
    assert "relation             draft  gold  matched  precision  recall    f1" in lines
    assert "entity type          draft  gold  matched  precision  recall    f1" in lines
    represents = next(line for line in lines if line.startswith("represents "))
    assert represents.split()[2] == "6"  # gold: six representation statements


def test_a_system_error_no_stage_expected_is_one_line(tmp_path, make_source, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "a-file" / "page.html"
    assert main(["render", "--data", str(make_source()), "--no-cache", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("apg: error: ")
    assert err.rstrip().endswith("a-file: File exists")


def test_the_graph_commands_run_with_the_cycle_collector_paused(monkeypatch):
    import gc

    import graph.cli

    seen = {}
    for name in ("build", "render", "analyze", "push", "query"):
        monkeypatch.setitem(
            graph.cli.COMMANDS,
            name,
            lambda arguments: seen.update({arguments.command: gc.isenabled()}),
        )
    assert gc.isenabled()
    for argv in (
        ["build"],
        ["render"],
        ["analyze"],
        ["push", "http://127.0.0.1:9/"],
        ["query", "q"],
    ):
        assert main(argv) == 0
        assert gc.isenabled()  # running again once the command is done
    assert seen == {"build": False, "render": False, "analyze": False, "push": False, "query": True}


def test_an_interrupted_command_says_so_without_a_traceback(monkeypatch, capsys):
    import graph.cli

    def interrupted(arguments):
        raise KeyboardInterrupt

    monkeypatch.setitem(graph.cli.COMMANDS, "analyze", interrupted)
    assert main(["analyze"]) == 130
    assert capsys.readouterr().err == "apg: interrupted\n"


def test_output_cut_short_by_its_reader_is_no_error(tmp_path, make_source):
    """`apg query ... | head -n 1`: the reader goes away; no traceback on standard error."""
    out = tmp_path / "out"
    assert main(["build", "--data", str(make_source()), "--out", str(out)]) == 0
    query = [sys.executable, "-m", "graph", "query", "sources", "--store", str(out / "store")]
    process = subprocess.Popen(
        query, cwd=WORKDIR, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # gone before the answer is written
    assert process.wait(timeout=120) == 1
    assert process.stderr.read() == ""


def test_review_names_a_source_that_is_not_there_in_one_line(make_source, capsys):
    data = make_source()
    assert main(["review", "nothing", "--data", str(data), "--no-browser"]) == 1
    error = capsys.readouterr().err
    assert error == f"apg: error: nothing: no source of that name in {data}, and no such file\n"


def test_the_program_ends_with_the_command_s_status_leaving_its_objects_to_the_system(
    monkeypatch,
):
    import gc

    import graph.cli as cli

    frozen = []
    ending = []
    monkeypatch.setattr(cli, "main", lambda **options: ending.append(options) or 3)
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    with pytest.raises(SystemExit) as ended:
        cli.run()
    assert ended.value.code == 3
    assert frozen == [True]
    assert ending == [{"ending": True}]


def test_a_graph_command_the_process_ends_with_leaves_the_collector_off(monkeypatch):
    """Turned on again, the collector would walk all the command made, for nothing."""
    import gc

    import graph.cli

    seen = {}
    for name in ("build", "query"):
        monkeypatch.setitem(
            graph.cli.COMMANDS,
            name,
            lambda arguments: seen.update({arguments.command: gc.isenabled()}),
        )
    try:
        assert main(["query", "q"], ending=True) == 0
        assert gc.isenabled()  # not a graph command: the collector runs throughout
        assert main(["build"], ending=True) == 0
        assert not gc.isenabled()
    finally:
        gc.enable()
    assert seen == {"build": False, "query": True}
