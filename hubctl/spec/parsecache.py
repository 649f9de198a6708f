"""A cache of parsed and checked spec files, keyed by their bytes, so an unchanged file is not read again.

Parsing, then checking each document against its schema, is most of the time `hubctl validate` and
`hubctl render` spend on a large fleet; both are pure functions of a file's bytes and hubctl's code. The
cache lives in $XDG_CACHE_HOME/hubctl/parsed/, one file per fleet directory and top-level directory of it
(clusters/, flows/, ...: after one flow changed, only the flows' file is written again, not the 4,000
clusters'), is checked against each file's SHA-256 and hubctl's code key, and is only a cache: when it is
missing, corrupt or stale, files are parsed and checked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from hubctl.base import cachefile

_FORMAT = 5


def shard_of(rel: str) -> str:
    """The part of the cache a spec file's entry is kept in: its top-level directory ("" at the top)."""
    top, slash, _ = rel.partition("/")
    return top if slash else ""


class ParseCache:
    """`compute(rel, raw)` by file path; `load(rel, raw)` computes only what changed since last time."""

    def __init__(self, root: Path | None, compute: Callable[[str, bytes], object]):
        self.compute = compute
        self.root = root
        self.shards: dict[str, dict[str, tuple[bytes, object]]] = {}  # read on first use
        self.dirty: set[str] = set()

    def _path(self, shard: str) -> Path | None:
        return cachefile.cache_path("parsed", f"{self.root}\0{shard}") if self.root is not None else None

    def _entries(self, shard: str) -> dict[str, tuple[bytes, object]]:
        entries = self.shards.get(shard)
        if entries is None:
            entries = self.shards[shard] = cachefile.load(self._path(shard), _FORMAT) or {}
        return entries

    def load(self, rel: str, raw: bytes):
        digest = hashlib.sha256(raw).digest()
        shard = shard_of(rel)
        entries = self._entries(shard)
        hit = entries.get(rel)
        if hit is not None and hit[0] == digest:
            return hit[1]
        value = self.compute(rel, raw)
        entries[rel] = (digest, value)
        self.dirty.add(shard)
        return value

    def save(self, seen: set[str]) -> None:
        """Write the parts that changed, without the entries of files not in `seen` (deleted or renamed)."""
        for shard, entries in self.shards.items():
            stale = [rel for rel in entries if rel not in seen]
            for rel in stale:
                del entries[rel]
            if stale or shard in self.dirty:
                cachefile.save(self._path(shard), _FORMAT, entries)
