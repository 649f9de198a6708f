"""The emulator takes Application writes as Argo CD and the Kubernetes API do: merge PATCH with a
resourceVersion precondition, DELETE with finalizers in two stages, Argo CD's cascade query, and faults."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from kubernetes.client.exceptions import ApiException

from hubctl.base.constants import ARGO_FINALIZER
from tests.hub.conftest import REV1, expected_apps, manifest
from tests.hub.test_emulator import custom_api

GROUP = ("argoproj.io", "v1alpha1", "argocd", "applications")


def started(start_hub, finalizer=False):
    apps = expected_apps(clusters=("prod-eu-1",))

    def applications_at(commit):
        docs = [manifest(a) for a in apps]
        if finalizer:
            docs[0]["metadata"]["finalizers"] = [ARGO_FINALIZER]
        return docs

    hub = start_hub(applications_at=applications_at)
    hub.sync_to(REV1)
    hub.settle()
    return hub, apps[0].name


def argo(hub, method, path):
    request = urllib.request.Request(hub.url + path, method=method,
                                     headers={"Authorization": f"Bearer {hub.token}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_kubernetes_merge_patch_and_delete_with_the_finalizer_remove_the_workload(tmp_path, start_hub):
    hub, name = started(start_hub)
    api = custom_api(tmp_path, hub)
    current = api.get_namespaced_custom_object(*GROUP, name)
    patched = api.patch_namespaced_custom_object(*GROUP, name, {"metadata": {
        "finalizers": [ARGO_FINALIZER], "resourceVersion": current["metadata"]["resourceVersion"]}})
    assert patched["metadata"]["finalizers"] == [ARGO_FINALIZER]
    with pytest.raises(ApiException) as stale:
        api.patch_namespaced_custom_object(*GROUP, name, {"metadata": {
            "labels": {"x": "y"}, "resourceVersion": current["metadata"]["resourceVersion"]}})
    assert stale.value.status == 409

    deleting = api.delete_namespaced_custom_object(*GROUP, name)
    assert deleting["metadata"]["deletionTimestamp"]
    assert hub.workloads() == ["prod-eu-1/payments-api/api"], "the controller has not run yet"
    hub.step()
    assert hub.workloads() == []
    with pytest.raises(ApiException) as gone:
        api.get_namespaced_custom_object(*GROUP, name)
    assert gone.value.status == 404


def test_a_kubernetes_delete_without_a_finalizer_leaves_the_workload(tmp_path, start_hub):
    hub, name = started(start_hub)
    custom_api(tmp_path, hub).delete_namespaced_custom_object(*GROUP, name)
    assert hub.workloads() == ["prod-eu-1/payments-api/api"]
    assert hub.store.get("applications", "argocd", name) is None


@pytest.mark.parametrize(("query", "left"), [("cascade=true", []), ("cascade=false", ["prod-eu-1/payments-api/api"]),
                                             ("cascade=true&propagationPolicy=background", [])])
def test_argo_cd_delete_sets_or_removes_the_finalizer_as_its_cascade_says(start_hub, query, left):
    hub, name = started(start_hub, finalizer=True)
    code, body = argo(hub, "DELETE", f"/api/v1/applications/{name}?{query}")
    assert (code, body) == (200, {})
    hub.step()
    assert hub.workloads() == left
    assert argo(hub, "GET", f"/api/v1/applications/{name}")[0] == 404


def test_argo_cd_delete_refuses_an_unknown_propagation_policy_and_a_missing_application(start_hub):
    hub, name = started(start_hub)
    assert argo(hub, "DELETE", f"/api/v1/applications/{name}?cascade=true&propagationPolicy=sideways")[0] == 400
    assert argo(hub, "DELETE", "/api/v1/applications/nope?cascade=true")[0] == 404
    assert hub.store.get("applications", "argocd", name) is not None


def test_a_lying_hub_answers_200_and_keeps_the_application(start_hub):
    hub, name = started(start_hub)
    hub.faults.lie = ("api-*",)
    code, _ = argo(hub, "DELETE", f"/api/v1/applications/{name}?cascade=true")
    hub.step()
    assert code == 200 and hub.store.get("applications", "argocd", name) is not None
    assert hub.workloads() == ["prod-eu-1/payments-api/api"]
