"""The emulator expands what was committed, wherever the render sits in the repository."""

from __future__ import annotations

from pathlib import Path

import pygit2
import pytest

from hubctl.adapters.git import commit_files
from hubctl.emulator import Emulator
from hubctl.usecases.render.fleet import render_fleet
from hubctl.usecases.validate.loader import load_fleet

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "fleet"


@pytest.mark.parametrize("path", ["rendered", "deploy/fleet-a", ""])
def test_emulator_creates_one_application_per_placement(tmp_path, path):
    render = render_fleet(load_fleet(EXAMPLE))
    repo = tmp_path / "deploy.git"
    pygit2.init_repository(str(repo), bare=True)
    commit = commit_files(repo, branch="main", files=render.files, prefix=path, message="render",
                          author="Bot <bot@example.com>", committer="Bot <bot@example.com>").commit
    emulator = Emulator(repo=str(repo), branch="main", path=path, auto=False)
    names = sorted(app["metadata"]["name"] for app in emulator._default_source().applications_at(commit))
    spaces_apps = {f"spaces-{p.cluster}" for p in render.placements}  # the hubctl-spaces ApplicationSet
    assert names == sorted({p.app_name for p in render.placements} | spaces_apps)


def test_emulated_applications_run_their_clusters_chart_version(tmp_path):
    """A flow with per-env versions: each emulated Application carries its own cluster's targetRevision."""
    from hubctl.emulator.source import GitSource

    render = render_fleet(load_fleet(EXAMPLE))
    repo = tmp_path / "deploy.git"
    pygit2.init_repository(str(repo), bare=True)
    commit = commit_files(repo, branch="main", files=render.files, prefix="rendered", message="render",
                          author="Bot <bot@example.com>", committer="Bot <bot@example.com>").commit
    apps = GitSource(str(repo)).applications_at(commit)
    revisions = {a["metadata"]["name"]: a["spec"]["source"]["targetRevision"] for a in apps
                 if a["metadata"]["labels"].get("hubctl.io/flow") == "dashboards"}
    assert revisions == {"dashboards-staging-eu-1": "8.6.1", "dashboards-prod-eu-1": "8.5.2",
                         "dashboards-prod-eu-2": "8.5.2"}
