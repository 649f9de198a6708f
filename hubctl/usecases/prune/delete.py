"""Delete one Application on the hub, through the reader in use, and check the hub did it.

- Argo CD API (`--source argocd`): `DELETE /api/v1/applications/{name}?cascade=true` (as `argocd app
  delete`). Argo CD v3.5.1's API server sets the resources finalizer itself for cascade=true (and takes it
  off for cascade=false) before it deletes, so no PATCH is needed (server/application/application.go).
- Kubernetes API (`--source kube`): a merge PATCH of `metadata.finalizers` (with the resourceVersion read
  as a precondition) adds `resources-finalizer.argocd.argoproj.io`, then DELETE; the Argo CD application
  controller removes the workload and then the finalizer.

Afterwards the Application is read again: gone (deleted), or marked for deletion with the finalizer the
cascade needs (deleting). Anything else means the hub answered success and did not do it: a HubError.
Every request is retried like the reads (5xx, 429, resets), under the run's deadline.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

from hubctl.adapters.hub.http import exchange, parse_json
from hubctl.adapters.hub.retry import retrying
from hubctl.base.constants import ARGO_FINALIZER, ARGO_GROUP, ARGO_VERSION, LABEL_MANAGED_BY, MANAGED_BY
from hubctl.base.errors import HubError


def delete_application(reader, name: str, cascade: bool = True, still=None, rerun: str = "hubctl prune") -> str:
    """Delete the Application `name`; returns "deleted" (gone), "deleting" (the controller finishes it),
    "adopted" (read again, it is no longer labelled managed-by=hubctl: left alone) or "changed" (read again,
    `still(labels)` is false: it no longer qualifies, left alone). `rerun` is the command hints name.

    Raises:
        HubError: unreachable, refused (401/403, naming the permission), or the hub said it deleted the
            Application but still has it unmarked (or without the finalizer a cascade needs).
    """
    api = _ArgoAPI(reader) if reader.name == "argocd" else _KubeAPI(reader)
    api.rerun = rerun
    obj = api.get(name)  # read again: the listing may be minutes old (a confirmation on a terminal)
    if obj is None:
        return "deleted"
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
    if labels.get(LABEL_MANAGED_BY) != MANAGED_BY:
        return "adopted"  # someone took it out of hubctl's hands since the listing: not ours to delete
    if still is not None and not still(labels):
        return "changed"  # relabelled since the listing (another cluster, say): judged again on a re-run
    if reader.name == "argocd":
        api.call("DELETE", name, query={"cascade": "true" if cascade else "false"})
    else:
        finalizers = [f for f in meta.get("finalizers") or [] if isinstance(f, str)]
        wanted = ([f for f in finalizers if f != ARGO_FINALIZER] + [ARGO_FINALIZER] if cascade
                  else [f for f in finalizers if not f.startswith(ARGO_FINALIZER)])
        if wanted != finalizers:
            api.call("PATCH", name, {"metadata": {"finalizers": wanted,
                                                  "resourceVersion": meta.get("resourceVersion")}})
        uid = meta.get("uid")  # the object read, not one recreated under the same name since
        api.call("DELETE", name, {"kind": "DeleteOptions", "apiVersion": "v1", "preconditions": {"uid": uid}}
                 if isinstance(uid, str) and uid else None)
    return _verify(api, name, cascade)


def _verify(api, name: str, cascade: bool) -> str:
    obj = api.get(name)
    if obj is None:
        return "deleted"
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    finalizers = meta.get("finalizers") or []
    if not meta.get("deletionTimestamp"):
        raise HubError(f"{api.endpoint} answered that it deleted Application {name}, but still has it "
                       "(no deletion in progress)", hint=f"the hub did not do what it answered: check the Argo "
                       f"CD API server and any proxy in between, then run `{api.rerun}` again")
    if cascade and not any(isinstance(f, str) and f.startswith(ARGO_FINALIZER) for f in finalizers):
        raise HubError(f"{api.endpoint} is deleting Application {name} without {ARGO_FINALIZER}: its "
                       "workload would stay on the spoke", hint="check the hub's admission webhooks and RBAC "
                       "for patching finalizers; delete the workload by hand if it is meant to go")
    if not cascade and any(isinstance(f, str) and f.startswith(ARGO_FINALIZER) for f in finalizers):
        raise HubError(f"{api.endpoint} is deleting Application {name} with {ARGO_FINALIZER} still on it: "
                       "the controller would delete its workload", hint="stop that hub's application controller "
                       "(docs/operations.md, Hub failover), remove the finalizer by hand (kubectl patch "
                       f"application {name} --type merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'), "
                       "and check the hub's admission webhooks")
    return "deleting"


class _ArgoAPI:
    """Application writes through the Argo CD API server, with the reader's session and pool."""

    def __init__(self, reader):
        self.reader, self.endpoint = reader, reader.endpoint

    def _path(self, name: str, query: dict | None = None) -> str:
        query = {**(query or {}), "appNamespace": self.reader.settings.namespace}
        return f"/api/v1/applications/{quote(name, safe='')}?{urlencode(query)}"

    def _exchange(self, method: str, path: str) -> tuple[int, bytes]:
        token = self.reader._credentials()
        return retrying(lambda: self.reader._send(method, path, None, token), self.reader.retry,
                        self.reader._give_up, deadline=self.reader.deadline)

    def get(self, name: str) -> dict | None:
        status, payload = self._exchange("GET", self._path(name))
        return _answer(self, status, payload, "GET", name, "get")

    def call(self, method: str, name: str, body: dict | None = None, query: dict | None = None) -> None:
        status, payload = self._exchange(method, self._path(name, query))
        _answer(self, status, payload, method, name, "delete")


class _KubeAPI:
    """Application writes through the hub's Kubernetes API, with the reader's client configuration."""

    def __init__(self, reader):
        self.reader = reader
        reader._api_client()
        self.endpoint = reader.endpoint

    def _exchange(self, method: str, name: str, body: dict | None) -> tuple[int, bytes]:
        return retrying(lambda: self._send(method, name, body), self.reader.retry, self.reader._give_up,
                        deadline=self.reader.deadline)

    def _send(self, method: str, name: str, body: dict | None) -> tuple[int, bytes]:
        from hubctl.adapters.hub.kube import _TLS_HINT, check_authorization

        reader = self.reader
        client = reader._api_client()
        url = (f"{client.configuration.host.rstrip('/')}/apis/{ARGO_GROUP}/{ARGO_VERSION}/namespaces/"
               f"{quote(reader.settings.namespace, safe='')}/applications/{quote(name, safe='')}")
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/merge-patch+json" if method == "PATCH" else "application/json"
        for setting in client.configuration.auth_settings().values():
            if setting.get("in") == "header" and setting.get("value"):
                headers[setting["key"]] = check_authorization(setting["value"], reader.credential)
        return exchange(client.rest_client.pool_manager, method, url,
                        json.dumps(body).encode() if body is not None else None, headers,
                        where=f"{self.endpoint} ({method} application {name})", endpoint=self.endpoint,
                        deadline=reader.deadline, hint=_TLS_HINT)

    def get(self, name: str) -> dict | None:
        status, payload = self._exchange("GET", name, None)
        return _answer(self, status, payload, "GET", name, "get")

    def call(self, method: str, name: str, body: dict | None = None, query: dict | None = None) -> None:
        status, payload = self._exchange(method, name, body)
        _answer(self, status, payload, method, name, method.lower())


def _answer(api, status: int, payload: bytes, method: str, name: str, verb: str) -> dict | None:
    """The object of a 2xx answer (None for 404: already gone).

    Raises:
        HubError: 401/403 (naming the permission), 409 (changed meanwhile) or another failure.
    """
    from hubctl.adapters.hub.records import printable

    if status == 404:
        return None
    where = f"{api.endpoint} ({method} application {name})"
    if status in (401, 403):
        argo = isinstance(api, _ArgoAPI)
        hint = ("grant `applications, get` and `applications, delete` in Argo CD RBAC (policy.csv: p, role:ci, "
                "applications, get, */*, allow and p, role:ci, applications, delete, */*, allow)" if argo
                else "grant get, patch and delete on applications.argoproj.io in "
                f"namespace {api.reader.settings.namespace} (a Role and RoleBinding)")
        raise HubError(f"{api.reader.credential or 'the credential'} may not {verb} Application {name} "
                       f"({status} {'Unauthorized' if status == 401 else 'Forbidden'})", hint=hint)
    if status == 409:
        raise HubError(f"{where}: the Application changed while hubctl deleted it (409 Conflict)",
                       hint=f"run `{getattr(api, 'rerun', 'hubctl prune')}` again")
    if status >= 300:
        try:
            body = json.loads(payload)
            message = str(body.get("message", "")) if isinstance(body, dict) else ""
        except (ValueError, RecursionError):
            message = payload[:200].decode(errors="replace")
        raise HubError(f"{where} answered {status}: {printable(message, 200)}")
    return parse_json(payload, where) if method == "GET" else None
