"""`apg review` end to end in headless Chromium: draft the seed's web page, review it with
the keys, code a passage, and find exactly those changes on disk."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import waitress
import yaml

from graph.annotations import load_source
from graph.review import KnownName, create_app
from tests.factories import REPO, SEED_DIR, SEED_ID, TINY_TEXT, WORKDIR, tiny_annotation

pytestmark = pytest.mark.browser

PAGE = REPO / "tests" / "fixtures" / "pages" / f"{SEED_ID}.txt"
ADDRESS = re.compile(r"at (http://127\.0\.0\.1:\d+/\S*\?token=\S+)")
# a coder's remark between two items, which every change must keep
REMARK = "# checked against the print edition\n"


class Review:
    """`apg review` run as a user runs it, on its own data folder."""

    def __init__(self, data: Path, *arguments: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph", "review", *arguments, "--data", str(data),
             "--coder", "alice", "--port", "0", "--no-browser"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=WORKDIR,
        )  # fmt: skip
        self.lines: list[str] = []
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)
            if match := ADDRESS.search(line):
                self.address = match.group(1)
                return
        raise AssertionError("apg review did not start:\n" + "".join(self.lines))

    @property
    def root(self) -> str:
        return self.address.split("/source/")[0].split("/?")[0]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture
def reviewed(tmp_path) -> Iterator[tuple[Review, Path]]:
    data = tmp_path / "data"
    data.mkdir()
    review = Review(data, str(PAGE), "--meta", str(SEED_DIR / "annotation.yaml"))
    yield review, data / SEED_ID / "annotation.yaml"
    review.stop()


# select characters [start, end) of the article shown in #text, as a reader's drag would
SELECT_TEXT = """([start, end]) => {
    const walker = document.createTreeWalker(document.getElementById('text'), NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let count = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const length = node.textContent.length;
        if (count <= start && start <= count + length) range.setStart(node, start - count);
        if (count <= end && end <= count + length) { range.setEnd(node, end - count); break; }
        count += length;
    }
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
}"""


def statements_by_id(path: Path) -> dict[str, dict]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {item["id"]: item for item in document["statements"]}


def selected(page) -> str:
    return page.eval_on_selector("#statements li.selected", "row => row.dataset.id")


def wait_saved(page, text: str) -> None:
    page.wait_for_function(
        "text => document.getElementById('message').textContent.includes(text)", arg=text
    )


def test_review_the_drafted_seed_with_keys_and_a_coded_passage(chromium, reviewed, tmp_path):
    review, path = reviewed
    assert any("drafted:" in line for line in review.lines)
    # a remark of the coder's own, before the review starts, must survive every change
    text = path.read_text(encoding="utf-8").replace("statements:\n", "statements:\n" + REMARK, 1)
    path.write_text(text, encoding="utf-8")
    before = statements_by_id(path)

    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(review.address)
    assert "token=" not in page.url
    page.wait_for_selector("#statements li.statement")
    assert page.locator("#statements li.statement").count() == len(before)

    # accept three, one key each: accepting moves on to the next draft
    page.keyboard.press("j")
    accepted = []
    for _ in range(3):
        accepted.append(selected(page))
        page.keyboard.press("a")
        wait_saved(page, f"accepted {accepted[-1]}")
    # reject the one now selected
    rejected = selected(page)
    page.keyboard.press("x")
    wait_saved(page, f"rejected {rejected}")
    # change one supporting statement's relation to opposition
    changed = next(
        i for i, s in before.items()
        if s["relation"] == "supports_position" and i not in (*accepted, rejected)
    )  # fmt: skip
    page.click(f'#statements li[data-id="{changed}"]')
    page.keyboard.press("e")
    page.select_option("#f-relation", "opposes_position")
    page.click("#save")
    wait_saved(page, f"saved {changed}")
    # code a passage the draft missed: select it in the text, press n, fill the form
    passage = "That is a dangerous and unsupportable view."
    article = (path.parent / "article.txt").read_text(encoding="utf-8")
    start = article.index(passage)
    page.evaluate(SELECT_TEXT, [start, start + len(passage)])
    page.wait_for_selector("#selection-bar:not([hidden])")
    page.keyboard.press("n")
    assert page.input_value("#f-quote") == passage
    entities = yaml.safe_load(path.read_text(encoding="utf-8"))["entities"]
    markoff = next(e["id"] for e in entities if "Markoff" in e["label"])
    page.fill("#f-subject", markoff)
    page.select_option("#f-relation", "blames")
    page.fill("#f-object", "Russia")  # a label typed in full stands for its entity
    page.select_option("#f-modality", "implicit")
    page.click("#save")
    page.wait_for_function("() => document.getElementById('editor').hidden")

    after = statements_by_id(path)
    added = sorted(set(after) - set(before))
    assert len(added) == 1
    new = after[added[0]]
    assert (new["subject"], new["relation"], new["object"], new["quote"]) == (
        markoff, "blames", "russia", passage,
    )  # fmt: skip
    assert new["coded_by"] == "alice" and "reviewed" not in new
    assert set(before) - set(after) == {rejected}
    for statement_id in accepted:
        assert "reviewed" not in after[statement_id]
        assert after[statement_id]["coded_by"] == "alice"
        rest = {k: v for k, v in after[statement_id].items() if k != "coded_by"}
        assert rest == {k: v for k, v in before[statement_id].items() if k != "reviewed"}
    assert after[changed]["relation"] == "opposes_position"
    untouched = set(before) - {*accepted, rejected, changed}
    assert all(after[i] == before[i] for i in untouched)
    assert REMARK in path.read_text(encoding="utf-8")
    assert path.read_text(encoding="utf-8").startswith("# Draft annotation")

    # apg build builds it, and a reload shows the statements as saved
    out = tmp_path / "out"
    built = subprocess.run(
        [sys.executable, "-m", "graph", "build", "--data", str(path.parent.parent), "--out",
         str(out)],
        capture_output=True, text=True, cwd=WORKDIR, env={**os.environ, "PYTHONPATH": str(REPO)},
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    assert (out / "graph.ttl").is_file()
    page.reload()
    page.wait_for_selector("#statements li.statement")
    shown = page.eval_on_selector_all(
        "#statements li.statement", "rows => rows.map(r => r.dataset.id)"
    )
    assert set(shown) == set(after)
    assert page.locator(f'#statements li[data-id="{added[0]}"]:not(.draft)').count() == 1
    assert errors == []
    context.close()


def test_a_request_without_the_token_gets_403(reviewed):
    review, _ = reviewed
    for path in ("/", f"/api/source/{SEED_ID}", f"/source/{SEED_ID}"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(review.root + path, timeout=10)
        assert refused.value.code == 403


HOSTILE = '<img src=x onerror="window.hacked = 1">'


@contextmanager
def served(data: Path, coder: str = "alice", known=()) -> Iterator[str]:
    """The review app of ``data`` on a free loopback port: the address of the tiny source."""
    app = create_app(data, coder=coder, token="t" * 32, known=known)
    server = waitress.create_server(app, host="127.0.0.1", port=0)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/source/tiny?token={'t' * 32}"
    finally:
        # closed from the server's own loop, which then ends: closing its sockets from
        # this thread could leave the loop waiting on a descriptor already closed
        server.trigger.pull_trigger(server.close)
        thread.join(timeout=10)
        assert not thread.is_alive(), "the review server did not stop"


def test_an_entity_picked_from_the_gazetteer_is_declared_in_the_source(chromium, make_source):
    data = make_source(tiny_annotation())
    navy = KnownName("ruritanian-navy", "institution", "Ruritanian Navy", wikidata="Q1")
    with served(data, known=[navy]) as address:
        page = chromium.new_page()
        page.goto(address)
        page.wait_for_selector("#statements li.statement")
        start = TINY_TEXT.index("Anna Vogel")
        page.evaluate(SELECT_TEXT, [start, start + len("Anna Vogel")])
        page.wait_for_selector("#selection-bar:not([hidden])")
        page.keyboard.press("n")
        page.fill("#f-subject", "anna-vogel")
        page.fill("#f-object", "Navy")
        page.dispatch_event("#f-object", "input")  # the picker asks the server for names
        page.wait_for_selector('#names option[value="ruritanian-navy"]', state="attached")
        page.fill("#f-object", "ruritanian-navy")
        page.select_option("#f-relation", "affiliated_with")
        page.click("#save")
        page.wait_for_function("() => document.getElementById('editor').hidden")
        page.close()
    corpus = load_source(data / "tiny" / "annotation.yaml")
    assert corpus.entities["ruritanian-navy"].wikidata == "Q1"
    added = [s for s in corpus.statements if s.object == "ruritanian-navy"]
    assert [(s.subject, s.relation, s.quote) for s in added] == [
        ("anna-vogel", "affiliated_with", "Anna Vogel")
    ]


def test_a_hostile_label_and_quote_show_as_text(chromium, make_source, tmp_path):
    annotation = tiny_annotation()
    annotation["entities"][0]["label"] = HOSTILE
    annotation["source"]["title"] = HOSTILE
    data = make_source(annotation)
    with served(data, coder="<b>alice</b>") as address:
        page = chromium.new_page()
        page.goto(address)
        page.wait_for_selector("#statements li.statement")
        assert page.locator("img").count() == 0 and page.locator("b").count() == 1
        assert page.evaluate("() => window.hacked") is None
        subjects = page.eval_on_selector_all(
            ".statement .subject", "s => s.map(x => x.textContent)"
        )
        assert HOSTILE in subjects
        assert page.title().startswith(HOSTILE)
        page.close()
    assert load_source(data / "tiny" / "annotation.yaml").entities["ruritania"].label == HOSTILE


def test_the_editor_changes_the_optional_fields_too(chromium, make_source):
    data = make_source(tiny_annotation())
    with served(data) as address:
        page = chromium.new_page()
        page.goto(address)
        page.click('#statements li[data-id="vogel-represents-ruritania"]')
        page.keyboard.press("e")
        assert page.input_value("#f-role") == "envoy"
        page.fill("#f-role", "former envoy")
        page.select_option("#f-former", "true")
        page.fill("#f-when", "2019")
        page.fill("#f-note", "left the post in 2020")
        page.click("#save")
        page.wait_for_function("() => document.getElementById('editor').hidden")
        page.close()
    statement = next(
        s for s in load_source(data / "tiny" / "annotation.yaml").statements
        if s.id == "vogel-represents-ruritania"
    )  # fmt: skip
    assert (statement.role, statement.former, statement.when, statement.note) == (
        "former envoy", True, "2019", "left the post in 2020",
    )  # fmt: skip
    assert statement.coded_by == "alice"
