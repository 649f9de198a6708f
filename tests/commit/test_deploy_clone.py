"""spec.deploy.repository names the deploy repository; the local clone hubctl opens is named by the operator
(--deploy-clone, $HUBCTL_DEPLOY_CLONE), never by the specs a pull request edits."""

from __future__ import annotations

from pathlib import Path

import pytest
from fleetgit import IDENTITY, git


@pytest.fixture
def victim(tmp_path) -> Path:
    """Another repository on the machine (with a remote), which a pull request names as the deploy repository."""
    repo = tmp_path / "victim"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "someone else's work")
    git(repo, "remote", "add", "origin", str(tmp_path / "nowhere.git"))
    return repo


@pytest.fixture
def fleet_naming(example_fleet, victim, monkeypatch):
    monkeypatch.delenv("HUBCTL_DEPLOY_CLONE", raising=False)
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    hub = example_fleet / "hubctl.yaml"
    hub.write_text(hub.read_text() + f"  deploy:\n    repository: {victim}\n    branch: main\n")
    git(example_fleet, "init", "-q", "-b", "main")
    git(example_fleet, "add", "-A")
    git(example_fleet, "commit", "-q", "-m", "specs")
    return example_fleet


def test_commit_never_opens_the_repository_the_specs_name(hubctl, fleet_naming, victim):
    before = git(victim, "rev-parse", "HEAD")

    refused = hubctl("commit", "-C", fleet_naming, "--push")

    assert refused.code == 2
    assert f"spec.deploy names a separate deploy repository ({victim})" in refused.err
    assert "--deploy-clone PATH or set HUBCTL_DEPLOY_CLONE" in refused.err
    assert git(victim, "rev-parse", "HEAD") == before
    assert git(victim, "rev-list", "--count", "--all").strip() == "1"


def test_commit_writes_into_the_clone_the_operator_names(hubctl, fleet_naming, victim, tmp_path, monkeypatch):
    clone = tmp_path / "deploy.git"
    git(tmp_path, "init", "-q", "--bare", str(clone))
    monkeypatch.setenv("HUBCTL_DEPLOY_CLONE", str(clone))

    assert hubctl("commit", "-C", fleet_naming).code == 0

    assert "Hubctl-Spec-Hash" in git(clone, "log", "-1", "--format=%B", "main")
    assert git(victim, "rev-list", "--count", "--all").strip() == "1"


def test_status_takes_no_expected_revision_from_the_repository_the_specs_name(fleet_naming, victim, tmp_path,
                                                                              monkeypatch):
    from hubctl.usecases.status.expected import expected_from_fleet

    _apps, revision, _hub, repo_path = expected_from_fleet(fleet_naming)
    assert (revision, repo_path) == (None, None), "status then needs --revision"

    monkeypatch.setenv("HUBCTL_DEPLOY_CLONE", str(victim))  # the operator's choice is honoured
    _apps, revision, _hub, repo_path = expected_from_fleet(fleet_naming)
    assert (revision, repo_path) == (git(victim, "rev-parse", "HEAD").strip(), victim)
