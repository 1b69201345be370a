"""graph.collector pauses the cycle collector for a block and leaves it as it was, and frees
the cycles a piece of work leaves without walking what existed before it."""

import gc
import sys
import weakref

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
            self.early = [seeing(piece) for piece in self.early]

        def later(self, *args, **kwargs):
            return [seeing(piece) for piece in super().later(*args, **kwargs)]

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


class _Node:
    """An object that can be in a cycle and be watched through a weak reference."""

    def __init__(self):
        self.other = None


def _cycle():
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    return weakref.ref(first)


def test_a_cycle_left_in_the_block_is_freed_at_its_end_with_the_collector_off():
    gc.disable()
    with collector.cycles_freed_after():
        left = _cycle()
        assert left() is not None  # the collector does not run inside
    assert left() is None
    assert not gc.isenabled()


def test_what_existed_before_the_block_is_frozen_inside_and_only_there():
    gc.disable()
    before = _cycle()
    with collector.cycles_freed_after():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    assert before() is not None  # made before the block: not the block's to free
    gc.collect()
    assert before() is None


def test_nested_blocks_free_their_cycles_and_unfreeze_once_at_the_outer_end():
    gc.disable()
    before = _cycle()
    with collector.cycles_freed_after():
        outer = _cycle()
        with collector.cycles_freed_after():
            inner = _cycle()
        # the inner end walks what the outermost block made: both cycles
        assert (inner(), outer()) == (None, None)
        assert gc.get_freeze_count() > 0
        later = _cycle()
    assert later() is None
    assert before() is not None
    assert gc.get_freeze_count() == 0


def test_an_error_in_the_block_unfreezes_and_keeps_the_collector_as_it_was():
    gc.enable()
    with pytest.raises(RuntimeError), collector.cycles_freed_after():
        raise RuntimeError("piece failed")
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_is_given_back_through_the_c_library_on_linux():
    assert collector._malloc_trim is not None
    collector.give_back_freed()  # returns nothing; must not fail


def test_a_freeze_made_before_the_block_is_left_in_place():
    gc.disable()
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collector.cycles_freed_after():
            left = _cycle()
        assert left() is None
        assert gc.get_freeze_count() >= frozen  # not undone by the block
    finally:
        gc.unfreeze()
