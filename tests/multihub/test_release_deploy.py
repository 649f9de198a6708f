"""`hubctl hub release HUB` when every hub deploys from a repository of its own: the committed render of each
hub is read from its own deploy repository (served by `git daemon` on 127.0.0.1, cloned where
$HUBCTL_DEPLOY_CLONE_<HUB> says), not from the fleet repository."""

from __future__ import annotations

import json

import pytest

from hubctl.base.constants import LABEL_CLUSTER
from hubctl.base.errors import ExitCode
from hubctl.emulator import Emulator
from tests.multihub.conftest import HUBS, git, write_kubeconfig
from tests.support.gitservers import GitDaemon, bare_repo
from tests.support.multihub import US_CLUSTERS, edit, make_multihub

MOVED = set(US_CLUSTERS) - {"dev-us-lab"}  # the us clusters that carry Applications
SPEC = {"platform-hub": "hubctl.yaml", "us-hub": "hubs/us-hub.yaml", "us-standby": "hubs/us-standby.yaml"}


def variable(hub: str) -> str:
    return "HUBCTL_DEPLOY_CLONE_" + hub.upper().replace("-", "_")


def apps(hub) -> dict:
    return {o["metadata"]["name"]: o["metadata"]["labels"].get(LABEL_CLUSTER)
            for o in hub.store.objects("applications")}


def settle(hubs) -> None:
    for hub in hubs.values():
        hub.refresh()
        hub.settle()


@pytest.fixture
def deployed(hubctl, example_fleet, tmp_path, monkeypatch):
    """(fleet, emulated hubs, kubeconfig, clones): three hubs, each deploying to its own repository on a
    loopback git daemon, committed and pushed by hubctl and rolled out by an emulator per hub reading that
    hub's repository."""
    root = make_multihub(example_fleet)
    for hub, spec in SPEC.items():
        anchor = "  renderDir: rendered\n" if hub == "platform-hub" else "  kube:\n"
        edit(root / spec, anchor, (anchor if hub == "platform-hub" else "") +
             f"  deploy:\n    repository: https://git.example.com/platform/{hub}-deploy.git\n" +
             ("" if hub == "platform-hub" else anchor))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "fleet")
    monkeypatch.setenv("HUBCTL_AUTHOR_NAME", "hubctl")
    monkeypatch.setenv("HUBCTL_AUTHOR_EMAIL", "hubctl@example.com")
    remotes, clones = tmp_path / "remotes", {}
    daemon = GitDaemon(remotes.mkdir() or remotes).__enter__()
    try:
        for hub in HUBS:
            bare_repo(remotes / f"{hub}.git")
            clones[hub] = tmp_path / "clones" / hub
            git(tmp_path, "clone", "-q", daemon.url(f"{hub}.git"), str(clones[hub]))
            monkeypatch.setenv(variable(hub), str(clones[hub]))
        pushed = hubctl("-C", root, "commit", "--push")
        assert pushed.code == 0, pushed.out + pushed.err
        hubs = {hub: Emulator(repo=str(remotes / f"{hub}.git"), branch="main", path=f"rendered/{hub}", auto=True,
                              speed=0.02) for hub in HUBS}
        for emulator in hubs.values():
            emulator.start()
        try:
            settle(hubs)
            yield root, hubs, write_kubeconfig(tmp_path / "kubeconfig", hubs), clones
        finally:
            for emulator in hubs.values():
                emulator.stop()
    finally:
        daemon.__exit__(None, None, None)


def fail_over(hubctl, root, hubs, *push: str) -> None:
    assert hubctl("-C", root, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    git(root, "commit", "-qam", "fail over us-hub to us-standby")  # specs committed: the deploy commits name them
    committed = hubctl("-C", root, "commit", "--allow-prune", *push)  # us-hub's guard counts the move
    assert committed.code == 0, committed.out + committed.err
    settle(hubs)


def release(hubctl, root, config, *args):
    result = hubctl("-C", root, "hub", "release", "us-hub", "--kubeconfig", config, *args)
    assert "Traceback" not in result.err
    return result


def test_release_reads_each_hubs_own_deploy_repository(hubctl, deployed):
    root, hubs, config, _ = deployed
    old, standby = hubs["us-hub"], hubs["us-standby"]
    assert set(apps(old).values()) == MOVED
    fail_over(hubctl, root, hubs, "--push")
    assert set(apps(standby).values()) == MOVED, "the standby rolled out from its own repository"
    left, workloads = apps(old), old.workloads()
    assert set(left.values()) == MOVED

    dry = release(hubctl, root, config, "--dry-run", "-o", "json")

    assert dry.code == 0, dry.out + dry.err
    plan = json.loads(dry.out)
    assert sorted(a["name"] for a in plan["applications"]) == sorted(left)
    assert {a["owner"] for a in plan["applications"]} == {"us-standby"}
    assert apps(old) == left

    done = release(hubctl, root, config, "--yes")

    assert done.code == 0, done.out + done.err
    old.step()
    assert apps(old) == {} and old.workloads() == workloads, "not cascaded: the workloads stay"
    assert set(apps(standby).values()) == MOVED


def test_before_the_failover_is_committed_to_the_standbys_repository_nothing_moves(hubctl, deployed):
    """Only us-hub's repository has the failover (the standby's commit failed to reach it): no hub manages
    the us clusters in the committed render, so release has nothing to release to."""
    root, hubs, config, clones = deployed
    git(clones["us-standby"], "remote", "set-url", "origin", str(clones["us-standby"].parent / "gone.git"))
    assert hubctl("-C", root, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    git(root, "commit", "-qam", "fail over")
    partial = hubctl("-C", root, "commit", "--allow-prune", "--push")
    assert partial.code == ExitCode.PARTIAL, partial.out + partial.err
    settle(hubs)
    before = apps(hubs["us-hub"])

    result = release(hubctl, root, config, "--yes")

    assert result.code == ExitCode.GIT, result.out + result.err
    assert "hub us-standby: the render on main" in result.err and "push it" in result.err
    assert apps(hubs["us-hub"]) == before


def test_a_hub_without_its_clone_is_named_and_nothing_is_deleted(hubctl, deployed, monkeypatch):
    root, hubs, config, _ = deployed
    fail_over(hubctl, root, hubs, "--push")
    before = apps(hubs["us-hub"])
    monkeypatch.delenv(variable("us-standby"))

    result = release(hubctl, root, config, "--yes")

    assert result.code == ExitCode.USAGE and "HUBCTL_DEPLOY_CLONE_US_STANDBY" in result.err
    assert apps(hubs["us-hub"]) == before


def test_an_uncommitted_failover_in_the_fleet_repository_moves_nothing(hubctl, deployed):
    root, hubs, config, _ = deployed
    assert hubctl("-C", root, "hub", "failover", "us-hub", "--to", "us-standby").code == 0  # specs only
    before = apps(hubs["us-hub"])

    result = release(hubctl, root, config, "--yes")

    assert result.code == 0, result.out + result.err
    assert "nothing to release on hub us-hub" in result.out and apps(hubs["us-hub"]) == before


def test_status_expects_each_hubs_own_deploy_head(hubctl, deployed, monkeypatch):
    """Each hub is waited for at the head of its own deploy repository, even where $HUBCTL_DEPLOY_CLONE (one
    clone for a one-hub fleet) is set too."""
    root, hubs, config, clones = deployed
    monkeypatch.setenv("HUBCTL_DEPLOY_CLONE", str(clones["platform-hub"]))

    result = hubctl("-C", root, "status", "--kubeconfig", config, "--wait", "--timeout", "1m", "-o", "json")

    assert result.code == 0, result.out + result.err
    expected = {h["hub"]: h["expectedRevision"] for h in json.loads(result.out)["hubs"]}
    assert expected == {hub: git(clones[hub], "rev-parse", "main") for hub in ("platform-hub", "us-hub")}


def test_prune_never_cascades_what_a_cluster_moved_between_hubs_left_behind(hubctl, deployed):
    """staging-us-1 moves from us-hub to platform-hub: us-hub's prune guard, counting against its own
    repository, records its Applications as allowed removals; but platform-hub generates them now, so
    cascading them on us-hub would delete the workloads platform-hub runs."""
    root, hubs, config, _ = deployed
    moving = "staging-us-1"
    old = hubs["us-hub"]
    carried = {name for name, cluster in apps(old).items() if cluster == moving}
    workloads = {w for w in old.workloads() if w.startswith(f"{moving}/")}
    assert carried and workloads
    edit(root / "clusters" / f"{moving}.yaml", "  region: us-east\n", "  region: us-west\n")
    git(root, "commit", "-qam", f"move {moving} to platform-hub")
    committed = hubctl("-C", root, "commit", "--allow-prune", "--push")
    assert committed.code == 0, committed.out + committed.err
    last = git(root.parent / "clones" / "us-hub", "log", "-1", "--format=%B")
    assert "Hubctl-Allowed-Removal:" in last, "the old hub's guard counted the move as removals"
    settle(hubs)
    assert carried <= set(apps(hubs["platform-hub"])), "the new hub generates them"

    result = hubctl("-C", root, "prune", "--kubeconfig", config, "--yes", "-o", "json")

    assert result.code == ExitCode.DRIFT, result.out + result.err
    rows = {h["hub"]: h for h in json.loads(result.out)["hubs"]}
    kept = {a["name"]: a for a in rows["us-hub"]["applications"]}
    assert set(kept) == carried and {a["result"] for a in kept.values()} == {"kept"}
    assert all(a["allowedBy"] and "hub platform-hub generates" in a["reason"] for a in kept.values())
    old.step()
    assert carried <= set(apps(old)) and workloads <= set(old.workloads())
    assert release(hubctl, root, config, "--yes").code == 0  # the way they go: without cascading
    old.step()
    assert carried.isdisjoint(apps(old)) and workloads <= set(old.workloads())


def test_a_clone_variable_that_names_no_repository_is_exit_2(hubctl, deployed, monkeypatch, tmp_path):
    root, hubs, config, _ = deployed
    fail_over(hubctl, root, hubs, "--push")
    before = apps(hubs["us-hub"])
    monkeypatch.setenv(variable("us-standby"), str(tmp_path / "nowhere"))

    result = release(hubctl, root, config, "--yes")

    assert result.code == ExitCode.USAGE, result.out + result.err
    assert "$HUBCTL_DEPLOY_CLONE_US_STANDBY) is not a clone of hub us-standby's deploy repository" in result.err
    assert apps(hubs["us-hub"]) == before
