"""graph.checked: a corpus loaded, built and checked, with work done beside the check."""

import sys

import pytest

from graph import forked
from graph.checked import load_checked, load_checked_beside
from graph.digests import graph_digest
from graph.errors import ValidationError
from graph.namespaces import SRC
from graph.validate import ValidationCache
from tests.factories import tiny_annotation, wait_for, waits_then_marks

LINUX = sys.platform == "linux"


def _bad_annotation():
    annotation = tiny_annotation()
    annotation["statements"][0]["object"] = "self-defence"  # blames a position
    return annotation


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_pieces_give_their_results_with_the_checked_graph(make_source, monkeypatch, jobs):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    data = make_source()

    def work(corpus, dataset, graph, digests):
        return [lambda: len(graph), lambda: sorted(s.id for s in corpus.sources)]

    checked, results = load_checked_beside(data, work, jobs=jobs)
    alone = load_checked(data)
    assert results == [len(alone.graph), ["tiny"]]
    assert checked.report == alone.report and checked.report.conforms
    assert set(checked.graph) == set(alone.graph)


def test_the_pieces_after_the_checks_find_the_digests_the_checks_made(make_source, tmp_path):
    data = make_source()

    def work(corpus, dataset, graph, digests):
        return [lambda: {name: digests.get(name) for name in (str(SRC["tiny"]), "urn:none")}]

    checked, [found] = load_checked_beside(
        data, work, cache=ValidationCache(tmp_path / "cache"), jobs=1
    )
    assert found == {str(SRC["tiny"]): checked.report.digests[str(SRC["tiny"])], "urn:none": None}
    assert found[str(SRC["tiny"])] == graph_digest(checked.dataset.graph(SRC["tiny"]))


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_graph_that_fails_the_shapes_stops_the_pieces(make_source, tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    data = make_source(annotation=_bad_annotation())

    def broken():
        raise RuntimeError("made from a bad graph")

    with pytest.raises(ValidationError) as caught:
        load_checked_beside(
            data, lambda *graph: [broken, waits_then_marks(tmp_path / "late")], jobs=jobs
        )
    assert "statement 'ruritania-blames-freedonia': blames: the object" in str(caught.value)
    assert not (tmp_path / "late").exists()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_piece_s_error_is_raised_once_the_graph_passed(make_source, monkeypatch, jobs):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)

    def broken():
        raise RuntimeError("the piece failed")

    with pytest.raises(RuntimeError, match="the piece failed") as caught:
        load_checked_beside(make_source(), lambda *graph: [lambda: 1, broken], jobs=jobs)
    assert "in broken" in "".join(caught.value.__notes__)  # where it was raised


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_failed_piece_still_waits_for_a_graph_that_fails(make_source, monkeypatch, jobs):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    data = make_source(annotation=_bad_annotation())

    def broken():
        raise RuntimeError("made from a bad graph")

    with pytest.raises(ValidationError, match="blames: the object"):
        load_checked_beside(data, lambda *graph: [broken], jobs=jobs)


@pytest.mark.parametrize("jobs", [1, 2])
def test_the_early_pieces_results_follow_those_of_the_work(make_source, monkeypatch, jobs):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    arrived = {}

    def early(corpus):
        return [lambda: [s.id for s in corpus.sources], lambda: "second early"]

    def work(corpus, dataset, graph, digests):
        return [lambda: len(graph)]

    checked, results = load_checked_beside(
        make_source(), work, jobs=jobs, early=early, arrived=arrived.__setitem__
    )
    assert results == [len(checked.graph), ["tiny"], "second early"]
    assert arrived == dict(enumerate(results))  # indices as in the results


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_an_early_piece_runs_while_the_dataset_is_built(make_source, tmp_path, monkeypatch):
    import graph.checked

    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    began = tmp_path / "began"
    build_dataset = graph.checked.build_dataset

    def built_once_the_page_began(corpus, **options):
        wait_for(began.exists, "the early piece began")
        return build_dataset(corpus, **options)

    monkeypatch.setattr(graph.checked, "build_dataset", built_once_the_page_began)
    checked, [made, early] = load_checked_beside(
        make_source(),
        lambda corpus, dataset, graph, digests: [lambda: "made"],
        jobs=2,
        early=lambda corpus: [lambda: began.write_text("yes") and "early"],
    )
    assert (made, early) == ("made", "early") and checked.report.conforms


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_a_graph_that_fails_the_shapes_stops_the_early_pieces(make_source, tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    data = make_source(annotation=_bad_annotation())
    with pytest.raises(ValidationError, match="blames: the object"):
        load_checked_beside(
            data,
            lambda *graph: [lambda: "made"],
            jobs=2,
            early=lambda corpus: [waits_then_marks(tmp_path / "early"), lambda: "second"],
        )
    assert not (tmp_path / "early").exists()


@pytest.mark.skipif(not LINUX, reason="workers are forked on Linux only")
def test_without_early_pieces_the_work_still_runs_in_workers(make_source, monkeypatch):
    import os

    monkeypatch.setattr(forked, "_memory_for", lambda workers: True)
    _, [pid] = load_checked_beside(make_source(), lambda *graph: [os.getpid], jobs=2)
    assert pid != os.getpid()
