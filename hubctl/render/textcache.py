"""Rendered texts by a digest of everything they were computed from, kept between runs.

Rendering a flow's manifests (templating, then YAML emission) and emitting the hub's objects are pure
functions of their inputs: the blueprint's templates and the flow's context, or the objects themselves.
The key is the SHA-256 of those inputs pickled (pickling is exact about types and key order, so equal
keys mean equal inputs) together with hubctl's code key. Inputs that cannot be pickled are simply
computed. The file lives in $XDG_CACHE_HOME/hubctl/texts/ (one per fleet directory), holds only the
texts of the last run, and is only a cache: missing or damaged, everything is rendered.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from hubctl.codekey import code_key

_FORMAT = 1


def cache_path(root: Path) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "hubctl" / "texts"
    return base / (hashlib.sha256(str(root).encode()).hexdigest()[:32] + ".pickle")


class TextCache:
    """`text(inputs, produce)`: the text produced from `inputs`, produced only when not known already."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.old: dict[bytes, str] = {}
        self.used: dict[bytes, str] = {}
        self.seed = hashlib.sha256(code_key().encode())
        if path is not None:
            with contextlib.suppress(Exception):  # a cache: anything wrong with it means "render"
                with open(path, "rb") as handle:
                    stored = pickle.load(handle)
                if stored.get("format") == _FORMAT and stored.get("code") == code_key():
                    self.old = stored["texts"]

    def text(self, inputs, produce: Callable[[], str]) -> str:
        try:
            key = self.seed.copy()
            key.update(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - an input pickle cannot express is computed, not cached
            return produce()
        digest = key.digest()
        text = self.used.get(digest)
        if text is None:
            text = self.old.get(digest)
            if text is None:
                text = produce()
            self.used[digest] = text
        return text

    def save(self) -> None:
        """Keep this run's texts (only when they differ from what is stored)."""
        if self.path is None or self.used.keys() == self.old.keys():
            return
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.name + f".{os.getpid()}.tmp")
            with open(tmp, "wb") as handle:
                pickle.dump({"format": _FORMAT, "code": code_key(), "texts": self.used}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
