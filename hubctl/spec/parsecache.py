"""A cache of parsed spec files, keyed by their bytes, so an unchanged file is not parsed again.

Parsing is most of the time `hubctl validate` and `hubctl render` spend on a large fleet. The cache lives
in $XDG_CACHE_HOME/hubctl/parsed/ (one file per fleet directory), is checked against each file's SHA-256
and hubctl's version, and is only a cache: when it is missing, corrupt or stale, files are parsed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from hubctl import __version__
from hubctl.spec.yamlload import load_documents

_FORMAT = 1


def _path(root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hubctl" / "parsed"
    return base / (hashlib.sha256(str(root).encode()).hexdigest()[:32] + ".pickle")


class ParseCache:
    """Parsed documents by file path; `load(rel, raw)` parses only what changed since last time."""

    def __init__(self, root: Path | None):
        self.path = _path(root) if root is not None else None
        self.entries: dict[str, tuple[bytes, list, list]] = {}
        self.dirty = False
        if self.path is not None:
            with contextlib.suppress(Exception):  # a cache: anything wrong with it means "parse"
                with open(self.path, "rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("format") == _FORMAT and stored.get("version") == __version__:
                    self.entries = stored["entries"]

    def load(self, rel: str, raw: bytes):
        digest = hashlib.sha256(raw).digest()
        hit = self.entries.get(rel)
        if hit is not None and hit[0] == digest:
            return hit[1], hit[2]
        docs, problems = load_documents(rel, raw)
        self.entries[rel] = (digest, docs, problems)
        self.dirty = True
        return docs, problems

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
                pickle.dump({"format": _FORMAT, "version": __version__, "entries": self.entries}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
