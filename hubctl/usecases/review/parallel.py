"""Load and render the two sides of a review at the same time: the base in a forked process.

Loading and rendering a side is pure Python work (about 2 s for 500 clusters and 400 flows); two cores
halve the wait. The child streams its Side back pickled (a render of 33,000 files is about 150 MB;
pickling and unpickling cost about 0.3 s each, overlapped). Where fork is not available, or the base
fails to load in the child, it is loaded here instead (so a user error is reported as without a fork).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from hubctl.base import forked
from hubctl.base.errors import HubctlError
from hubctl.usecases.review.sides import Side

Loader = Callable[[], Side]


def _portable(side: Side) -> Side:
    # Fleet.cache holds derived values (label index, placements) that are cheap to rebuild.
    return replace(side, fleet=replace(side.fleet, cache={})) if side.fleet is not None else side


def load_both(load_base: Loader, load_head: Loader) -> tuple[Side, Side]:
    """(base, head), the base loaded in a forked process while this one loads the head.

    Raises:
        HubctlError: what loading either side raises (the base's first when both fail).
    """
    with forked.start(lambda: _portable(load_base())) as base:
        try:
            head, head_error = load_head(), None
        except HubctlError as exc:
            head, head_error = None, exc
        base_side = base.result()
    if head_error is not None:
        raise head_error
    return base_side, head
