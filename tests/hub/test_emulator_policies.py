"""The emulated ApplicationSet controller follows Argo CD's applicationsSync policies, policy override and
preserveResourcesOnDeletion, and `status` sees what a real hub would: kept Applications are orphans."""

import json
import shutil

import pytest

from hubctl.base.constants import ARGO_FINALIZER
from hubctl.base.errors import ExitCode
from hubctl.cli import run
from hubctl.emulator.policy import ControllerPolicy
from tests.hub.conftest import git, write_kubeconfig
from tests.hub.test_emulator import PATH, get

REV1, REV2 = "1" * 40, "2" * 40


def appset(name="api", policy=None, preserve=False):
    sync = {"preserveResourcesOnDeletion": preserve}
    if policy is not None:
        sync["applicationsSync"] = policy
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "metadata": {"name": name},
            "spec": {"syncPolicy": sync}}


def app(name, cluster, path="p1", owner="api", preserve=False):
    meta = {"name": name, "labels": {"hubctl.io/flow": owner},
            "ownerReferences": [{"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationSet", "name": owner}]}
    if not preserve:
        meta["finalizers"] = [ARGO_FINALIZER]
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": meta,
            "spec": {"project": "p", "source": {"repoURL": "https://git", "path": path},
                     "destination": {"name": cluster, "namespace": "ns"}}}


def two_commits(preserve=False):
    """applications_at: REV1 generates api-a and api-b; REV2 drops api-b and moves api-a to path p2."""
    def applications_at(commit):
        if commit == REV1:
            return [app("api-a", "a", preserve=preserve), app("api-b", "b", preserve=preserve)]
        return [app("api-a", "a", path="p2", preserve=preserve)]
    return applications_at


def state(hub):
    items = get(hub, PATH)["items"]
    return {i["metadata"]["name"]: i["spec"]["source"]["path"] for i in items}


@pytest.mark.parametrize(("policy", "updated", "deleted"), [
    (None, True, True), ("sync", True, True), ("create-update", True, False),
    ("create-delete", False, True), ("create-only", False, False)])
def test_applications_sync_policy_decides_updates_and_deletions(start_hub, policy, updated, deleted):
    hub = start_hub(applications_at=two_commits(), applicationsets_at=lambda commit: [appset(policy=policy)])
    hub.sync_to(REV1)
    hub.settle()
    hub.sync_to(REV2)
    expected = {"api-a": "p2" if updated else "p1"}
    if not deleted:
        expected["api-b"] = "p1"
    assert state(hub) == expected
    # the Application tracks its branch whatever the policy: it rolls out the new commit
    assert get(hub, f"{PATH}/api-a")["status"]["sync"]["revision"] == REV2


def test_a_controller_policy_wins_unless_override_is_enabled(start_hub):
    sets = lambda commit: [appset(policy="sync")]  # noqa: E731
    strict = start_hub(applications_at=two_commits(), applicationsets_at=sets,
                       controller=ControllerPolicy("create-only"))
    strict.sync_to(REV1)
    strict.sync_to(REV2)
    assert state(strict) == {"api-a": "p1", "api-b": "p1"}
    allowed = start_hub(applications_at=two_commits(), applicationsets_at=sets,
                        controller=ControllerPolicy("create-only", override=True))
    allowed.sync_to(REV1)
    allowed.sync_to(REV2)
    assert state(allowed) == {"api-a": "p2"}


@pytest.mark.parametrize(("preserve", "left"), [(False, ["a/ns/api"]), (True, ["a/ns/api", "b/ns/api"])])
def test_a_deleted_application_takes_its_workload_only_with_the_resources_finalizer(start_hub, preserve, left):
    hub = start_hub(applications_at=two_commits(preserve),
                    applicationsets_at=lambda commit: [appset(policy="sync", preserve=preserve)])
    hub.sync_to(REV1)
    hub.settle()
    assert hub.workloads() == ["a/ns/api", "b/ns/api"]
    hub.sync_to(REV2)
    hub.settle()
    assert hub.workloads() == left


def test_an_applicationset_removed_from_git_is_garbage_collected_with_its_applications(start_hub):
    first = two_commits(preserve=True)
    hub = start_hub(applications_at=lambda commit: first(commit) if commit == REV1 else [],
                    applicationsets_at=lambda commit: [appset(policy="create-update", preserve=True)]
                    if commit == REV1 else [])
    hub.sync_to(REV1)
    hub.settle()
    hub.sync_to(REV2)
    assert state(hub) == {}
    assert get(hub, "/apis/argoproj.io/v1alpha1/namespaces/argocd/applicationsets")["items"] == []
    # preserveResourcesOnDeletion: the Applications left no finalizer, so the workloads stay on the spokes
    assert hub.workloads() == ["a/ns/api", "b/ns/api"]


# -- the example fleet: create-update keeps what Git no longer generates -----------------------------------
def commit_render(fleet, message):
    assert run(["render", "-C", str(fleet)]) == 0
    git(fleet, "add", "-A")
    git(fleet, "commit", "-qm", message)


def status_json(capsys, fleet, hub, tmp_path):
    capsys.readouterr()
    code = run(["status", "-C", str(fleet), "--kubeconfig", str(write_kubeconfig(tmp_path / "kc", hub)),
                "-o", "json"])
    return code, json.loads(capsys.readouterr().out)


def orphans(doc):
    return sorted(a["name"] for a in doc["applications"] if a["state"] == "orphaned")


def test_a_drained_cluster_leaves_orphaned_applications_and_workloads(fleet_repo, start_hub, tmp_path, capsys):
    commit_render(fleet_repo, "render")
    hub = start_hub(repo=str(fleet_repo), branch="main", applications_at=None)
    hub.settle()
    before = hub.workloads()
    assert run(["cluster", "drain", "staging-eu-1", "-C", str(fleet_repo), "--allow-prune"]) == 0
    commit_render(fleet_repo, "drain staging-eu-1")
    hub.refresh()
    hub.settle()
    code, doc = status_json(capsys, fleet_repo, hub, tmp_path)
    assert code == ExitCode.DRIFT
    left = orphans(doc)
    assert left and all(name.endswith("staging-eu-1") for name in left)
    # create-update with preserveResourcesOnDeletion: nothing reaches the spoke
    assert [w for w in before if w.startswith("staging-eu-1/")] == [
        w for w in hub.workloads() if w.startswith("staging-eu-1/")]


def test_a_removed_flow_leaves_its_applications_orphaned_on_the_hub(fleet_repo, start_hub, tmp_path, capsys):
    """The flow's ApplicationSet carries the resources finalizer and create-update: pruned by the root
    Application, the controller releases its Applications (ownerReferences removed), so they stay, as
    orphans, with their workloads, until `hubctl prune` (tests/hub/test_prune.py)."""
    commit_render(fleet_repo, "render")
    hub = start_hub(repo=str(fleet_repo), branch="main", applications_at=None)
    hub.settle()
    web = [w for w in hub.workloads() if w.endswith("/web")]
    assert web
    (fleet_repo / "flows" / "web.yaml").unlink()
    shutil.rmtree(fleet_repo / "rendered")
    commit_render(fleet_repo, "remove web")
    hub.refresh()
    hub.settle()
    code, doc = status_json(capsys, fleet_repo, hub, tmp_path)
    assert code == ExitCode.DRIFT
    assert orphans(doc) and all(name.startswith("web-") for name in orphans(doc))
    assert [w for w in hub.workloads() if w.endswith("/web")] == web
    left = get(hub, f"{PATH}/{orphans(doc)[0]}")["metadata"]
    assert "ownerReferences" not in left or left["ownerReferences"] == []


@pytest.mark.parametrize(("finalizer", "policy", "kept"), [
    (True, "create-update", True), (True, "create-only", True), (True, "sync", False), (False, "create-update", False)])
def test_a_deleted_applicationset_releases_its_applications_only_with_its_finalizer_and_no_delete_policy(
        start_hub, finalizer, policy, kept):
    """Argo CD v3.5.1 applicationset_controller.go: an ApplicationSet being deleted whose policy does not
    allow deletion removes the ownerReferences of its Applications (it needs its own finalizer to see the
    deletion); otherwise garbage collection deletes them."""
    first = two_commits(preserve=True)

    def appsets(commit):
        if commit != REV1:
            return []
        doc = appset(policy=policy, preserve=True)
        if finalizer:
            doc["metadata"]["finalizers"] = [ARGO_FINALIZER]
        return [doc]

    hub = start_hub(applications_at=lambda commit: first(commit) if commit == REV1 else [], applicationsets_at=appsets)
    hub.sync_to(REV1)
    hub.settle()
    hub.sync_to(REV2)
    hub.sync_to("3" * 40)  # and nothing later deletes a released Application either
    assert sorted(state(hub)) == (["api-a", "api-b"] if kept else [])
    assert hub.workloads() == ["a/ns/api", "b/ns/api"]
