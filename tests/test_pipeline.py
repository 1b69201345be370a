"""The jobs that run across the parts: ``show``, the page of ``render`` in a notebook, and the
incremental ``build``."""

from __future__ import annotations

import importlib
import shutil
import sys
from pathlib import Path

import pytest
import yaml

import graph
from graph import forked, validate
from graph.buildcache import cache_folder
from graph.checked import load_checked
from graph.errors import SelectionError, ValidationError
from graph.networks.analysis import analyse
from graph.networks.discourse import calendar_windows
from graph.networks.projection import to_networkx
from graph.output import CURRENT_LINK, IDENTITIES, reading
from graph.sparql.store import STORE_DIR
from tests.factories import counted_calls, three_tiny_sources, tiny_annotation, wait_for


@pytest.fixture(scope="module")
def seed_checked(seed_data):
    return load_checked(seed_data)


def test_show_carries_the_page_that_render_writes(seed_data, seed_checked, tmp_path):
    written = graph.render(seed_data, tmp_path / "khramov.html", focus="Oleg Khramov", depth=1)
    shown = graph.show(seed_checked, focus="Oleg Khramov", depth=1, height=450)
    assert shown.html == written.read_text(encoding="utf-8")
    assert shown.height == 450
    assert shown._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    assert "Democratic National Committee" not in shown.html


def test_show_reads_a_data_folder_as_render_does(seed_data, seed_checked):
    by_folder = graph.show(seed_data, relations=["blames"], types=["state", "official"])
    assert by_folder == graph.show(seed_checked, relations=["blames"], types=["state", "official"])
    assert by_folder.height == 600 and "Oleg Khramov" in by_folder.html


def test_show_of_an_unknown_actor_is_a_selection_error(seed_checked):
    with pytest.raises(SelectionError, match="Oleg Khramoff"):
        graph.show(seed_checked, focus="Oleg Khramoff")


# --- the incremental build: sources whose graph did not change are not validated again


def _bad_language(source: Path) -> None:
    """Give the source of the folder ``source`` a language tag the shapes refuse."""
    annotation = source / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    document["source"]["language"] = "not a language tag"
    annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _files(out: Path) -> dict[str, bytes]:
    """Every file of the current build but the store, whose database files differ by run,
    and the record of the files' identities."""
    build_dir = (out / CURRENT_LINK).resolve()
    return {
        str(path.relative_to(build_dir)): path.read_bytes()
        for path in sorted(build_dir.rglob("*"))
        if path.is_file()
        and STORE_DIR not in path.relative_to(build_dir).parts
        and path.name != IDENTITIES  # what the file system says of each file
    }


def test_a_rebuild_validates_only_the_changed_source_and_writes_the_same_bytes(
    make_source, tmp_path, counted_validations
):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out")
    assert len(counted_validations) == 3
    annotation = data / "second" / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    document["source"]["title"] = "Second, revised"
    annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    counted_validations.clear()
    graph.build(data, tmp_path / "out")
    assert len(counted_validations) == 1
    # each source's share of Turtle and TriG, and of JSON-LD, kept for the next build,
    # and the texts of the subjects several sources describe
    assert len(list(cache_folder(tmp_path / "out", "texts").glob("rdf/*.json"))) == 3 + 1
    assert len(list(cache_folder(tmp_path / "out", "texts").glob("jsonld/*.json"))) == 3 + 1
    graph.build(data, tmp_path / "fresh", cache=False)
    rebuilt, fresh = _files(tmp_path / "out"), _files(tmp_path / "fresh")
    assert "graph.ttl" in rebuilt and "Second, revised" in rebuilt["graph.ttl"].decode()
    assert rebuilt == fresh


@pytest.mark.parametrize(
    "splice", ["graph.jsonldsplice.NodeSplice.write", "graph.rdfsplice.TextSplice.write_trig"]
)
def test_a_rebuild_makes_its_documents_from_those_before(
    make_source, tmp_path, monkeypatch, splice
):
    """JSON-LD, and Turtle with TriG, each spliced from the documents before."""
    module, kind, method = splice.rsplit(".", 2)
    splicer = getattr(importlib.import_module(module), kind)
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    written: list[object] = []
    write = getattr(splicer, method)

    def counted(self, stream):
        written.append(self)
        return write(self, stream)

    monkeypatch.setattr(splicer, method, counted)
    _retitle(data, "second")
    graph.build(data, tmp_path / "out", jobs=1)
    assert len(written) == 1  # spliced: the index kept by the first build was found
    _retitle(data, "third")
    graph.build(data, tmp_path / "out", jobs=1)
    assert len(written) == 2  # and the one the splice kept
    graph.build(data, tmp_path / "fresh", cache=False, jobs=1)
    rebuilt, fresh = _files(tmp_path / "out"), _files(tmp_path / "fresh")
    for name in ("graph.jsonld", "graph.ttl", "graph.trig"):
        assert "third, revised" in rebuilt[name].decode()
    assert rebuilt == fresh


@pytest.mark.parametrize("name", ["graph.jsonld", "graph.ttl", "graph.trig"])
def test_a_rebuild_whose_document_before_was_edited_writes_it_in_full(make_source, tmp_path, name):
    from graph.output import current_build

    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out")
    before = current_build(tmp_path / "out")
    assert before is not None
    document = before / name
    edited = document.read_bytes().replace(b"third", b"thirst", 1)
    assert edited != document.read_bytes()
    document.write_bytes(edited)
    _retitle(data, "second")
    graph.build(data, tmp_path / "out")
    graph.build(data, tmp_path / "fresh", cache=False)
    assert _files(tmp_path / "out") == _files(tmp_path / "fresh")


def _retitle(data: Path, folder: str) -> None:
    annotation = data / folder / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    document["source"]["title"] = f"{folder}, revised"
    annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _hedge(data: Path, folder: str) -> None:
    annotation = data / folder / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    document["statements"][0]["modality"] = "alleged"
    annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


def _restate(data: Path, folder: str) -> None:
    """A statement more: what the cross-source shapes read of the source changes."""
    annotation = data / folder / "annotation.yaml"
    document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
    again = {**document["statements"][0], "id": "said-again", "relation": "opposes_position"}
    document["statements"].append({**again, "object": "self-defence"})
    annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "whole_again"), [(_retitle, False), (_hedge, False), (_restate, True)]
)
def test_a_rebuild_builds_in_part_the_graphs_of_the_sources_that_did_not_change(
    make_source, tmp_path, monkeypatch, edit, whole_again
):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    built: list[list[str]] = []
    build_dataset = graph.checked.build_dataset

    def spied(corpus, **options):
        built.append(sorted(options.get("partial", ())))
        return build_dataset(corpus, **options)

    monkeypatch.setattr(graph.checked, "build_dataset", spied)
    edit(data, "second")
    result = graph.build(data, tmp_path / "out", jobs=1)
    unchanged = sorted(str(graph.source_iri(name)) for name in ("tiny", "third"))
    # a statement more changes what the cross-source shapes read: they read the
    # dataset whole, built again for them
    assert built == [unchanged, *([[]] if whole_again else [])]
    fresh = graph.build(data, tmp_path / "fresh", cache=False, jobs=1)
    assert _files(tmp_path / "out") == _files(tmp_path / "fresh")
    assert result.triples == fresh.triples == len(fresh.graph)
    assert sorted(result.dataset.quads()) == sorted(fresh.dataset.quads())  # whole, once asked
    assert result.report == fresh.report


def _store_quads(out: Path) -> list[str]:
    import pyoxigraph

    store = pyoxigraph.Store.read_only(str((out / STORE_DIR).resolve()))
    return sorted(str(quad) for quad in store)


def _store_files(out: Path) -> set[int]:
    return {path.stat().st_ino for path in (out / STORE_DIR).resolve().iterdir()}


@pytest.mark.parametrize(
    ("changed", "copied"),
    [(["second"], True), (["second", "third"], False)],  # 2 of 3: loaded afresh
)
def test_a_rebuild_changes_a_copy_of_the_store_before_where_few_sources_changed(
    make_source, tmp_path, changed, copied
):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    for folder in changed:
        _retitle(data, folder)
    with reading(out / CURRENT_LINK) as before:  # kept while the rebuild switches away
        files_before = _store_files(before)
        graph.build(data, out)
        assert bool(_store_files(out) & files_before) is copied  # copied as links, or not
    graph.build(data, tmp_path / "fresh", cache=False)
    assert _store_quads(out) == _store_quads(tmp_path / "fresh")
    assert any("second, revised" in quad for quad in _store_quads(out))


def test_a_store_before_that_cannot_be_copied_is_loaded_afresh(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    for path in (out / STORE_DIR).resolve().iterdir():  # damaged, yet still a folder
        path.write_bytes(b"not a database")
    _retitle(data, "second")
    graph.build(data, out)
    graph.build(data, tmp_path / "fresh", cache=False)
    assert _store_quads(out) == _store_quads(tmp_path / "fresh")


def test_a_build_keeps_only_the_cache_entries_it_used(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    entries = cache_folder(out, "validation")
    # for each source, what the shapes found, its graph's digest by its records and its
    # share of what the cross-source shapes read; and what those shapes found
    assert len(list(entries.glob("*.json"))) == 3 * 3 + 1
    shutil.rmtree(data / "third")
    graph.build(data, out)
    assert len(list(entries.glob("*.json"))) == 3 * 2 + 1


def test_a_damaged_cache_never_lets_a_bad_source_through(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    entries = sorted(cache_folder(out, "validation").glob("*.json"))
    _bad_language(data / "second")
    for entry in entries:  # whatever the entries say, none is of the changed graph
        entry.write_text("{not json")
    with pytest.raises(ValidationError, match="Source language"):
        graph.build(data, out)


def test_a_failed_rebuild_keeps_what_it_validated_for_the_next(
    make_source, tmp_path, counted_validations
):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    for folder in ("second", "third"):
        annotation = data / folder / "annotation.yaml"
        document = yaml.safe_load(annotation.read_text(encoding="utf-8"))
        document["source"]["title"] = f"{folder}, revised"
        if folder == "third":
            document["source"]["language"] = "not a language tag"
        annotation.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    with pytest.raises(ValidationError):
        graph.build(data, out)
    (data / "third" / "annotation.yaml").write_text(
        (data / "third" / "annotation.yaml").read_text().replace("not a language tag", "en")
    )
    counted_validations.clear()
    graph.build(data, out)
    assert len(counted_validations) == 1  # the third source, fixed; the second is cached


# --- analyze, render, show and push take the checks a build made


def _entries(folder: Path) -> dict[str, tuple[int, int]]:
    """The cache's files, with their size and time of change."""
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def test_analyse_data_takes_the_build_s_checks_and_writes_none(
    make_source, tmp_path, counted_validations
):
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    entries = _entries(cache_folder(out, "validation"))
    counted_validations.clear()
    analysed = graph.analyse_data(data, build_cache=out)
    assert counted_validations == []
    assert _entries(cache_folder(out, "validation")) == entries
    assert analysed == graph.analyse_data(data)
    assert len(counted_validations) == 3  # without the build's checks, all three


def test_render_show_and_push_take_the_build_s_checks(
    make_source, tmp_path, counted_validations, monkeypatch, parsed
):
    from graph.sparql import push as push_module

    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    counted_validations.clear()
    page = graph.render(data, tmp_path / "page.html", build_cache=out)
    assert page.read_text(encoding="utf-8") == graph.show(data, build_cache=out).html
    sent = []
    monkeypatch.setattr(push_module, "push_dataset", lambda dataset, *a, **k: sent.append(dataset))
    parsed.clear()
    push_module.push(data, "http://127.0.0.1:9/store", build_cache=out)
    assert counted_validations == [] and len(sent) == 1
    assert parsed == []  # and the sources the build read, as it read them


def _built_then_broken(make_source, tmp_path: Path, broken: str) -> tuple[Path, Path]:
    """Three sources built into ``tmp_path/out``, then the source ``broken`` given a
    language tag the shapes refuse: the data folder and the output folder."""
    data = three_tiny_sources(make_source)
    out = tmp_path / "out"
    graph.build(data, out)
    _bad_language(data / broken)
    return data, out


def test_a_source_changed_since_the_build_is_checked_again(
    make_source, tmp_path, counted_validations, parsed
):
    data, out = _built_then_broken(make_source, tmp_path, "second")
    counted_validations.clear()
    parsed.clear()
    with pytest.raises(ValidationError, match="Source language"):
        graph.analyse_data(data, build_cache=out)
    assert len(counted_validations) == 1
    assert parsed == ["second"]


def test_the_violations_a_failed_build_found_are_reported_without_checking_again(
    make_source, tmp_path, counted_validations
):
    data, out = _built_then_broken(make_source, tmp_path, "third")
    with pytest.raises(ValidationError) as by_build:
        graph.build(data, out)  # fails, and keeps what it found for the next run
    counted_validations.clear()
    with pytest.raises(ValidationError) as by_analysis:
        graph.analyse_data(data, build_cache=out)
    assert counted_validations == []
    assert str(by_analysis.value) == str(by_build.value)
    assert "third" in str(by_analysis.value) and "Source language" in str(by_analysis.value)


def test_a_folder_never_built_is_no_error_and_is_not_made(make_source, tmp_path):
    data = make_source()
    never = tmp_path / "never-built"
    assert graph.analyse_data(data, build_cache=never) == graph.analyse_data(data)
    assert not never.exists()


def test_outputs_written_by_two_workers_are_those_written_by_one(seed_checked, monkeypatch):
    from graph import forked, pipeline

    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    one, _ = pipeline.build_outputs(seed_checked, jobs=1)
    two, _ = pipeline.build_outputs(seed_checked, jobs=2)
    assert list(two) == list(one)  # the same files, in the same order
    assert all(two[name] == one[name] for name in one)
    assert {"graph.ttl", "graph.trig", "graph.jsonld", "graph.html"} <= set(one)


def test_the_store_made_beside_the_other_outputs_is_the_one_loaded_after_them(
    seed_checked, tmp_path, monkeypatch
):
    import pyoxigraph

    from graph import forked, pipeline

    def quads(path):
        store = pyoxigraph.Store.read_only(str(path))
        return sorted(str(quad) for quad in store)

    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    staging = tmp_path / "staging"
    staging.mkdir()
    made, made_writers = pipeline.build_outputs(seed_checked, jobs=2, staging=staging)
    made_writers["store"](tmp_path / "moved")  # waits for the loader started before
    assert list(staging.iterdir()) == []  # the store moved, its texts removed
    loaded, loaded_writers = pipeline.build_outputs(seed_checked, jobs=1)
    loaded_writers["store"](tmp_path / "loaded")
    assert made == loaded
    assert quads(tmp_path / "moved") == quads(tmp_path / "loaded")
    assert len(quads(tmp_path / "moved")) > 1000


def test_a_build_whose_page_fails_stops_the_store_s_loader(seed_data, tmp_path, monkeypatch):
    from graph import pipeline
    from graph.sparql import store

    graph.build(seed_data, tmp_path / "out", jobs=1)
    before = _files(tmp_path / "out")
    loads = []

    class Recorded(store.StoreLoad):
        def __init__(self, *arguments):
            super().__init__(*arguments)
            loads.append(self)

    def broken(*arguments, **options):
        assert loads, "the loader starts before the page is made"
        raise RuntimeError("the page failed")

    monkeypatch.setattr(pipeline, "StoreLoad", Recorded)
    monkeypatch.setattr(pipeline, "_made_page", broken)
    monkeypatch.setattr(pipeline, "_taken_page", broken)  # nothing changed: taken
    with pytest.raises(RuntimeError, match="the page failed"):
        graph.build(seed_data, tmp_path / "out", jobs=1)
    assert loads[0].process.returncode is not None  # ended, not left writing
    assert not [path for path in (tmp_path / "out").iterdir() if path.name.endswith(".tmp")]
    assert _files(tmp_path / "out") == before  # the previous build left whole


def test_a_build_leaves_no_staging_folder(seed_data, tmp_path):
    out = tmp_path / "out"
    graph.build(seed_data, out, jobs=1)
    assert not [path for path in out.iterdir() if path.name.endswith(".tmp")]
    assert (out / "store").is_dir()


def test_a_build_without_the_cache_writes_none(make_source, tmp_path):
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", cache=False)
    assert not cache_folder(tmp_path / "out", "validation").exists()


def test_a_build_s_jobs_also_bound_the_shapes_workers(make_source, tmp_path, monkeypatch):
    def no_workers(*arguments, **options):
        raise AssertionError("workers started")

    monkeypatch.setattr(forked, "_in_forked_workers", no_workers)
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    monkeypatch.setattr(validate, "_ENGINE_PARALLEL_TRIPLES", 0)  # shapes worth workers
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    with pytest.raises(AssertionError, match="workers started"):
        graph.build(data, tmp_path / "two", jobs=2)


@pytest.mark.parametrize("window", [None, "year"])
def test_an_analysis_made_beside_the_checks_is_the_one_made_alone(
    seed_data, seed_checked, monkeypatch, window
):
    from graph.networks.analysis import analyse
    from graph.networks.discourse import calendar_windows
    from graph.networks.projection import to_networkx

    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    network = to_networkx(seed_checked.graph)
    if window is None:
        alone = [("all", analyse(network, "state"))]
    else:
        parts = calendar_windows(network, window)
        alone = [(f"{a}..{b}", analyse(part, "state")) for a, b, part in parts]
    firm = [("all", analyse(network, "actor", {"asserted", "reported"}))]
    for jobs in (1, 2):
        found = graph.pipeline.analyse_data(seed_data, "state", window=window, jobs=jobs)
        assert found == alone
        if window is None:
            unhedged = graph.pipeline.analyse_data(seed_data, hedged=False, jobs=jobs)
            assert unhedged == firm
    assert any("russia" in camp.members for _, analysis in alone for camp in analysis.camps)
    assert firm != [("all", analyse(network, "actor"))]  # the hedged statements count


def test_an_analysis_of_a_graph_that_fails_the_shapes_is_refused(make_source, monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    annotation = tiny_annotation()
    annotation["statements"][0]["object"] = "self-defence"  # blames a position
    data = make_source(annotation=annotation)
    for jobs in (1, 2):
        with pytest.raises(ValidationError, match="blames: the object"):
            graph.pipeline.analyse_data(data, jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_analysis_by_windows_is_the_analysis_of_each_window(fixture_data, jobs):
    network = to_networkx(load_checked(fixture_data).graph)
    expected = [
        (f"{first}..{last}", analyse(part))
        for first, last, part in calendar_windows(network, "month")
        if part.number_of_edges()
    ]
    assert len(expected) >= 3 and any(analysis.camps for _, analysis in expected)
    assert graph.analyse_data(fixture_data, window="month", jobs=jobs) == expected


def test_turtle_and_trig_are_streamed_into_the_staging_folder_and_loaded_from_there(
    tmp_path, seed_corpus, seed_dataset
):
    from graph.export import serialise
    from graph.output import StagedFile
    from graph.pipeline import _Outputs
    from graph.rdf import union_view
    from graph.sparql.store import store_text_files

    graph = union_view(seed_dataset)
    staging = tmp_path / "staging"
    staging.mkdir()
    outputs = _Outputs(seed_corpus, staging, stage_files=True)
    made = outputs.later(seed_dataset, graph)[0]()
    assert sorted(made) == ["graph.trig", "graph.ttl"]
    expected = serialise(seed_dataset, graph)
    loaded = store_text_files(staging / STORE_DIR)
    for (name, staged), given in zip(sorted(made.items()), loaded, strict=True):
        assert isinstance(staged, StagedFile)
        assert staged.path.read_bytes() == expected[name]
        assert given.stat().st_ino == staged.path.stat().st_ino  # the loader reads that file


def test_json_ld_is_streamed_into_the_staging_folder(tmp_path, seed_corpus, seed_dataset):
    from graph.export import serialise
    from graph.output import StagedFile
    from graph.pipeline import _Outputs
    from graph.rdf import union_view

    graph = union_view(seed_dataset)
    staging = tmp_path / "staging"
    staging.mkdir()
    made = _Outputs(seed_corpus, staging, stage_files=True).later(seed_dataset, graph)[1]()
    [(name, staged)] = made.items()
    assert name == "graph.jsonld" and isinstance(staged, StagedFile)
    assert staged.path.read_bytes() == serialise(seed_dataset, graph)["graph.jsonld"]


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_the_page_is_made_while_the_dataset_is_built(seed_data, tmp_path, monkeypatch):
    """The page and the network files need the corpus alone: the first of them begins
    in a worker as soon as the sources are read, beside the building of the dataset."""
    import graph.checked
    import graph.pipeline as pipeline

    graph.build(seed_data, tmp_path / "alone", jobs=1)
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    began = tmp_path / "page began"
    page, build_dataset = pipeline._made_page, graph.checked.build_dataset

    def marked(*arguments, **options):
        began.write_text("yes")
        return page(*arguments, **options)

    def built_once_the_page_began(corpus, **options):
        wait_for(began.exists, "the page begun before the dataset was built")
        return build_dataset(corpus, **options)

    monkeypatch.setattr(pipeline, "_made_page", marked)
    monkeypatch.setattr(graph.checked, "build_dataset", built_once_the_page_began)
    written = graph.build(seed_data, tmp_path / "out", jobs=2).files
    for name in ("graph.html", "graph.ttl", "networks/statements.graphml"):
        assert written[name].read_bytes() == (tmp_path / "alone" / name).read_bytes()


def test_the_digest_of_the_statement_network_s_records_is_made_once(
    make_source, tmp_path, monkeypatch
):
    """The page and the network pieces take it from one another (in workers forked after
    the board that carries it)."""
    from graph import pipeline

    made = counted_calls(monkeypatch, pipeline, "corpus_digest")
    data = three_tiny_sources(make_source)
    graph.build(data, tmp_path / "out", jobs=1)
    _retitle(data, "second")
    graph.build(data, tmp_path / "out", jobs=1)
    assert made == [1, 1]


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_the_network_pieces_after_the_page_take_its_statement_network(
    seed_corpus, tmp_path, monkeypatch
):
    """The first piece that makes the statement network hands it, with its digests, to
    the pieces in the workers after it."""
    from graph import pipeline

    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    staging, cache = tmp_path / "staging", tmp_path / "cache"
    staging.mkdir()
    outputs = pipeline._Outputs(seed_corpus, staging, stage_files=True, kept_files=(cache, None))
    page, networks, states = outputs.early
    forked.run_all([page, lambda: None], jobs=2)

    def never(*_):
        raise AssertionError("the statement network made again")

    for name in ("corpus_network", "network_digest"):
        monkeypatch.setattr(pipeline, name, never)
    monkeypatch.setattr(pipeline.ReadDigests, "made", never)
    made = forked.run_all([networks, states], jobs=2)
    assert "networks/statements.graphml" in made[0] and "networks/state/blame.csv" in made[1]
