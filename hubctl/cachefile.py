"""hubctl's caches on disk: one pickle per cache and key under $XDG_CACHE_HOME/hubctl/<kind>/.

A cache file holds a payload stamped with its format and hubctl's code key; a file that is missing,
damaged, of another format or written by another build reads as nothing. Writes are atomic (a temporary
file, then a rename) and a failure to write is ignored: losing a cache costs time, never correctness.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from pathlib import Path

from hubctl.codekey import code_key


def cache_path(kind: str, key: str) -> Path:
    """The file of cache `kind` for `key` (such as a fleet directory)."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hubctl" / kind
    return base / (hashlib.sha256(key.encode()).hexdigest()[:32] + ".pickle")


def load(path: Path | None, fmt: int):
    """The payload stored at `path` by this build in format `fmt`, or None."""
    if path is None:
        return None
    with contextlib.suppress(Exception):  # a cache: anything wrong with it means "not cached"
        with open(path, "rb") as handle:
            stored = pickle.load(handle)
        if stored.get("format") == fmt and stored.get("code") == code_key():
            return stored["payload"]
    return None


def save(path: Path | None, fmt: int, payload) -> None:
    """Store `payload` at `path` for this build, atomically."""
    if path is None:
        return
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as handle:
            pickle.dump({"format": fmt, "code": code_key(), "payload": payload}, handle,
                        protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except (OSError, pickle.PicklingError, RecursionError, TypeError, AttributeError):
        with contextlib.suppress(OSError):
            tmp.unlink()
