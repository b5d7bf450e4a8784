"""The index build pauses the cyclic garbage collector and freezes what it built."""

import gc

import pytest

from service.memory import long_lived_objects


@pytest.fixture
def collector():
    enabled = gc.isenabled()
    yield
    gc.unfreeze()
    (gc.enable if enabled else gc.disable)()


@pytest.mark.usefixtures("collector")
def test_collection_paused_inside_and_survivors_frozen_after() -> None:
    gc.enable()
    gc.unfreeze()
    kept: list[dict[str, int]] = []
    with long_lived_objects():
        assert not gc.isenabled()
        kept.extend({"row": i} for i in range(5000))
    assert gc.isenabled()
    assert gc.get_freeze_count() >= 5000  # the survivors are out of future collections
    assert len(kept) == 5000


@pytest.mark.usefixtures("collector")
def test_a_collector_that_was_off_stays_off_and_errors_pass_through() -> None:
    gc.disable()
    with pytest.raises(RuntimeError), long_lived_objects():
        raise RuntimeError("a build that failed")
    assert not gc.isenabled()
