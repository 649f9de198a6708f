"""HTTP to the hub under a hard deadline, with bounded responses (docs/reliability.md, "A faulty hub").

Both readers talk to the hub through urllib3 (the kubernetes client's own HTTP library). What is added:
- `Deadline`: one per `hubctl status` run. Every socket opened for the run is registered with it and shut
  down when it passes (TLS sockets too), so no connect, TLS handshake, trickled header or body outlives
  `--timeout`; each request's connect and read timeouts are also capped by what remains.
- `read_capped` / `lines_capped`: a response body (or one watch line) larger than MAX_RESPONSE_BYTES is an
  error, found without holding more than that in memory.
- `parse_json`: invalid, truncated, too deeply nested or wrongly shaped JSON is a HubError naming the
  endpoint, never an internal error.
- `safe_url`: a URL as it may appear in a message (no user name or password, no query).
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
import weakref
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit, urlunsplit

from hubctl.base.errors import HubError

MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # per response, and per watch event line
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 60.0  # the longest silence within one response (a watch gets its own, longer)
CHUNK = 64 * 1024


class DeadlineExceeded(Exception):
    """The run's deadline passed during a hub request."""


class HubTimeout(HubError):
    """The hub did not finish answering before the run's deadline (`--timeout`)."""


def timed_out(endpoint: str, deadline: Deadline) -> HubTimeout:
    return HubTimeout(f"{endpoint} did not finish answering within the --timeout of {deadline.seconds:g}s",
                      hint="check the hub is up and not overloaded, or allow more with --timeout")


def transport_failure(exc: BaseException, where: str, endpoint: str, deadline: Deadline,
                      tls_hint: str) -> Exception:
    """What a failed exchange with the hub means, for both readers: past the deadline (exit 6), a TLS
    failure (exit 6, with `tls_hint`), or a connection problem worth another attempt (Transient)."""
    from urllib3.exceptions import SSLError

    from hubctl.adapters.hub.records import printable
    from hubctl.adapters.hub.retry import Transient

    if isinstance(exc, DeadlineExceeded):
        return timed_out(where, deadline)
    if isinstance(exc, SSLError):
        return HubError(f"cannot connect to {endpoint}: {exc}", hint=tls_hint)
    if deadline.expired():
        return timed_out(where, deadline)
    return Transient(f"{type(exc).__name__}: {printable(str(exc), 200)}")


class Deadline:
    """A point in (monotonic) time after which no hub request may still be running."""

    def __init__(self, seconds: float, clock=time.monotonic):
        self.seconds, self._clock = seconds, clock
        self.at = clock() + seconds
        self._sockets: weakref.WeakSet = weakref.WeakSet()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._expired = False

    def remaining(self) -> float:
        return max(0.0, self.at - self._clock())

    def expired(self) -> bool:
        return self._expired or self.remaining() <= 0

    def cap(self, seconds: float) -> float:
        """`seconds`, or what remains of the deadline if less.

        Raises:
            DeadlineExceeded: nothing remains.
        """
        remaining = self.remaining()
        if remaining <= 0:
            raise DeadlineExceeded()
        return min(seconds, remaining)

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down when the deadline passes (at once if it has)."""
        with self._lock:
            if self._expired or self.remaining() <= 0:
                _shutdown(sock)
                return
            self._sockets.add(sock)
            if self._timer is None:
                self._timer = threading.Timer(self.remaining(), self._expire)
                self._timer.daemon = True
                self._timer.start()

    def _expire(self) -> None:
        with self._lock:
            self._expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shutdown(sock)

    def close(self) -> None:
        """Stop the watchdog (the run is over)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)  # wakes a thread blocked in recv on it; close() would not


def install(pool_manager, deadline: Deadline) -> None:
    """Make every connection `pool_manager` opens from now on obey `deadline`."""
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

    def watched(base):
        def _new_conn(self):
            sock = base._new_conn(self)
            twin = getattr(self, "_deadline_twin", None)
            if twin is None:
                self._deadline_twin = twin = _Twin()
                weakref.finalize(self, twin.close)
            twin.replace(sock.dup())
            deadline.watch(twin.sock)
            return sock

        return type(f"Deadline{base.__name__}", (base,), {"_new_conn": _new_conn})

    pools = {"http": type("DeadlineHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": watched(HTTPConnection)}),
             "https": type("DeadlineHTTPSPool", (HTTPSConnectionPool,),
                           {"ConnectionCls": watched(HTTPSConnection)})}
    pool_manager.pool_classes_by_scheme = pools
    pool_manager.clear()


class _Twin:
    """A duplicate descriptor of a connection's socket. TLS wrapping detaches the socket object urllib3
    created, but the connection stays the same: shutting the duplicate down ends the TLS socket's reads too.
    One per connection object, closed when it reconnects or is collected (no descriptor leaks)."""

    def __init__(self):
        self.sock: socket.socket | None = None

    def replace(self, sock: socket.socket) -> None:
        self.close()
        self.sock = sock

    def close(self) -> None:
        if self.sock is not None:
            self.sock.close()
            self.sock = None


def timeouts(deadline: Deadline, read: float = READ_TIMEOUT):
    """A urllib3 Timeout for one request: connect and read, each capped by the deadline.

    Raises:
        DeadlineExceeded: nothing remains.
    """
    from urllib3 import Timeout

    return Timeout(connect=deadline.cap(CONNECT_TIMEOUT), read=deadline.cap(read))


def exchange(pool_manager, method: str, url: str, data: bytes | None, headers: dict, *, where: str,
             endpoint: str, deadline: Deadline, hint: str) -> tuple[int, bytes]:
    """One request under the run's deadline: its status and its whole (capped) body.

    Raises:
        Transient: a 5xx or 429 answer (with its Retry-After), for the retry loop.
        HubError: the body is too large, or the transport failed (`hint` says what to check).
    """
    from urllib3.exceptions import HTTPError as Urllib3Error

    from hubctl.adapters.hub.retry import Transient

    response, done = None, False
    try:
        response = pool_manager.request(method, url, body=data, headers=headers, preload_content=False,
                                        redirect=False, timeout=timeouts(deadline))
        if response.status >= 500 or response.status == 429:
            raise Transient(f"{response.status} {response.reason}", retry_after(response.headers))
        payload = read_capped(response, where)
        done = True
        return response.status, payload
    except (DeadlineExceeded, Urllib3Error, OSError) as exc:
        raise transport_failure(exc, where, endpoint, deadline, hint) from None
    finally:
        if response is not None:  # a body not read to its end leaves the connection unusable
            response.release_conn() if done else response.close()


def read_capped(response, endpoint: str, limit: int = MAX_RESPONSE_BYTES) -> bytes:
    """The whole body of a urllib3 response (preload_content=False), at most `limit` bytes.

    Raises:
        HubError: the body is larger than `limit` (the connection is closed, not drained).
    """
    length = response.headers.get("Content-Length", "")
    if length.isascii() and length.isdigit() and int(length) > limit:  # "²" is a digit to isdigit, not to int
        response.close()
        raise too_large(endpoint, limit)
    chunks, size = [], 0
    for chunk in _pieces(response):
        size += len(chunk)
        if size > limit:
            response.close()
            raise too_large(endpoint, limit)
        chunks.append(chunk)
    return b"".join(chunks)


def lines_capped(response, endpoint: str, limit: int = MAX_RESPONSE_BYTES) -> Iterator[bytes]:
    """The non-empty lines of a streamed response (a watch), none longer than `limit` bytes.

    Raises:
        HubError: a line longer than `limit`.
    """
    pending = b""
    for chunk in _pieces(response):
        *complete, pending = (pending + chunk).split(b"\n")
        yield from (line for line in complete if line.strip())
        if len(pending) > limit:
            response.close()
            raise too_large(endpoint, limit)
    if pending.strip():
        yield pending


def _pieces(response) -> Iterator[bytes]:
    """The body as it arrives: a chunk of a chunked answer, or whatever one read returns (never waits to
    fill a buffer, so a watch event is seen when it is sent)."""
    if response.chunked and response.supports_chunked_reads():
        yield from response.stream(CHUNK, decode_content=True)
        return
    while data := response.read1(CHUNK, decode_content=True):
        yield data


def too_large(endpoint: str, limit: int) -> HubError:
    return HubError(f"{endpoint} sent an answer larger than {limit // (1024 * 1024)} MiB; hubctl stopped reading it",
                    hint="is this a hub? narrow the selection with --space/--flow/--cluster")


def parse_json(payload: bytes, endpoint: str, shape: type = dict):
    """`payload` as JSON of type `shape` (a JSON object by default).

    Raises:
        HubError: not JSON, truncated, nested too deeply, or not of `shape`.
    """
    try:
        value = json.loads(payload)
    except (ValueError, RecursionError) as exc:
        detail = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise HubError(f"{endpoint} answered with invalid JSON ({detail}; {len(payload)} bytes)",
                       hint="is this a hub? check the URL, and any proxy in between") from None
    if not isinstance(value, shape):
        raise HubError(f"{endpoint} answered with a JSON {_kind(value)} where an {_kind(shape())} was expected",
                       hint="is this a hub? check the URL, and any proxy in between")
    return value


def _kind(value) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number")


def safe_url(url: str) -> str:
    """`url` without user name, password, query or fragment: what a message may show."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit((parts.scheme, host, parts.path, "", ""))
    except ValueError:
        return "(an unparsable URL)"


def retry_after(headers, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date), or None."""
    value = (headers.get("Retry-After") or "").strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():  # "²" is a digit to isdigit, not to float
        return float(value)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def check_token(token: str, where: str) -> str:
    """`token` (surrounding whitespace removed) if it can go in an Authorization header.

    Raises:
        UsageError: empty, or it contains a line break, another control character or a non-ASCII
            character. The message says what is wrong and where the token came from, never the token.
    """
    from hubctl.base import redact
    from hubctl.base.errors import UsageError

    redact.register(token)
    token = token.strip()
    problem = ""
    if not token:
        problem = "is empty"
    elif any(c in token for c in "\r\n\u2028\u2029\x85"):
        problem = "contains a line break"
    elif any(ord(c) < 0x20 or ord(c) == 0x7F for c in token):
        problem = "contains a control character"
    elif not token.isascii():
        problem = "contains a non-ASCII character"
    if problem:
        raise UsageError(f"{where} {problem}; it cannot be sent as a bearer token",
                         hint="the file or variable must hold the token alone, on one line")
    return token
