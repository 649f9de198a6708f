"""`hubctl hub release HUB`: after a committed failover, the old primary lets go of the clusters the standby
manages now, against emulated hubs on 127.0.0.1 and a real repository."""

from __future__ import annotations

import json

import pytest

from hubctl.base.constants import LABEL_CLUSTER, LABEL_MANAGED_BY
from hubctl.base.errors import ExitCode, HubError
from tests.multihub.conftest import git
from tests.support.multihub import US_CLUSTERS

MOVED = set(US_CLUSTERS) - {"dev-us-lab"}  # the us clusters that carry Applications


def status(hubctl, repo, config, *args):
    result = hubctl("-C", repo, "status", "--kubeconfig", config, *args)
    assert "Traceback" not in result.err
    return result


def release(hubctl, repo, config, *args):
    result = hubctl("-C", repo, "hub", "release", "us-hub", "--kubeconfig", config, *args)
    assert "Traceback" not in result.err
    return result


def apps(hub) -> dict:
    """Application name -> cluster, as the emulated hub holds them."""
    return {o["metadata"]["name"]: o["metadata"]["labels"].get(LABEL_CLUSTER)
            for o in hub.store.objects("applications")}


def fail_over(hubctl, repo) -> None:
    assert hubctl("-C", repo, "hub", "failover", "us-hub", "--to", "us-standby").code == 0
    assert hubctl("-C", repo, "render").code == 0
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "fail over us-hub to us-standby")


@pytest.fixture
def failed_over(hubctl, multihub_repo, emulated_hubs):
    """Rolled out, then us-hub failed over to us-standby and committed: the standby is green, and us-hub
    still holds the Applications of the moved clusters (its ApplicationSets released them)."""
    hubs, config, _ = emulated_hubs
    assert status(hubctl, multihub_repo, config, "--wait", "--timeout", "2m").code == 0
    fail_over(hubctl, multihub_repo)
    assert status(hubctl, multihub_repo, config, "--wait", "--timeout", "2m").code == 0
    hubs["us-hub"].refresh()
    hubs["us-hub"].settle()
    left = apps(hubs["us-hub"])
    assert left and set(left.values()) == MOVED, "the hole: the old primary keeps syncing the moved clusters"
    return multihub_repo, hubs, config


def test_release_deletes_the_old_primarys_applications_but_not_their_workloads(hubctl, failed_over):
    repo, hubs, config = failed_over
    old, standby = hubs["us-hub"], hubs["us-standby"]
    workloads, standby_apps = old.workloads(), apps(standby)
    assert workloads

    dry = release(hubctl, repo, config, "--dry-run", "-o", "json")

    assert dry.code == 0, dry.err
    plan = json.loads(dry.out)
    assert plan["kind"] == "HubRelease" and plan["dryRun"] and plan["stillManaged"] == []
    assert sorted(a["name"] for a in plan["applications"]) == sorted(apps(old))
    assert {(a["owner"], a["result"]) for a in plan["applications"]} == {("us-standby", "planned")}
    assert set(apps(old)) == {a["name"] for a in plan["applications"]}, "a dry run deletes nothing"

    done = release(hubctl, repo, config, "--yes")

    assert done.code == 0, done.err
    assert ("deleted application spaces-prod-us-1 (hub-admin/hubctl-spaces on prod-us-1): prod-us-1 is managed "
            "by us-standby; its workload stays") in done.out
    old.step()
    assert apps(old) == {}
    assert old.workloads() == workloads, "not cascaded: the workloads stay for the standby"
    assert apps(standby) == standby_apps
    assert status(hubctl, repo, config, "--wait", "--timeout", "2m").code == 0
    again = release(hubctl, repo, config, "--yes")
    assert again.code == 0 and "nothing to release on hub us-hub" in again.out
    assert not any(hub.token in out for hub in hubs.values() for out in (dry.out, dry.err, done.out, done.err))


def test_a_hub_that_still_manages_its_clusters_releases_nothing(hubctl, multihub_repo, emulated_hubs):
    hubs, config, _ = emulated_hubs
    assert status(hubctl, multihub_repo, config, "--wait", "--timeout", "2m").code == 0
    fail_over_edit = hubctl("-C", multihub_repo, "hub", "failover", "us-hub", "--to", "us-standby")
    assert fail_over_edit.code == 0  # edited, not committed: the committed render is what counts
    before = apps(hubs["us-hub"])

    result = release(hubctl, multihub_repo, config, "--yes")

    assert result.code == 0, result.err
    assert ("hub us-hub still manages 3 clusters in the committed render (prod-us-1, prod-us-2, staging-us-1): "
            "their Applications are kept") in result.out
    assert "nothing to release on hub us-hub" in result.out
    assert apps(hubs["us-hub"]) == before


def test_without_a_terminal_and_without_yes_nothing_is_deleted(hubctl, failed_over):
    repo, hubs, config = failed_over
    before = apps(hubs["us-hub"])

    result = release(hubctl, repo, config)

    assert result.code == ExitCode.USAGE and "pass --yes" in result.err
    assert apps(hubs["us-hub"]) == before


def test_a_hub_that_answers_a_deletion_it_did_not_do_is_an_error(hubctl, failed_over):
    repo, hubs, config = failed_over
    hubs["us-hub"].faults.lie = ("*",)

    result = release(hubctl, repo, config, "--yes")

    assert result.code == ExitCode.HUB_UNREACHABLE
    assert "answered that it deleted Application" in result.err and "nothing was deleted" in result.err
    assert "hubctl hub release us-hub" in result.err


@pytest.mark.parametrize("seed", range(3))
def test_a_500_midway_reports_what_was_released_and_a_rerun_converges(failed_over, tmp_path, seed):
    import random

    from hubctl.usecases.release.release import release_hub
    from hubctl.usecases.status.service import StatusOptions

    repo, hubs, config = failed_over
    old = hubs["us-hub"]
    workloads = old.workloads()
    stop_after = random.Random(seed).randrange(1, len(apps(old)))
    options = StatusOptions(repo, timeout=3.0, kubeconfig=str(config))

    released: list[str] = []

    def on_deleted(item):
        released.append(item.name)
        if len(released) == stop_after:
            old.faults.http500 = 1000

    with pytest.raises(HubError) as failure:
        release_hub(options, "us-hub", on_deleted=on_deleted)
    old.faults.http500 = 0
    assert failure.value.exit_code == ExitCode.HUB_UNREACHABLE
    assert f"released before it: {', '.join(released)}" in failure.value.message

    again = release_hub(options, "us-hub")
    old.step()
    assert {item.name for item in again.items}.isdisjoint(released)
    assert apps(old) == {} and old.workloads() == workloads


def test_an_application_relabelled_after_the_listing_is_left_alone(failed_over):
    from hubctl.usecases.release.release import release_hub
    from hubctl.usecases.status.service import StatusOptions

    repo, hubs, config = failed_over
    old = hubs["us-hub"]
    moved: list[str] = []

    def relabel(items):  # between the listing and the deletions: one now names a cluster no hub manages
        moved.append(items[0].name)
        assert old.patch_application(items[0].name, {"metadata": {"labels": {LABEL_CLUSTER: "dev-us-lab"}}}) \
            != "notfound"
        adopted = items[1].name
        assert old.patch_application(adopted, {"metadata": {"labels": {LABEL_MANAGED_BY: None}}}) != "notfound"
        moved.append(adopted)
        return True

    result = release_hub(StatusOptions(repo, kubeconfig=str(config)), "us-hub", confirm=relabel)
    old.step()

    kept = {item.name: item for item in result.items if item.result == "kept"}
    assert sorted(kept) == sorted(moved) and sorted(apps(old)) == sorted(moved)
    assert "relabelled" in kept[moved[0]].note and "managed-by" in kept[moved[1]].note


def test_a_hub_that_is_down_is_exit_6_with_what_to_do(hubctl, failed_over):
    repo, hubs, config = failed_over
    hubs["us-hub"].stop()

    result = release(hubctl, repo, config, "--yes")

    assert result.code == ExitCode.HUB_UNREACHABLE
    assert "hub us-hub: " in result.err and "(nothing was deleted)" in result.err
    assert "hint: check the hub" in result.err


def test_argocd_source_uses_the_hubs_own_token_and_never_prints_it(hubctl, failed_over, monkeypatch):
    from tests.support.multihub import edit

    repo, hubs, _ = failed_over
    old = hubs["us-hub"]
    edit(repo / "hubs" / "us-hub.yaml", "    namespace: argocd\n", f"    namespace: argocd\n    server: {old.url}\n")
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN_US_HUB", old.token)
    monkeypatch.setenv("HUBCTL_ARGOCD_SERVER_US_HUB", old.url)  # the runner pins where the token may go
    monkeypatch.delenv("HUBCTL_ARGOCD_TOKEN", raising=False)

    result = hubctl("-C", repo, "hub", "release", "us-hub", "--source", "argocd", "--yes", "-o", "json")

    assert result.code == 0, result.err
    assert {a["result"] for a in json.loads(result.out)["applications"]} <= {"deleted", "deleting"}
    old.step()
    assert apps(old) == {}
    assert old.token not in result.out + result.err


@pytest.mark.parametrize("source", ["kube", "argocd"])
def test_the_resources_finalizer_comes_off_first_so_the_workload_stays(failed_over, monkeypatch, source):
    """A flow with `prune: true` has Argo CD's resources finalizer on its Applications: deleting one as it
    is would cascade, removing from the spoke the workload the standby manages now."""
    from hubctl.base.constants import ARGO_FINALIZER
    from hubctl.usecases.release.release import release_hub
    from hubctl.usecases.status.service import StatusOptions

    repo, hubs, config = failed_over
    old = hubs["us-hub"]
    for name in apps(old):
        assert old.patch_application(name, {"metadata": {"finalizers": [ARGO_FINALIZER]}}) != "notfound"
    workloads = old.workloads()
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", old.token)
    options = (StatusOptions(repo, source="argocd", server=old.url) if source == "argocd" else
               StatusOptions(repo, kubeconfig=str(config)))

    result = release_hub(options, "us-hub")
    old.step()

    assert {item.result for item in result.items} == {"deleted"}
    assert apps(old) == {} and old.workloads() == workloads


def test_an_application_whose_label_lies_about_its_destination_is_left_alone(hubctl, failed_over):
    repo, hubs, config = failed_over
    old = hubs["us-hub"]
    name = sorted(apps(old))[0]
    with old._lock:  # the hub's own state: a destination no PATCH of hubctl's may change
        state = old._states[name]
        state.manifest["spec"]["destination"]["name"] = "prod-eu-1"
        old._publish(state)

    result = release(hubctl, repo, config, "--yes", "-o", "json")

    assert result.code == 0, result.err
    assert name not in {a["name"] for a in json.loads(result.out)["applications"]}
    assert list(apps(old)) == [name]


@pytest.mark.parametrize("seed", range(3))
def test_two_releases_at_once_converge_without_touching_a_workload(failed_over, seed):
    import random
    import threading

    from hubctl.usecases.release.release import release_hub
    from hubctl.usecases.status.service import StatusOptions

    repo, hubs, config = failed_over
    old = hubs["us-hub"]
    workloads = old.workloads()
    rng = random.Random(seed)
    barrier, outcomes = threading.Barrier(2), []

    def run():
        options = StatusOptions(repo, kubeconfig=str(config))
        items = []

        def go(listed):
            items.extend(listed)
            rng.shuffle(listed)  # each deletes in its own order
            barrier.wait()
            return True

        try:
            release_hub(options, "us-hub", confirm=go)
            outcomes.append("ok")
        except HubError as exc:  # the other one changed an Application under it: run again
            outcomes.append(exc.message)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    release_hub(StatusOptions(repo, kubeconfig=str(config)), "us-hub")  # the re-run a failure asks for
    old.step()

    assert all(o == "ok" or "409 Conflict" in o or "changed" in o for o in outcomes), outcomes
    assert apps(old) == {} and old.workloads() == workloads
