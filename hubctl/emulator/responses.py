"""Fixed bodies the emulator answers with: discovery documents, Status errors, Argo CD errors."""

from __future__ import annotations

VERSION = {"major": "1", "minor": "32", "gitVersion": "v1.32.0+hubctl-emulator", "platform": "linux/amd64"}
API_VERSIONS = {"kind": "APIVersions", "versions": ["v1"],
                "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]}
CORE_RESOURCES = {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "v1", "resources": [
    {"name": "namespaces", "singularName": "namespace", "namespaced": False, "kind": "Namespace", "verbs": []}]}
_GV = {"groupVersion": "argoproj.io/v1alpha1", "version": "v1alpha1"}
API_GROUPS = {"kind": "APIGroupList", "apiVersion": "v1",
              "groups": [{"name": "argoproj.io", "versions": [_GV], "preferredVersion": _GV}]}
_VERBS = ["get", "list", "watch"]
_APP_VERBS = ["delete", "get", "list", "patch", "watch"]
ARGO_RESOURCES = {
    "kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "argoproj.io/v1alpha1",
    "resources": [
        {"name": "applications", "singularName": "application", "namespaced": True, "kind": "Application",
         "verbs": _APP_VERBS, "shortNames": ["app", "apps"]},
        {"name": "applicationsets", "singularName": "applicationset", "namespaced": True,
         "kind": "ApplicationSet", "verbs": _VERBS, "shortNames": ["appset", "appsets"]},
    ],
}


def status(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    """A Kubernetes `Status` failure object."""
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


def forbidden(path: str) -> dict:
    plural = "applicationsets" if "applicationsets" in path else "applications"
    namespace = path.split("/namespaces/")[1].split("/")[0] if "/namespaces/" in path else ""
    where = f' in the namespace "{namespace}"' if namespace else " at the cluster scope"
    return status(403, "Forbidden", f'{plural}.argoproj.io is forbidden: User "system:serviceaccount:ci:hubctl" '
                  f'cannot list resource "{plural}" in API group "argoproj.io"{where}',
                  {"group": "argoproj.io", "kind": plural})


def argo_error(code: int, message: str) -> dict:
    """An Argo CD API (grpc-gateway) error body: gRPC code plus message."""
    return {"error": message, "code": code, "message": message}


def list_body(kind: str | None, metadata: dict, items: list[bytes]) -> bytes:
    import json

    head = {"apiVersion": "argoproj.io/v1alpha1", "kind": kind} if kind else {}
    prefix = json.dumps({**head, "metadata": metadata}, separators=(",", ":"))[:-1].encode()
    return prefix + b',"items":[' + b",".join(items) + b"]}"


def project(obj: dict, fields: list[str]) -> dict:
    """Keep only `fields` (Argo CD's `fields=items.metadata.name,...` paths) of one list item."""
    out: dict = {}
    for path in fields:
        parts = path.split(".")[1:] if path.startswith("items.") else path.split(".")
        source, target = obj, out
        for i, part in enumerate(parts):
            if not isinstance(source, dict) or part not in source:
                break
            if i == len(parts) - 1:
                target[part] = source[part]
            else:
                source, target = source[part], target.setdefault(part, {})
    return out
