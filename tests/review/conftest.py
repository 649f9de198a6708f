"""Fixtures: the example fleet as a repository with history (tests/review/fleetrepo.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.review.fleetrepo import make_repo


@pytest.fixture
def fleet_repo(example_fleet: Path) -> Path:
    """The example fleet plus a node-agent flow on every cluster, committed on `main`; the working tree
    is clean. Tests change files and run `hubctl diff -C` on it."""
    return make_repo(example_fleet)
