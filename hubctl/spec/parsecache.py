"""A cache of parsed and checked spec files, keyed by their bytes, so an unchanged file is not read again.

Parsing, then checking each document against its schema, is most of the time `hubctl validate` and
`hubctl render` spend on a large fleet; both are pure functions of a file's bytes and hubctl's code. The
cache lives in $XDG_CACHE_HOME/hubctl/parsed/ (one file per fleet directory), is checked against each
file's SHA-256 and hubctl's code key, and is only a cache: when it is missing, corrupt or stale, files are
parsed and checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from hubctl.base import cachefile

_FORMAT = 4


class ParseCache:
    """`compute(rel, raw)` by file path; `load(rel, raw)` computes only what changed since last time."""

    def __init__(self, root: Path | None, compute: Callable[[str, bytes], object]):
        self.compute = compute
        self.path = cachefile.cache_path("parsed", str(root)) if root is not None else None
        self.entries: dict[str, tuple[bytes, object]] = cachefile.load(self.path, _FORMAT) or {}
        self.dirty = False

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
        stale = set(self.entries) - seen
        if not self.dirty and not stale:
            return
        for rel in stale:
            del self.entries[rel]
        cachefile.save(self.path, _FORMAT, self.entries)
