"""`hubctl commit --push` for hubs with deploy repositories of their own: a commit and push per hub."""

from __future__ import annotations

import json
from pathlib import Path

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
    from hubctl.base import cachefile  # each hub's remembered blob ids are its own: hubs committed side by side
    assert len(list((cachefile.cache_root() / "blobids").iterdir())) == len(HUBS)  # never replace each other's


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


COUNT_READS = """
import os, sys
reads = []
def hook(event, args):  # every open of the hub spec: a load of the fleet reads it once
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)) and \\
            os.fsdecode(args[0]).endswith("hubctl.yaml"):
        reads.append(args[0])
sys.addaudithook(hook)
from hubctl.cli import run
code = run(sys.argv[1:])
print(f"{code} {len(reads)}")
"""


def hub_spec_reads(root, *args) -> tuple[int, int]:
    """(exit code, opens of hubctl.yaml) of `hubctl ARGS` in a fresh interpreter (Python's audit hooks)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", COUNT_READS, "-C", str(root), *args], capture_output=True,
                          text=True, env=env, check=True)
    code, reads = done.stdout.split()[-2:]
    return int(code), int(reads)


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_fleet_of_several_hubs_in_one_repository_is_loaded_once(hubctl, example_fleet, tmp_path, dry_run):
    """commit_hubs loads the fleet to learn whether the hubs have deploy repositories of their own; the
    one-repository commit then takes that fleet instead of loading it again: a fleet of several hubs
    reads hubctl.yaml exactly as often as the same fleet with one hub does."""
    import shutil

    one = tmp_path / "one"
    shutil.copytree(example_fleet, one)
    several = make_multihub(example_fleet)
    reads = {}
    for root in (one, several):
        git(root, "init", "-q", "-b", "main")
        assert hubctl("-C", root, "render").code == 0
        git(root, "add", "-A")
        git(root, "commit", "-qm", "fleet")
        args = ("commit", "--dry-run") if dry_run else ("commit",)  # nothing to commit: a load all the same
        reads[root.name] = hub_spec_reads(root, *args)
    assert reads["fleet"][0] == reads["one"][0] == 0
    assert reads["fleet"][1] == reads["one"][1], reads
