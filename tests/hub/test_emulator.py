"""The emulator speaks the Kubernetes API subset: checked through the real kubernetes client and urllib."""

import json
import urllib.error
import urllib.request

import pytest
from kubernetes import client, config, watch

from hubctl.emulator.faults import Faults
from tests.hub.conftest import REV1, expected_apps, git, manifest, write_kubeconfig

PATH = "/apis/argoproj.io/v1alpha1/namespaces/argocd/applications"


def get(hub, path, token="default"):
    token = hub.token if token == "default" else token
    request = urllib.request.Request(hub.url + path, headers={"Authorization": f"Bearer {token}"} if token else {})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def custom_api(tmp_path, hub):
    api_client = config.new_client_from_config(str(write_kubeconfig(tmp_path / "kc", hub)))
    return client.CustomObjectsApi(api_client)


def test_list_pages_with_limit_and_continue(tmp_path, start_hub):
    hub = start_hub(expected_apps(clusters=[f"c{i:02d}" for i in range(25)]))
    hub.sync_to(REV1)
    api = custom_api(tmp_path, hub)
    names, token, pages = [], None, 0
    while True:
        page = api.list_namespaced_custom_object("argoproj.io", "v1alpha1", "argocd", "applications",
                                                 limit=10, _continue=token)
        pages += 1
        names += [item["metadata"]["name"] for item in page["items"]]
        assert page["metadata"]["resourceVersion"]
        token = page["metadata"].get("continue")
        if not token:
            break
    assert pages == 3
    assert names == sorted(f"api-c{i:02d}" for i in range(25))


def test_set_based_label_selectors(start_hub):
    hub = start_hub(expected_apps(flows=("api", "web", "db"), clusters=("a", "b")))
    hub.sync_to(REV1)
    def names(selector):
        return sorted(i["metadata"]["name"] for i in get(hub, f"{PATH}?labelSelector={selector}")["items"])
    assert names("hubctl.io/flow%20in%20(api,web),hubctl.io/cluster=a") == ["api-a", "web-a"]
    assert names("hubctl.io/flow%20notin%20(api,web)") == ["db-a", "db-b"]
    assert names("!hubctl.io/flow") == []


def test_objects_have_the_argo_cd_shape(start_hub):
    hub = start_hub(expected_apps(clusters=("a",)), faults=Faults(failed=("api-a",)))
    hub.sync_to(REV1)
    hub.settle()
    app = get(hub, f"{PATH}/api-a")
    status = app["status"]
    assert app["metadata"]["resourceVersion"] and app["metadata"]["uid"]
    assert status["sync"]["revision"] == REV1 and "comparedTo" in status["sync"]
    assert status["operationState"]["phase"] == "Failed"
    assert status["operationState"]["syncResult"]["resources"][0]["status"] == "SyncFailed"
    assert status["conditions"][0]["type"] == "SyncError"
    assert {"health", "reconciledAt", "resources", "summary"} <= set(status)


def test_watch_streams_changes_after_a_resource_version(tmp_path, start_hub):
    hub = start_hub(expected_apps(clusters=("a", "b")))
    hub.sync_to(REV1)
    api = custom_api(tmp_path, hub)
    rv = api.list_namespaced_custom_object("argoproj.io", "v1alpha1", "argocd", "applications")["metadata"][
        "resourceVersion"]
    hub.step()
    events = list(watch.Watch().stream(api.list_namespaced_custom_object, "argoproj.io", "v1alpha1", "argocd",
                                       "applications", resource_version=rv, timeout_seconds=1))
    assert [(e["type"], e["raw_object"]["status"]["operationState"]["phase"]) for e in events] == [
        ("MODIFIED", "Running"), ("MODIFIED", "Running")]


def test_statuses_for_errors(start_hub):
    hub = start_hub(expected_apps(clusters=("a",)))
    with pytest.raises(urllib.error.HTTPError) as missing:
        get(hub, f"{PATH}/nope")
    assert missing.value.code == 404 and json.load(missing.value)["reason"] == "NotFound"
    with pytest.raises(urllib.error.HTTPError) as unauthorised:
        get(hub, PATH, token="wrong")
    assert unauthorised.value.code == 401 and json.load(unauthorised.value)["kind"] == "Status"
    hub.faults.forbidden = True
    with pytest.raises(urllib.error.HTTPError) as forbidden:
        get(hub, PATH)
    assert forbidden.value.code == 403 and "cannot list resource" in json.load(forbidden.value)["message"]


def test_new_commits_start_a_new_rollout(tmp_path, start_hub):
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "commit", "-q", "--allow-empty", "-m", "one")
    apps = expected_apps(clusters=("a",))
    hub = start_hub(repo=str(repo), applications_at=lambda commit: [manifest(a) for a in apps])
    hub.settle()
    first = git(repo, "rev-parse", "HEAD")
    assert get(hub, f"{PATH}/api-a")["status"]["sync"] == {**get(hub, f"{PATH}/api-a")["status"]["sync"],
                                                           "status": "Synced", "revision": first}
    git(repo, "commit", "-q", "--allow-empty", "-m", "two")
    assert hub.refresh()
    status = get(hub, f"{PATH}/api-a")["status"]
    assert (status["sync"]["status"], status["sync"]["revision"]) == ("OutOfSync", git(repo, "rev-parse", "HEAD"))


def test_argo_cd_api_session_list_and_get(start_hub):
    hub = start_hub(expected_apps(clusters=("a", "b")))
    hub.sync_to(REV1)
    request = urllib.request.Request(hub.url + "/api/v1/session", method="POST",
                                     data=json.dumps({"username": "admin", "password": "admin-password"}).encode())
    token = json.load(urllib.request.urlopen(request))["token"]
    listed = get(hub, "/api/v1/applications?selector=hubctl.io/cluster=b&fields=items.metadata.name", token)
    assert listed["items"] == [{"metadata": {"name": "api-b"}}]
    assert get(hub, "/api/v1/applications/api-a", token)["metadata"]["name"] == "api-a"
    assert get(hub, "/api/version", None)["Version"].startswith("v3.5")


def test_fault_parsing():
    faults = Faults.parse(["degraded=web-*", "http500=2", "slow=0.5", "forbidden"])
    assert (faults.app_fault("web-a"), faults.app_fault("api-a")) == ("degraded", None)
    assert (faults.http500, faults.slow, faults.forbidden) == (2, 0.5, True)
    with pytest.raises(Exception, match="unknown fault"):
        Faults.parse(["explode=1"])
