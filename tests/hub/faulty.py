"""A faulty hub on 127.0.0.1: a real socket server whose every answer is one of the ways a hub goes wrong.

`FaultyHub(answer)` calls `answer(request, sock)` for each request (`request.path`, `request.number`), and
`answer` writes whatever bytes it likes, as slowly as it likes. Helpers below write the usual faults. Stopping
the hub closes every client socket, so no answering thread outlives a test.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass

from hubctl.base.constants import LABEL_MANAGED_BY, MANAGED_BY


@dataclass
class Request:
    method: str
    path: str
    number: int  # 0 for the hub's first request


class FaultyHub:
    def __init__(self, answer, tls: tuple[str, str] | None = None):
        self.answer, self.requests = answer, []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._tls = None
        if tls:
            self._tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            self._tls.load_cert_chain(*tls)
        self.url = f"{'https' if tls else 'http'}://127.0.0.1:{self._listener.getsockname()[1]}"
        self._clients: list[socket.socket] = []
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                sock, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                self._clients.append(sock)
            threading.Thread(target=self._serve, args=(sock,), daemon=True).start()

    def _serve(self, sock: socket.socket) -> None:
        try:
            if self._tls is not None:
                sock = self._tls.wrap_socket(sock, server_side=True)
            while not self._stopped.is_set():
                head = _read_head(sock)
                if head is None:
                    return
                method, path = head.split(b" ")[:2]
                with self._lock:
                    request = Request(method.decode(), path.decode(), len(self.requests))
                    self.requests.append(request)
                head, _, early = head.partition(b"\r\n\r\n")  # the body may have come with the head
                missing = _content_length(head) - len(early)
                if missing > 0:
                    sock.recv(missing, socket.MSG_WAITALL)
                if self.answer(request, sock) == "close":
                    return
        except OSError:
            return
        finally:
            sock.close()

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            for sock in self._clients:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def _read_head(sock: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return None
        data += chunk
    return data


def _content_length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    return 0


def send(sock: socket.socket, status: int, body: bytes, headers: dict | None = None) -> None:
    head = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}", "Content-Type: application/json",
            *(f"{k}: {v}" for k, v in (headers or {}).items())]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode() + body)


def send_json(sock: socket.socket, value, status: int = 200, headers: dict | None = None) -> None:
    send(sock, status, json.dumps(value).encode(), headers)


def application(name: str, message: str = "", **status) -> dict:
    labels = {LABEL_MANAGED_BY: MANAGED_BY, "hubctl.io/space": "payments", "hubctl.io/flow": "api",
              "hubctl.io/cluster": name.removeprefix("api-")}
    op = {"phase": "Failed", "message": message} if message else {}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
            "metadata": {"name": name, "labels": labels, "resourceVersion": "7"},
            "status": {"sync": {"status": "OutOfSync"}, "health": {"status": "Progressing"},
                       **({"operationState": op} if op else {}), **status}}


def app_list(items, **metadata) -> dict:
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "ApplicationList",
            "metadata": {"resourceVersion": "7", **metadata}, "items": items}


def trickle(sock: socket.socket, data: bytes, every: float = 1.0) -> str:
    """Send `data` one byte per `every` seconds (a hub behind a dying link)."""
    for byte in data:
        sock.sendall(bytes([byte]))
        time.sleep(every)
    return "close"


def endless(sock: socket.socket, head: bytes, chunk: bytes = b" " * 65536) -> str:
    """`head`, then `chunk` forever (until the client hangs up): a body of any size without holding it."""
    sock.sendall(head)
    while True:
        sock.sendall(chunk)
