"""Rendered texts by a digest of everything they were computed from, kept between runs.

Rendering a flow's manifests (templating, then YAML emission) and emitting the hub's objects are pure
functions of their inputs: the blueprint's templates and the flow's context, or the objects themselves.
The key is the SHA-256 of those inputs pickled (pickling is exact about types and key order, so equal
keys mean equal inputs) together with hubctl's code key. Inputs that cannot be pickled are simply
computed. The file lives in $XDG_CACHE_HOME/hubctl/texts/ (one per fleet directory), holds only the
texts of the last run, and is only a cache: missing or damaged, everything is rendered.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from hubctl.base import cachefile
from hubctl.base.codekey import code_key

_FORMAT = 2


def cache_path(root: Path) -> Path:
    return cachefile.cache_path("texts", str(root))


class TextCache:
    """`text(inputs, produce)`: the text produced from `inputs`, produced only when not known already."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.old: dict[bytes, str] = cachefile.load(path, _FORMAT) or {}
        self.used: dict[bytes, str] = {}
        self.seed = hashlib.sha256(code_key().encode())

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
        if self.used.keys() != self.old.keys():
            cachefile.save(self.path, _FORMAT, self.used)
