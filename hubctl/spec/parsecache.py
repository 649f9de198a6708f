"""A cache of parsed and checked spec files, keyed by their bytes, so an unchanged file is not read again.

Parsing, then checking each document against its schema, is most of the time `hubctl validate` and
`hubctl render` spend on a large fleet; both are pure functions of a file's bytes and hubctl's code. The
cache lives in $XDG_CACHE_HOME/hubctl/parsed/ (one file per fleet directory), is checked against each
file's SHA-256 and hubctl's code key, and is only a cache: when it is missing, corrupt or stale, files are
parsed and checked.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from hubctl.codekey import code_key

_FORMAT = 2


def _path(root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hubctl" / "parsed"
    return base / (hashlib.sha256(str(root).encode()).hexdigest()[:32] + ".pickle")


class ParseCache:
    """`compute(rel, raw)` by file path; `load(rel, raw)` computes only what changed since last time."""

    def __init__(self, root: Path | None, compute: Callable[[str, bytes], object]):
        self.compute = compute
        self.path = _path(root) if root is not None else None
        self.entries: dict[str, tuple[bytes, object]] = {}
        self.dirty = False
        if self.path is not None:
            with contextlib.suppress(Exception):  # a cache: anything wrong with it means "parse"
                with open(self.path, "rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("format") == _FORMAT and stored.get("code") == code_key():
                    self.entries = stored["entries"]

    def load(self, rel: str, raw: bytes):
        digest = hashlib.sha256(raw).digest()
        hit = self.entries.get(rel)
        if hit is not None and hit[0] == digest:
            return hit[1]
        value = self.compute(rel, raw)
        self.entries[rel] = (digest, value)
        self.dirty = True
        return value

    def save(self, seen: set[str]) -> None:
        if self.path is None:
            return
        stale = set(self.entries) - seen
        if not self.dirty and not stale:
            return
        for rel in stale:
            del self.entries[rel]
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                pickle.dump({"format": _FORMAT, "code": code_key(), "entries": self.entries}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
