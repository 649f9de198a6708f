"""Rendered texts by a digest of everything they were computed from, kept between runs.

Rendering a flow's manifests (templating, then YAML emission) and emitting the hub's objects are pure
functions of their inputs: the blueprint's templates and the flow's context, or the objects themselves.
The key is the SHA-256 of those inputs pickled (pickling is exact about types and key order, so equal
keys mean equal inputs) together with hubctl's code key. Inputs that cannot be pickled are simply
computed. The files live in $XDG_CACHE_HOME/hubctl/texts/, one per fleet directory and kind of text
(the first element of the inputs: "hub", "flow", "variant"), so that after one flow changed only the flows'
texts are written again. Each holds the texts of the last run that used that kind, and is only a cache:
missing or damaged, everything is rendered.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from pathlib import Path

from hubctl.base import cachefile
from hubctl.base.codekey import code_key

_FORMAT = 3


def cache_path(root: Path) -> Path:
    return cachefile.cache_path("texts", str(root))


class TextCache:
    """`text(inputs, produce)`: the text produced from `inputs`, produced only when not known already."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self.old: dict[str, dict[bytes, str]] = {}  # by kind, read on first use
        self.used: dict[str, dict[bytes, str]] = {}
        self.seed = hashlib.sha256(code_key().encode())

    def _kind_path(self, kind: str) -> Path | None:
        return None if self.path is None else self.path.with_name(
            f"{self.path.stem}-{hashlib.sha256(kind.encode()).hexdigest()[:16]}{self.path.suffix}")

    def text(self, inputs, produce: Callable[[], str]) -> str:
        try:
            key = self.seed.copy()
            key.update(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - an input pickle cannot express is computed, not cached
            return produce()
        digest = key.digest()
        kind = inputs[0] if type(inputs) is tuple and inputs and type(inputs[0]) is str else ""
        used = self.used.get(kind)
        if used is None:
            used = self.used[kind] = {}
            self.old[kind] = cachefile.load(self._kind_path(kind), _FORMAT) or {}
        text = used.get(digest)
        if text is None:
            text = self.old[kind].get(digest)
            if text is None:
                text = produce()
            used[digest] = text
        return text

    def save(self) -> None:
        """Keep this run's texts of each kind (only when they differ from what is stored)."""
        for kind, used in self.used.items():
            if used.keys() != self.old[kind].keys():
                cachefile.save(self._kind_path(kind), _FORMAT, used)
