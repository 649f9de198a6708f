from __future__ import annotations

import pytest
from fleetgit import commit_specs_repo


@pytest.fixture
def fleet_repo(example_fleet, monkeypatch):
    """A private copy of examples/fleet as a Git repository with one commit of its specs."""
    return commit_specs_repo(example_fleet, monkeypatch)
