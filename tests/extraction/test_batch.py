"""Drafting a corpus: inputs, skipping and forcing, failures, resuming, workers and Dask."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from graph.cli import main
from graph.extraction.batch import (
    Failure,
    Task,
    _in_processes,
    article_paths,
    draft_corpus,
    plan_batch,
)
from graph.extraction.draft import draft_source
from graph.extraction.gazetteer import base_gazetteer, slug
from tests.factories import REPO, SEED_DIR, SEED_ID, html_page

PAGES = REPO / "tests" / "fixtures" / "pages"
FIXTURE_SOURCES = REPO / "tests" / "fixtures" / "sources"
# the pages of the two fixture sources; the seed's page is the seed's own source
PAGE_NAMES = ("tallinn-port-attack-2021.txt", "un-oewg-geneva-session-2023.txt")


def _short_articles() -> dict[str, str]:
    """Six short articles cut from the fixture bodies: a headline, a date, then three or
    four paragraphs of a body, so that each drafts in a fraction of a second."""
    articles = {}
    for source in sorted(FIXTURE_SOURCES.iterdir()):
        paragraphs = [
            p.strip()
            for p in (source / "article.txt").read_text(encoding="utf-8").split("\n")
            if p.strip()
        ]
        for part in range(3):
            chosen = paragraphs[part * 3 : part * 3 + 4]
            name = f"{source.name}-part-{part + 1}.txt"
            articles[name] = (
                f"Part {part + 1} of {source.name}\n\n10 March 2023\n\n"
                + "\n\n".join(chosen)
                + "\n"
            )
    return articles


SHORT_ARTICLES = _short_articles()


def _seed_data(tmp_path: Path) -> Path:
    """A data folder of this test alone, holding the seed."""
    data = tmp_path / "data"
    shutil.copytree(SEED_DIR, data / SEED_ID)
    return data


def _articles(folder: Path, names=None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in SHORT_ARTICLES.items():
        if names is None or name in names:
            (folder / name).write_text(text, encoding="utf-8")
    return folder


def _drafts(data: Path) -> dict[str, bytes]:
    """Every file of every draft folder but the seed's, by its path in ``data``, with the
    address of the folder of articles (``tmp_path/in``, a source's url) as ``ARTICLES``."""
    articles = (data.parent / "in").resolve().as_uri().encode()
    return {
        str(path.relative_to(data)): path.read_bytes().replace(articles, b"ARTICLES")
        for path in sorted(data.rglob("*"))
        if path.is_file() and path.relative_to(data).parts[0] != SEED_ID
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> dict[str, bytes]:
    """The drafts of the six short articles, drafted in this process in one run."""
    root = tmp_path_factory.mktemp("reference")
    data = _seed_data(root)
    batch = draft_corpus([_articles(root / "in")], data)
    assert not batch.failures and len(batch.drafted) == len(SHORT_ARTICLES)
    drafts = _drafts(data)
    assert (
        b"url: ARTICLES/tallinn-port-attack-2021-part-1.txt\n"
        in drafts["tallinn-port-attack-2021-part-1/annotation.yaml"]
    )
    return drafts


# --- inputs -----------------------------------------------------------------------------


def test_a_folder_gives_its_text_and_html_files_in_its_subfolders_too(tmp_path):
    for name in ("b.txt", "a.html", "deeper/c.htm", "notes.json", ".hidden.txt", ".git/d.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    paths, failures = article_paths([tmp_path])
    assert paths == [tmp_path / "a.html", tmp_path / "b.txt", tmp_path / "deeper" / "c.htm"]
    assert failures == []


def test_a_glob_gives_the_files_it_matches_once_each(tmp_path):
    for name in ("one.txt", "two.txt", "three.html"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    paths, failures = article_paths([tmp_path / "*.txt", tmp_path / "one.txt"])
    assert paths == [tmp_path / "one.txt", tmp_path / "two.txt"]
    assert failures == []


def test_inputs_that_name_no_file_are_failures_of_their_own(tmp_path):
    (tmp_path / "empty").mkdir()
    paths, failures = article_paths(
        [tmp_path / "missing.txt", tmp_path / "*.none", tmp_path / "empty"]
    )
    assert paths == []
    assert [str(failure) for failure in failures] == [
        f"{tmp_path / 'missing.txt'}: file not found",
        f"{tmp_path / '*.none'}: no file matches this pattern",
        f"{tmp_path / 'empty'}: a folder with no .txt or .html file",
    ]


def test_two_articles_with_one_source_id_leave_the_second_undrafted(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "Talks.txt").write_text("x", encoding="utf-8")
    (tmp_path / "b" / "talks.txt").write_text("x", encoding="utf-8")
    batch = plan_batch([tmp_path], tmp_path / "data")
    assert [task.source_id for task in batch.tasks] == ["talks"]
    assert batch.failures == [
        Failure(
            tmp_path / "b" / "talks.txt",
            f"its source id 'talks' is that of {tmp_path / 'a' / 'Talks.txt'}; rename one of them",
        )
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        # inside the folder: no "..", no leading "/"
        st.text(alphabet="abc*?[]/-", min_size=1, max_size=12).filter(
            lambda given: not given.startswith("/")
        ),
        min_size=1,
        max_size=4,
    )
)
def test_any_input_gives_existing_files_or_a_failure_naming_it(tmp_path_factory, inputs):
    folder = tmp_path_factory.mktemp("inputs")
    (folder / "a.txt").write_text("x", encoding="utf-8")
    (folder / "b").mkdir()
    (folder / "b" / "c.html").write_text("x", encoding="utf-8")
    paths, failures = article_paths([folder / given for given in inputs])
    assert all(path.is_file() for path in paths)
    assert paths == sorted(set(paths))
    assert {failure.path for failure in failures} <= {folder / given for given in inputs}


# --- drafting ---------------------------------------------------------------------------


def test_a_batch_drafts_what_one_article_at_a_time_drafts(tmp_path):
    data = _seed_data(tmp_path)
    batch = draft_corpus([PAGES / name for name in PAGE_NAMES], data)
    assert batch.failures == [] and len(batch.drafted) == 2
    for name in PAGE_NAMES:
        alone = _seed_data(tmp_path / name)
        folder, written = draft_source(PAGES / name, alone)
        assert written
        for file in ("annotation.yaml", "article.txt"):
            assert (data / folder.name / file).read_bytes() == (folder / file).read_bytes()


def test_a_saved_html_page_in_a_batch_is_drafted_from_its_main_text(tmp_path):
    data = _seed_data(tmp_path)
    folder = tmp_path / "pages"
    folder.mkdir()
    body = (FIXTURE_SOURCES / "un-oewg-geneva-session-2023" / "article.txt").read_text(
        encoding="utf-8"
    )
    page = html_page(body).replace("<h1>", "<p>10 March 2023</p>\n<h1>")
    (folder / "oewg-page.html").write_text(page, encoding="utf-8")
    batch = draft_corpus([folder], data)
    assert batch.failures == [] and batch.drafted == [data / "oewg-page"]
    written = data / "oewg-page" / "article.txt"
    assert written.read_text(encoding="utf-8") == body  # the page's text, quoted by the draft
    document = yaml.safe_load((data / "oewg-page" / "annotation.yaml").read_text())
    assert document["source"]["date"] == "2023-03-10"
    assert all(statement["quote"] in body for statement in document["statements"])
    assert len(document["statements"]) > 20


def test_apg_extract_of_a_folder_drafts_each_article_into_data(tmp_path, capsys, reference):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    log = tmp_path / "extract.log"
    assert main(["extract", str(articles), "--data", str(data), "--log", str(log)]) == 0
    captured = capsys.readouterr()
    assert captured.out == (
        f"drafted 6 articles into {data}; 0 already drafted (skipped); 0 failed\n"
    )
    assert captured.err == ""  # no progress bar when stderr is not a terminal
    assert _drafts(data) == reference
    assert log.read_text(encoding="utf-8") == ""


def test_a_glob_drafts_only_what_it_matches(tmp_path, capsys):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    pattern = str(articles / "tallinn-*.txt")
    assert main(["extract", pattern, "--data", str(data), "--log", str(tmp_path / "log")]) == 0
    assert sorted(path.name for path in data.iterdir()) == [
        "tallinn-port-attack-2021-part-1",
        "tallinn-port-attack-2021-part-2",
        "tallinn-port-attack-2021-part-3",
        SEED_ID,
    ]


def test_drafts_already_there_are_skipped_and_kept_as_they_are(tmp_path, capsys):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    argv = ["extract", str(articles), "--data", str(data), "--log", str(tmp_path / "log")]
    assert main(argv) == 0
    reviewed = data / "tallinn-port-attack-2021-part-1" / "annotation.yaml"
    reviewed.write_text("# under review\n", encoding="utf-8")
    before = {path: path.stat().st_mtime_ns for path in data.rglob("*") if path.is_file()}
    capsys.readouterr()
    assert main(argv) == 0
    assert capsys.readouterr().out == (
        f"drafted 0 articles into {data}; 6 already drafted (skipped); 0 failed\n"
    )
    assert {path: path.stat().st_mtime_ns for path in before} == before
    assert reviewed.read_text(encoding="utf-8") == "# under review\n"


def test_force_drafts_again_what_is_there(tmp_path, capsys, reference):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    argv = ["extract", str(articles), "--data", str(data), "--log", str(tmp_path / "log")]
    assert main(argv) == 0
    (data / "tallinn-port-attack-2021-part-1" / "annotation.yaml").write_text("# old\n")
    capsys.readouterr()
    assert main([*argv, "--force"]) == 0
    assert capsys.readouterr().out == (
        f"drafted 6 articles into {data}; 0 already drafted (skipped); 0 failed\n"
    )
    assert _drafts(data) == reference


def test_a_corrupt_file_among_several_is_one_line_and_the_others_are_drafted(tmp_path, capfd):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    (articles / "latin-1.txt").write_bytes("Les d\u00e9l\u00e9gu\u00e9s.\n".encode("latin-1"))
    (articles / "empty.txt").write_bytes(b"")
    (articles / "undated.txt").write_text(
        "Talks fail\n\nThe delegates left Geneva without an agreement on anything at all.\n"
    )
    log = tmp_path / "logs" / "extract.log"
    completed = subprocess.run(
        [sys.executable, "-m", "graph", "extract", str(articles), "--data", str(data),
         "--log", str(log)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )  # fmt: skip
    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    assert completed.stdout == (
        f"drafted 6 articles into {data}; 0 already drafted (skipped); 3 failed\n"
    )
    problems = [
        f"{articles / 'empty.txt'}: file is empty",
        f"{articles / 'latin-1.txt'}: not UTF-8: byte 0xe9 at offset 5 (line 1); "
        "save the file as UTF-8",
        f"{articles / 'undated.txt'}: no publication date found; give one with --meta (a YAML "
        "file with source fields: id, title, url, date)",
    ]
    assert completed.stderr.splitlines() == [
        *(f"apg: error: {problem}" for problem in problems),
        f"apg: 3 of the articles not drafted; listed in {log}",
    ]
    assert log.read_text(encoding="utf-8").splitlines() == problems
    assert len([path for path in data.glob("*/annotation.yaml")]) == 7  # the seed and six
    assert not (data / "empty").exists() and not (data / "latin-1").exists()


def test_a_half_written_draft_is_drafted_again(tmp_path, reference):
    """What a batch killed while writing leaves: the body renamed into place, the draft
    still a temporary file, which counts as not drafted."""
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    folder = data / "tallinn-port-attack-2021-part-2"
    folder.mkdir()
    (folder / "article.txt").write_bytes(reference[f"{folder.name}/article.txt"])  # no url
    (folder / ".annotation.yaml.k2j4.tmp").write_text("source:\n  id: tall")
    batch = draft_corpus([articles], data)
    assert folder in batch.drafted
    assert batch.skipped == [] and batch.failures == []
    assert sorted(path.name for path in folder.iterdir()) == ["annotation.yaml", "article.txt"]
    assert _drafts(data) == reference


_SLOW_BATCH = """
import sys, time
from graph.extraction.batch import draft_corpus
draft_corpus([sys.argv[1]], sys.argv[2], chunk=1, on_outcome=lambda outcome: time.sleep(0.5))
"""


def test_a_batch_killed_with_a_signal_drafts_only_the_rest_when_run_again(tmp_path, reference):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    process = subprocess.Popen(
        [sys.executable, "-c", _SLOW_BATCH, str(articles), str(data)],
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    try:
        deadline = time.monotonic() + 120
        while len(list(data.glob("*/annotation.yaml"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
            assert process.poll() is None, "the batch ended before it was killed"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    done = {path.parent.name for path in data.glob("*/annotation.yaml")} - {SEED_ID}
    assert 1 <= len(done) < len(SHORT_ARTICLES)
    batch = draft_corpus([articles], data)
    assert len(batch.skipped) == len(done)
    assert len(batch.drafted) == len(SHORT_ARTICLES) - len(done)
    assert _drafts(data) == reference


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_an_interrupted_apg_extract_says_to_run_it_again_and_then_finishes(tmp_path):
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    copies = 4  # four chunks of eight or more: the interrupt comes long before the last
    for copy in range(copies):
        for name, text in SHORT_ARTICLES.items():
            (articles / f"copy-{copy}-{name}").write_text(text, encoding="utf-8")
    command = [sys.executable, "-m", "graph", "extract", str(articles), "--data", str(data),
               "--log", str(tmp_path / "log")]  # fmt: skip
    # a shell that runs the tests in the background ignores SIGINT, and its children
    # inherit that: the command gets the default, as when run from a terminal
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=tmp_path, preexec_fn=_default_sigint)  # fmt: skip
    deadline = time.monotonic() + 120
    while len(list(data.glob("*/annotation.yaml"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=120)
    if process.returncode == 0:
        pytest.skip("the batch finished before the interrupt reached it")
    assert process.returncode == 130
    assert "before it was interrupted" in out
    assert err.splitlines()[-2:] == [
        "apg: run the same command again to draft the rest",
        "apg: interrupted",
    ]
    assert "Traceback" not in err
    again = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert again.returncode == 0
    drafted, skipped = int(again.stdout.split()[1]), int(again.stdout.split("; ")[1].split()[0])
    articles_in_all = (copies + 1) * len(SHORT_ARTICLES)  # _articles wrote one set
    assert drafted >= 1 and drafted + skipped == articles_in_all
    assert len(list(data.glob("*/annotation.yaml"))) == articles_in_all + 1  # and the seed


def test_two_worker_processes_draft_the_same_bytes_as_one(tmp_path, reference):
    data = _seed_data(tmp_path)
    batch = draft_corpus([_articles(tmp_path / "in")], data, jobs=2, chunk=1)
    assert batch.failures == [] and len(batch.drafted) == len(SHORT_ARTICLES)
    assert _drafts(data) == reference


class _KillsItsReader(bytes):
    """Bytes that end the process that unpickles them, as a crash in a worker would."""

    def __reduce__(self):
        return (os._exit, (3,))


def test_a_worker_that_dies_costs_only_its_article(tmp_path):
    articles = _articles(tmp_path / "in")
    tasks = [Task(path, slug(path.stem, 12), path.as_uri()) for path in sorted(articles.iterdir())]
    killer = Task(articles / "killer.txt", "killer", "file:///killer.txt", _KillsItsReader())
    chunks = [tasks[:2], [tasks[2], killer], tasks[3:]]
    outcomes = [
        outcome
        for drafted in _in_processes(chunks, base_gazetteer(), None, (), jobs=2)
        for outcome in drafted
    ]
    assert sorted(o.task.source_id for o in outcomes) == sorted(
        [task.source_id for task in tasks] + ["killer"]
    )
    (stopped,) = [o for o in outcomes if o.problem is not None]
    assert stopped.task == killer
    assert stopped.problem == "the process drafting it stopped (out of memory, or a crash)"
    assert all(o.annotation.startswith(b"# Draft annotation") for o in outcomes if o is not stopped)


def test_a_dask_cluster_drafts_the_same_bytes_as_this_process(tmp_path, reference):
    distributed = pytest.importorskip("distributed")
    data = _seed_data(tmp_path)
    articles = _articles(tmp_path / "in")
    (articles / "empty.txt").write_bytes(b"")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        batch = draft_corpus([articles], data, dask=client, chunk=2)
    assert batch.failures == [Failure(articles / "empty.txt", "file is empty")]
    assert len(batch.drafted) == len(SHORT_ARTICLES)
    assert _drafts(data) == reference


# --- the command line ---------------------------------------------------------------------


@pytest.mark.parametrize("option", [["-o", "draft.yaml"], ["--meta", "meta.yaml"]])
def test_one_article_options_are_refused_for_a_batch(tmp_path, capsys, option):
    articles = _articles(tmp_path / "in")
    argv = ["extract", str(articles), "--data", str(tmp_path / "data"), *option]
    assert main(argv) == 1
    assert capsys.readouterr().err == (
        f"apg: error: {option[0]} is for one article; a batch drafts each into a folder of "
        "--data with the fields its text gives\n"
    )
    assert not (tmp_path / "data").exists()
