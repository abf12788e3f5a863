import gc

import pytest

from etabli.common.gc import cyclic_gc_paused


@pytest.fixture(autouse=True)
def _restore_collector():
    was_enabled = gc.isenabled()
    yield
    (gc.enable if was_enabled else gc.disable)()


def test_the_collector_is_paused_then_resumed_even_on_error():
    gc.enable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), cyclic_gc_paused():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_already_off_stays_off():
    gc.disable()
    with cyclic_gc_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_objects_are_still_freed_by_reference_counting():
    import weakref

    class Row:
        pass

    with cyclic_gc_paused():
        row = Row()
        ref = weakref.ref(row)
        del row
        assert ref() is None
