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
from urllib.parse import urlencode, urlsplit

from hubctl.errors import HubError, UsageError
from hubctl.hub.retry import RetryPolicy, Transient, retrying

ENV_TOKEN = "HUBCTL_ARGOCD_TOKEN"
ENV_PASSWORD = "HUBCTL_ARGOCD_PASSWORD"
LIST_FIELDS = ",".join(f"items.{f}" for f in (
    "metadata.name", "metadata.labels", "metadata.creationTimestamp", "metadata.resourceVersion",
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
    timeout: float = 30.0


class ArgoCDReader:
    """Applications from the Argo CD API; no watch (the wait loop polls)."""

    name = "argocd"
    resource_version = ""

    def __init__(self, settings: ArgoSettings, retry: RetryPolicy | None = None, env=None):
        if not settings.server:
            raise UsageError("--source argocd needs --server URL")
        self.settings, self.retry = settings, retry or RetryPolicy()
        self._env = os.environ if env is None else env
        self._url = urlsplit(settings.server if "://" in settings.server else f"https://{settings.server}")
        self._token: str | None = None
        self.credential = ""

    def _ssl_context(self):
        import ssl

        context = ssl.create_default_context(cafile=self.settings.ca_file)
        if self.settings.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _send(self, method: str, path: str, body: dict | None, token: str | None) -> tuple[int, bytes]:
        import http.client

        host = self._url.netloc
        if self._url.scheme == "https":
            conn = http.client.HTTPSConnection(host, timeout=self.settings.timeout, context=self._ssl_context())
        else:
            conn = http.client.HTTPConnection(host, timeout=self.settings.timeout)
        headers = {"Accept": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
        data = json.dumps(body).encode() if body is not None else None
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            conn.request(method, self._url.path.rstrip("/") + path, body=data, headers=headers)
            response = conn.getresponse()
            payload = response.read()
        except (ConnectionError, TimeoutError, http.client.HTTPException) as exc:
            raise Transient(f"{type(exc).__name__}: {exc}") from None
        except OSError as exc:  # ssl errors are OSErrors too, and not transient
            raise HubError(f"cannot connect to Argo CD at {self.settings.server}: {exc}",
                           hint="check --server; for a private CA use --ca-file (or --insecure)") from None
        finally:
            conn.close()
        if response.status >= 500 or response.status == 429:
            raise Transient(f"{response.status} {response.reason}")
        return response.status, payload

    def _request(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> bytes:
        status, payload = retrying(lambda: self._send(method, path, body, token), self.retry, self._give_up)
        if status in (401, 403):
            raise self._refused(status, path)
        if status >= 400:
            raise HubError(f"Argo CD answered {status} to {method} {path.split('?')[0]}: {_message(payload)}")
        return payload

    def _credentials(self) -> str:
        if self._token is not None:
            return self._token
        if self._env.get(ENV_TOKEN):
            self._token, self.credential = self._env[ENV_TOKEN].strip(), f"the token in ${ENV_TOKEN}"
        elif self.settings.token_file:
            self.credential = f"the token in {self.settings.token_file}"
            try:
                with open(self.settings.token_file, encoding="utf-8") as handle:
                    self._token = handle.read().strip()
            except OSError as exc:
                raise UsageError(f"cannot read --token-file {self.settings.token_file}: {exc.strerror}") from None
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
        body = json.loads(self._request("POST", "/api/v1/session", {"username": username, "password": password}))
        return body["token"]

    def list_applications(self, selector: str) -> Iterator[dict]:
        """Every matching Application (trimmed to the fields status reads).

        Raises:
            HubError: unreachable after retries, refused credentials, missing permission.
            UsageError: no credentials configured.
        """
        token = self._credentials()
        query = urlencode({"selector": selector, "fields": LIST_FIELDS})
        body = json.loads(self._request("GET", f"/api/v1/applications?{query}", token=token))
        self.resource_version = (body.get("metadata") or {}).get("resourceVersion", "")
        yield from body.get("items") or []

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
        return HubError(f"Argo CD at {self.settings.server} did not answer after {self.retry.attempts} "
                        f"attempts ({last.detail})", hint="check --server and that the API server is up")


def _message(payload: bytes) -> str:
    try:
        return str(json.loads(payload).get("message", ""))[:200]
    except ValueError:
        return payload[:200].decode(errors="replace")
