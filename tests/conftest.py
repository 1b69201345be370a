"""Shared fixtures: a copy of the seed, its corpus, graph and network, a factory for sources.

Tests never touch the project's ``data/`` and ``output/``, where a user keeps sources and
builds: ``guard`` (tests/project_folders.py) refuses it for the whole session.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, settings

from graph import annotations, build, build_dataset, forked, load_corpus, shacl, to_networkx
from graph.rdf import union_graph
from tests.factories import (
    REPO,
    SANCTIONS_TEXT,
    SEED_DIR,
    SEED_ID,
    TINY_TEXT,
    WORKDIR,
    sanctions_annotation,
    synthetic_annotation,
    write_source,
)
from tests.project_folders import guard

settings.register_profile(
    "ci", deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", deadline=None, max_examples=60)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

guard()  # before any test module is imported: a module-level load is refused too


@pytest.fixture(scope="session", autouse=True)
def _nothing_written_where_processes_start():
    """After the suite, the folder the tests start processes in is still empty: no
    command run by a test wrote where a path option left out would have led it."""
    yield
    left = sorted(path.name for path in WORKDIR.iterdir())
    assert not left, f"a command run by a test wrote into its working folder: {left}"


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The folders of the annotation files parsed from YAML in this process, in order."""
    folders: list[str] = []
    parse = annotations.parse_yaml

    def counted(path, content):
        folders.append(Path(path).parent.name)
        return parse(path, content)

    monkeypatch.setattr(annotations, "parse_yaml", counted)
    return folders


@pytest.fixture(scope="session")
def seed_data(tmp_path_factory) -> Path:
    """A data folder that holds a copy of the seed alone, whatever the project's ``data/``
    holds besides; tests must not change it."""
    data = tmp_path_factory.mktemp("seed-data") / "data"
    shutil.copytree(SEED_DIR, data / SEED_ID)
    return data


@pytest.fixture(scope="session")
def built_store(seed_data, tmp_path_factory) -> Path:
    """The Oxigraph store folder of a build of the seed's copy; tests only read it."""
    out = tmp_path_factory.mktemp("seed-build")
    build(seed_data, out)
    return out / "store"


@pytest.fixture(scope="session")
def seed_corpus(seed_data):
    return load_corpus(seed_data)


@pytest.fixture(scope="session")
def seed_dataset(seed_corpus):
    return build_dataset(seed_corpus)


@pytest.fixture(scope="session")
def seed_graph(seed_dataset):
    return union_graph(seed_dataset)


@pytest.fixture(scope="session")
def seed_network(seed_graph):
    """The seed's statement multigraph (``to_networkx``); tests must not change it."""
    return to_networkx(seed_graph)


@pytest.fixture(scope="session")
def sanctions_data(tmp_path_factory) -> Path:
    """A data folder with one small source that codes attributions, denials and sanctions
    (``tests.factories.sanctions_annotation``); tests must not change it."""
    source = tmp_path_factory.mktemp("sanctions-data") / "data" / "sanctions"
    source.mkdir(parents=True)
    (source / "article.txt").write_text(SANCTIONS_TEXT, encoding="utf-8")
    annotation = yaml.safe_dump(sanctions_annotation(), allow_unicode=True, sort_keys=False)
    (source / "annotation.yaml").write_text(annotation, encoding="utf-8")
    return source.parent


@pytest.fixture(scope="session")
def sanctions_dataset(sanctions_data):
    return build_dataset(load_corpus(sanctions_data))


@pytest.fixture(scope="session")
def sanctions_statements(sanctions_dataset):
    """The statement multigraph of ``sanctions_data``; tests must not change it."""
    return to_networkx(union_graph(sanctions_dataset))


@pytest.fixture
def make_source(tmp_path: Path) -> Callable[..., Path]:
    """Write an annotated source folder under ``tmp_path/data`` and return the data folder.

    ``make_source(annotation=None, text=TINY_TEXT, folder="tiny", raw=None)``: ``raw``
    (bytes or text) is written as the annotation file instead of dumping ``annotation``.
    """

    def factory(
        annotation: dict[str, Any] | None = None,
        text: str | bytes = TINY_TEXT,
        folder: str = "tiny",
        raw: str | bytes | None = None,
    ) -> Path:
        return write_source(tmp_path / "data", annotation, text, folder, raw)

    return factory


@pytest.fixture
def counted_validations(monkeypatch) -> list[int]:
    """How many source graphs the engine validated, one entry each (in this process:
    workers would count in their own copies)."""
    calls: list[int] = []
    original = shacl.CompiledShapes.validate_many

    def counting(self, graphs, *arguments):
        calls.extend(1 for _ in graphs)
        return original(self, graphs, *arguments)

    monkeypatch.setattr(shacl.CompiledShapes, "validate_many", counting)
    monkeypatch.setattr(forked, "_can_fork", lambda: False)
    return calls


@pytest.fixture(scope="session")
def fixture_data(tmp_path_factory) -> Path:
    """A data folder with the seed and both fixture sources (tests/fixtures/sources), each
    in a folder named by its id; tests must not change it."""
    data = tmp_path_factory.mktemp("fixture-data") / "data"
    shutil.copytree(SEED_DIR, data / SEED_DIR.name)
    for source in sorted((REPO / "tests" / "fixtures" / "sources").iterdir()):
        shutil.copytree(source, data / source.name)
    return data


@pytest.fixture
def listener() -> Iterator[tuple[int, list[object]]]:
    """A listening port on loopback and the connections it accepted (each closed at once)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)
            connection.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1], accepted
    stop.set()
    thread.join()
    server.close()


CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """Debian's headless Chromium, driven by Playwright: skipped where it is missing,
    unless CI is set, where it must be there."""
    if not CHROMIUM.exists() or shutil.which("chromium") is None:
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI and missing at {CHROMIUM}")
        pytest.skip(f"Chromium not installed at {CHROMIUM} (CI is not set)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run",
            ],
        )  # fmt: skip
        yield launched
        launched.close()


@pytest.fixture
def synthetic_dataset(make_source):
    """The dataset of a corpus of three synthetic sources that share their entities."""
    for source_id, size in (("src-b", 40), ("2019-src", 25), ("a", 30)):
        annotation, text = synthetic_annotation(source_id, size)
        data = make_source(annotation=annotation, text=text, folder=source_id)
    return build_dataset(load_corpus(data))
