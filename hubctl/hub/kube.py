"""Read Applications from the hub's Kubernetes API: paged lists and watches, as plain dicts.

Configuration: an explicit kubeconfig (flag or hubctl.yaml) wins; otherwise the in-cluster service
account when KUBERNETES_SERVICE_HOST is set; otherwise $KUBECONFIG or ~/.kube/config.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass

from hubctl.constants import ARGO_GROUP, ARGO_VERSION
from hubctl.errors import HubError
from hubctl.hub.retry import RetryPolicy, Transient, retrying

PAGE_SIZE = 500


class WatchExpired(Exception):
    """The watch's resourceVersion is too old (410 Gone): list again."""


@dataclass(frozen=True)
class KubeSettings:
    kubeconfig: str | None = None
    context: str | None = None
    namespace: str = "argocd"
    insecure: bool = False
    ca_file: str | None = None


def _load(settings: KubeSettings):
    """(ApiClient, a description of the credential for error messages).

    Raises:
        HubError: no usable configuration.
    """
    from kubernetes import client, config

    configuration = client.Configuration()
    try:
        if settings.kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST"):
            config.load_incluster_config(client_configuration=configuration)
            credential = "the in-cluster service account token"
        else:
            config.load_kube_config(config_file=settings.kubeconfig, context=settings.context,
                                    client_configuration=configuration)
            credential = _describe(settings)
    except (config.ConfigException, OSError, TypeError, ValueError) as exc:
        raise HubError(f"cannot load the Kubernetes configuration: {exc}",
                       hint="pass --kubeconfig/--context, set hub.kubeconfig in hubctl.yaml, or use "
                            "--source argocd --server URL") from None
    if settings.insecure:  # asked for explicitly; the CLI says so once instead of urllib3 on every request
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
        configuration.verify_ssl = False
    if settings.ca_file:
        configuration.ssl_ca_cert = settings.ca_file
    configuration.retries = False  # retried here, with backoff and a clear final message
    return client.ApiClient(configuration), credential


def _describe(settings: KubeSettings) -> str:
    from kubernetes import config

    path = settings.kubeconfig or os.environ.get("KUBECONFIG") or "~/.kube/config"
    try:
        contexts, active = config.list_kube_config_contexts(settings.kubeconfig)
    except Exception:  # noqa: BLE001 - only for the message
        return f"kubeconfig {path}"
    chosen = next((c for c in contexts if c["name"] == settings.context), active) or {}
    user = (chosen.get("context") or {}).get("user", "?")
    return f'kubeconfig {path}, context "{chosen.get("name", "?")}", user "{user}"'


class KubeReader:
    """Applications in one namespace of the hub, via CustomObjectsApi."""

    name = "kube"

    def __init__(self, settings: KubeSettings, retry: RetryPolicy | None = None):
        self.settings, self.retry = settings, retry or RetryPolicy()
        self.resource_version = ""
        self._api = None
        self.credential = ""

    def _objects_api(self):
        if self._api is None:
            from kubernetes import client

            api_client, self.credential = _load(self.settings)
            self._api = client.CustomObjectsApi(api_client)
        return self._api

    def list_applications(self, selector: str, page_size: int = PAGE_SIZE) -> Iterator[dict]:
        """Every matching Application, one page in memory at a time; sets `resource_version`.

        Raises:
            HubError: unreachable after retries, refused credentials, missing permission.
        """
        token = ""
        while True:
            page = retrying(lambda t=token: self._page(selector, page_size, t), self.retry, self._give_up)
            self.resource_version = page["metadata"].get("resourceVersion", "")
            token = page["metadata"].get("continue") or ""
            items = page.pop("items") or []
            del page
            yield from items
            if not token:
                return

    def _page(self, selector: str, limit: int, token: str) -> dict:
        response = self._call(lambda api: api.list_namespaced_custom_object(
            ARGO_GROUP, ARGO_VERSION, self.settings.namespace, "applications", label_selector=selector,
            limit=limit, _continue=token or None, _preload_content=False, _request_timeout=(10, 60)))
        try:
            return json.loads(response.data)
        finally:
            response.release_conn()

    def watch_applications(self, selector: str, resource_version: str,
                           timeout_seconds: int) -> Iterator[tuple[str, dict]]:
        """(type, Application dict) events after `resource_version` until the server ends the watch.

        Raises:
            WatchExpired: the resourceVersion is too old; list again.
            HubError: refused or unreachable.
        """
        from kubernetes import watch

        api = self._objects_api()
        stream = watch.Watch().stream(
            api.list_namespaced_custom_object, ARGO_GROUP, ARGO_VERSION, self.settings.namespace,
            "applications", label_selector=selector, resource_version=resource_version,
            timeout_seconds=max(1, int(timeout_seconds)), _request_timeout=(10, timeout_seconds + 15))
        events = iter(stream)
        while True:
            event = self._call(lambda _api: next(events, None))
            if event is None:
                return
            yield event["type"], event["raw_object"]

    def _call(self, action):
        from kubernetes.client.exceptions import ApiException
        from urllib3.exceptions import HTTPError as Urllib3Error

        api = self._objects_api()
        try:
            return action(api)
        except ApiException as exc:
            if exc.status == 410:
                raise WatchExpired(str(exc.reason)) from None
            if exc.status in (429,) or (exc.status or 0) >= 500:
                raise Transient(f"{exc.status} {exc.reason}") from None
            raise self._refused(exc) from None
        except (Urllib3Error, ConnectionError, TimeoutError) as exc:
            raise Transient(f"{type(exc).__name__}: {exc}") from None

    def _refused(self, exc) -> HubError:
        ns = self.settings.namespace
        if exc.status == 401:
            return HubError(f"the hub refused the credentials (401 Unauthorized): {self.credential}",
                            hint="renew the token in that kubeconfig user, or choose another with --context")
        if exc.status == 403:
            return HubError(f"{self.credential} may not list applications.argoproj.io in namespace {ns} "
                            "(403 Forbidden)", hint=f"grant get, list and watch on applications.argoproj.io "
                            f"in namespace {ns} (a Role and RoleBinding for that user)")
        if exc.status == 404:
            return HubError(f"the hub does not serve applications.argoproj.io in namespace {ns} (404)",
                            hint="is Argo CD installed on the hub? choose its namespace with --namespace")
        return HubError(f"the hub answered {exc.status} {exc.reason} to listing Applications in {ns}")

    def _give_up(self, last: Transient) -> HubError:
        return HubError(f"the hub's Kubernetes API did not answer after {self.retry.attempts} attempts "
                        f"({last.detail})", hint=f"check the hub is up and reachable ({self.credential})")
