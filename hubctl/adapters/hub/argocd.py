"""Read Applications from the Argo CD API server (/api/v1) over plain HTTP, as dicts.

Credentials, first found wins: $HUBCTL_ARGOCD_TOKEN, --token-file, or --username with the password in
$HUBCTL_ARGOCD_PASSWORD exchanged for a session token (POST /api/v1/session). Tokens are never printed.
The list endpoint has no pagination, so the reader asks only for the fields status needs (`fields=`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from hubctl.adapters.hub.http import Deadline, check_token, exchange, install, parse_json, safe_url
from hubctl.adapters.hub.records import application_list, printable
from hubctl.adapters.hub.retry import RetryPolicy, Transient, retrying
from hubctl.adapters.hub.trust import read_local_file
from hubctl.base import redact
from hubctl.base.errors import HubError, UsageError

ENV_TOKEN = "HUBCTL_ARGOCD_TOKEN"
ENV_PASSWORD = "HUBCTL_ARGOCD_PASSWORD"
MAX_TOKEN_BYTES = 64 * 1024
LIST_FIELDS = ",".join(f"items.{f}" for f in (
    "metadata.name", "metadata.namespace", "metadata.labels", "metadata.creationTimestamp",
    "metadata.deletionTimestamp", "metadata.resourceVersion",
    "status.sync.status", "status.sync.revision", "status.sync.revisions", "status.sync.comparedTo", "status.health",
    "status.operationState.phase", "status.operationState.message", "status.operationState.startedAt",
    "status.operationState.finishedAt", "status.operationState.operation", "status.operationState.syncResult.revision",
    "status.operationState.syncResult.revisions", "status.operationState.syncResult.source",
    "status.operationState.syncResult.sources", "status.conditions"))


@dataclass(frozen=True)
class ArgoSettings:
    server: str
    token_file: str | None = None
    username: str | None = None
    namespace: str = "argocd"
    insecure: bool = False
    ca_file: str | None = None
    timeout: float = 600.0  # the whole run's deadline when no Deadline is given


class ArgoCDReader:
    """Applications from the Argo CD API; no watch (the wait loop polls)."""

    name = "argocd"
    resource_version = ""

    def __init__(self, settings: ArgoSettings, retry: RetryPolicy | None = None, env=None,
                 deadline: Deadline | None = None):
        if not settings.server:
            raise UsageError("--source argocd needs --server URL")
        self.settings, self.retry = settings, retry or RetryPolicy.from_env()
        self.deadline = deadline or Deadline(settings.timeout)
        self._env = os.environ if env is None else env
        self._url = _server_url(settings.server)
        self.endpoint = f"Argo CD at {self._url}"
        self._token: str | None = None
        self._pool = None
        self.credential = ""

    def _pool_manager(self):
        if self._pool is None:
            import ssl

            import urllib3

            context = _ssl_context(self.settings.ca_file)
            if self.settings.insecure:  # asked for explicitly; the CLI says so once, not urllib3 per request
                context.check_hostname = False
                context.verify_mode = ssl.CERT_NONE
                urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            self._pool = urllib3.PoolManager(ssl_context=context, retries=False)
            install(self._pool, self.deadline)
        return self._pool

    def _send(self, method: str, path: str, body: dict | None, token: str | None) -> tuple[int, bytes]:
        headers = {"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        return exchange(self._pool_manager(), method, self._url + path, data, headers,
                        where=f"{self.endpoint} ({method} {path.split('?')[0]})", endpoint=self.endpoint,
                        deadline=self.deadline, hint="check --server; for a private CA use --ca-file (or --insecure)")

    def _request(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> bytes:
        status, payload = retrying(lambda: self._send(method, path, body, token), self.retry, self._give_up,
                                   deadline=self.deadline)
        if status in (401, 403):
            raise self._refused(status, path)
        if status >= 300:
            raise HubError(f"{self.endpoint} answered {status} to {method} {path.split('?')[0]}: "
                           f"{_message(payload)}")
        return payload

    def _credentials(self) -> str:
        if self._token is not None:
            return self._token
        if self._env.get(ENV_TOKEN):
            self.credential = f"the token in ${ENV_TOKEN}"
            self._token = check_token(self._env[ENV_TOKEN], self.credential)
        elif self.settings.token_file:
            self.credential = f"the token in {self.settings.token_file}"
            self._token = check_token(_read_token_file(self.settings.token_file), self.credential)
        elif self.settings.username:
            self._token = self._login(self.settings.username)
        else:
            raise UsageError("no Argo CD credentials",
                             hint=f"set ${ENV_TOKEN}, pass --token-file, or --username with ${ENV_PASSWORD}")
        return self._token

    def _login(self, username: str) -> str:
        self.credential = f'the session of user "{username}" (password from ${ENV_PASSWORD})'
        password = self._env.get(ENV_PASSWORD)
        if not password:
            raise UsageError(f"--username needs the password in ${ENV_PASSWORD}")
        redact.register(password)
        where = f"{self.endpoint} (POST /api/v1/session)"
        body = parse_json(self._request("POST", "/api/v1/session", {"username": username, "password": password}),
                          where)
        if not isinstance(body.get("token"), str):
            raise HubError(f"{where} answered without a session token")
        return check_token(body["token"], f"the session token from {where}")

    def list_applications(self, selector: str) -> Iterator[dict]:
        """Every matching Application (trimmed to the fields status reads).

        Raises:
            HubError: unreachable after retries, refused credentials, missing permission.
            UsageError: no credentials configured.
        """
        token = self._credentials()
        # appNamespace: Argo CD serving Applications in other namespaces lists them all without it; a
        # tenant's Application there, with hubctl's labels and name, is not one of hubctl's
        namespace = self.settings.namespace
        query = urlencode({"selector": selector, "appNamespace": namespace, "fields": LIST_FIELDS})
        where = f"{self.endpoint} (GET /api/v1/applications)"
        body = parse_json(self._request("GET", f"/api/v1/applications?{query}", token=token), where)
        items, self.resource_version = application_list(body, where)
        for item in items:  # and should the server ignore appNamespace
            meta = item.get("metadata")
            if not isinstance(meta, dict) or meta.get("namespace") in (None, "", namespace):
                yield item

    def active_deny_windows(self, name: str) -> list[dict] | None:
        """The active sync windows holding Application `name` when Argo CD says it cannot sync now (canSync
        false, GET /api/v1/applications/{name}/syncwindows); None when it can.

        Raises:
            HubError: unreachable after retries, refused, or an answer of the wrong shape.
        """
        token = self._credentials()
        path = f"/api/v1/applications/{quote(name, safe='')}/syncwindows"
        where = f"{self.endpoint} (GET {path})"
        body = parse_json(self._request("GET", f"{path}?{urlencode({'appNamespace': self.settings.namespace})}",
                                        token=token), where)
        return sync_windows_answer(body, where)

    def _refused(self, status: int, path: str) -> HubError:
        if status == 401 and path == "/api/v1/session":
            return HubError(f"Argo CD rejected {self.credential} (401): wrong username or password",
                            hint=f"check --username and ${ENV_PASSWORD}")
        if status == 401:
            return HubError(f"Argo CD rejected {self.credential} (401 Unauthorized): invalid or expired token",
                            hint="create a new one with `argocd account generate-token`")
        return HubError(f"{self.credential} may not read Applications in Argo CD (403 Forbidden)",
                        hint="grant `applications, get` in Argo CD RBAC (policy.csv: "
                             "p, role:ci, applications, get, */*, allow) to that account or project role")

    def _give_up(self, last: Transient) -> HubError:
        return HubError(f"{self.endpoint} did not answer after {last.attempts} "
                        f"attempt{'s' if last.attempts != 1 else ''} ({last.detail})",
                        hint="check --server and that the API server is up")


def sync_windows_answer(body, where: str) -> list[dict] | None:
    """An ApplicationSyncWindowsResponse checked: None when canSync, else its active windows (kind, schedule,
    duration as printable text).

    Raises:
        HubError: the answer is not of that shape.
    """
    if not isinstance(body, dict) or not isinstance(body.get("canSync", False), bool):
        raise HubError(f"{where} answered a malformed sync windows response (canSync must be a boolean)")
    active = body.get("activeWindows")
    active = [] if active is None else active
    if not isinstance(active, list) or not all(isinstance(w, dict) for w in active):
        raise HubError(f"{where} answered a malformed sync windows response (activeWindows must be a list)")
    if body.get("canSync", False):
        return None
    return [{key: printable(str(w.get(key, "")), 100) for key in ("kind", "schedule", "duration")} for w in active]


def _server_url(server: str) -> str:
    """--server as a base URL without a trailing slash.

    Raises:
        UsageError: not an http(s) URL, or it carries a user name or password (never echoed).
    """
    try:
        parts = urlsplit(server if "://" in server else f"https://{server}")
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number from 0 to 65535
    except ValueError as exc:
        raise UsageError(f"--server {safe_url(server)} is not a valid URL ({exc})",
                         hint="e.g. --server https://argocd.example.com") from None
    if "@" in parts.netloc:
        redact.register(parts.netloc.rpartition("@")[0].partition(":")[2])
        raise UsageError(f"--server {safe_url(parts.geturl())} must not carry a user name or password",
                         hint=f"Argo CD takes a token (${ENV_TOKEN}, --token-file) or --username with "
                              f"${ENV_PASSWORD}")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--server {safe_url(parts.geturl())} is not an http(s) URL",
                         hint="e.g. --server https://argocd.example.com")
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _ssl_context(ca_file: str | None):
    """The TLS context, trusting the certificates of --ca-file (read as a regular file, PEM or DER) if given.

    Raises:
        UsageError: --ca-file is not a regular file, cannot be read, or holds no certificate.
    """
    import ssl

    if not ca_file:
        return ssl.create_default_context()
    data = read_local_file(ca_file, "--ca-file")
    try:
        return ssl.create_default_context(cadata=data.decode("ascii") if data.isascii() else data)
    except (ssl.SSLError, ValueError) as exc:
        raise UsageError(f"--ca-file {ca_file} holds no usable CA certificate ({exc})",
                         hint="pass a PEM bundle of the CA that signed the hub's certificate") from None


def _read_token_file(path: str) -> str:
    """The token file's text: a regular file only (a FIFO would hold status past its deadline)."""
    data = read_local_file(path, "--token-file")
    if len(data) > MAX_TOKEN_BYTES:
        raise UsageError(f"--token-file {path} is larger than {MAX_TOKEN_BYTES // 1024} KiB; it cannot be a token")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UsageError(f"--token-file {path} cannot be read (not UTF-8 text)") from None


def _message(payload: bytes) -> str:
    try:
        body = json.loads(payload)
    except (ValueError, RecursionError):
        body = None
    text = str(body.get("message", "")) if isinstance(body, dict) else payload[:200].decode(errors="replace")
    return printable(text, 200)
