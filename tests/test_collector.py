"""graph.collector pauses the cycle collector for a block and leaves it as it was."""

import gc

import pytest

from graph import collector


@pytest.fixture(autouse=True)
def _collector_restored():
    was = gc.isenabled()
    yield
    (gc.enable if was else gc.disable)()


def test_the_collector_is_off_inside_and_on_again_after():
    gc.enable()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():  # nested: still off inside, not turned on by the inner end
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_in_the_block_turns_it_on_again():
    gc.enable()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("stage failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_a_build_runs_with_the_collector_off_and_leaves_it_on(tmp_path, seed_data, monkeypatch):
    import graph.pipeline as pipeline

    seen = []

    class Outputs(pipeline._Outputs):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.pieces = [seeing(piece) for piece in self.pieces]

    def seeing(piece):
        def run():
            seen.append(gc.isenabled())
            return piece()

        return run

    monkeypatch.setattr(pipeline, "_Outputs", Outputs)
    gc.enable()
    pipeline.build(seed_data, tmp_path / "out", jobs=1)
    assert seen == [False] * 5  # each output made with the collector off
    assert gc.isenabled()
