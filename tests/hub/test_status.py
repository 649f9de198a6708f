"""The status engine and the wait, over real HTTP to the emulator (kubernetes client and Argo CD API)."""

import pytest

from hubctl.base.errors import ExitCode, HubError, UsageError
from hubctl.emulator.faults import Faults
from hubctl.usecases.status.ancestry import RevisionMatcher, exact
from hubctl.usecases.status.expected import ExpectedApp
from hubctl.usecases.status.status import Filters, read_once, wait
from tests.hub.conftest import REV1, argo_reader, expected_apps, git, kube_reader, manifest

APPS = expected_apps()


def states(result):
    return {name: s.state for name, s in result.tracker.statuses.items()}


def test_progressing_then_done(tmp_path, start_hub):
    hub = start_hub(APPS)
    hub.sync_to(REV1)
    reader = kube_reader(tmp_path, hub)
    assert read_once(reader, APPS, REV1, exact, Filters()).exit_code == ExitCode.NOT_DONE
    hub.settle()
    result = read_once(reader, APPS, REV1, exact, Filters())
    assert result.exit_code == ExitCode.OK
    assert set(states(result).values()) == {"done"}


def test_other_revision_is_not_done(tmp_path, start_hub):
    hub = start_hub(APPS)
    hub.sync_to(REV1)
    hub.settle()
    result = read_once(kube_reader(tmp_path, hub), APPS, "2" * 40, exact, Filters())
    assert result.exit_code == ExitCode.NOT_DONE
    assert not any(s.at_revision for s in result.tracker.statuses.values())


def test_pagination_keeps_every_app(tmp_path, start_hub, monkeypatch):
    apps = expected_apps(clusters=[f"c{i:03d}" for i in range(120)])
    hub = start_hub(apps)
    hub.seed([manifest(a) for a in apps], REV1)
    reader = kube_reader(tmp_path, hub)
    listed = list(reader.list_applications("app.kubernetes.io/managed-by=hubctl", page_size=7))
    assert sorted(o["metadata"]["name"] for o in listed) == sorted(a.name for a in apps)
    assert read_once(reader, apps, REV1, exact, Filters()).tracker.summary()["done"] == 120


def test_wait_ends_when_everything_is_done(tmp_path, start_hub):
    hub = start_hub(APPS, auto=True, speed=0.05)
    hub.sync_to(REV1)
    seen = []
    result = wait(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters(), timeout=60,
                  on_progress=lambda tracker, elapsed: seen.append(tracker.counts["done"]))
    assert (result.exit_code, result.timed_out) == (ExitCode.OK, False)
    assert seen[0] == 0 and seen[-1] == len(APPS)


def test_wait_times_out_while_out_of_sync(tmp_path, start_hub):
    hub = start_hub(APPS, auto=True, speed=0.05, faults=Faults(outofsync=("api-dev-eu-1",)))
    hub.sync_to(REV1)
    result = wait(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters(), timeout=1.5)
    assert (result.exit_code, result.timed_out) == (ExitCode.TIMEOUT, True)
    assert states(result)["api-dev-eu-1"] == "progressing"


@pytest.mark.parametrize("fault, message", [("degraded", "health Degraded"), ("failed", "admission webhook")])
def test_wait_stops_at_a_final_failure(tmp_path, start_hub, fault, message):
    hub = start_hub(APPS, auto=True, speed=0.05, faults=Faults(**{fault: ("api-prod-eu-2",)}))
    hub.sync_to(REV1)
    result = wait(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters(), timeout=60)
    assert (result.exit_code, result.timed_out) == (ExitCode.DEGRADED, False)
    assert states(result)["api-prod-eu-2"] == fault
    assert message in result.tracker.statuses["api-prod-eu-2"].message


def test_drift_missing_and_orphaned(tmp_path, start_hub):
    orphan = ExpectedApp.of("payments", "old", "prod-eu-1")
    unmanaged = ExpectedApp.of("payments", "manual", "prod-eu-1")
    hub = start_hub([])
    hub.seed([manifest(a) for a in APPS[1:] + [orphan]] + [manifest(unmanaged, managed=False)], REV1)
    reader = kube_reader(tmp_path, hub)
    result = read_once(reader, APPS, REV1, exact, Filters())
    assert result.exit_code == ExitCode.DRIFT
    assert states(result) == {APPS[0].name: "missing", orphan.name: "orphaned",
                              **{a.name: "done" for a in APPS[1:]}}
    timed = wait(reader, APPS, REV1, exact, Filters(), timeout=1)
    assert (timed.exit_code, timed.timed_out) == (ExitCode.DRIFT, True)


def test_filters_narrow_expected_and_selector(tmp_path, start_hub):
    apps = expected_apps(flows=("api", "web"))
    hub = start_hub(apps)
    hub.seed([manifest(a) for a in apps], REV1)
    result = read_once(kube_reader(tmp_path, hub), apps, REV1, exact, Filters(flow="web", cluster="prod-eu-1"))
    assert states(result) == {"web-prod-eu-1": "done"}


def test_server_errors_and_resets_are_retried(tmp_path, start_hub):
    hub = start_hub(APPS, faults=Faults(http500=2, reset=1))
    hub.seed([manifest(a) for a in APPS], REV1)
    assert read_once(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters()).exit_code == ExitCode.OK
    hub.faults.http500 = 100
    with pytest.raises(HubError, match="did not answer after 4 attempts") as caught:
        read_once(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters())
    assert caught.value.exit_code == ExitCode.HUB_UNREACHABLE


def test_kube_401_and_403_name_the_credential_and_permission(tmp_path, start_hub):
    hub = start_hub(APPS)
    with pytest.raises(HubError, match=r'401 Unauthorized.*context "emulator", user "hubctl-ci"') as wrong:
        read_once(kube_reader(tmp_path, hub, token="not-the-token"), APPS, REV1, exact, Filters())
    assert "not-the-token" not in str(wrong.value)
    hub.faults.forbidden = True
    with pytest.raises(HubError, match="may not list applications.argoproj.io in namespace argocd") as denied:
        read_once(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters())
    assert "get, list and watch" in denied.value.hint


def test_argocd_token_from_env_and_file(tmp_path, start_hub):
    hub = start_hub(APPS)
    hub.seed([manifest(a) for a in APPS], REV1)
    from_env = argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token})
    assert read_once(from_env, APPS, REV1, exact, Filters()).exit_code == ExitCode.OK
    token_file = tmp_path / "token"
    token_file.write_text(hub.token + "\n")
    from_file = argo_reader(hub, {}, token_file=str(token_file))
    assert read_once(from_file, APPS, REV1, exact, Filters(cluster="dev-eu-1")).tracker.summary()["done"] == 1


def test_argocd_session_login_and_refusals(start_hub):
    hub = start_hub(APPS, faults=Faults(http500=1))
    hub.seed([manifest(a) for a in APPS], REV1)
    session = argo_reader(hub, {"HUBCTL_ARGOCD_PASSWORD": "admin-password"}, username="admin")
    assert read_once(session, APPS, REV1, exact, Filters()).exit_code == ExitCode.OK
    with pytest.raises(HubError, match='user "admin".*wrong username or password'):
        read_once(argo_reader(hub, {"HUBCTL_ARGOCD_PASSWORD": "nope"}, username="admin"), APPS, REV1, exact,
                  Filters())
    with pytest.raises(HubError, match=r"\$HUBCTL_ARGOCD_TOKEN \(401") as wrong:
        read_once(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": "s3cret-wrong"}), APPS, REV1, exact, Filters())
    assert "s3cret-wrong" not in str(wrong.value)
    hub.faults.forbidden = True
    with pytest.raises(HubError, match="403") as denied:
        read_once(argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token}), APPS, REV1, exact, Filters())
    assert "applications, get" in denied.value.hint
    with pytest.raises(UsageError, match="no Argo CD credentials"):
        read_once(argo_reader(hub, {}), APPS, REV1, exact, Filters())


def test_argocd_wait_polls_until_done(start_hub):
    hub = start_hub(APPS, auto=True, speed=0.05)
    hub.sync_to(REV1)
    reader = argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token})
    result = wait(reader, APPS, REV1, exact, Filters(), timeout=60, poll_interval=0.1)
    assert (result.exit_code, result.timed_out) == (ExitCode.OK, False)


def test_a_descendant_of_the_expected_revision_counts(tmp_path, start_hub):
    repo = tmp_path / "deploy"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "one")
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "commit", "-q", "--allow-empty", "-m", "two")
    second = git(repo, "rev-parse", "HEAD")
    matcher = RevisionMatcher(repo)
    assert matcher(second, first) and not matcher(first, second) and not matcher("9" * 40, first)
    assert matcher.resolve(first[:8]) == first
    hub = start_hub(APPS)
    hub.seed([manifest(a) for a in APPS], second)
    reader = kube_reader(tmp_path, hub)
    assert read_once(reader, APPS, first, matcher, Filters()).exit_code == ExitCode.OK
    assert read_once(reader, APPS, first, exact, Filters()).exit_code == ExitCode.NOT_DONE


CHART = {"repoURL": "https://charts.example.com", "chart": "dashboards", "targetRevision": "8.6.1",
         "helm": {"releaseName": "dashboards", "values": "replicas: 2\n"}}
DOCS = {"repoURL": "https://git.example.com/docs.git", "path": "site", "targetRevision": "v2.0.0"}


@pytest.mark.parametrize("read", ["kube", "argocd"])
def test_external_flows_are_judged_by_the_source_their_sync_was_compared_at(tmp_path, start_hub, read):
    """Argo CD reports a Helm chart's version as the revision, and an external git source's own commit:
    neither is the deploy commit. An external flow is at its expected revision when its sync status was
    compared at exactly the source this commit renders: version, values, repository, path."""
    chart = ExpectedApp.of("analytics", "dashboards", "prod-eu-1", "prod", source=CHART)
    docs = ExpectedApp.of("analytics", "docs", "prod-eu-1", "prod", source=DOCS)
    hub = start_hub([chart, docs])
    hub.sync_to(REV1)
    hub.settle()
    reader = kube_reader(tmp_path, hub) if read == "kube" else argo_reader(hub, {"HUBCTL_ARGOCD_TOKEN": hub.token})
    result = read_once(reader, [chart, docs], REV1, exact, Filters())
    assert states(result) == {chart.name: "done", docs.name: "done"}
    assert result.tracker.statuses[chart.name].live.revisions == ("8.6.1",)
    moved_on = [
        ExpectedApp.of("analytics", "dashboards", "prod-eu-1", "prod",  # same version, new values
                       source={**CHART, "helm": {"releaseName": "dashboards", "values": "replicas: 3\n"}}),
        ExpectedApp.of("analytics", "docs", "prod-eu-1", "prod", source={**DOCS, "targetRevision": "v2.1.0"}),
    ]
    result = read_once(reader, moved_on, REV1, exact, Filters())
    assert states(result) == {chart.name: "progressing", docs.name: "progressing"}
    assert result.exit_code == ExitCode.NOT_DONE


def test_a_source_reads_the_same_with_or_without_empty_fields():
    from hubctl.adapters.hub.records import source_key

    assert source_key({"source": {**DOCS, "helm": {"values": ""}, "kustomize": {}}}) == source_key({"source": DOCS})
    assert source_key({"sources": [DOCS]}) == source_key({"source": DOCS})
    assert source_key({"source": DOCS}) != source_key({"source": {**DOCS, "path": "other"}})
    assert source_key({}) == ""


def test_an_orphan_the_hub_keeps_ends_a_wait_with_drift_at_once(tmp_path, start_hub):
    """create-update keeps an Application its set stops generating: no controller will delete it, so a
    wait with everything else done ends with drift (9) instead of running to its timeout."""
    orphan = ExpectedApp.of("payments", "api", "old-eu-1")
    hub = start_hub([])
    hub.seed([manifest(a) for a in APPS + [orphan]], REV1)
    result = wait(kube_reader(tmp_path, hub), APPS, REV1, exact, Filters(), timeout=30)
    assert (result.exit_code, result.timed_out) == (ExitCode.DRIFT, False)
    assert "hubctl prune" in result.tracker.statuses[orphan.name].message


def test_an_orphan_of_a_pruning_flow_is_waited_for(tmp_path, start_hub):
    """A `prune: true` flow's set deletes what it stops generating: its orphan may still go, so the wait
    goes on (here to its timeout, as nothing deletes it) and the message says who deletes it."""
    pruning = [ExpectedApp(a.name, a.space, a.flow, a.cluster, a.env, a.source, prunes=True) for a in APPS]
    orphan = ExpectedApp.of("payments", APPS[0].flow, "old-eu-1")
    hub = start_hub([])
    hub.seed([manifest(a) for a in APPS + [orphan]], REV1)
    result = wait(kube_reader(tmp_path, hub), pruning, REV1, exact, Filters(), timeout=1)
    assert (result.exit_code, result.timed_out) == (ExitCode.DRIFT, True)
    assert "ApplicationSet deletes it" in result.tracker.statuses[orphan.name].message
