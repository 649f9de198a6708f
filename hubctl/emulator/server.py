"""The emulator's HTTP front: the Kubernetes API subset and the Argo CD /api/v1 subset on one port."""

from __future__ import annotations

import json
import re
import time
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlsplit

from hubctl.emulator import responses as r
from hubctl.emulator.store import Gone

GROUP_PREFIX = "/apis/argoproj.io/v1alpha1"
_KUBE_PATH = re.compile(r"^/apis/argoproj\.io/v1alpha1(?:/namespaces/([^/]+))?/(applications|applicationsets)"
                        r"(?:/([^/]+))?$")
_WINDOWS_PATH = re.compile(r"^/api/v1/applications/([^/]+)/syncwindows$")
# Argo CD's answer for an Application an active deny window holds (ApplicationSyncWindowsResponse)
DENY_WINDOW = {"kind": "deny", "schedule": "0 22 * * 5", "duration": "56h", "manualSync": False}
_ARGO_PATH = re.compile(r"^/api/v1/(applications|applicationsets)(?:/([^/]+))?$")
DISCOVERY = {"/version": r.VERSION, "/api": r.API_VERSIONS, "/api/v1": r.CORE_RESOURCES,
             "/apis": r.API_GROUPS, GROUP_PREFIX: r.ARGO_RESOURCES}


class Handler(BaseHTTPRequestHandler):
    """One request. `self.server.emulator` is the Emulator behind it."""

    protocol_version = "HTTP/1.1"
    server_version = "hubctl-emulator"

    def log_message(self, format, *args):  # noqa: A002 - quiet: tests and the demo read stderr
        pass

    def do_GET(self):  # noqa: N802
        self._serve("GET")

    def do_POST(self):  # noqa: N802
        self._serve("POST")

    def do_PATCH(self):  # noqa: N802
        self._serve("PATCH")

    def do_DELETE(self):  # noqa: N802
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        emulator = self.server.emulator
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        argo = url.path.startswith("/api/v1/") or url.path == "/api/version"
        if emulator.faults.slow:
            time.sleep(emulator.faults.slow)
        if emulator.faults.take("reset"):
            self.close_connection = True
            self.connection.close()
            return
        if emulator.faults.take("http500"):
            return self._send(500, r.argo_error(13, "internal error (injected)") if argo
                              else r.status(500, "InternalError", "Internal error occurred: injected fault"))
        try:
            self._route(emulator, method, url.path, query, argo)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _route(self, emulator, method, path, query, argo) -> None:
        if path in DISCOVERY and method == "GET":
            return self._send(200, DISCOVERY[path])
        if path == "/api/version":
            return self._send(200, {"Version": "v3.5.1+109ca7c", "Platform": "linux/amd64"})
        if path == "/api/v1/session" and method == "POST":
            return self._session(emulator)
        denied = self._check_auth(emulator, argo, path)
        if denied:
            return self._send(*denied)
        if method in ("PATCH", "DELETE"):
            return self._write(emulator, method, path, query, argo)
        if match := _WINDOWS_PATH.match(path):
            return self._windows(emulator, unquote(match.group(1)), query)
        if match := _ARGO_PATH.match(path):
            return self._argo(emulator, match.group(1), match.group(2) and unquote(match.group(2)), query)
        if match := _KUBE_PATH.match(path):
            return self._kube(emulator, match.group(2), match.group(1), match.group(3), query)
        self._send(404, r.argo_error(5, "Not Found") if argo else r.status(404, "NotFound", "the server "
                   "could not find the requested resource"))

    def _check_auth(self, emulator, argo: bool, path: str) -> tuple[int, dict] | None:
        token = _bearer(self.headers)
        if emulator.accepts(token) is False:
            return (401, r.argo_error(16, "invalid session: token signature is invalid") if argo
                    else r.status(401, "Unauthorized", "Unauthorized"))
        if emulator.faults.forbidden:
            return (403, r.argo_error(7, "permission denied: applications, get, */*, sub: ci") if argo
                    else r.forbidden(path))
        return None

    def _write(self, emulator, method: str, path: str, query: dict, argo: bool) -> None:
        """PATCH or DELETE of one Application: Argo CD's /api/v1/applications/{name} or the Kubernetes API."""
        match = (_ARGO_PATH if argo else _KUBE_PATH).match(path)
        plural, name = (match.group(1), match.group(2)) if argo and match else (
            (match.group(2), match.group(3)) if match else (None, None))
        body = self._body()
        if plural != "applications" or not name or body is None:
            return self._send(*_bad(argo, "only PATCH and DELETE of one Application, with a JSON body"))
        name = unquote(name)
        if method == "DELETE":
            cascade = {"true": True, "false": False}.get(query.get("cascade", ""))
            result = emulator.delete_application(name, cascade if argo else None,
                                                 query.get("propagationPolicy", "") if argo else "")
        else:
            patch = body
            if argo:
                try:
                    patch = json.loads(body.get("patch") or "{}")
                except ValueError:
                    patch = None
                if not isinstance(patch, dict) or body.get("patchType", "merge") != "merge":
                    return self._send(*_bad(argo, "the emulator takes only merge patches of a JSON object"))
            result = emulator.patch_application(name, patch)
        if result == "notfound":
            return self._send(404, r.argo_error(5, f'applications.argoproj.io "{name}" not found') if argo
                              else r.status(404, "NotFound", f'applications.argoproj.io "{name}" not found'))
        if result == "conflict":
            return self._send(409, r.status(409, "Conflict", f'Operation cannot be fulfilled on applications.'
                                            f'argoproj.io "{name}": the object has been modified'))
        if result == "badpolicy":
            return self._send(*_bad(argo, f"invalid propagation policy: {query.get('propagationPolicy')}"))
        self._send(200, {} if argo and method == "DELETE" else result)

    def _body(self) -> dict | None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return None
        return body if isinstance(body, dict) else None

    def _session(self, emulator) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            return self._send(400, r.argo_error(3, "invalid JSON body"))
        token = emulator.login(str(body.get("username", "")), str(body.get("password", "")))
        if token is None:
            return self._send(401, r.argo_error(16, "Invalid username or password"))
        self._send(200, {"token": token})

    def _argo(self, emulator, plural: str, name: str | None, query: dict) -> None:
        namespace = query.get("appNamespace") or emulator.namespace
        if name:
            body = emulator.store.get_json(plural, namespace, name)
            if body is None:
                return self._send(404, r.argo_error(5, f'{plural}.argoproj.io "{name}" not found'))
            return self._send_bytes(200, body)
        # as Argo CD v3.5.1 lists: without appNamespace, the Applications of every namespace it serves
        items, _, rv = emulator.store.list_page(plural, query.get("appNamespace") or None,
                                                _selector(emulator, query, "selector"))
        fields = [f for f in query.get("fields", "").split(",") if f]
        if fields:
            items = [json.dumps(r.project(json.loads(i), fields), separators=(",", ":")).encode() for i in items]
        self._send_bytes(200, r.list_body(None, {"resourceVersion": str(rv)}, items))

    def _windows(self, emulator, name: str, query: dict) -> None:
        """GET /api/v1/applications/{name}/syncwindows: the `window` fault's Applications are held."""
        if emulator.store.get_json("applications", query.get("appNamespace") or emulator.namespace, name) is None:
            return self._send(404, r.argo_error(5, f'applications.argoproj.io "{name}" not found'))
        if emulator.faults.window_answer is not None:
            return self._send_bytes(200, emulator.faults.window_answer.encode())
        if emulator.faults.app_fault(name) == "window":
            return self._send(200, {"activeWindows": [DENY_WINDOW], "assignedWindows": [DENY_WINDOW],
                                    "canSync": False})
        return self._send(200, {"canSync": True})

    def _kube(self, emulator, plural: str, namespace: str | None, name: str | None, query: dict) -> None:
        if name:
            body = emulator.store.get_json(plural, namespace or "", name)
            if body is None:
                return self._send(404, r.status(404, "NotFound", f'{plural}.argoproj.io "{name}" not found',
                                                 {"name": name, "group": "argoproj.io", "kind": plural}))
            return self._send_bytes(200, body)
        if query.get("watch") in ("true", "1"):
            return self._watch(emulator, plural, namespace, query)
        try:
            items, token, rv = emulator.store.list_page(plural, namespace, _selector(emulator, query),
                                                        int(query.get("limit") or 0), query.get("continue", ""))
        except Gone as exc:
            return self._send(410, r.status(410, "Expired", str(exc)))
        except ValueError as exc:
            return self._send(400, r.status(400, "BadRequest", f"invalid request: {exc}"))
        meta = {"resourceVersion": str(rv), **({"continue": token} if token else {})}
        kind = "ApplicationList" if plural == "applications" else "ApplicationSetList"
        self._send_bytes(200, r.list_body(kind, meta, items))

    def _watch(self, emulator, plural, namespace, query) -> None:
        since = query.get("resourceVersion") or "0"
        stop_at = time.monotonic() + min(float(query.get("timeoutSeconds") or 1800), 1800)
        self._start_chunked()
        try:
            if since == "0":
                items, _, rv = emulator.store.list_page(plural, namespace, _selector(emulator, query))
                for item in items:
                    self._chunk(b'{"type":"ADDED","object":' + item + b"}\n")
                since = str(rv)
            for kind, body in emulator.store.events(plural, namespace, _selector(emulator, query),
                                                    int(since), stop_at):
                self._chunk(b'{"type":"' + kind.encode() + b'","object":' + body + b"}\n")
        except Gone as exc:
            error = json.dumps({"type": "ERROR", "object": r.status(410, "Expired", str(exc))})
            self._chunk(error.encode() + b"\n")
        self._chunk(b"")

    def _start_chunked(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _send(self, code: int, payload: dict) -> None:
        self._send_bytes(code, json.dumps(payload, separators=(",", ":")).encode())

    def _send_bytes(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _selector(emulator, query: dict, key: str = "labelSelector") -> str | None:
    """The label selector of a list or watch (None, everything, under the `noselector` fault)."""
    return None if emulator.faults.noselector else query.get(key)


def _bad(argo: bool, message: str) -> tuple[int, dict]:
    return 400, r.argo_error(3, message) if argo else r.status(400, "BadRequest", message)


def _bearer(headers) -> str | None:
    auth = headers.get("Authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    for part in headers.get("Cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == "argocd.token":
            return value
    return None
