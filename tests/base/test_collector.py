"""fewer_collections: the collector's thresholds raised inside the block, and put back however it ends."""

from __future__ import annotations

import gc

import pytest

from hubctl.base.collector import FIRST_THRESHOLD, fewer_collections


@pytest.fixture
def thresholds():
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_raised_inside_and_restored_after(thresholds):
    with fewer_collections():
        assert gc.get_threshold() == (FIRST_THRESHOLD, 10, 10)
        with fewer_collections():  # nested: still raised, and the outer block's setting comes back
            assert gc.get_threshold() == (FIRST_THRESHOLD, 10, 10)
        assert gc.get_threshold() == (FIRST_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_restored_when_the_block_raises(thresholds):
    with pytest.raises(ValueError), fewer_collections():
        raise ValueError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_is_kept(thresholds):
    gc.set_threshold(FIRST_THRESHOLD * 2, 10, 10)
    with fewer_collections():
        assert gc.get_threshold()[0] == FIRST_THRESHOLD * 2
