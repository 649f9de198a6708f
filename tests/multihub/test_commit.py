"""`hubctl commit --push` for hubs with deploy repositories of their own: a commit and push per hub."""

from __future__ import annotations

import json

import pytest

from tests.multihub.conftest import git
from tests.support.multihub import edit, make_multihub

HUBS = ("platform-hub", "us-hub")


@pytest.fixture
def deploy(example_fleet, tmp_path, monkeypatch):
    """(fleet, remotes by hub): a committed two-hub fleet whose hubs deploy to repositories of their own,
    each a bare `origin` with a local clone named by HUBCTL_DEPLOY_CLONE_<HUB>."""
    root = make_multihub(example_fleet, standby=False)
    edit(root / "hubctl.yaml", "  renderDir: rendered\n",
         "  renderDir: rendered\n  deploy:\n    repository: https://git.example.com/platform/eu-deploy.git\n")
    edit(root / "hubs" / "us-hub.yaml", "  kube:\n",
         "  deploy:\n    repository: https://git.example.com/platform/us-deploy.git\n  kube:\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fleet")
    remotes = {}
    for hub in HUBS:
        remotes[hub] = tmp_path / "remotes" / f"{hub}.git"
        git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remotes[hub]))
        clone = tmp_path / "clones" / hub
        git(tmp_path, "clone", "-q", str(remotes[hub]), str(clone))
        monkeypatch.setenv("HUBCTL_DEPLOY_CLONE_" + hub.upper().replace("-", "_"), str(clone))
    monkeypatch.setenv("HUBCTL_AUTHOR_NAME", "hubctl")
    monkeypatch.setenv("HUBCTL_AUTHOR_EMAIL", "hubctl@example.com")
    return root, remotes


def pushed_files(remote) -> set[str]:
    out = git(remote, "ls-tree", "-r", "--name-only", "main")
    return set(out.splitlines())


def test_each_hub_is_committed_and_pushed_to_its_own_repository(hubctl, deploy):
    root, remotes = deploy

    result = hubctl("-C", root, "commit", "--push", "-o", "json")

    assert result.code == 0, result.out + result.err
    doc = json.loads(result.out)
    assert [h["hub"] for h in doc["hubs"]] == list(HUBS) and doc["exitCode"] == 0
    us = pushed_files(remotes["us-hub"])
    assert "rendered/us-hub/hub/root.yaml" in us
    assert any(p.startswith("rendered/us-hub/spokes/prod-us-1/") for p in us)
    assert not any("prod-eu-1" in p for p in us)  # only its own clusters
    eu = pushed_files(remotes["platform-hub"])
    assert "rendered/platform-hub/hub/root.yaml" in eu and not any("prod-us-1" in p for p in eu)


def test_a_failed_push_on_one_hub_keeps_the_others_and_a_rerun_converges(hubctl, deploy, tmp_path):
    root, remotes = deploy
    us_clone = tmp_path / "clones" / "us-hub"
    git(us_clone, "remote", "set-url", "origin", str(tmp_path / "remotes" / "gone.git"))  # its remote is down

    result = hubctl("-C", root, "commit", "--push")

    assert result.code == 13, result.out + result.err
    assert "hub us-hub: failed:" in result.out and "Traceback" not in result.err
    assert "rendered/platform-hub/hub/root.yaml" in pushed_files(remotes["platform-hub"])
    assert git(remotes["us-hub"], "branch", "--list") == ""  # nothing reached it
    before = git(remotes["platform-hub"], "rev-parse", "main")

    git(us_clone, "remote", "set-url", "origin", str(remotes["us-hub"]))  # back up
    again = hubctl("-C", root, "commit", "--push", "-o", "json")

    assert again.code == 0, again.out + again.err
    assert git(remotes["platform-hub"], "rev-parse", "main") == before  # nothing new for the hub that had it
    assert "rendered/us-hub/hub/root.yaml" in pushed_files(remotes["us-hub"])
    assert git(us_clone, "rev-parse", "main") == git(remotes["us-hub"], "rev-parse", "main")


def test_a_hub_without_its_clone_is_reported_and_the_others_committed(hubctl, deploy, monkeypatch):
    root, remotes = deploy
    monkeypatch.delenv("HUBCTL_DEPLOY_CLONE_US_HUB")

    result = hubctl("-C", root, "commit", "--push")

    assert result.code == 13
    assert "set HUBCTL_DEPLOY_CLONE_US_HUB" in result.err and "Traceback" not in result.err
    assert "rendered/platform-hub/hub/root.yaml" in pushed_files(remotes["platform-hub"])


def test_a_mix_of_deploy_targets_is_a_usage_error(hubctl, deploy):
    root, _ = deploy
    edit(root / "hubs" / "us-hub.yaml", "  deploy:\n    repository: https://git.example.com/platform/us-deploy.git\n",
         "")
    result = hubctl("-C", root, "commit", "--dry-run")
    assert result.code == 2 and "give every hub a spec.deploy.repository, or none" in result.err
