"""Removals from Git to the spoke, end to end against the emulated hub: a guarded removal committed by
hubctl is pruned (workload gone, status 0); a removal no hubctl commit allowed never is (status stays 9)."""

from __future__ import annotations

import json
import shutil

import pytest

from hubctl.base.errors import ExitCode, HubError
from hubctl.cli import run
from tests.hub.conftest import git, write_kubeconfig

IDENTITY = {"GIT_AUTHOR_NAME": "Fleet Bot", "GIT_AUTHOR_EMAIL": "bot@example.com",
            "GIT_COMMITTER_NAME": "Fleet Bot", "GIT_COMMITTER_EMAIL": "bot@example.com"}
DRAINED = "staging-eu-1"


@pytest.fixture
def deployed(fleet_repo, start_hub, monkeypatch):
    """The example fleet rendered and committed by hubctl, rolled out on an emulated hub."""
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    assert run(["render", "-C", str(fleet_repo)]) == 0
    assert run(["commit", "-C", str(fleet_repo)]) == 0
    hub = start_hub(repo=str(fleet_repo), branch="main", applications_at=None)
    hub.settle()
    return fleet_repo, hub


def cli(capsys, *args) -> tuple[int, str, str]:
    capsys.readouterr()
    code = run([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def hub_args(hub, tmp_path, source="kube") -> list[str]:
    if source == "argocd":
        return ["--server", hub.url]
    return ["--kubeconfig", str(write_kubeconfig(tmp_path / "kc", hub))]


def status(capsys, fleet, hub, tmp_path) -> tuple[int, list[str]]:
    code, out, _ = cli(capsys, "status", "-C", fleet, *hub_args(hub, tmp_path), "-o", "json")
    doc = json.loads(out)
    return code, sorted(a["name"] for a in doc["applications"] if a["state"] == "orphaned")


def on(cluster, names) -> list[str]:
    return [n for n in names if n.startswith(f"{cluster}/")]


def drain(fleet, hub, commit_with="hubctl"):
    assert run(["cluster", "drain", DRAINED, "-C", str(fleet), "--allow-prune"]) == 0
    assert run(["render", "-C", str(fleet)]) == 0
    if commit_with == "hubctl":
        assert run(["commit", "-C", str(fleet)]) == 0
    else:
        git(fleet, "add", "-A")
        git(fleet, "commit", "-qm", f"drain {DRAINED} by hand")
    hub.refresh()
    hub.settle()


@pytest.mark.parametrize("source", ["kube", "argocd"])
def test_a_drained_cluster_is_pruned_end_to_end(deployed, tmp_path, capsys, monkeypatch, source):
    fleet, hub = deployed
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    assert on(DRAINED, hub.workloads())
    drain(fleet, hub)
    code, orphans = status(capsys, fleet, hub, tmp_path)
    assert code == ExitCode.DRIFT and orphans and all(name.endswith(DRAINED) for name in orphans)

    code, out, _ = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path, source), "--dry-run", "-o", "json")
    plan = json.loads(out)
    assert code == 0 and plan["dryRun"] and sorted(a["name"] for a in plan["applications"]) == orphans
    assert all(a["result"] == "planned" and len(a["allowedBy"]) == 40 for a in plan["applications"])
    assert on(DRAINED, hub.workloads()), "a dry run deletes nothing"

    code, out, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path, source), "--yes")
    assert code == 0, err
    assert all(f"application {name} " in out for name in orphans)
    hub.step()  # the Argo CD controller: cascade to the spoke, then the finalizer goes
    assert on(DRAINED, hub.workloads()) == []
    assert status(capsys, fleet, hub, tmp_path) == (0, [])


@pytest.mark.parametrize("source", ["kube", "argocd"])
def test_status_waits_for_a_deletion_under_way(deployed, tmp_path, capsys, monkeypatch, source):
    """Right after `prune --yes`, an orphan whose deletion is under way (deletionTimestamp set, the
    controller's finalizer still on it) is not one the hub keeps: `status` says it is being deleted and
    `status --wait` waits for it to go instead of stopping at once with drift (the demo's step 9 to 10)."""
    fleet, hub = deployed
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    drain(fleet, hub)
    code, out, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes")
    assert code == 0, err
    code, out, _ = cli(capsys, "status", "-C", fleet, *hub_args(hub, tmp_path, source), "-o", "json")
    rows = [a for a in json.loads(out)["applications"] if a["state"] == "orphaned"]
    assert code == ExitCode.DRIFT and rows, "a snapshot still shows them: they are on the hub"
    assert all(a["message"].startswith("on the hub, being deleted") for a in rows)
    hub.start_clock(0.2)  # the controller finishes the deletions at its next step
    code, out, err = cli(capsys, "status", "-C", fleet, *hub_args(hub, tmp_path, source), "--wait", "--timeout",
                         "1m")
    assert code == 0, out + err
    assert on(DRAINED, hub.workloads()) == []


def test_a_deletion_that_never_completes_ends_the_wait_with_drift_at_the_timeout(deployed, tmp_path, capsys):
    """A deletion the hub never finishes (its controller is down, a finalizer is stuck): `status --wait` waits
    for it, and at the timeout exits 9 (DRIFT, not 8), the orphan still marked as being deleted."""
    fleet, hub = deployed
    drain(fleet, hub)
    code, _, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes")
    assert code == 0, err
    code, out, _ = cli(capsys, "status", "-C", fleet, *hub_args(hub, tmp_path), "--wait", "--timeout", "2s",
                       "-o", "json")  # no clock: the emulated controller never takes the finalizer off
    rows = [a for a in json.loads(out)["applications"] if a["state"] == "orphaned"]
    assert code == ExitCode.DRIFT and rows
    assert all(a["message"].startswith("on the hub, being deleted") for a in rows)


def test_a_removal_committed_by_plain_git_is_never_pruned(deployed, tmp_path, capsys):
    fleet, hub = deployed
    before = on(DRAINED, hub.workloads())
    drain(fleet, hub, commit_with="git")
    code, orphans = status(capsys, fleet, hub, tmp_path)
    assert code == ExitCode.DRIFT and orphans

    code, out, _ = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes")

    assert code == ExitCode.DRIFT
    assert all(f"kept application {name} " in out for name in orphans)
    hub.step()
    assert status(capsys, fleet, hub, tmp_path) == (ExitCode.DRIFT, orphans)
    assert on(DRAINED, hub.workloads()) == before


def test_a_forged_trailer_off_the_deployed_history_is_ignored(deployed, tmp_path, capsys):
    fleet, hub = deployed
    drain(fleet, hub, commit_with="git")
    _, orphans = status(capsys, fleet, hub, tmp_path)
    spec_hash = next(line for line in git(fleet, "log", "-1", "--format=%B", "HEAD~1").splitlines()
                     if line.startswith("Hubctl-Spec-Hash:"))
    forged = "\n".join(["allow it", "", spec_hash, *(f"Hubctl-Allowed-Removal: {n} (staging)" for n in orphans)])
    git(fleet, "checkout", "-qb", "side")
    git(fleet, "commit", "-q", "--allow-empty", "-m", forged)
    git(fleet, "checkout", "-q", "main")
    git(fleet, "merge", "-q", "--no-ff", "-m", "merge side", "side")  # the forgery is a second parent only
    hub.refresh()
    hub.settle()

    code, out, _ = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes", "-o", "json")

    assert code == ExitCode.DRIFT
    assert {a["result"] for a in json.loads(out)["applications"]} == {"kept"}


def test_a_trailer_older_than_the_last_render_of_the_application_allows_nothing(deployed, tmp_path, capsys):
    fleet, hub = deployed
    shutil.copytree(fleet / "clusters", tmp_path / "clusters")
    drain(fleet, hub)  # allowed, recorded ... but not pruned
    shutil.rmtree(fleet / "clusters")
    shutil.copytree(tmp_path / "clusters", fleet / "clusters")
    assert run(["render", "-C", str(fleet)]) == 0
    assert run(["commit", "-C", str(fleet)]) == 0  # uncordoned: rendered again
    drain(fleet, hub, commit_with="git")  # and removed again, by hand this time

    code, out, _ = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes", "-o", "json")

    assert code == ExitCode.DRIFT
    assert {a["result"] for a in json.loads(out)["applications"]} == {"kept"}


def test_a_hub_that_answers_a_deletion_it_did_not_do_is_an_error(deployed, tmp_path, capsys):
    fleet, hub = deployed
    drain(fleet, hub)
    hub.faults.lie = (f"*-{DRAINED}",)

    code, _, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes")

    assert code == ExitCode.HUB_UNREACHABLE
    assert "answered that it deleted Application" in err and "nothing was deleted" in err
    assert "Traceback" not in err


@pytest.mark.parametrize("fault", ["http500", "slow"])
def test_a_hub_failing_the_deletions_stops_prune_with_exit_6(deployed, tmp_path, fault):
    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions

    fleet, hub = deployed
    drain(fleet, hub)

    def break_hub(items):  # after the listing, before the first deletion
        if fault == "http500":
            hub.faults.http500 = 1000
        else:
            hub.faults.slow = 1.5
        return True

    options = StatusOptions(fleet, timeout=3.0, kubeconfig=str(write_kubeconfig(tmp_path / "kc", hub)))
    with pytest.raises(HubError) as failure:
        prune_fleet(options, confirm=break_hub)
    hub.faults.http500, hub.faults.slow = 0, 0.0
    assert failure.value.exit_code == ExitCode.HUB_UNREACHABLE
    assert ("did not answer after" if fault == "http500" else "--timeout") in failure.value.message
    hub.step()
    assert on(DRAINED, hub.workloads()), "nothing reached the spoke"


def test_prune_asks_before_deleting_and_refuses_without_a_terminal(deployed, tmp_path, capsys):
    fleet, hub = deployed
    drain(fleet, hub)
    code, _, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path))
    assert code == ExitCode.USAGE and "--yes" in err
    hub.step()
    assert on(DRAINED, hub.workloads())


def test_a_removed_flow_is_pruned_end_to_end(deployed, tmp_path, capsys):
    fleet, hub = deployed
    web = [w for w in hub.workloads() if w.endswith("/web")]
    assert web
    (fleet / "flows" / "web.yaml").unlink()
    assert run(["render", "-C", str(fleet)]) == 0
    assert run(["commit", "-C", str(fleet), "--allow-prune"]) == 0
    hub.refresh()
    hub.settle()
    code, orphans = status(capsys, fleet, hub, tmp_path)
    assert code == ExitCode.DRIFT and orphans and all(name.startswith("web-") for name in orphans)
    assert [w for w in hub.workloads() if w.endswith("/web")] == web, "kept until pruned"

    code, _, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes")
    assert code == 0, err
    hub.step()
    assert [w for w in hub.workloads() if w.endswith("/web")] == []
    assert status(capsys, fleet, hub, tmp_path) == (0, [])


@pytest.mark.parametrize(("source", "permission"), [("kube", "get, patch and delete on applications.argoproj.io"),
                                                    ("argocd", "`applications, delete`")])
def test_a_credential_that_may_read_but_not_delete_is_told_which_permission_to_grant(
        deployed, tmp_path, monkeypatch, source, permission):
    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions

    fleet, hub = deployed
    drain(fleet, hub)
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)

    def forbid(items):
        hub.faults.forbidden = True
        return True

    options = (StatusOptions(fleet, source="argocd", server=hub.url) if source == "argocd" else
               StatusOptions(fleet, kubeconfig=str(write_kubeconfig(tmp_path / "kc", hub))))
    with pytest.raises(HubError) as refused:
        prune_fleet(options, confirm=forbid)
    assert "403 Forbidden" in refused.value.message and permission in refused.value.hint
    assert hub.token not in str(refused.value)


@pytest.mark.parametrize("merged", [False, True])
def test_a_revision_off_the_deploy_branch_first_parent_history_allows_nothing(deployed, tmp_path, capsys, merged):
    """--revision naming a commit of another branch (a pull request's), or one reached only through a merge's
    second parent, would make its forged trailers count: prune refuses it before it reads the hub."""
    fleet, hub = deployed
    drain(fleet, hub, commit_with="git")
    _, orphans = status(capsys, fleet, hub, tmp_path)
    spec_hash = next(line for line in git(fleet, "log", "-1", "--format=%B", "HEAD~1").splitlines()
                     if line.startswith("Hubctl-Spec-Hash:"))
    forged = "\n".join(["allow it", "", spec_hash, *(f"Hubctl-Allowed-Removal: {n} (staging)" for n in orphans)])
    git(fleet, "checkout", "-qb", "side")
    git(fleet, "commit", "-q", "--allow-empty", "-m", forged)
    side = git(fleet, "rev-parse", "HEAD").strip()
    git(fleet, "checkout", "-q", "main")
    if merged:
        git(fleet, "merge", "-q", "--no-ff", "-m", "merge side", "side")
        hub.refresh()
        hub.settle()

    code, out, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes", "--revision", side)

    assert code == ExitCode.USAGE, out
    assert side[:12] in err and "first-parent" in err and "Traceback" not in err
    hub.step()
    assert status(capsys, fleet, hub, tmp_path) == (ExitCode.DRIFT, orphans)


@pytest.mark.parametrize("source", ["kube", "argocd"])
def test_an_application_taken_out_of_hubctl_hands_after_the_listing_is_not_deleted(
        deployed, tmp_path, monkeypatch, source):
    """Between the listing and the deletion (a slow confirmation), someone removes the managed-by label
    of one orphan (adopting it): prune reads each Application again and leaves that one alone."""
    from hubctl.base.constants import LABEL_MANAGED_BY
    from hubctl.usecases.prune.prune import prune_fleet
    from hubctl.usecases.status.service import StatusOptions

    fleet, hub = deployed
    drain(fleet, hub)
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    adopted = []

    def adopt(items):
        adopted.append(items[0].name)
        assert hub.patch_application(items[0].name, {"metadata": {"labels": {LABEL_MANAGED_BY: None}}}) != "notfound"
        return True

    options = (StatusOptions(fleet, source="argocd", server=hub.url) if source == "argocd" else
               StatusOptions(fleet, kubeconfig=str(write_kubeconfig(tmp_path / "kc", hub))))
    result = prune_fleet(options, confirm=adopt)
    hub.step()
    left = [w for w in on(DRAINED, hub.workloads())]
    kept = {item.name: item for item in result.items}[adopted[0]]
    assert kept.result == "kept" and "managed-by" in kept.reason
    assert {item.result for item in result.items if item.name != adopted[0]} <= {"deleted", "deleting"}
    assert left, "the adopted Application's workload stays on the spoke"


def test_trailer_lines_in_the_body_of_a_commit_message_allow_nothing(deployed, tmp_path, capsys):
    """Git reads trailers from the last paragraph of a message only. A squash-merged pull request's
    description (or a `hubctl commit -m` text) that spells hubctl's trailer lines in its body, followed by
    more prose, is not a hubctl commit and names no removal."""
    fleet, hub = deployed
    _, before = status(capsys, fleet, hub, tmp_path)
    assert run(["cluster", "drain", DRAINED, "-C", str(fleet), "--allow-prune"]) == 0
    assert run(["render", "-C", str(fleet)]) == 0
    spec_hash = next(line for line in git(fleet, "log", "-1", "--format=%B", "HEAD").splitlines()
                     if line.startswith("Hubctl-Spec-Hash:"))
    git(fleet, "add", "-A")
    git(fleet, "commit", "-qm", "drain by hand")
    hub.refresh()
    hub.settle()
    _, orphans = status(capsys, fleet, hub, tmp_path)
    assert orphans
    names = [n.split("/", 1)[-1] for n in orphans]
    forged = "\n".join(["drain staging-eu-1 (#12)", "", "Pasted from the last deploy:", spec_hash,
                        *(f"Hubctl-Allowed-Removal: {n} (staging)" for n in names), "",
                        "Reviewed in the pull request."])
    git(fleet, "commit", "-q", "--allow-empty", "-m", forged)
    hub.refresh()
    hub.settle()

    code, out, _ = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes", "-o", "json")

    assert code == ExitCode.DRIFT, out
    assert {a["result"] for a in json.loads(out)["applications"]} == {"kept"}
    assert before == []


@pytest.mark.parametrize("source", ["kube", "argocd"])
def test_a_hub_that_ignores_the_label_selector_widens_neither_status_nor_prune(
        deployed, tmp_path, capsys, monkeypatch, source):
    """A proxy that drops labelSelector (or a hub that ignores it) answers every Application: hubctl checks
    the labels itself, so `prune --space payments` deletes nothing of another space."""
    fleet, hub = deployed
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    drain(fleet, hub)
    hub.faults.noselector = True

    code, out, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path, source), "--space", "payments",
                         "--yes", "-o", "json")

    assert code == 0, out
    pruned = json.loads(out)["applications"]
    assert pruned and {a["space"] for a in pruned} == {"payments"}
    hub.faults.noselector = False
    hub.step()
    _, orphans = status(capsys, fleet, hub, tmp_path)
    assert orphans and not any(name.startswith("payments-") for name in orphans)


def test_an_application_of_another_namespace_is_neither_status_nor_prune_business(deployed, tmp_path, capsys,
                                                                                   monkeypatch):
    """Argo CD's API lists the Applications of every namespace it serves (apps in any namespace) when not
    asked for one. A tenant's Application in its own namespace, with hubctl's labels and the name of one
    of hubctl's, must not break status (listed twice), stand in for the real one, or be pruned."""
    import copy

    fleet, hub = deployed
    monkeypatch.setenv("HUBCTL_ARGOCD_TOKEN", hub.token)
    drain(fleet, hub)
    _, orphans = status(capsys, fleet, hub, tmp_path)
    real = hub.store.get("applications", hub.namespace, orphans[0])
    for name in (orphans[0], "web-prod-eu-1"):
        tenant = copy.deepcopy(hub.store.get("applications", hub.namespace, name))
        tenant["metadata"] = {"name": name, "namespace": "team-x", "labels": tenant["metadata"]["labels"]}
        hub.store.put("applications", tenant)

    code, out, err = cli(capsys, "status", "-C", fleet, "--server", hub.url, "-o", "json")
    assert code == ExitCode.DRIFT, err
    assert sorted(a["name"] for a in json.loads(out)["applications"] if a["state"] == "orphaned") == orphans

    code, out, err = cli(capsys, "prune", "-C", fleet, "--server", hub.url, "--yes", "-o", "json")
    assert code == 0, err
    hub.step()
    assert hub.store.get("applications", "team-x", orphans[0]) is not None
    assert real is not None and hub.store.get("applications", hub.namespace, orphans[0]) is None


def test_a_revision_on_the_deploy_branch_is_taken(deployed, tmp_path, capsys):
    fleet, hub = deployed
    drain(fleet, hub)
    git(fleet, "commit", "-q", "--allow-empty", "-m", "later work")  # the drain is now a first-parent ancestor
    drained = git(fleet, "rev-parse", "HEAD~1").strip()

    code, out, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--dry-run", "-o", "json",
                         "--revision", drained[:10])

    assert code == 0, err
    plan = json.loads(out)
    assert plan["revision"] == drained and {a["result"] for a in plan["applications"]} == {"planned"}


@pytest.mark.parametrize("name", ["x\napplication/web-prod-eu-1", "x application/web-prod-eu-1", "Web-prod-eu-1",
                                  "../web-prod-eu-1"])
def test_an_application_name_kubernetes_would_never_allow_is_a_malformed_answer(deployed, tmp_path, capsys, name):
    """Kubernetes names are DNS-1123 subdomains; a hub (or proxy) that lists another name is not a hub to act
    on: `status -o name | xargs ...` would split it into other names, and prune would act on a rewritten one."""
    import copy

    fleet, hub = deployed
    fake = copy.deepcopy(hub.store.get("applications", hub.namespace, "web-prod-eu-1"))
    fake["metadata"] = {"name": name, "namespace": hub.namespace, "labels": fake["metadata"]["labels"]}
    hub.store.put("applications", fake)

    code, out, err = cli(capsys, "status", "-C", fleet, *hub_args(hub, tmp_path), "-o", "name")

    assert code == ExitCode.HUB_UNREACHABLE, out
    assert "malformed Application" in err and "metadata.name" in err and "Traceback" not in err


def test_hub_names_the_one_hub_of_a_fleet_of_one(fleet_repo, capsys):
    code, _, err = cli(capsys, "prune", "-C", fleet_repo, "--hub", "platform-hubb", "--dry-run")
    assert code == ExitCode.USAGE and "no hub `platform-hubb`" in err and "did you mean `platform-hub`?" in err


def test_a_hub_failing_midway_is_an_error_naming_what_was_deleted_before_it(deployed, tmp_path, capsys):
    """Deletions go one by one: when the hub fails one, the message names those it already made (run prune
    again for the rest), and those are gone while the rest stay."""
    fleet, hub = deployed
    drain(fleet, hub)
    code, out, _ = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--dry-run", "-o", "json")
    planned = [a["name"] for a in json.loads(out)["applications"] if a["result"] == "planned"]
    assert code == ExitCode.OK and len(planned) >= 2
    hub.faults.lie = (planned[1],)  # the second deletion is answered 200 and not done

    code, _, err = cli(capsys, "prune", "-C", fleet, *hub_args(hub, tmp_path), "--yes")

    assert code == ExitCode.HUB_UNREACHABLE
    assert f"(deleted before it: {planned[0]})" in err and "Traceback" not in err
    hub.settle()  # a deletion completes at the hub's next step (finalizers)
    left = {o["metadata"]["name"] for o in hub.store.objects("applications")}
    assert planned[0] not in left and set(planned[1:]) <= left
