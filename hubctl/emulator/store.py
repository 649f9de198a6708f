"""The emulator's object store: namespaced objects with resourceVersions, paged lists and a watch log.

Objects are kept as dicts plus their serialised JSON (cached until the next change), so a list of 20,000
Applications is served by joining bytes. Keys are kept sorted (namespace, name), like etcd, so a
`continue` token is simply the last key served.
"""

from __future__ import annotations

import base64
import bisect
import json
import threading
import uuid
from collections.abc import Iterator

from hubctl.base import selectors

_UID_NAMESPACE = uuid.UUID("5b0f3c1e-8f0b-4d0c-9c53-6875626374ed")


class Gone(Exception):
    """The requested resourceVersion (or continue token) is older than the retained history."""


def encode_continue(rv: int, key: tuple[str, str]) -> str:
    raw = json.dumps({"rv": rv, "start": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_continue(token: str) -> tuple[int, tuple[str, str]]:
    """Raises: ValueError for a token this store did not issue."""
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    data = json.loads(raw)
    return int(data["rv"]), (str(data["start"][0]), str(data["start"][1]))


class Store:
    """Thread-safe objects of several kinds (plurals), each namespaced, with a bounded event history."""

    def __init__(self, history: int = 200_000):
        self._cond = threading.Condition()
        self._rv = 0
        self._objects: dict[str, dict[tuple[str, str], dict]] = {}
        self._keys: dict[str, list[tuple[str, str]]] = {}
        self._json: dict[tuple[str, tuple[str, str]], bytes] = {}
        self._history = history
        self._events: list[tuple[int, str, str, tuple[str, str], bytes]] = []
        self.closed = False

    @property
    def resource_version(self) -> int:
        return self._rv

    def put(self, plural: str, obj: dict) -> dict:
        """Create or replace `obj` (keyed by metadata.namespace/name); records an ADDED/MODIFIED event."""
        meta = obj.setdefault("metadata", {})
        key = (meta.get("namespace", ""), meta["name"])
        with self._cond:
            objects = self._objects.setdefault(plural, {})
            kind = "MODIFIED" if key in objects else "ADDED"
            if kind == "ADDED":
                bisect.insort(self._keys.setdefault(plural, []), key)
            meta.setdefault("uid", str(uuid.uuid5(_UID_NAMESPACE, f"{plural}/{key[0]}/{key[1]}")))
            meta["generation"] = meta.get("generation", 0) + 1 if kind == "MODIFIED" else 1
            self._rv += 1
            meta["resourceVersion"] = str(self._rv)
            objects[key] = obj
            body = json.dumps(obj, separators=(",", ":")).encode()
            self._json[(plural, key)] = body
            self._record((self._rv, plural, kind, key, body))
        return obj

    def delete(self, plural: str, namespace: str, name: str) -> bool:
        key = (namespace, name)
        with self._cond:
            obj = self._objects.get(plural, {}).pop(key, None)
            if obj is None:
                return False
            keys = self._keys[plural]
            del keys[bisect.bisect_left(keys, key)]
            self._json.pop((plural, key), None)
            self._rv += 1
            obj["metadata"]["resourceVersion"] = str(self._rv)
            self._record((self._rv, plural, "DELETED", key, json.dumps(obj).encode()))
            return True

    def _record(self, event) -> None:
        self._events.append(event)
        if len(self._events) > 2 * self._history:
            del self._events[: len(self._events) - self._history]
        self._cond.notify_all()

    def get(self, plural: str, namespace: str, name: str) -> dict | None:
        with self._cond:
            return self._objects.get(plural, {}).get((namespace, name))

    def get_json(self, plural: str, namespace: str, name: str) -> bytes | None:
        with self._cond:
            return self._json.get((plural, (namespace, name)))

    def objects(self, plural: str) -> list[dict]:
        with self._cond:
            return list(self._objects.get(plural, {}).values())

    def list_page(self, plural: str, namespace: str | None, selector: str | None,
                  limit: int = 0, continue_token: str = "") -> tuple[list[bytes], str, int]:
        """One page of matching objects as JSON bytes, the next continue token ("" at the end) and the rv.

        Raises:
            ValueError: the continue token is malformed.
            Gone: the continue token's list is older than the retained history.
        """
        wanted = selectors.parse(selector)
        start = (namespace or "", "")
        list_rv = None
        if continue_token:
            list_rv, start = decode_continue(continue_token)
        with self._cond:
            if list_rv is not None and self._events and list_rv < self._events[0][0] - 1:
                raise Gone(f"continue token for resourceVersion {list_rv} expired")
            rv = list_rv if list_rv is not None else self._rv
            return self._scan(plural, namespace, wanted, start, bool(continue_token), limit, rv)

    def _scan(self, plural, namespace, wanted, start, exclusive, limit, rv):
        keys = self._keys.get(plural, [])
        objects = self._objects.get(plural, {})
        index = bisect.bisect_right(keys, start) if exclusive else bisect.bisect_left(keys, start)
        items: list[bytes] = []
        while index < len(keys):
            key = keys[index]
            index += 1
            if namespace and key[0] != namespace:
                break
            if selectors.matches(wanted, objects[key]["metadata"].get("labels")):
                items.append(self._json[(plural, key)])
                if limit and len(items) >= limit:
                    has_rest = self._any_match(plural, namespace, wanted, index)
                    return items, encode_continue(rv, key) if has_rest else "", rv
        return items, "", rv

    def _any_match(self, plural, namespace, wanted, index) -> bool:
        keys, objects = self._keys[plural], self._objects[plural]
        for key in keys[index:]:
            if namespace and key[0] != namespace:
                return False
            if selectors.matches(wanted, objects[key]["metadata"].get("labels")):
                return True
        return False

    def events(self, plural: str, namespace: str | None, selector: str | None, since: int,
               stop_at: float) -> Iterator[tuple[str, bytes]]:
        """Yield (type, object JSON) for events after `since` until `stop_at` (monotonic) or close.

        Raises:
            Gone: `since` is older than the retained history.
        """
        import time

        wanted = selectors.parse(selector)
        with self._cond:
            if self._events and since < self._events[0][0] - 1:
                raise Gone(f"too old resource version: {since} ({self._events[0][0] - 1})")
        while not self.closed:
            with self._cond:
                batch = self._events[bisect.bisect_right(self._events, since, key=lambda e: e[0]):]
                if not batch:
                    remaining = stop_at - time.monotonic()
                    if remaining <= 0:
                        return
                    self._cond.wait(min(remaining, 0.5))
                    continue
            for rv, kind_plural, kind, key, body in batch:
                since = rv
                if kind_plural != plural or (namespace and key[0] != namespace):
                    continue
                if wanted.empty or selectors.matches(wanted, json.loads(body)["metadata"].get("labels")):
                    yield kind, body

    def close(self) -> None:
        with self._cond:
            self.closed = True
            self._cond.notify_all()
