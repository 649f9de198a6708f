"""Read Applications from the hub's Kubernetes API: paged lists and watches, as plain dicts.

Configuration: an explicit kubeconfig (--kubeconfig) wins; otherwise the in-cluster service
account when KUBERNETES_SERVICE_HOST is set; otherwise $KUBECONFIG or ~/.kube/config.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from hubctl.adapters.hub.http import (
    READ_TIMEOUT,
    Deadline,
    DeadlineExceeded,
    check_token,
    install,
    lines_capped,
    parse_json,
    read_capped,
    retry_after,
    safe_url,
    timed_out,
    timeouts,
    transport_failure,
)
from hubctl.adapters.hub.records import application_list, printable
from hubctl.adapters.hub.retry import RetryPolicy, Transient, retrying
from hubctl.adapters.hub.trust import (
    check_kubeconfig_files,
    check_kubeconfigs,
    kubeconfig_paths,
    read_local_file,
)
from hubctl.base import redact
from hubctl.base.constants import ARGO_GROUP, ARGO_VERSION
from hubctl.base.errors import HubError

_TLS_HINT = "check the kubeconfig's server and certificate-authority, or pass --ca-file"

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
    timeout: float = 600.0  # the whole run's deadline when no Deadline is given
    repository: str | None = None  # the fleet repository: its kubeconfigs may not run code or read files


def _load(settings: KubeSettings):
    """(ApiClient, a description of the credential for error messages).

    Raises:
        HubError: no usable configuration.
    """
    from kubernetes import client, config

    configuration = client.Configuration()
    in_cluster = settings.kubeconfig is None and os.environ.get("KUBERNETES_SERVICE_HOST")
    if not in_cluster:
        flag = "--kubeconfig" if settings.kubeconfig else ("$KUBECONFIG" if os.environ.get("KUBECONFIG")
                                                           else "kubeconfig")
        check_kubeconfig_files(kubeconfig_paths(settings.kubeconfig), flag)
    if settings.ca_file:  # read by the ssl module at the first request: a regular file, or exit 2 now
        read_local_file(settings.ca_file, "--ca-file")
    if settings.repository and not in_cluster:
        check_kubeconfigs(kubeconfig_paths(settings.kubeconfig), Path(settings.repository))
    try:
        if in_cluster:
            config.load_incluster_config(client_configuration=configuration)
            credential = "the in-cluster service account token"
        else:
            config.load_kube_config(config_file=settings.kubeconfig, context=settings.context,
                                    client_configuration=configuration)
            credential = _describe(settings)
    except (config.ConfigException, OSError, TypeError, ValueError) as exc:
        raise HubError(f"cannot load the Kubernetes configuration: {exc}",
                       hint="pass --kubeconfig/--context, set $KUBECONFIG, or use --source argocd --server URL"
                       ) from None
    for value in configuration.api_key.values():
        redact.register(str(value).partition(" ")[2] or str(value))
    redact.register(configuration.password)
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
    """Applications in one namespace of the hub, through the kubernetes client's configuration and
    connection pool (TLS, proxies, credentials), each request bounded by the run's Deadline."""

    name = "kube"

    def __init__(self, settings: KubeSettings, retry: RetryPolicy | None = None, deadline: Deadline | None = None):
        self.settings, self.retry = settings, retry or RetryPolicy.from_env()
        self.deadline = deadline or Deadline(settings.timeout)
        self.resource_version = ""
        self._client = None
        self.credential = ""
        self.endpoint = "the hub's Kubernetes API"

    def _api_client(self):
        if self._client is None:
            self._client, self.credential = _load(self.settings)
            self.endpoint = f"the hub's Kubernetes API at {safe_url(self._client.configuration.host)}"
            install(self._client.rest_client.pool_manager, self.deadline)
        return self._client

    def list_applications(self, selector: str, page_size: int = PAGE_SIZE) -> Iterator[dict]:
        """Every matching Application, one page in memory at a time; sets `resource_version`.

        Raises:
            HubError: unreachable after retries, refused credentials, missing permission, a malformed
                answer, or a `continue` token that repeats (a pagination loop).
        """
        token, seen = "", set()
        self._api_client()
        where = f"{self.endpoint} (list applications in {self.settings.namespace})"
        while True:
            query = {"labelSelector": selector, "limit": page_size, **({"continue": token} if token else {})}
            page = retrying(lambda q=query: parse_json(self._get(q, where), where), self.retry, self._give_up,
                            deadline=self.deadline)
            items, self.resource_version = application_list(page, where)
            if len(items) > page_size:
                raise HubError(f"{where} sent {len(items)} Applications in a page of at most {page_size}",
                               hint="is this a hub? check the URL, and any proxy in between")
            token = (page.get("metadata") or {}).get("continue") or ""
            del page
            if not isinstance(token, str) or token in seen:
                raise HubError(f"{where} sent a continue token it had sent before: a pagination loop",
                               hint="is this a hub? check the URL, and any proxy in between")
            seen.add(token)
            yield from items
            if not token:
                return

    def _get(self, query: dict, where: str, watch: bool = False):
        """The body of GET applications?query (or the open response of a watch).

        Raises:
            Transient: 429, 5xx, a reset or a timeout of one request; HubError for refusals and the deadline.
        """
        from urllib3.exceptions import HTTPError as Urllib3Error

        client = self._api_client()
        url = (f"{client.configuration.host.rstrip('/')}/apis/{ARGO_GROUP}/{ARGO_VERSION}/namespaces/"
               f"{quote(self.settings.namespace, safe='')}/applications?{urlencode(query)}")
        headers = {"Accept": "application/json"}
        for setting in client.configuration.auth_settings().values():  # a refreshing plugin renews it here
            if setting.get("in") == "header" and setting.get("value"):
                headers[setting["key"]] = check_authorization(setting["value"], self.credential)
        response, done = None, False
        try:
            response = client.rest_client.pool_manager.request(
                "GET", url, headers=headers, preload_content=False, redirect=False,
                timeout=timeouts(self.deadline, query.get("timeoutSeconds", 0) + READ_TIMEOUT))
            if response.status >= 300:
                raise self._failed(response)
            if watch:
                done = True
                return response
            payload = read_capped(response, where)
            done = True
            return payload
        except (DeadlineExceeded, Urllib3Error, OSError) as exc:
            raise transport_failure(exc, where, self.endpoint, self.deadline, _TLS_HINT) from None
        finally:
            if response is not None and not watch:
                response.release_conn() if done else response.close()

    def _failed(self, response) -> Exception:
        status = response.status
        message = _status_message(response)
        if status == 410:
            return WatchExpired(message)
        if status == 429 or status >= 500:
            return Transient(f"{status} {response.reason}", retry_after(response.headers))
        return self._refused(status, message)

    def watch_applications(self, selector: str, resource_version: str,
                           timeout_seconds: int) -> Iterator[tuple[str, dict]]:
        """(type, Application dict) events after `resource_version` until the server ends the watch.

        Raises:
            WatchExpired: the resourceVersion is too old; list again.
            Transient: the watch broke off; HubError: refused, malformed or past the deadline.
        """
        from urllib3.exceptions import HTTPError as Urllib3Error

        self._api_client()
        where = f"{self.endpoint} (watch applications in {self.settings.namespace})"
        seconds = max(1, int(min(timeout_seconds, self.deadline.remaining())))
        response = self._get({"labelSelector": selector, "watch": "true", "resourceVersion": resource_version,
                              "allowWatchBookmarks": "true", "timeoutSeconds": seconds}, where, watch=True)
        try:
            for line in lines_capped(response, where):
                yield _event(parse_json(line, where), where)
        except (DeadlineExceeded, Urllib3Error, OSError) as exc:
            raise transport_failure(exc, where, self.endpoint, self.deadline, _TLS_HINT) from None
        finally:
            response.close()
        if self.deadline.expired():
            raise timed_out(where, self.deadline)

    def _refused(self, status: int, message: str) -> HubError:
        ns = self.settings.namespace
        if status == 401:
            return HubError(f"the hub refused the credentials (401 Unauthorized): {self.credential}",
                            hint="renew the token in that kubeconfig user, or choose another with --context")
        if status == 403:
            return HubError(f"{self.credential} may not list applications.argoproj.io in namespace {ns} "
                            "(403 Forbidden)", hint=f"grant get, list and watch on applications.argoproj.io "
                            f"in namespace {ns} (a Role and RoleBinding for that user)")
        if status == 404:
            return HubError(f"the hub does not serve applications.argoproj.io in namespace {ns} (404)",
                            hint="is Argo CD installed on the hub? choose its namespace with --namespace")
        return HubError(f"{self.endpoint} answered {status} to listing Applications in {ns}: {message}")

    def _give_up(self, last: Transient) -> HubError:
        return HubError(f"{self.endpoint} did not answer after {last.attempts} "
                        f"attempt{'s' if last.attempts != 1 else ''} ({last.detail})",
                        hint=f"check the hub is up and reachable ({self.credential})")


def _status_message(response) -> str:
    """The message of a Kubernetes Status body (at most 64 KiB read; the connection is then closed)."""
    try:
        body = json.loads(response.read(64 * 1024))
        return printable(str(body.get("message", "")), 200) if isinstance(body, dict) else ""
    except Exception:  # noqa: BLE001 - only for the message
        return ""
    finally:
        response.close()


def _event(event: dict, where: str) -> tuple[str, dict]:
    """(type, object) of one watch event.

    Raises:
        WatchExpired: an ERROR event with code 410; Transient: another ERROR event; HubError: malformed.
    """
    kind, obj = event.get("type"), event.get("object")
    if not isinstance(kind, str) or not isinstance(obj, dict):
        raise HubError(f"{where} sent a malformed watch event (needs a type and an object)",
                       hint="is this a hub? check the URL, and any proxy in between")
    if kind == "ERROR":
        if obj.get("code") == 410:
            raise WatchExpired(printable(str(obj.get("message", "")), 200))
        raise Transient(f"watch error: {printable(str(obj.get('message', '')), 200)}")
    return kind, obj


def check_authorization(value: str, credential: str) -> str:
    """The Authorization header value of a kubeconfig user, if its credential can be sent.

    Raises:
        UsageError: the token (or password) contains a line break or another control character.
    """
    scheme, _, secret = value.partition(" ")
    return f"{scheme} {check_token(secret, f'the credential of {credential}')}"
