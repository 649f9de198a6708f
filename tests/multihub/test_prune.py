"""`hubctl prune` in a fleet of several hubs: each hub's removals read from its own committed render, deleted
on that hub only, with its own connection; against emulated hubs on 127.0.0.1 and a real repository."""

from __future__ import annotations

import json

import pytest

from hubctl.base.constants import LABEL_CLUSTER
from hubctl.base.errors import ExitCode
from tests.multihub.conftest import git

DRAINED = {"platform-hub": "staging-eu-1", "us-hub": "staging-us-1"}  # one cluster on each active hub
IDENTITY = {"GIT_AUTHOR_NAME": "Fleet Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
            "GIT_COMMITTER_NAME": "Fleet Bot", "GIT_COMMITTER_EMAIL": "bot@example.com"}


def apps(hub) -> dict:
    """Application name -> cluster, as the emulated hub holds them."""
    return {o["metadata"]["name"]: o["metadata"]["labels"].get(LABEL_CLUSTER)
            for o in hub.store.objects("applications")}


def on(hub, cluster: str) -> set[str]:
    return {name for name, where in apps(hub).items() if where == cluster}


def settle(hubs) -> None:
    for hub in hubs.values():
        hub.refresh()
        hub.settle()


def prune(hubctl, repo, config, *args):
    result = hubctl("-C", repo, "prune", "--kubeconfig", config, *args)
    assert "Traceback" not in result.err
    return result


@pytest.fixture
def drained(hubctl, multihub_repo, emulated_hubs, monkeypatch):
    """Rolled out on every hub, then one cluster of each active hub drained and committed by hubctl: each hub
    holds the drained cluster's Applications as orphans whose removal a trailer allowed."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    hubs, config, _ = emulated_hubs
    repo = multihub_repo
    assert hubctl("-C", repo, "status", "--kubeconfig", config, "--wait", "--timeout", "2m").code == 0
    orphans = {}
    for hub, cluster in DRAINED.items():
        orphans[hub] = on(hubs[hub], cluster)
        assert orphans[hub], f"{cluster} carries Applications on {hub}"
        assert hubctl("-C", repo, "cluster", "drain", cluster, "--allow-prune").code == 0
    assert hubctl("-C", repo, "render").code == 0
    committed = hubctl("-C", repo, "commit", "--allow-prune")
    assert committed.code == 0, committed.err
    settle(hubs)
    assert {hub: on(hubs[hub], c) for hub, c in DRAINED.items()} == orphans, "create-update: they stay"
    return repo, hubs, config, orphans


def test_each_hub_prunes_its_own_removals_on_itself(hubctl, drained):
    repo, hubs, config, orphans = drained
    workloads = {name: hub.workloads() for name, hub in hubs.items()}
    standby = apps(hubs["us-standby"])

    dry = prune(hubctl, repo, config, "--dry-run", "-o", "json")

    assert dry.code == 0, dry.err
    plan = json.loads(dry.out)
    assert plan["kind"] == "Prune" and plan["dryRun"] and plan["exitCode"] == 0
    assert [h["hub"] for h in plan["hubs"]] == ["platform-hub", "us-hub"]  # the active hubs
    for row in plan["hubs"]:
        assert {a["name"] for a in row["applications"]} == orphans[row["hub"]]
        assert {a["result"] for a in row["applications"]} == {"planned"}
        assert all(len(a["allowedBy"]) == 40 for a in row["applications"])
        assert row["revision"] == git(repo, "rev-parse", "main")
    assert {h: on(hubs[h], c) for h, c in DRAINED.items()} == orphans, "a dry run deletes nothing"

    done = prune(hubctl, repo, config, "--yes")

    assert done.code == 0, done.out + done.err
    some = sorted(orphans["us-hub"])[0]
    assert f"hub us-hub: deleted application {some} (" in done.out or f"hub us-hub: deleting application {some} (" \
        in done.out
    settle(hubs)
    for hub, cluster in DRAINED.items():
        assert on(hubs[hub], cluster) == set()
        gone = {w for w in workloads[hub] if w.startswith(f"{cluster}/")}
        assert gone and gone.isdisjoint(hubs[hub].workloads()), "cascaded: the drained cluster's workloads go"
        assert set(hubs[hub].workloads()) == set(workloads[hub]) - gone, "nothing else on that hub"
    assert apps(hubs["us-standby"]) == standby and hubs["us-standby"].workloads() == workloads["us-standby"]
    assert hubctl("-C", repo, "status", "--kubeconfig", config, "--wait", "--timeout", "2m").code == 0
    again = prune(hubctl, repo, config, "--yes")
    assert again.code == 0 and "hub us-hub: no orphaned Applications" in again.out
    assert not any(hub.token in out for hub in hubs.values() for out in (dry.out, done.out, done.err))


def test_hub_restricts_prune_to_one_hub(hubctl, drained):
    repo, hubs, config, orphans = drained

    result = prune(hubctl, repo, config, "--hub", "us-hub", "--yes", "-o", "json")

    assert result.code == 0, result.err
    assert [h["hub"] for h in json.loads(result.out)["hubs"]] == ["us-hub"]
    settle(hubs)
    assert on(hubs["us-hub"], DRAINED["us-hub"]) == set()
    assert on(hubs["platform-hub"], DRAINED["platform-hub"]) == orphans["platform-hub"]


def test_a_hub_that_is_down_is_its_row_the_others_are_pruned_and_a_rerun_converges(hubctl, drained):
    repo, hubs, config, orphans = drained
    hubs["us-hub"].faults.http500 = 10_000  # down for the whole run

    result = prune(hubctl, repo, config, "--yes", "--timeout", "5s")

    assert result.code == ExitCode.PARTIAL, result.out + result.err
    assert "hub us-hub: failed:" in result.out and "hub us-hub:" in result.err
    settle({"platform-hub": hubs["platform-hub"]})
    assert on(hubs["platform-hub"], DRAINED["platform-hub"]) == set()
    assert on(hubs["us-hub"], DRAINED["us-hub"]) == orphans["us-hub"]

    hubs["us-hub"].faults.http500 = 0
    again = prune(hubctl, repo, config, "--yes")

    assert again.code == 0, again.out + again.err
    assert "hub platform-hub: no orphaned Applications" in again.out
    settle(hubs)
    assert on(hubs["us-hub"], DRAINED["us-hub"]) == set()


def test_a_hub_that_lies_about_a_deletion_is_partial_and_named(hubctl, drained):
    repo, hubs, config, _ = drained
    hubs["us-hub"].faults.lie = ("*",)

    result = prune(hubctl, repo, config, "--yes", "-o", "json")

    assert result.code == ExitCode.PARTIAL
    rows = {h["hub"]: h for h in json.loads(result.out)["hubs"]}
    assert rows["us-hub"]["exitCode"] == ExitCode.HUB_UNREACHABLE
    assert "answered that it deleted Application" in rows["us-hub"]["error"]
    assert "hubctl prune" in rows["us-hub"]["hint"]
    assert rows["platform-hub"]["exitCode"] == 0 and rows["platform-hub"]["error"] is None
    settle({"platform-hub": hubs["platform-hub"]})
    assert on(hubs["platform-hub"], DRAINED["platform-hub"]) == set()


def test_without_yes_and_without_a_terminal_nothing_is_deleted_on_any_hub(hubctl, drained):
    repo, hubs, config, orphans = drained

    result = prune(hubctl, repo, config)

    assert result.code == ExitCode.USAGE and "pass --yes" in result.err
    assert {h: on(hubs[h], c) for h, c in DRAINED.items()} == orphans


def test_connection_flags_name_one_hub(hubctl, drained):
    repo, hubs, config, _ = drained
    result = prune(hubctl, repo, config, "--context", "us-hub", "--dry-run")
    assert result.code == ExitCode.USAGE and "pass --hub NAME with --context" in result.err
    unknown = prune(hubctl, repo, config, "--hub", "us-hubb", "--dry-run")
    assert unknown.code == ExitCode.USAGE and "did you mean `us-hub`?" in unknown.err


def test_an_old_hubs_applications_of_moved_clusters_are_never_cascaded(hubctl, drained):
    """After a failover the old primary's Applications are orphans there, but the standby manages their
    clusters now: cascading would delete the workloads it runs. They are `hub release`'s, never prune's."""
    repo, hubs, config, _ = drained
    assert hubctl("-C", repo, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    assert hubctl("-C", repo, "render").code == 0
    assert hubctl("-C", repo, "commit").code == 0
    settle(hubs)
    old = hubs["us-hub"]
    moved = {name for name, cluster in apps(old).items() if cluster != DRAINED["us-hub"]}
    workloads = old.workloads()
    assert moved

    result = prune(hubctl, repo, config, "--hub", "us-hub", "--yes", "-o", "json")

    assert result.code == ExitCode.DRIFT, result.out + result.err
    items = {a["name"]: a for a in json.loads(result.out)["hubs"][0]["applications"]}
    assert {n for n, a in items.items() if a["result"] == "kept"} == moved
    assert all("hubctl hub release us-hub" in items[n]["reason"] for n in moved)
    drained_apps = {n for n, a in items.items() if a["result"] != "kept"}  # no hub generates them: prunable
    assert drained_apps and {apps(old).get(n, DRAINED["us-hub"]) for n in drained_apps} == {DRAINED["us-hub"]}
    old.step()
    assert moved <= set(apps(old))
    assert {w for w in workloads if not w.startswith(DRAINED["us-hub"] + "/")} <= set(old.workloads())


def test_argocd_source_sends_each_hub_only_its_own_token(hubctl, drained, monkeypatch):
    from tests.support.multihub import edit

    repo, hubs, _, orphans = drained
    for name in ("platform-hub", "us-hub"):
        hub, variable = hubs[name], name.upper().replace("-", "_")
        spec = repo / ("hubctl.yaml" if name == "platform-hub" else "hubs/us-hub.yaml")
        edit(spec, "    namespace: argocd\n", f"    namespace: argocd\n    server: {hub.url}\n")
        monkeypatch.setenv(f"HUBCTL_ARGOCD_TOKEN_{variable}", hub.token)
        monkeypatch.setenv(f"HUBCTL_ARGOCD_SERVER_{variable}", hub.url)
        hub.token = f"token-of-{name}"  # each hub accepts its own token alone
        monkeypatch.setenv(f"HUBCTL_ARGOCD_TOKEN_{variable}", hub.token)
    monkeypatch.delenv("HUBCTL_ARGOCD_TOKEN", raising=False)

    result = hubctl("-C", repo, "prune", "--source", "argocd", "--yes", "-o", "json")

    assert result.code == 0, result.out + result.err
    settle(hubs)
    assert all(on(hubs[h], c) == set() for h, c in DRAINED.items())
    assert not any(hub.token in result.out + result.err for hub in hubs.values())


def test_a_server_the_runner_has_not_pinned_gets_no_token(hubctl, drained, monkeypatch):
    from tests.support.multihub import edit

    repo, hubs, _, orphans = drained
    hub = hubs["us-hub"]
    edit(repo / "hubs" / "us-hub.yaml", "    namespace: argocd\n", f"    namespace: argocd\n    server: {hub.url}\n")
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_US_HUB", hub.token)
    monkeypatch.delenv("HUBCTL_ARGOCD_SERVER_US_HUB", raising=False)

    result = hubctl("-C", repo, "prune", "--source", "argocd", "--hub", "us-hub", "--yes")

    assert result.code == ExitCode.USAGE and "HUBCTL_ARGOCD_SERVER_US_HUB" in result.err
    assert on(hub, DRAINED["us-hub"]) == orphans["us-hub"]


@pytest.mark.parametrize("seed", range(3))
def test_two_prunes_at_once_converge_on_every_hub(drained, seed):
    import random
    import threading

    from hubctl.base.errors import HubError
    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions

    repo, hubs, config, orphans = drained
    rng = random.Random(seed)
    barrier, outcomes = threading.Barrier(2), []

    def run():
        def go(items):
            rng.shuffle(items)
            barrier.wait()
            return True

        try:
            result = prune_fleet(StatusOptions(repo, kubeconfig=str(config)), confirm=go)
            outcomes.append([str(h.error) for h in result.hubs if h.error is not None])
        except HubError as exc:
            outcomes.append([exc.message])

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    again = prune_fleet(StatusOptions(repo, kubeconfig=str(config)))  # the re-run a failure asks for
    settle(hubs)

    assert all("409 Conflict" in e or "changed" in e for errors in outcomes for e in errors), outcomes
    assert again.exit_code == 0 and all(h.error is None for h in again.hubs)
    assert all(on(hubs[h], c) == set() for h, c in DRAINED.items())


def test_a_revision_off_the_deploy_branch_is_refused_on_every_hub(hubctl, drained):
    repo, hubs, config, orphans = drained
    git(repo, "checkout", "-qb", "pr")
    git(repo, "commit", "-q", "--allow-empty", "-m", "Hubctl-Spec-Hash: sha256:00\n\nHubctl-Allowed-Removal: x")
    forged = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", "main")

    result = prune(hubctl, repo, config, "--revision", forged, "--yes", "-o", "json")

    assert result.code == ExitCode.USAGE
    rows = json.loads(result.out)["hubs"]
    assert all("not on the first-parent history" in h["error"] for h in rows)
    assert {h: on(hubs[h], c) for h, c in DRAINED.items()} == orphans


def test_cluster_filter_names_a_drained_cluster(hubctl, drained):
    """A drained cluster has no expected Applications left: the filter is not checked against the fleet."""
    repo, hubs, config, orphans = drained

    result = prune(hubctl, repo, config, "--cluster", DRAINED["us-hub"], "--dry-run", "-o", "json")

    assert result.code == 0, result.out + result.err
    rows = {h["hub"]: {a["name"] for a in h["applications"]} for h in json.loads(result.out)["hubs"]}
    assert rows == {"platform-hub": set(), "us-hub": orphans["us-hub"]}


def test_an_orphan_is_kept_while_another_hubs_committed_render_cannot_be_read(hubctl, drained, monkeypatch):
    """Whether another hub generates an orphan is read from that hub's committed render: when it cannot be
    read (its clone not named, its branch missing), nothing is deleted on a guess; the reason is shown."""
    from hubctl.base.errors import GitError
    from hubctl.usecases.release import owners

    repo, hubs, config, orphans = drained
    real = owners.hub_tree

    def hub_tree(fleet, name, *args, **kwargs):
        if name == "us-standby":
            raise GitError("the deploy branch 'main' does not exist in /nowhere")
        return real(fleet, name, *args, **kwargs)
    monkeypatch.setattr(owners, "hub_tree", hub_tree)

    result = prune(hubctl, repo, config, "--yes", "-o", "json")

    assert result.code == ExitCode.DRIFT, result.err  # orphans left: as any prune that keeps some
    rows = {row["hub"]: row for row in json.loads(result.out)["hubs"]}
    for hub, names in orphans.items():
        assert {a["name"] for a in rows[hub]["applications"]} == names
        assert {a["result"] for a in rows[hub]["applications"]} == {"kept"}
        assert all("hub us-standby's committed render could not be read (the deploy branch 'main' does not "
                   "exist in /nowhere)" in a["reason"] for a in rows[hub]["applications"])
    settle(hubs)
    assert {hub: on(hubs[hub], cluster) for hub, cluster in DRAINED.items()} == orphans, "nothing was deleted"


def test_an_orphan_relabelled_between_the_plan_and_its_deletion_is_left_alone(drained):
    """Each Application is read again just before it is deleted: one whose cluster label changed since the
    listing (someone re-pointed it) is kept, with a note saying so; the others are deleted."""
    import copy

    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions

    repo, hubs, config, orphans = drained
    hub = hubs["us-hub"]
    moved = sorted(orphans["us-hub"])[0]

    def relabel_then_yes(items):
        [obj] = [o for o in hub.store.objects("applications") if o["metadata"]["name"] == moved]
        obj = copy.deepcopy(obj)
        obj["metadata"]["labels"][LABEL_CLUSTER] = "prod-us-1"
        hub.store.put("applications", obj)
        return True

    result = prune_fleet(StatusOptions(repo, kubeconfig=str(config)), confirm=relabel_then_yes)
    settle(hubs)

    [row] = [h for h in result.hubs if h.hub == "us-hub"]
    [item] = [i for i in row.result.items if i.name == moved]
    assert item.result == "kept" and item.reason == "relabelled since the listing: left alone (run prune again)"
    assert moved in apps(hub)
    assert on(hub, DRAINED["us-hub"]) == set() and on(hubs["platform-hub"], DRAINED["platform-hub"]) == set()
    assert result.exit_code == ExitCode.DRIFT


def test_a_hub_failing_midway_names_what_it_deleted_and_the_other_hub_is_pruned(hubctl, drained):
    """One hub fails its second deletion (answers 200, does nothing): its row names what it deleted before
    (run prune again for the rest), the other hub is pruned in full, and the fleet's exit code is PARTIAL."""
    repo, hubs, config, orphans = drained
    dry = prune(hubctl, repo, config, "--hub", "us-hub", "--dry-run", "-o", "json")
    first, second = [a["name"] for a in json.loads(dry.out)["hubs"][0]["applications"]][:2]  # deletion order
    hubs["us-hub"].faults.lie = (second,)

    result = prune(hubctl, repo, config, "--yes", "-o", "json")

    assert result.code == ExitCode.PARTIAL, result.out + result.err
    rows = {row["hub"]: row for row in json.loads(result.out)["hubs"]}
    assert f"(deleted before it: {first})" in rows["us-hub"]["error"]
    settle(hubs)
    assert on(hubs["platform-hub"], DRAINED["platform-hub"]) == set()
    left = on(hubs["us-hub"], DRAINED["us-hub"])
    assert first not in left and second in left
