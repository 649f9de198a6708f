"""Re-check, on every release of argocd-python-client, the decision that the Argo CD REST reader returns
dicts (docs/architecture.md, "Dependencies").

The Argo CD v3.5.1 responses of ../shared/reference/argocd (the samples, and the list trimmed with the
`fields=` hubctl sends) go through the client's own deserializer, with type checks on. RECORD is what its
typed models make of each: rejected, or accepted with the fields they do not know (kept untyped) and
whether the typed object serializes back, or no model at all. The test fails when an installed release
reads them differently, so that the record and the decision are looked at again.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from hubctl.adapters.hub.argocd import LIST_FIELDS

REFERENCE = Path(__file__).resolve().parents[2] / ".." / "shared" / "reference" / "argocd"  # ../shared
RECORDED_VERSION = "1.0.2"
MULTI_SOURCE = [".status.operationState.operation.sync.revisions", ".status.operationState.syncResult.revisions",
                ".status.sync.comparedTo.sources", ".status.sync.revisions"]  # what status reads of a multi-source app
SERIALIZE_FAILS = "AttributeError"  # sanitize_for_serialization trips over the untyped multi-source lists
RECORD = {
    "GET /api/v1/applications/{name}": ("accepted", sorted([
        ".apiVersion", ".kind", ".spec.sources", ".status.health.lastTransitionTime",
        ".status.operationState.retryCount", ".status.resourceHealthSource", ".status.sourceTypes",
        *MULTI_SOURCE]), SERIALIZE_FAILS),
    "GET /api/v1/applications?fields=... (as hubctl asks)": ("accepted", sorted(
        [".items[].status.health.lastTransitionTime"] + [".items[]" + path for path in MULTI_SOURCE]),
        SERIALIZE_FAILS),
    "root Application": ("accepted", [".apiVersion", ".kind"], "ok"),
    "AppProject": ("accepted", [".apiVersion", ".kind", ".spec.permitOnlyProjectScopedClusters",
                                ".spec.sourceNamespaces"], "ok"),
    "ApplicationSet": ("no model", [], "-"),
    "POST /api/v1/session": ("accepted", [], "ok"),
}


def test_the_typed_models_read_the_v3_5_1_responses_as_recorded():
    try:
        import argocd_python_client
    except ImportError:
        pytest.fail("argocd-python-client is not installed: it is in the [test] extra (pip install -e '.[test]'); "
                    "without it the decision recorded in docs/architecture.md cannot be re-checked")
    if not REFERENCE.is_dir():
        pytest.skip(f"the Argo CD v3.5.1 reference is not beside the repository ({REFERENCE})")
    seen = {name: _read(argocd_python_client, model, body) for name, (model, body) in _responses().items()}
    assert (argocd_python_client.__version__, seen) == (RECORDED_VERSION, RECORD), (
        "argocd-python-client now reads the Argo CD v3.5.1 responses differently: re-check the decision in "
        "docs/architecture.md (Dependencies) that the REST reader returns dicts, then update RECORD")


def _responses() -> dict[str, tuple[str | None, dict]]:
    app = _sample("application-status-sample.yaml")
    return {
        "GET /api/v1/applications/{name}": ("v1alpha1_application.V1alpha1Application", app),
        "GET /api/v1/applications?fields=... (as hubctl asks)": (
            "v1alpha1_application_list.V1alpha1ApplicationList",
            {"metadata": {"resourceVersion": "1"}, "items": [_trimmed(app, LIST_FIELDS.split(","))]}),
        "root Application": ("v1alpha1_application.V1alpha1Application", _sample("root-application.yaml")),
        "AppProject": ("v1alpha1_app_project.V1alpha1AppProject", _sample("appproject.yaml")),
        "ApplicationSet": (None, _sample("applicationset-status-sample.yaml")),
        "POST /api/v1/session": ("session_session_response.SessionSessionResponse", {"token": "a.b.c"}),
    }


def _sample(name: str) -> dict:
    return yaml.safe_load((REFERENCE / name).read_text())


def _trimmed(app: dict, fields: list[str]) -> dict:
    """What `fields=items.a.b,...` leaves of one item, as the API server trims it."""
    kept: dict = {}
    for field in fields:
        *parents, leaf = field.split(".")[1:]
        source, target = app, kept
        for key in parents:
            if not isinstance(source, dict) or key not in source:
                break
            source, target = source[key], target.setdefault(key, {})
        else:
            if isinstance(source, dict) and leaf in source:
                target[leaf] = source[leaf]
    return kept


def _read(client, model: str | None, body: dict) -> tuple[str, list[str], str]:
    """The client's verdict on `body`: rejected (with why), or accepted, the paths it leaves untyped and
    whether the typed object serializes back ("ok" or the exception's type)."""
    import importlib

    from argocd_python_client.api_client import ApiClient
    from argocd_python_client.exceptions import OpenApiException

    if model is None:
        return "no model", [], "-"
    module, cls = model.split(".")
    target = getattr(importlib.import_module(f"argocd_python_client.model.{module}"), cls)

    class Response:
        data = json.dumps(body)

    try:
        typed = ApiClient().deserialize(Response(), (target,), True)
    except (OpenApiException, TypeError, ValueError) as exc:
        return f"rejected: {type(exc).__name__}: {str(exc).splitlines()[0]}", [], "-"
    untyped: list[str] = []
    _untyped(typed, body, "", untyped)
    try:
        ApiClient.sanitize_for_serialization(typed)
        serializes = "ok"
    except Exception as exc:  # noqa: BLE001 - whatever it raises is the record
        serializes = type(exc).__name__
    return "accepted", sorted(set(untyped)), serializes


def _untyped(typed, body, path: str, out: list[str]) -> None:
    from argocd_python_client.model_utils import OpenApiModel

    if isinstance(typed, OpenApiModel) and isinstance(body, dict):
        attributes = {json_key: attribute for attribute, json_key in type(typed).attribute_map.items()}
        for key, value in body.items():
            if key in attributes:
                _untyped(typed[attributes[key]], value, f"{path}.{key}", out)
            else:
                out.append(f"{path}.{key}")
    elif isinstance(typed, list) and isinstance(body, list):
        for item, value in zip(typed, body, strict=True):
            _untyped(item, value, f"{path}[]", out)
