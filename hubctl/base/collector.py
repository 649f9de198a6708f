"""Fewer runs of Python's cycle collector while a fleet is loaded and rendered.

Loading and rendering a large fleet allocates millions of objects that live until the process ends (specs,
placements, params, texts) and almost no reference cycles. With the default thresholds the collector runs
every 700 allocations and every so often walks the whole heap: about a fifth of a one-flow render at 4,000
clusters (benchmarks/RESULTS-scale.md). Raising the first threshold keeps cycles collected, just in larger
batches; the previous thresholds come back when the block ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

FIRST_THRESHOLD = 100_000


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the block with the collector's first threshold raised to FIRST_THRESHOLD (never lowered)."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], FIRST_THRESHOLD), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
